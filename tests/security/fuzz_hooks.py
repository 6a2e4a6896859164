"""Schemathesis hooks for fuzzing this API: the two stateful request headers get values the
server can accept when a case means its headers to be valid. `tests/security/fuzz.py` applies
them; the CLI loads them with `SCHEMATHESIS_HOOKS=tests.security.fuzz_hooks`.

It also registers one check, `refused_only_by_context`, that takes the place of the 422 the
configuration lets `positive_data_acceptance` pass (tests/security/schemathesis.toml).

A generated `Idempotency-Key` repeats across cases (`0`, `00`...), and the same key with another
body is a 422 by design (docs/api.md, "Idempotency"); a generated `If-Match` names no current
version, and a stale one is a 412 by design. Neither is a schema-valid request wrongly refused.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis
from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation

from app.errors import CONTEXT_CODES

#: A rule ID of docs/rules.md, as a bulk row's error names it (`OFF-REG-1`).
RULE_ID = re.compile(r"[A-Z]+(?:-[A-Z]+)*-\d+")


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


@schemathesis.check
def refused_only_by_context(ctx: Any, response: schemathesis.Response, case: Case) -> None:
    """A request valid by the schema may be refused with 422 only for what a schema cannot
    state: a rule (`violations` naming rule IDs) or a check of the context (`errors` whose codes
    are all rule IDs, as a bulk import's rows have, or in `app.errors.CONTEXT_CODES`); any other
    422 means the schema promised too much."""
    if response.status_code != 422 or case.meta is None:
        return
    if not case.meta.generation.mode.is_positive:
        return
    problem = response.json()
    violations = problem.get("violations") or []
    if violations and all(v.get("rule") for v in violations):
        return
    codes = {str(e.get("code")) for e in problem.get("errors") or []}
    if codes and all(c in CONTEXT_CODES or RULE_ID.fullmatch(c) for c in codes):
        return
    raise AssertionError(f"a schema-valid request refused for {sorted(codes)}")
