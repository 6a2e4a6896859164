"""Object-level authorization (issue 7; OWASP API1, API3): county administrators swapping ids
get 404 and change nothing; scope fields and roles in bodies cannot escape the caller's county."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.conftest import Actor, ActorFactory, assert_problem


def test_county_admins_swapping_user_ids_get_404_and_change_nothing(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    songshan = actor(Role.COUNTY_ADMIN, county_code="150404")
    ids = {
        county: actor(Role.BASE_STAFF, county_code=county, base_id=f"base-{county}").user_id
        for county in ("150402", "150404")
    }
    for admin, foreign in ((hongshan, ids["150404"]), (songshan, ids["150402"])):
        assert_problem(client.get(f"/api/v1/users/{foreign}", headers=admin.headers), 404)
        assert_problem(
            client.patch(
                f"/api/v1/users/{foreign}", json={"display_name": "taken"}, headers=admin.headers
            ),
            404,
        )
        listed = client.get("/api/v1/users", headers=admin.headers).json()["items"]
        assert foreign not in [u["id"] for u in listed]
    for uid in ids.values():
        shown = client.get(f"/api/v1/users/{uid}", headers=city_admin.headers).json()
        assert shown["display_name"] != "taken"


def test_county_admin_cannot_place_a_user_in_another_county(
    client: TestClient, actor: ActorFactory
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    answer = client.post(
        "/api/v1/users",
        json={
            "username": "elsewhere",
            "password": "long-enough-pw",
            "role": "volunteer",
            "county_code": "150404",
        },
        headers=county.headers,
    )
    assert_problem(answer, 422, field="county_code")


def test_county_admin_cannot_grant_a_privileged_role(
    client: TestClient, actor: ActorFactory
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    for role in ("city_admin", "auditor", "county_admin"):
        answer = client.post(
            "/api/v1/users",
            json={"username": f"boss-{role}", "password": "long-enough-pw", "role": role},
            headers=county.headers,
        )
        assert answer.status_code in (403, 422), (role, answer.text)
