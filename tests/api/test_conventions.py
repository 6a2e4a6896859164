"""API conventions of issue 2: problem+json, pages, ETag/If-Match, Idempotency-Key, headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings
from app.domain.access import Role
from app.main import create_app
from tests.conftest import METRICS_AUTH, PASSWORD, Actor, ActorFactory, assert_problem


def _new_user(client: TestClient, admin: Actor, name: str, **extra: object) -> dict:  # type: ignore[type-arg]
    body = {"username": name, "password": "long-enough-pw", "role": "auditor", **extra}
    response = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_unknown_route_is_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/no-such-thing"), 404)


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    assert_problem(client.delete("/api/v1/me"), 405)


def test_malformed_json_is_400_problem(client: TestClient, city_admin: Actor) -> None:
    response = client.post(
        "/api/v1/users",
        content=b'{"username": ',
        headers={**city_admin.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 400)


def test_hole_11_a_body_of_a_media_type_the_operation_does_not_read_is_a_415(
    client: TestClient, city_admin: Actor
) -> None:
    for media in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(
            "/api/v1/users",
            content=b'{"username": "x"}',
            headers={**city_admin.headers, "Content-Type": media},
        )
        assert_problem(response, 415)
    login = client.post(
        "/api/v1/auth/token",
        content=b'{"username": "x", "password": "y"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(login, 415)


def test_a_json_body_is_read_as_json_with_a_charset_or_a_json_suffix(
    client: TestClient, city_admin: Actor
) -> None:
    for media in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post(
            "/api/v1/users",
            content=b'{"username": ""}',
            headers={**city_admin.headers, "Content-Type": media},
        )
        assert_problem(response, 422)


def test_body_over_the_limit_is_413_problem(
    client: TestClient, city_admin: Actor, app: FastAPI
) -> None:
    too_big = b"x" * (app.state.ctx.settings.max_body_bytes + 1)
    response = client.post(
        "/api/v1/users",
        content=too_big,
        headers={**city_admin.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


def test_validation_error_names_every_bad_field(client: TestClient, city_admin: Actor) -> None:
    response = client.post(
        "/api/v1/users",
        json={"username": "x", "password": "short", "role": "pope"},
        headers=city_admin.headers,
    )
    body = assert_problem(response, 422)
    assert {"username", "password", "role"} <= {e["field"] for e in body["errors"]}


def test_unknown_field_is_refused_mass_assignment(client: TestClient, city_admin: Actor) -> None:
    user = _new_user(client, city_admin, "mass-assign")
    response = client.patch(
        f"/api/v1/users/{user['id']}", json={"role": "city_admin"}, headers=city_admin.headers
    )
    assert_problem(response, 422, field="role")
    assert (
        client.get(f"/api/v1/users/{user['id']}", headers=city_admin.headers).json()["role"]
        == "auditor"
    )


def test_lists_page_by_cursor_without_gaps_or_repeats(
    client: TestClient, city_admin: Actor
) -> None:
    created = {_new_user(client, city_admin, f"pager-{i}")["id"] for i in range(7)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, "role": "auditor", "include_total": "true"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/users", params=params, headers=city_admin.headers).json()
        assert page["total"] == 7
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(created)


def test_limit_over_500_is_422_naming_the_query_field(
    client: TestClient, city_admin: Actor
) -> None:
    assert_problem(
        client.get("/api/v1/users?limit=501", headers=city_admin.headers), 422, field="query.limit"
    )


def test_malformed_cursor_is_422(client: TestClient, city_admin: Actor) -> None:
    assert_problem(
        client.get("/api/v1/users?cursor=%%%", headers=city_admin.headers),
        422,
        field="query.cursor",
    )


def test_updated_since_filters_lists(client: TestClient, city_admin: Actor) -> None:
    first = _new_user(client, city_admin, "before-mark")
    second = _new_user(client, city_admin, "after-mark")
    page = client.get(
        "/api/v1/users", params={"updated_since": second["updated_at"]}, headers=city_admin.headers
    ).json()
    ids = [u["id"] for u in page["items"]]
    assert second["id"] in ids
    assert first["id"] not in ids


def test_stale_if_match_is_412_and_changes_nothing(client: TestClient, city_admin: Actor) -> None:
    user = _new_user(client, city_admin, "etag-user")
    etag = client.get(f"/api/v1/users/{user['id']}", headers=city_admin.headers).headers["etag"]
    ok = client.patch(
        f"/api/v1/users/{user['id']}",
        json={"display_name": "A"},
        headers={**city_admin.headers, "If-Match": etag},
    )
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(
        f"/api/v1/users/{user['id']}",
        json={"display_name": "B"},
        headers={**city_admin.headers, "If-Match": etag},
    )
    assert_problem(stale, 412)
    assert (
        client.get(f"/api/v1/users/{user['id']}", headers=city_admin.headers).json()["display_name"]
        == "A"
    )


def test_idempotency_key_replays_the_first_answer(client: TestClient, city_admin: Actor) -> None:
    headers = {**city_admin.headers, "Idempotency-Key": "create-once"}
    body = {"username": "idem-user", "password": "long-enough-pw", "role": "auditor"}
    first = client.post("/api/v1/users", json=body, headers=headers)
    second = client.post("/api/v1/users", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    listed = client.get(
        "/api/v1/users", params={"role": "auditor"}, headers=city_admin.headers
    ).json()
    assert [u["username"] for u in listed["items"]].count("idem-user") == 1


def test_idempotency_key_with_another_body_is_422(client: TestClient, city_admin: Actor) -> None:
    headers = {**city_admin.headers, "Idempotency-Key": "reused-key"}
    client.post(
        "/api/v1/users",
        json={"username": "idem-a", "password": "long-enough-pw", "role": "auditor"},
        headers=headers,
    )
    other = client.post(
        "/api/v1/users",
        json={"username": "idem-b", "password": "long-enough-pw", "role": "auditor"},
        headers=headers,
    )
    assert_problem(other, 422, field="header.Idempotency-Key")
    names = [
        u["username"]
        for u in client.get("/api/v1/users", headers=city_admin.headers).json()["items"]
    ]
    assert "idem-b" not in names


def test_failed_request_does_not_consume_the_idempotency_key(
    client: TestClient, city_admin: Actor
) -> None:
    headers = {**city_admin.headers, "Idempotency-Key": "after-fix"}
    bad = client.post(
        "/api/v1/users",
        json={"username": "fixme", "password": "short", "role": "auditor"},
        headers=headers,
    )
    assert bad.status_code == 422
    good = client.post(
        "/api/v1/users",
        json={"username": "fixme", "password": "long-enough-pw", "role": "auditor"},
        headers=headers,
    )
    assert good.status_code == 201


def test_request_id_is_honoured_and_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    generated = client.get("/healthz")
    assert len(generated.headers["x-request-id"]) >= 16


def test_request_id_appears_in_problem_bodies(client: TestClient) -> None:
    body = client.get("/api/v1/nothing", headers={"X-Request-ID": "trace-456"}).json()
    assert body["request_id"] == "trace-456"


def test_security_headers_on_every_response(client: TestClient) -> None:
    headers = client.get("/healthz").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_readyz_and_metrics(client: TestClient) -> None:
    assert client.get("/readyz").json() == {"status": "ok"}
    client.get("/healthz")
    metrics = client.get("/metrics", headers=METRICS_AUTH).text
    assert 'kepu_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics


def test_metrics_need_the_prometheus_token(client: TestClient) -> None:
    assert_problem(client.get("/metrics"), 401)
    assert_problem(client.get("/metrics", headers={"Authorization": "Bearer wrong"}), 401)


def test_metrics_are_closed_when_no_token_is_configured(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": ""}))
    with TestClient(app) as closed:
        assert_problem(closed.get("/metrics", headers=METRICS_AUTH), 403)
    app.state.ctx.engine.dispose()


def test_county_admin_gets_404_for_another_countys_user(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    songshan = actor(Role.COUNTY_ADMIN, county_code="150404")
    other_org = _county_team(client, city_admin, "150404")
    other = _new_user(
        client, city_admin, "songshan-staff", role="org_admin", organization_id=other_org
    )
    assert_problem(client.get(f"/api/v1/users/{other['id']}", headers=hongshan.headers), 404)
    assert client.get(f"/api/v1/users/{other['id']}", headers=songshan.headers).status_code == 200
    listed = client.get("/api/v1/users", headers=hongshan.headers).json()["items"]
    assert other["id"] not in [u["id"] for u in listed]


def _county_team(client: TestClient, admin: Actor, county: str) -> str:
    root = {"name": f"city team for {county}", "kind": "team", "level": "city_team"}
    city = client.post("/api/v1/organizations", json=root, headers=admin.headers)
    assert city.status_code == 201, city.text
    body = {
        "name": f"{county} team",
        "kind": "team",
        "level": "county_team",
        "region_code": county,
        "parent_id": city.json()["id"],
    }
    response = client.post("/api/v1/organizations", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _user(name: str, role: str, **scope: str) -> dict[str, str]:
    return {"username": name, "password": "long-enough-pw", "role": role, **scope}


def test_county_admin_creates_users_only_in_its_county(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    own_org = _county_team(client, city_admin, "150402")
    other_org = _county_team(client, city_admin, "150404")
    made = client.post(
        "/api/v1/users",
        json=_user("hs-org", "org_admin", organization_id=own_org),
        headers=county.headers,
    )
    assert made.status_code == 201, made.text
    assert made.json()["county_code"] == "150402"
    elsewhere = client.post(
        "/api/v1/users",
        json=_user("x-org", "org_admin", organization_id=own_org, county_code="150404"),
        headers=county.headers,
    )
    assert_problem(elsewhere, 422, field="county_code")
    foreign_org = client.post(
        "/api/v1/users",
        json=_user("y-org", "org_admin", organization_id=other_org),
        headers=county.headers,
    )
    assert_problem(foreign_org, 422, field="organization_id")
    unknown = client.post(
        "/api/v1/users",
        json=_user("z-org", "org_admin", organization_id="nope"),
        headers=county.headers,
    )
    assert_problem(unknown, 422, field="organization_id")
    escalate = client.post(
        "/api/v1/users", json=_user("boss", "city_admin"), headers=county.headers
    )
    assert_problem(escalate, 403)


def test_city_wide_roles_carry_no_county(client: TestClient, city_admin: Actor) -> None:
    response = client.post(
        "/api/v1/users",
        json=_user("aud-1", "auditor", county_code="150402"),
        headers=city_admin.headers,
    )
    assert_problem(response, 422, field="county_code")


def test_county_admin_cannot_reset_a_fellow_county_admins_password(
    client: TestClient, actor: ActorFactory
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    fellow = actor(Role.COUNTY_ADMIN, county_code="150402")
    response = client.patch(
        f"/api/v1/users/{fellow.user_id}",
        json={"password": "taken-over-pw"},
        headers=county.headers,
    )
    assert_problem(response, 403)
    assert client.get("/api/v1/me", headers=fellow.headers).status_code == 200


def test_a_new_password_ends_every_login_of_the_account(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    user = actor(Role.AUDITOR)
    response = client.patch(
        f"/api/v1/users/{user.user_id}",
        json={"password": "brand-new-pw"},
        headers=city_admin.headers,
    )
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/me", headers=user.headers), 401)
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(refreshed, 401)


def test_role_that_may_never_act_gets_403(client: TestClient, actor: ActorFactory) -> None:
    volunteer = actor(Role.VOLUNTEER)
    assert_problem(client.get("/api/v1/users", headers=volunteer.headers), 403)
    assert_problem(client.get("/api/v1/audit-events", headers=volunteer.headers), 403)


def test_weak_if_match_never_matches(client: TestClient, city_admin: Actor) -> None:
    user = _new_user(client, city_admin, "weak-etag")
    etag = client.get(f"/api/v1/users/{user['id']}", headers=city_admin.headers).headers["etag"]
    response = client.patch(
        f"/api/v1/users/{user['id']}",
        json={"display_name": "W"},
        headers={**city_admin.headers, "If-Match": f"W/{etag}"},
    )
    assert_problem(response, 412)


def test_large_bodies_only_for_bulk_and_attachment_posts(
    client: TestClient, city_admin: Actor, app: FastAPI
) -> None:
    too_big = b"x" * (app.state.ctx.settings.max_body_bytes + 1)
    response = client.patch(
        "/api/v1/users/abc:bulk",
        content=too_big,
        headers={**city_admin.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


def test_nul_characters_and_huge_numbers_are_422_not_500(
    client: TestClient, city_admin: Actor
) -> None:
    nul = client.post(
        "/api/v1/regions",
        json={"code": "150402009", "name": "bad\u0000name", "parent_code": "150402"},
        headers=city_admin.headers,
    )
    assert nul.status_code in (201, 422), nul.text
    huge = client.get("/api/v1/changes", params={"after": 2**63}, headers=city_admin.headers)
    assert huge.status_code == 422, huge.text
    far = client.get(
        "/api/v1/users",
        params={"updated_since": "9999-12-31T23:59:59-12:00"},
        headers=city_admin.headers,
    )
    assert far.status_code in (200, 422), far.text


def test_login_answers_are_never_stored_for_replay(client: TestClient, actor: ActorFactory) -> None:
    user = actor(Role.AUDITOR)
    form = {"username": user.username, "password": PASSWORD}
    first = client.post("/api/v1/auth/token", data=form, headers={"Idempotency-Key": "login-key"})
    second = client.post("/api/v1/auth/token", data=form, headers={"Idempotency-Key": "login-key"})
    assert first.status_code == second.status_code == 200
    assert "idempotent-replayed" not in second.headers
    assert first.json()["refresh_token"] != second.json()["refresh_token"]


def test_a_logged_out_caller_cannot_replay_its_stored_answers(
    client: TestClient, actor: ActorFactory
) -> None:
    admin = actor(Role.CITY_ADMIN)
    headers = {**admin.headers, "Idempotency-Key": "before-logout"}
    body = {"username": "replayed", "password": "long-enough-pw", "role": "auditor"}
    assert client.post("/api/v1/users", json=body, headers=headers).status_code == 201
    client.post("/api/v1/auth/logout", headers=admin.headers)
    assert_problem(client.post("/api/v1/users", json=body, headers=headers), 401)
