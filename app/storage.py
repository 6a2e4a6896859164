"""Where uploaded files live: one interface, a local-disk implementation (object storage later)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from app.ids import new_id


class FileStore(Protocol):
    """Content-addressed-enough blob storage; keys are opaque."""

    def put(self, data: bytes) -> str:
        """Store bytes and return their key."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under the key."""
        ...

    def delete(self, key: str) -> None:
        """Forget the key (missing keys are ignored)."""
        ...


class LocalFileStore:
    """Files under one directory, sharded by the first characters of the key."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("invalid storage key")
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        """Write the bytes atomically under a new key."""
        key = new_id() + hashlib.sha256(data).hexdigest()[:16]
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return key

    def get(self, key: str) -> bytes:
        """Read the bytes of a key."""
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file of a key if it exists."""
        self._path(key).unlink(missing_ok=True)
