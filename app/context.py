"""What a running app holds: settings, database, token and password services, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.config import Settings
from app.repositories.types import utcnow
from app.security.passwords import Passwords
from app.security.tokens import Tokens
from app.storage import FileStore


@dataclass
class AppContext:
    """Process-wide services; nothing here holds per-user state, so workers scale out."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    #: Sessions for read-only requests (see app.db.READ_ONLY).
    read_sessions: sessionmaker[Session]
    tokens: Tokens
    passwords: Passwords
    files: FileStore
    clock: Callable[[], datetime] = field(default=utcnow)
