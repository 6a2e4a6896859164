"""Schemathesis over the committed spec, through the ASGI app, as a given caller.

`fuzz_operation` generates valid (positive) and invalid (negative) requests for one operation,
sends them with the caller's token and checks every answer: no 5xx, status code, content type,
headers and body as the spec declares them, invalid data rejected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.cli import OPENAPI_PATH
from tests.security.fuzz_hooks import stable_headers

#: Examples per operation, per generation mode and per caller; scripts/verify raises it.
EXAMPLES = int(os.environ.get("KEPU_FUZZ_EXAMPLES", "2"))
#: Valid data only in the test suite; scripts/verify adds invalid data (about 2 s an operation:
#: most drawn negative cases are filtered out before one is sent).
MODES = [
    GenerationMode(m.strip()) for m in os.environ.get("KEPU_FUZZ_MODES", "positive").split(",")
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
METHODS = {"get", "put", "post", "patch", "delete"}


@cache
def schema() -> Any:
    """The committed openapi/openapi.json, loaded once."""
    return schemathesis.openapi.from_path(OPENAPI_PATH)


def operation_labels() -> list[str]:
    """`METHOD /path` of every operation of the committed spec."""
    return sorted(
        f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema().get_all_operations())
    )


def _operation(label: str) -> Any:
    method, path = label.split(" ", 1)
    return schema()[path][method]


@dataclass
class FuzzReport:
    """How many cases ran for one operation and which failed."""

    label: str
    cases: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def fuzz_operation(
    app: FastAPI, label: str, headers: dict[str, str], examples: int = EXAMPLES
) -> FuzzReport:
    """Run generated cases of one operation against the app; collect every failed check."""
    operation = _operation(label)
    report = FuzzReport(label)
    for mode in MODES:
        _fuzz_mode(app, operation, mode, headers, examples, report)
    return report


def _fuzz_mode(
    app: FastAPI,
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    examples: int,
    report: FuzzReport,
) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Case) -> None:
        stable_headers(case)
        response = case.call(app=app, headers=headers)
        report.cases += 1
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except AssertionError as exc:
            report.failures.append(f"{mode.value}: {str(exc)[:1500]}")

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        # Every input of this operation is valid (e.g. one free-text path parameter).
