"""Identity and access (issue 2): tokens, refresh rotation, logout, throttling, forged tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt
from sqlmodel import select

from app import i18n
from app.domain.access import Role
from app.repositories import users
from app.repositories.users import AuthSession
from tests.conftest import PASSWORD, Actor, ActorFactory, assert_problem


def test_login_returns_tokens_and_me_shows_the_caller(
    client: TestClient, actor: ActorFactory
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    me = client.get("/api/v1/me", headers=county.headers)
    assert me.status_code == 200
    assert me.json()["role"] == "county_admin"
    assert me.json()["county_code"] == "150402"
    assert "password_hash" not in me.json()


def test_wrong_password_is_401_problem(client: TestClient, actor: ActorFactory) -> None:
    user = actor(Role.AUDITOR)
    response = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": "nope-nope"}
    )
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_user_is_401_like_a_wrong_password(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "ghost", "password": "whatever1"}
    )
    body = assert_problem(response, 401)
    assert body["detail"] == i18n._("wrong username or password")


def test_repeated_failures_are_throttled_with_retry_after(
    client: TestClient, actor: ActorFactory, app: FastAPI
) -> None:
    user = actor(Role.AUDITOR)
    limit = app.state.ctx.settings.login_max_failures
    for _ in range(limit):
        assert (
            client.post(
                "/api/v1/auth/token", data={"username": user.username, "password": "bad-guess"}
            ).status_code
            == 401
        )
    locked = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
    )
    assert_problem(locked, 429)
    assert int(locked.headers["retry-after"]) > 0


def test_throttle_lifts_after_the_lockout(
    client: TestClient, actor: ActorFactory, app: FastAPI
) -> None:
    user = actor(Role.AUDITOR)
    ctx = app.state.ctx
    for _ in range(ctx.settings.login_max_failures):
        client.post("/api/v1/auth/token", data={"username": user.username, "password": "bad-guess"})
    later = datetime.now(UTC) + timedelta(seconds=ctx.settings.login_lockout_seconds + 1)
    ctx.clock = lambda: later
    try:
        ok = client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
        )
    finally:
        ctx.clock = lambda: datetime.now(UTC)
    assert ok.status_code == 200


def _forge(payload: dict[str, object], header: dict[str, object]) -> str:
    def enc(part: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")

    return f"{enc(header)}.{enc(payload)}."


def _claims(client: TestClient, token_header: str) -> dict[str, object]:
    token = token_header.removeprefix("Bearer ")
    return jwt.get_unverified_claims(token)


def test_alg_none_token_is_401(client: TestClient, actor: ActorFactory) -> None:
    user = actor(Role.CITY_ADMIN)
    claims = _claims(client, user.headers["Authorization"])
    forged = _forge(claims, {"alg": "none", "typ": "JWT"})
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_wrong_signature_is_401(client: TestClient, actor: ActorFactory) -> None:
    user = actor(Role.CITY_ADMIN)
    claims = _claims(client, user.headers["Authorization"])
    forged = jwt.encode(claims, "another-key", algorithm="HS256")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_wrong_audience_is_401(client: TestClient, actor: ActorFactory, app: FastAPI) -> None:
    user = actor(Role.CITY_ADMIN)
    claims = dict(_claims(client, user.headers["Authorization"]))
    claims["aud"] = "someone-else"
    forged = jwt.encode(claims, app.state.ctx.settings.secret_key, algorithm="HS256")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_expired_token_is_401(client: TestClient, actor: ActorFactory, app: FastAPI) -> None:
    user = actor(Role.CITY_ADMIN)
    claims = dict(_claims(client, user.headers["Authorization"]))
    claims["exp"] = int((datetime.now(UTC) - timedelta(seconds=5)).timestamp())
    forged = jwt.encode(claims, app.state.ctx.settings.secret_key, algorithm="HS256")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_token_without_jti_is_401(client: TestClient, actor: ActorFactory, app: FastAPI) -> None:
    user = actor(Role.CITY_ADMIN)
    claims = dict(_claims(client, user.headers["Authorization"]))
    del claims["jti"]
    forged = jwt.encode(claims, app.state.ctx.settings.secret_key, algorithm="HS256")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_missing_token_is_401(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/me"), 401)


@contextmanager
def _later(app: FastAPI, seconds: float) -> Iterator[None]:
    """The service's clock `seconds` ahead for the duration."""
    ctx = app.state.ctx
    later = datetime.now(UTC) + timedelta(seconds=seconds)
    ctx.clock = lambda: later
    try:
        yield
    finally:
        ctx.clock = lambda: datetime.now(UTC)


