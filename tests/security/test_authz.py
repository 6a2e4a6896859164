"""Authorization (issue 7; OWASP API1, API3, API5): the matrix of tests/security/authz_matrix.py
holds for every operation and role; county administrators swapping ids get 404; read-only and
privileged fields in request bodies are refused (mass assignment)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from app.domain.access import Role
from tests.reliability.harness import Database
from tests.security.authz_matrix import MATRIX, ROLES
from tests.security.conftest import login, make_user

SPEC: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = {
    f"{method.upper()} {path}": op
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in METHODS
}
#: Scope fields of the users the matrix is driven as (ids need not exist: only roles are tested).
SCOPES: dict[str, dict[str, str]] = {
    "city_admin": {},
    "county_admin": {"county_code": "150402"},
    "org_admin": {"county_code": "150402", "org_id": "01AAAAAAAAAAAAAAAAAAAAAAAA"},
    "base_staff": {"county_code": "150402", "base_id": "01BBBBBBBBBBBBBBBBBBBBBBBB"},
    "reviewer": {},
    "auditor": {},
    "volunteer": {"volunteer_id": "01CCCCCCCCCCCCCCCCCCCCCCCC"},
}
MADE_UP_ID = "01ZZZZZZZZZZZZZZZZZZZZZZZZ"
#: Operations after which the caller's token no longer works.
ENDS_LOGIN = {"POST /api/v1/auth/logout"}


def suggested_row(label: str) -> str:
    """The row the operation's declared roles imply, for a missing-row message."""
    op = OPERATIONS[label]
    security = op.get("security")
    if not security:
        return "A" * 8
    allowed = set(security[0]["OAuth2PasswordBearer"])
    scoped = any(p.get("in") == "path" for p in op.get("parameters", []))
    cells = [
        "F"
        if role not in allowed
        else "S"
        if scoped and role in SCOPES and role not in ("city_admin", "auditor")
        else "A"
        for role in ROLES[:-1]
    ]
    return "".join(cells) + "U"


def test_every_operation_of_the_spec_has_a_row() -> None:
    missing = sorted(set(OPERATIONS) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(OPERATIONS))
    suggestions = "\n".join(f'    "{label}": "{suggested_row(label)}",' for label in missing)
    assert not missing, (
        f"{len(missing)} operations have no row in tests/security/authz_matrix.py; "
        f"check and add:\n{suggestions}"
    )
    assert not stale, f"rows for operations no longer in the spec: {stale}"


def test_every_row_is_well_formed() -> None:
    bad = {k: v for k, v in MATRIX.items() if not re.fullmatch(r"[ASFM]{7}[AU]", v)}
    assert not bad


def test_matrix_agrees_with_the_roles_each_operation_declares() -> None:
    """The spec's OAuth2 scopes (from `allow(...)`) and the matrix name the same roles."""
    disagree = {}
    for label, row in MATRIX.items():
        if label not in OPERATIONS:
            continue
        security = OPERATIONS[label].get("security")
        if security == [{"metricsToken": []}]:
            if row != "M" * 7 + "U":
                disagree[label] = (["metricsToken"], row)
            continue
        declared = set(security[0]["OAuth2PasswordBearer"]) if security else set(ROLES[:-1])
        stated = {role for role, cell in zip(ROLES[:-1], row, strict=False) if cell in "AS"}
        public = row[-1] == "A"
        if declared != stated or public == bool(security):
            disagree[label] = (sorted(declared), row)
    assert not disagree


@pytest.fixture(scope="module")
def role_headers(own_db: Database, own_app: FastAPI) -> dict[str, dict[str, str]]:
    """A signed-in user of every role (scope ids made up), for the whole module."""
    headers = {
        role: login(own_app, make_user(own_db, Role(role), f"authz-{role}", **scope))
        for role, scope in SCOPES.items()
    }
    headers["anonymous"] = {}
    return headers


def _path_value(param: dict[str, Any]) -> str:
    schema = param.get("schema", {})
    if schema.get("type") == "integer":
        return "1" if param["name"] == "month" else "2025"
    alternatives = re.fullmatch(r"\^\((\w[\w-]*)(?:\|.*)?\)\$", schema.get("pattern", ""))
    if alternatives:
        return alternatives.group(1)
    if param["name"] in ("code", "region_code"):
        return "150402"
    return MADE_UP_ID


def _request(label: str) -> tuple[str, str, dict[str, Any]]:
    method, path = label.split(" ", 1)
    for param in OPERATIONS[label].get("parameters", []):
        if param.get("in") == "path":
            path = path.replace("{" + param["name"] + "}", _path_value(param))
    body = OPERATIONS[label].get("requestBody", {}).get("content", {})
    kwargs: dict[str, Any] = {}
    if "application/json" in body:
        kwargs["json"] = {}
    elif "application/x-www-form-urlencoded" in body:
        kwargs["data"] = {}
    return method, path, kwargs


EXPECTED = {"F": {403}, "U": {401}, "M": {401}}


@pytest.mark.parametrize("label", sorted(set(MATRIX) & set(OPERATIONS)))
def test_each_role_gets_what_the_matrix_says(
    own_app: FastAPI, role_headers: dict[str, dict[str, str]], label: str
) -> None:
    method, path, kwargs = _request(label)
    wrong = {}
    with TestClient(own_app, raise_server_exceptions=False) as client:
        for role, cell in zip(ROLES, MATRIX[label], strict=True):
            headers = role_headers[role]
            if label in ENDS_LOGIN and role != "anonymous":
                headers = login(own_app, f"authz-{role}")
            status = client.request(method, path, headers=headers, **kwargs).status_code
            ok = status in EXPECTED[cell] if cell in EXPECTED else status not in (401, 403)
            if not ok or status >= 500:
                wrong[role] = (cell, status)
    assert not wrong, f"{label}: role → (matrix cell, status) {wrong}"


# --- mass assignment ---------------------------------------------------------------------------

#: Fields a client must never set unless the body declares them.
PRIVILEGED = ("id", "version", "created_at", "updated_at", "role", "county_code", "org_path")


def _body_properties(op: dict[str, Any]) -> set[str] | None:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    ref = schema.get("$ref")
    if ref is None:
        return None
    model = SPEC["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return set(model.get("properties", {}))


WRITES = sorted(
    label
    for label, op in OPERATIONS.items()
    if label.split(" ")[0] in ("POST", "PUT", "PATCH")
    and (declared := _body_properties(op)) is not None
    and set(PRIVILEGED) - declared
)


@pytest.mark.parametrize("label", WRITES)
def test_undeclared_privileged_fields_in_a_body_are_refused(
    own_app: FastAPI, role_headers: dict[str, dict[str, str]], label: str
) -> None:
    declared = _body_properties(OPERATIONS[label]) or set()
    sneaked = {f: "150404" if f == "county_code" else "x" for f in PRIVILEGED if f not in declared}
    method, path, _ = _request(label)
    caller = next(role for role, cell in zip(ROLES, MATRIX[label], strict=True) if cell in "AS")
    with TestClient(own_app, raise_server_exceptions=False) as client:
        answer = client.request(method, path, json=sneaked, headers=role_headers[caller])
    assert answer.status_code == 422, answer.text
    fields = {e["field"] for e in answer.json().get("errors", [])}
    assert set(sneaked) <= fields, f"not refused by name: {set(sneaked) - fields}"
