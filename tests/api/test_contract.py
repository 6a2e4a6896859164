"""The contract's HTTP mechanisms (issue 11): a 405 names every method of its path, a cursor of
the declared pattern is accepted, problem statuses carry the headers the spec declares, the spec
is built when the app starts, route facts declare ETag and If-Match, and dates and instants in a
query are ISO 8601 only, as declared."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query, Request, Response
from fastapi.testclient import TestClient
from pydantic import AwareDatetime, BaseModel, TypeAdapter, ValidationError
from starlette.requests import Request as StarletteRequest

from app.config import Settings
from app.domain.common import Moment
from app.errors import install_error_handlers, problem_response
from app.main import create_app
from app.openapi import complete
from app.repositories.base import CURSOR_PATTERN, Entity
from app.routers.deps import check_if_match, set_etag
from app.routers.route import resource_router
from tests.conftest import Actor, assert_problem


def _allow(response: Any) -> set[str]:
    return {m.strip() for m in response.headers["allow"].split(",")}


def test_405_allow_lists_every_method_of_the_path(client: TestClient, city_admin: Actor) -> None:
    # /users has a GET route and a POST route: Starlette alone names the first one's only.
    response = client.put("/api/v1/users", headers=city_admin.headers)

    assert_problem(response, 405)
    assert {"GET", "POST"} <= _allow(response)


def test_405_allow_of_a_single_resource_lists_read_and_update(
    client: TestClient, city_admin: Actor
) -> None:
    response = client.post(f"/api/v1/users/{city_admin.user_id}", headers=city_admin.headers)

    assert_problem(response, 405)
    assert {"GET", "PATCH"} <= _allow(response)


def test_405_allow_is_of_the_most_literal_template_that_matches(
    client: TestClient, city_admin: Actor
) -> None:
    # `/bases/compliance` also matches `/bases/{base_id}`, which has PATCH: the spec's path
    # `/bases/compliance` has GET only.
    response = client.options("/api/v1/bases/compliance", headers=city_admin.headers)

    assert_problem(response, 405)
    assert _allow(response) == {"GET"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/bases/01JD7Q3M5X8Z2K4N6P8R0T2V4W/annual-reports/2025:submit", {"POST"}),
        ("PATCH", "/api/v1/service-records/01JD7Q3M5X8Z2K4N6P8R0T2V4W:confirm", {"POST"}),
    ],
)
def test_405_on_a_colon_verb_path_names_the_verbs_method(
    client: TestClient, city_admin: Actor, method: str, path: str, allowed: set[str]
) -> None:
    # `{year}` and `{id}` hold no colon, so the plain resource route does not take the verb.
    response = client.request(method, path, headers=city_admin.headers)

    assert_problem(response, 405)
    assert _allow(response) == allowed


def test_metrics_without_credentials_is_401(client: TestClient) -> None:
    response = client.get("/metrics")

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_any_cursor_of_the_declared_pattern_is_a_keyset_position(
    client: TestClient, city_admin: Actor
) -> None:
    after_all = client.get("/api/v1/users?cursor=" + "Z" * 26, headers=city_admin.headers)
    before_all = client.get("/api/v1/users?cursor=" + "0" * 26, headers=city_admin.headers)
    regions = client.get("/api/v1/regions?cursor=150402", headers=city_admin.headers)

    assert after_all.status_code == 200, after_all.text
    assert after_all.json()["items"] == []
    assert [u["id"] for u in before_all.json()["items"]] == [city_admin.user_id]
    assert regions.status_code == 200, regions.text


def test_a_cursor_outside_the_declared_pattern_is_422(
    client: TestClient, city_admin: Actor
) -> None:
    response = client.get("/api/v1/users?cursor=" + "0" * 500, headers=city_admin.headers)

    assert_problem(response, 422, field="query.cursor")


def test_the_audit_log_cursor_is_a_sequence_number(client: TestClient, city_admin: Actor) -> None:
    for year in (2026, 2027):
        body = {"effective_on": f"{year}-01-01"}
        client.post("/api/v1/base-policies", json=body, headers=city_admin.headers)
    url = "/api/v1/audit-events"
    first = client.get(f"{url}?limit=1", headers=city_admin.headers).json()
    after = client.get(f"{url}?cursor={first['next_cursor']}", headers=city_admin.headers)
    ulid = client.get(f"{url}?cursor=01JD0Y5ZQ4S3B6K8N1M2P3R4T5", headers=city_admin.headers)

    assert first["next_cursor"].isdigit()
    assert after.status_code == 200, after.text
    assert_problem(ulid, 422, field="query.cursor")


def test_next_cursor_is_of_the_declared_pattern(
    client: TestClient, city_admin: Actor, actor: Any
) -> None:
    actor(city_admin.role)
    response = client.get("/api/v1/users?limit=1", headers=city_admin.headers)

    cursor = response.json()["next_cursor"]
    assert re.fullmatch(CURSOR_PATTERN, cursor)
    assert client.get(f"/api/v1/users?cursor={cursor}", headers=city_admin.headers).json()["items"]


def test_an_idempotency_key_outside_its_declared_form_is_422(
    client: TestClient, city_admin: Actor
) -> None:
    body = {"username": "keyed", "password": "long-enough-pw", "role": "auditor"}
    for key in ("two words", "x" * 256):
        headers = {**city_admin.headers, "Idempotency-Key": key}
        response = client.post("/api/v1/users", json=body, headers=headers)
        assert_problem(response, 422, field="header.Idempotency-Key")


def test_401_carries_www_authenticate(client: TestClient) -> None:
    response = client.get("/api/v1/me")

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_every_503_and_429_problem_carries_retry_after() -> None:
    request = StarletteRequest({"type": "http", "path": "/readyz", "headers": [], "state": {}})

    for status in (429, 503):
        response = problem_response(request, status, "Not ready", slug="not-ready")
        assert response.headers["retry-after"].isdigit()


def test_the_spec_is_built_when_the_app_starts() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    assert app.openapi_schema is None

    with TestClient(app):
        assert app.openapi_schema is not None


class Thing(BaseModel):
    """A resource of the test app below."""

    id: str


def _facts_app() -> FastAPI:
    router = resource_router("things")

    @router.get("/api/v1/things/{thing_id}", summary="Read")
    def read_thing(thing_id: str, response: Response) -> Thing:
        set_etag(response, Entity(id=thing_id))
        return Thing(id=thing_id)

    @router.patch("/api/v1/things/{thing_id}", summary="Update")
    def update_thing(thing_id: str, request: Request) -> Thing:
        check_if_match(request, Entity(id=thing_id))
        return Thing(id=thing_id)

    @router.get("/api/v1/tallies", summary="Tally")
    def tally() -> Thing:
        return Thing(id="1")

    app = FastAPI()
    app.include_router(router)
    return app


def test_routes_that_tag_or_check_versions_declare_etag_if_none_match_and_if_match() -> None:
    app = _facts_app()
    spec = complete(app.openapi(), app.routes)

    read = spec["paths"]["/api/v1/things/{thing_id}"]["get"]
    update = spec["paths"]["/api/v1/things/{thing_id}"]["patch"]
    tally = spec["paths"]["/api/v1/tallies"]["get"]
    assert read["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETag"}
    assert {"$ref": "#/components/parameters/IfNoneMatch"} in read["parameters"]
    assert "304" in read["responses"]
    assert {"$ref": "#/components/parameters/IfMatch"} in update["parameters"]
    assert "412" in update["responses"]
    # Only the headers of every answer (app.middleware), no ETag.
    assert set(tally["responses"]["200"]["headers"]) == {"X-Request-ID", "Content-Language"}
    assert "304" not in tally["responses"]


def _calendar_app() -> FastAPI:
    router = resource_router("things")

    @router.get("/api/v1/days", summary="Days")
    def days(
        on: Annotated[date | None, Query()] = None,
        since: Annotated[datetime | None, Query()] = None,
        after: Annotated[AwareDatetime | None, Query()] = None,
    ) -> Thing:
        return Thing(id=f"{on} {since} {after}")

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    return app


def test_a_date_or_instant_in_a_body_is_iso_8601_text_only(
    client: TestClient, city_admin: Actor
) -> None:
    # Pydantic alone reads `0` as 1970-01-01: the spec says a date is text.
    response = client.post(
        "/api/v1/base-policies", json={"effective_on": 0}, headers=city_admin.headers
    )

    assert_problem(response, 422, field="effective_on")
    with pytest.raises(ValidationError):
        TypeAdapter(Moment).validate_python(1_700_000_000)
    assert TypeAdapter(Moment).validate_python("2025-11-10T08:00:00+08:00").hour == 8


def test_a_put_that_may_create_declares_201_with_location() -> None:
    spec = create_app(Settings(database_url="sqlite://")).openapi()
    for path in (
        "/api/v1/recommendation-quotas/{year}/{county_code}",
        "/api/v1/bases/{base_id}/monthly-stats/{year}/{month}",
        "/api/v1/bases/{base_id}/annual-reports/{year}",
    ):
        responses = spec["paths"][path]["put"]["responses"]
        assert {"200", "201"} <= responses.keys(), path
        assert {"Location", "ETag"} <= responses["201"]["headers"].keys(), path


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("on=0", "query.on"),
        ("on=2025-1-1", "query.on"),
        ("since=2.5", "query.since"),
        ("after=0.5", "query.after"),
    ],
)
def test_a_date_or_instant_in_a_query_is_iso_8601_only(query: str, field: str) -> None:
    # Pydantic alone reads `0` as 1970-01-01 and `2.5` as an instant: the spec says ISO 8601.
    with TestClient(_calendar_app()) as client:
        response = client.get(f"/api/v1/days?{query}")

    assert_problem(response, 422, field=field)