def _past_grace(app: FastAPI) -> float:
    return float(app.state.ctx.settings.refresh_grace_seconds + 1)


def test_refresh_rotates_and_the_old_refresh_token_is_refused(
    client: TestClient, actor: ActorFactory, app: FastAPI
) -> None:
    user = actor(Role.AUDITOR)
    first = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert first.status_code == 200
    new = first.json()
    assert new["refresh_token"] != user.refresh_token
    assert (
        client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"}
        ).status_code
        == 200
    )
    with _later(app, _past_grace(app)):
        reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(reuse, 401)


def test_reusing_an_old_refresh_token_after_the_grace_window_ends_the_whole_login(
    client: TestClient, actor: ActorFactory, app: FastAPI
) -> None:
    user = actor(Role.AUDITOR)
    new = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}).json()
    with _later(app, _past_grace(app)):
        client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"}), 401
    )
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]}), 401
    )


def test_hole_13_a_refresh_repeated_within_the_grace_window_gets_the_same_refresh_token(
    client: TestClient, actor: ActorFactory
) -> None:
    user = actor(Role.AUDITOR)
    first = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["refresh_token"] == first.json()["refresh_token"]
    for pair in (first.json(), again.json()):
        headers = {"Authorization": f"Bearer {pair['access_token']}"}
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    renewed = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first.json()["refresh_token"]}
    )
    assert renewed.status_code == 200, "the winner's new tokens are not revoked"


def test_hole_13_a_refresh_that_lost_the_race_gets_the_successor_and_revokes_nothing(
    app: FastAPI, client: TestClient, actor: ActorFactory
) -> None:
    """The loser of two concurrent refreshes had read the login before the winner rotated it;
    it must judge the rotation by the login as stored now, not as it read it."""
    if app.state.ctx.engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writing transaction at a time: the race cannot happen")
    user = actor(Role.AUDITOR)
    sessions, now, grace = app.state.ctx.sessions, datetime.now(UTC), timedelta(seconds=30)
    with sessions() as loser:
        read_before = loser.exec(select(AuthSession)).all()
        assert read_before, "the loser holds the login as it was"
        with sessions() as winner:
            won = users.rotate_refresh(winner, user.refresh_token, "successor", now, grace=grace)
            winner.commit()
        lost = users.rotate_refresh(loser, user.refresh_token, "another", now, grace=grace)
        loser.commit()
    assert won is not None
    assert lost is not None
    assert lost[1] == "successor"
    renewed = client.post("/api/v1/auth/refresh", json={"refresh_token": "successor"})
    assert renewed.status_code == 200, "the login was not revoked"


def test_hole_13_once_the_successor_is_used_the_old_token_ends_the_login_even_in_the_window(
    client: TestClient, actor: ActorFactory
) -> None:
    user = actor(Role.AUDITOR)
    t1 = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}).json()
    t2 = client.post("/api/v1/auth/refresh", json={"refresh_token": t1["refresh_token"]}).json()
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}), 401
    )
    headers = {"Authorization": f"Bearer {t2['access_token']}"}
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_logout_ends_access_and_refresh_tokens_at_once(
    client: TestClient, actor: ActorFactory
) -> None:
    user = actor(Role.AUDITOR)
    assert client.post("/api/v1/auth/logout", headers=user.headers).status_code == 204
    assert_problem(client.get("/api/v1/me", headers=user.headers), 401)
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}), 401
    )


def test_deactivated_user_loses_access(client: TestClient, actor: ActorFactory, city_admin) -> None:  # type: ignore[no-untyped-def]
    user = actor(Role.AUDITOR)
    response = client.patch(
        f"/api/v1/users/{user.user_id}", json={"is_active": False}, headers=city_admin.headers
    )
    assert response.status_code == 200
    assert_problem(client.get("/api/v1/me", headers=user.headers), 401)


