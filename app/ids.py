"""Opaque, time-ordered identifiers (ULID), so keyset pagination follows creation order."""

from ulid import ULID


def new_id() -> str:
    """A new 26-character ULID string."""
    return str(ULID())
