"""The committed OpenAPI spec (issue 2): no drift, valid, complete enough for client generators."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate

from app.cli import OPENAPI_PATH, export_openapi

METHODS = {"get", "post", "put", "patch", "delete"}
PUBLIC = {"/healthz", "/readyz", "/api/v1/auth/token", "/api/v1/auth/refresh"}
#: Read by Prometheus with its own bearer token, not by a user of any role.
SCRAPED = {"/metrics"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(export_openapi())  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (p, m, op) for p, item in spec["paths"].items() for m, op in item.items() if m in METHODS
    ]


def test_committed_spec_matches_the_app() -> None:
    assert OPENAPI_PATH.read_text(encoding="utf-8") == export_openapi(), (
        "openapi/openapi.json is stale: run `.venv/bin/python -m app export-openapi`"
    )


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_operation_has_unique_id_tag_summary(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, op in _operations(spec):
        assert op.get("tags"), f"{method} {path} has no tag"
        assert op.get("summary"), f"{method} {path} has no summary"


def test_every_operation_states_who_may_call_it(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        if path in PUBLIC or path.startswith("/api/v1/public/"):
            assert "security" not in op, f"{method} {path} is public but declares security"
            continue
        if path in SCRAPED:
            assert op.get("security") == [{"metricsToken": []}], f"{method} {path} is not guarded"
            continue
        security = op.get("security")
        assert security, f"{method} {path} declares no security"
        roles = security[0]["OAuth2PasswordBearer"]
        assert roles, f"{method} {path} names no role"


def test_every_operation_documents_problem_responses(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        if path == "/healthz":
            continue
        problems = [
            s
            for s, r in op["responses"].items()
            if "application/problem+json" in r.get("content", {})
        ]
        assert problems, f"{method} {path} documents no problem response"
