"""Object-level authorization (issue 7; OWASP API1, API3): county administrators swapping ids
get 404 and change nothing; scope fields and roles in bodies cannot escape the caller's county."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.rules.identity import resident_id_check_char
from tests.api.test_volunteers_gate import volunteer_body
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


DECLARATIONS = ("good_conduct", "healthy", "law_abiding", "supports_science", "civil_capacity")


def _two_counties(actor: ActorFactory) -> dict[str, Actor]:
    return {county: actor(Role.COUNTY_ADMIN, county_code=county) for county in ("150402", "150404")}


def _swap(
    client: TestClient, admins: dict[str, Actor], ids: dict[str, str], collection: str
) -> None:
    """Each county admin gets 404 reading or patching the other's resource, and never lists it."""
    for county, admin in admins.items():
        foreign = next(i for c, i in ids.items() if c != county)
        assert_problem(client.get(f"{collection}/{foreign}", headers=admin.headers), 404)
        assert_problem(
            client.patch(f"{collection}/{foreign}", json={"name": "taken"}, headers=admin.headers),
            404,
        )
        listed = client.get(collection, params={"limit": 500}, headers=admin.headers).json()
        assert foreign not in [item["id"] for item in listed["items"]]


def test_county_admins_swapping_officer_ids_get_404(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    admins = _two_counties(actor)
    ids = {}
    for county, admin in admins.items():
        town = f"{county}001"
        made = client.post(
            "/api/v1/regions",
            json={"code": town, "name": f"街道{county}", "parent_code": county},
            headers=city_admin.headers,
        )
        assert made.status_code == 201, made.text
        officer = client.post(
            "/api/v1/officers",
            json={
                "name": f"信息员{county}",
                "mobile": "13900000000",
                "township_code": town,
                "source_group": "farmer_herder",
                "app_account_id": f"swap-{county}",
            },
            headers=admin.headers,
        )
        assert officer.status_code == 201, officer.text
        ids[county] = officer.json()["id"]
    _swap(client, admins, ids, "/api/v1/officers")


def test_county_admins_swapping_volunteer_ids_get_404(
    client: TestClient, actor: ActorFactory
) -> None:
    admins = _two_counties(actor)
    ids = {}
    for n, (county, admin) in enumerate(admins.items()):
        first17 = f"{county}1990010{n + 1}123"
        volunteer = client.post(
            "/api/v1/volunteers",
            json={
                "name": f"志愿者{county}",
                "id_number": first17 + resident_id_check_char(first17),
                "mobile": "13900000001",
                "region_code": county,
                "skills": ["科普讲解"],
                "declarations": dict.fromkeys(
                    (
                        "good_conduct",
                        "healthy",
                        "law_abiding",
                        "supports_science",
                        "civil_capacity",
                    ),
                    True,
                ),
            },
            headers=admin.headers,
        )
        assert volunteer.status_code == 201, volunteer.text
        ids[county] = volunteer.json()["id"]
    _swap(client, admins, ids, "/api/v1/volunteers")


def test_hole_9_county_admins_swapping_enrolment_ids_get_404_and_change_nothing(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    admins = _two_counties(actor)
    urls = {}
    city = client.post(
        "/api/v1/organizations",
        json={"name": "赤峰市科技志愿服务队", "kind": "team", "level": "city_team"},
        headers=city_admin.headers,
    ).json()
    for n, county in enumerate(admins):
        team = client.post(
            "/api/v1/organizations",
            json={
                "name": f"旗县科技志愿者队{county}",
                "kind": "team",
                "level": "county_team",
                "parent_id": city["id"],
                "region_code": county,
            },
            headers=city_admin.headers,
        ).json()
        first17 = f"{county}1991020{n + 1}123"
        volunteer = client.post(
            "/api/v1/volunteers",
            json={
                "name": f"志愿者{county}",
                "id_number": first17 + resident_id_check_char(first17),
                "mobile": "13900000002",
                "region_code": county,
                "skills": ["科普讲解"],
                "declarations": dict.fromkeys(DECLARATIONS, True),
            },
            headers=city_admin.headers,
        ).json()
        activity = client.post(
            "/api/v1/activities",
            json={
                "organization_id": team["id"],
                "title": f"科普讲座{county}",
                "scope": 1,
                "starts_at": "2099-07-10T09:00:00+08:00",
                "ends_at": "2099-07-10T12:00:00+08:00",
            },
            headers=city_admin.headers,
        ).json()
        base = f"/api/v1/activities/{activity['id']}/enrolments"
        enrolment = client.post(
            base, json={"volunteer_id": volunteer["id"]}, headers=city_admin.headers
        )
        assert enrolment.status_code == 201, enrolment.text
        urls[county] = f"{base}/{enrolment.json()['id']}"
    for county, admin in admins.items():
        foreign = next(u for c, u in urls.items() if c != county)
        assert client.get(urls[county], headers=admin.headers).status_code == 200
        assert_problem(client.get(foreign, headers=admin.headers), 404)
        withdrawal = client.post(
            f"{foreign}:withdraw", json={"reason": "冒用他人编号"}, headers=admin.headers
        )
        assert_problem(withdrawal, 404)
    for url in urls.values():
        assert client.get(url, headers=city_admin.headers).json()["status"] == "pending"


def test_hole_7_a_volunteer_has_one_login_and_a_second_is_refused_vol_reg_2(
    client: TestClient, actor: ActorFactory
) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    body = volunteer_body(7, region_code="150402")
    made = client.post("/api/v1/volunteers", json=body, headers=county.headers)
    assert made.status_code == 201, made.text
    account = {"role": "volunteer", "volunteer_id": made.json()["id"], "password": "x" * 12}
    first = client.post(
        "/api/v1/users", json={**account, "username": "vol-first"}, headers=county.headers
    )
    assert first.status_code == 201, first.text
    second = client.post(
        "/api/v1/users", json={**account, "username": "vol-second"}, headers=county.headers
    )
    assert_problem(second, 409, rule="VOL-REG-2")
    names = [
        u["username"] for u in client.get("/api/v1/users", headers=county.headers).json()["items"]
    ]
    assert "vol-second" not in names
