"""Personal data at rest: AES-256-GCM with a rotatable key ring, and a keyed hash for matching."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.config import Settings


class KeyRing:
    """Encrypts with the first key, decrypts with whichever key id a value names."""

    def __init__(self, keys: list[tuple[str, bytes]], index_key: bytes) -> None:
        if not keys:
            raise ValueError("at least one data key is needed")
        self._current_id = keys[0][0]
        self._aead = {kid: AESGCM(key) for kid, key in keys}
        self._index_key = index_key

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """Keys from `KEPU_DATA_KEYS`; in development, one derived from the secret key."""
        keys: list[tuple[str, bytes]] = []
        for item in filter(None, (p.strip() for p in settings.data_keys.split(","))):
            kid, _, b64 = item.partition(":")
            key = base64.b64decode(b64)
            if len(key) != 32 or not kid:
                raise ValueError("each KEPU_DATA_KEYS entry is id:base64 of 32 bytes")
            keys.append((kid, key))
        if not keys:
            keys = [("dev", hashlib.sha256(b"data:" + settings.secret_key.encode()).digest())]
        # The index key is its own setting: rotating the token secret or the data keys must not
        # break matching. In development it is derived from the secret key.
        source = settings.index_key or settings.secret_key
        index_key = hashlib.sha256(b"index:" + source.encode()).digest()
        return cls(keys, index_key)

    @property
    def current_id(self) -> str:
        """The id of the key new values are encrypted with."""
        return self._current_id

    def encrypt(self, plaintext: str) -> str:
        """`kid$base64(nonce|ciphertext|tag)`."""
        nonce = os.urandom(12)
        sealed = self._aead[self._current_id].encrypt(nonce, plaintext.encode(), None)
        return f"{self._current_id}${base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        """The plaintext of a value written by `encrypt` with any key of the ring."""
        kid, _, b64 = stored.partition("$")
        raw = base64.b64decode(b64)
        return self._aead[kid].decrypt(raw[:12], raw[12:], None).decode()

    def key_id_of(self, stored: str) -> str:
        """Which key a stored value is encrypted with."""
        return stored.partition("$")[0]

    def derive(self, purpose: str, value: str) -> bytes:
        """A secret of its own for one purpose and value (an activity's check-in key), derived
        from the index key and never stored."""
        return hmac.new(self._index_key, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()

    def blind_index(self, value: str) -> str:
        """A keyed hash of a normalised value, for exact matching without decrypting."""
        normal = "".join(value.split()).upper()
        return hmac.new(self._index_key, normal.encode(), hashlib.sha256).hexdigest()


_ring: KeyRing | None = None


def configure(ring: KeyRing) -> None:
    """Install the process's key ring (done once by the app factory and the CLI)."""
    global _ring
    _ring = ring


def ring() -> KeyRing:
    """The process's key ring."""
    if _ring is None:
        raise RuntimeError("personal-data key ring not configured")
    return _ring
