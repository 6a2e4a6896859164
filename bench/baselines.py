"""Raw database insert rates: the ceiling a bulk endpoint is compared with."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = 200_000


def _rows(n: int) -> list[tuple[str, str, str, int, int]]:
    start = date(2025, 1, 1)
    return [
        (
            f"acct{i % 10_000:06d}",
            (start + timedelta(days=i // 10_000)).isoformat(),
            "wechat",
            i % 50,
            i % 900,
        )
        for i in range(n)
    ]


def sqlite_executemany(path: Path, n: int = ROWS) -> float:
    """Rows/s of one `executemany` INSERT in one transaction (WAL, synchronous=NORMAL)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE raw (acct TEXT, day TEXT, channel TEXT, shares INT, reads INT, "
        "PRIMARY KEY (acct, day, channel))"
    )
    rows = _rows(n)
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - started
    conn.close()
    path.unlink(missing_ok=True)
    return n / elapsed


def postgres_copy(url: str, n: int = ROWS) -> float:
    """Rows/s of one `COPY ... FROM STDIN` into a table with the same primary key."""
    import psycopg

    rows = _rows(n)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(
            "CREATE TABLE bench_raw (acct TEXT, day DATE, channel TEXT, shares INT, "
            "reads INT, PRIMARY KEY (acct, day, channel))"
        )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_raw FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw")
        conn.commit()
    return n / elapsed
