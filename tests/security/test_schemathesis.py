"""Schema fuzzing (issue 7): every operation of the committed spec, through the ASGI app, as a
city administrator and as a county administrator — no server error, answers conform to the spec
(status, content type, headers, body), invalid data rejected. A few examples per operation here
(`KEPU_FUZZ_EXAMPLES`); scripts/verify runs many more."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from app.domain.access import Role
from tests.reliability.harness import Database
from tests.security.conftest import login, make_user
from tests.security.fuzz import fuzz_operation, operation_labels

CALLERS = {Role.CITY_ADMIN: {}, Role.COUNTY_ADMIN: {"county_code": "150402"}}
#: Operations after which the caller's token no longer works.
ENDS_LOGIN = {"POST /api/v1/auth/logout"}


@pytest.fixture(scope="module")
def callers(own_db: Database, own_app: FastAPI) -> dict[Role, tuple[str, dict[str, str]]]:
    """One user and login per fuzzing role for the module (data accumulates, as in real use)."""
    made = {}
    for role, scope in CALLERS.items():
        name = make_user(own_db, role, f"fuzz-{role.value}", **scope)
        made[role] = (name, login(own_app, name))
    return made


@pytest.mark.parametrize("role", list(CALLERS), ids=lambda r: r.value)
@pytest.mark.parametrize("label", operation_labels())
def test_operation_conforms_to_the_spec_under_fuzzing(
    own_app: FastAPI,
    callers: dict[Role, tuple[str, dict[str, str]]],
    label: str,
    role: Role,
) -> None:
    name, headers = callers[role]
    if label in ENDS_LOGIN:
        headers = login(own_app, name)

    report = fuzz_operation(own_app, label, headers)

    assert report.cases > 0
    assert report.failures == [], "\n\n".join(report.failures)