def test_an_older_refresh_token_replayed_after_two_rotations_ends_the_login(
    client: TestClient, actor: ActorFactory
) -> None:
    user = actor(Role.AUDITOR)
    t1 = client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}).json()
    t2 = client.post("/api/v1/auth/refresh", json={"refresh_token": t1["refresh_token"]}).json()
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}), 401
    )
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": t2["refresh_token"]}), 401
    )
    headers = {"Authorization": f"Bearer {t2['access_token']}"}
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_every_attempt_counts_even_when_the_password_is_right_after_the_limit(
    client: TestClient, actor: ActorFactory, app: FastAPI
) -> None:
    user = actor(Role.AUDITOR)
    limit = app.state.ctx.settings.login_max_failures
    for _ in range(limit - 1):
        client.post("/api/v1/auth/token", data={"username": user.username, "password": "bad-guess"})
    ok = client.post("/api/v1/auth/token", data={"username": user.username, "password": PASSWORD})
    assert ok.status_code == 200, "a success before the limit clears the count"
    for _ in range(limit):
        client.post("/api/v1/auth/token", data={"username": user.username, "password": "bad-guess"})
    assert_problem(
        client.post("/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}),
        429,
    )


def test_an_overlong_username_is_a_plain_401(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "u" * 300, "password": "whatever1"}
    )
    assert_problem(response, 401)


def _org(client: TestClient, admin: dict[str, str]) -> str:
    body = {"name": "赤峰市科技志愿服务总队", "kind": "team", "level": "city_team"}
    response = client.post("/api/v1/organizations", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_an_organisation_administrator_is_scoped_by_organization_id(
    client: TestClient, actor: ActorFactory
) -> None:
    admin = actor(Role.CITY_ADMIN).headers
    org = _org(client, admin)
    body = {
        "username": "team.admin",
        "password": "long-enough-pw",
        "role": "org_admin",
        "organization_id": org,
    }
    made = client.post("/api/v1/users", json=body, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["organization_id"] == org
    assert "org_id" not in made.json()
    assert made.headers["location"] == f"/api/v1/users/{made.json()['id']}"
    legacy = {**body, "username": "team.admin2", "org_id": org}
    assert_problem(client.post("/api/v1/users", json=legacy, headers=admin), 422, field="org_id")


def test_an_organisation_administrator_needs_its_organization_id(
    client: TestClient, actor: ActorFactory
) -> None:
    body = {"username": "lonely", "password": "long-enough-pw", "role": "org_admin"}
    answer = client.post("/api/v1/users", json=body, headers=actor(Role.CITY_ADMIN).headers)
    assert_problem(answer, 422, field="organization_id")


def test_a_users_county_code_must_name_a_county_else_404_naming_it(
    client: TestClient, actor: ActorFactory
) -> None:
    admin = actor(Role.CITY_ADMIN).headers
    body = {"username": "cityish", "password": "long-enough-pw", "role": "county_admin"}
    city = client.post("/api/v1/users", json={**body, "county_code": "150400"}, headers=admin)
    assert assert_problem(city, 404, field="county_code")["errors"][0]["code"] == "region_level"
    unknown = client.post("/api/v1/users", json={**body, "county_code": "150499"}, headers=admin)
    assert assert_problem(unknown, 404, field="county_code")["errors"][0]["code"] == (
        "unknown_region"
    )


def test_a_field_of_a_user_update_may_be_left_out_but_not_null(
    client: TestClient, actor: ActorFactory
) -> None:
    admin = actor(Role.CITY_ADMIN).headers
    user = actor(Role.AUDITOR, display_name="审计 李明")
    path = f"/api/v1/users/{user.user_id}"
    assert_problem(
        client.patch(path, json={"display_name": None}, headers=admin), 422, field="display_name"
    )
    renamed = client.patch(path, json={"is_active": True}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["display_name"] == "审计 李明"


def test_a_user_list_honours_limit_and_cursor(client: TestClient, actor: ActorFactory) -> None:
    admin = actor(Role.CITY_ADMIN).headers
    for _ in range(3):
        actor(Role.AUDITOR)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/users", params=params, headers=admin).json()
        assert len(page["items"]) <= 2
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4


def test_hole_12_the_last_active_city_administrator_cannot_deactivate_itself(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    own = f"/api/v1/users/{city_admin.user_id}"
    body = assert_problem(
        client.patch(own, json={"is_active": False}, headers=city_admin.headers), 409
    )
    assert body["detail"] == i18n._("the last active city administrator cannot be deactivated")
    assert client.get(own, headers=city_admin.headers).json()["is_active"] is True
    second = actor(Role.CITY_ADMIN)
    response = client.patch(own, json={"is_active": False}, headers=second.headers)
    assert response.status_code == 200, response.text
    last = f"/api/v1/users/{second.user_id}"
    assert_problem(client.patch(last, json={"is_active": False}, headers=second.headers), 409)
