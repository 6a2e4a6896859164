"""JWT access tokens: the only module that knows the JWT library (python-jose, HS256 only)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from jose import JWTError, jwt
from pydantic import BaseModel

from app.config import Settings

ALGORITHM = "HS256"  # never ECDSA: python-jose's ecdsa backend has an unfixed timing flaw
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")


class TokenError(Exception):
    """The token is missing, malformed, forged, expired or for someone else."""


class AccessClaims(BaseModel):
    """What an access token asserts."""

    sub: str
    sid: str
    jti: str
    exp: datetime


class Tokens:
    """Issue and verify access tokens; make opaque refresh tokens."""

    def __init__(self, settings: Settings) -> None:
        self._key = settings.secret_key
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._lifetime = timedelta(minutes=settings.access_token_minutes)

    @property
    def lifetime_seconds(self) -> int:
        """Seconds an access token lives."""
        return int(self._lifetime.total_seconds())

    def issue(self, *, user_id: str, session_id: str, now: datetime) -> str:
        """A signed access token for the user's login session."""
        claims = {
            "sub": user_id,
            "sid": session_id,
            "jti": secrets.token_urlsafe(12),
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
            "iss": self._issuer,
            "aud": self._audience,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        """The claims of a valid token; raises TokenError otherwise."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != ALGORITHM:
                raise TokenError("unexpected algorithm")
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={f"require_{c}": True for c in REQUIRED_CLAIMS},
            )
        except JWTError as exc:
            raise TokenError(str(exc)) from exc
        if not isinstance(claims.get("sid"), str):
            raise TokenError("missing sid")
        return AccessClaims(
            sub=claims["sub"],
            sid=claims["sid"],
            jti=claims["jti"],
            exp=datetime.fromtimestamp(claims["exp"], tz=UTC),
        )


def new_refresh_token() -> str:
    """An opaque, unguessable refresh token (stored only as its hash)."""
    return secrets.token_urlsafe(32)
