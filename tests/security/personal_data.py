"""Record every personal value a test sends, then look for it in clear where it must never be.

`PersonalDataApi` wraps the test client: any JSON or form field whose name says it is personal
data (`PERSONAL_FIELD`) is remembered, at any depth (bulk rows included), and so is every response.
`leaks()` then searches the database (the SQLite file and its WAL byte for byte; on PostgreSQL
the text of every row), the captured log lines and every response that did not ask for
`reveal=true`, for each value in its plain, normalised and JSON-escaped forms.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, select

from app.logging import JsonFormatter
from app.rules.identity import resident_id_check_char

#: Field names that carry personal data (VOL-DUTY-1) or secrets: never stored or logged in clear.
PERSONAL_FIELD = re.compile(r"(^|_)(id_number|id_no|mobile|phone|telephone|address|password)$")
#: Shorter values could occur by chance in ciphertext or ids.
MIN_LENGTH = 8


def resident_id(rng: random.Random, *, birth: str = "19900101") -> str:
    """A random 居民身份证 number of Chifeng (150402) with a valid GB 11643 check character."""
    first17 = "150402" + birth + f"{rng.randrange(1000):03d}"
    return first17 + resident_id_check_char(first17)


def mobile(rng: random.Random) -> str:
    """A random mainland mobile number."""
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


@dataclass
class Sent:
    """One exchange: whether it asked to reveal personal data, and what came back."""

    method: str
    url: str
    revealed: bool
    status: int
    body: str


@dataclass
class PersonalDataApi:
    """The test client, remembering the personal values sent and the responses received."""

    client: TestClient
    personal: set[str] = field(default_factory=set)
    #: Secrets the API hands to their owner (refresh tokens): allowed in responses only.
    issued: set[str] = field(default_factory=set)
    exchanges: list[Sent] = field(default_factory=list)

    def remember(self, value: Any) -> None:
        """Treat a value as personal data from now on."""
        if isinstance(value, str) and len(value.strip()) >= MIN_LENGTH:
            self.personal.add(value)

    def _collect(self, data: Any) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(key, str) and PERSONAL_FIELD.search(key):
                    self.remember(value)
                self._collect(value)
        elif isinstance(data, list):
            for item in data:
                self._collect(item)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request through the app, remembering personal fields of its JSON or form."""
        self._collect(kwargs.get("json"))
        self._collect(kwargs.get("data"))
        response = self.client.request(method, url, **kwargs)
        params = kwargs.get("params") or {}
        revealed = "reveal=true" in url or str(params.get("reveal", "")).lower() == "true"
        body_text = response.content.decode(errors="replace")
        self.exchanges.append(Sent(method, url, revealed, response.status_code, body_text))
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("refresh_token"), str):
                self.issued.add(body["refresh_token"])
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET through `request`."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST through `request`."""
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        """PATCH through `request`."""
        return self.request("PATCH", url, **kwargs)


def forms(value: str) -> set[str]:
    """The ways a value could appear in clear: as sent, normalised, JSON-escaped."""
    compact = "".join(value.split())
    out = {value, compact, compact.upper(), json.dumps(value)[1:-1]}
    return {f for f in out if len(f) >= MIN_LENGTH}


def find(values: Iterable[str], haystack: bytes | str) -> list[str]:
    """The values that occur in the haystack in any of their forms."""
    text = haystack if isinstance(haystack, str) else haystack.decode("utf-8", errors="replace")
    return sorted({v for v in values for f in forms(v) if f in text})


def sqlite_files(database_url: str) -> list[Path]:
    """The database file of a SQLite URL and its WAL/SHM companions that exist."""
    path = Path(database_url.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def database_text(engine: Engine) -> Iterator[tuple[str, str]]:
    """(table, text) for every row of every table, bytes decoded, JSON rendered unescaped."""
    meta = MetaData()
    with engine.connect() as conn:
        meta.reflect(conn)
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                parts = []
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("utf-8", errors="replace"))
                    elif isinstance(value, dict | list):
                        parts.append(json.dumps(value, ensure_ascii=False))
                    else:
                        parts.append(str(value))
                yield table.name, "\x1f".join(parts)


def log_text(records: Iterable[logging.LogRecord]) -> str:
    """The captured records as the service writes them (JSON lines, extras and tracebacks)."""
    formatter = JsonFormatter()
    return "\n".join(formatter.format(r) for r in records)
