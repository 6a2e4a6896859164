"""Schemathesis hooks for fuzzing this API: the two stateful request headers get values the
server can accept when a case means its headers to be valid. `tests/security/fuzz.py` applies
them; the CLI loads them with `SCHEMATHESIS_HOOKS=tests.security.fuzz_hooks`.

A generated `Idempotency-Key` repeats across cases (`0`, `00`...), and the same key with another
body is a 422 by design (docs/api.md, "Idempotency"); a generated `If-Match` names no current
version, and a stale one is a 412 by design. Neither is a schema-valid request wrongly refused.
"""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis
from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation


def stable_headers(case: Case) -> None:
    """A fresh Idempotency-Key and `If-Match: *` (always current) on a case with valid headers."""
    if not case.headers or case.meta is None or case.meta.is_negative_at(ParameterLocation.HEADER):
        return
    if "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    if "If-Match" in case.headers:
        case.headers["If-Match"] = "*"


@schemathesis.hook
def before_call(_ctx: Any, case: Case, **_kwargs: Any) -> None:
    """Applies `stable_headers` to every case the CLI sends."""
    stable_headers(case)
