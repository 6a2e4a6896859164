"""Regions are data (issue 2): the seeded Chifeng tree and townships added by the city."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.conftest import Actor, ActorFactory, assert_problem

CHIFENG_COUNTIES = {
    "150402",
    "150403",
    "150404",
    "150421",
    "150422",
    "150423",
    "150424",
    "150425",
    "150426",
    "150428",
    "150429",
    "150430",
}


def test_chifeng_and_its_12_counties_are_seeded(client: TestClient, city_admin: Actor) -> None:
    page = client.get(
        "/api/v1/regions", params={"parent_code": "150400"}, headers=city_admin.headers
    ).json()
    assert {r["code"] for r in page["items"]} == CHIFENG_COUNTIES
    assert (
        client.get("/api/v1/regions/150402", headers=city_admin.headers).json()["name"] == "红山区"
    )


def test_city_admin_adds_a_township_and_a_village(client: TestClient, city_admin: Actor) -> None:
    town = client.post(
        "/api/v1/regions",
        json={"code": "150402001", "name": "桥北街道", "parent_code": "150402"},
        headers=city_admin.headers,
    )
    assert town.status_code == 201
    assert town.json() | {"updated_at": None} == {
        "code": "150402001",
        "name": "桥北街道",
        "level": "township",
        "parent_code": "150402",
        "county_code": "150402",
        "updated_at": None,
    }
    village = client.post(
        "/api/v1/regions",
        json={"code": "150402001001", "name": "一社区", "parent_code": "150402001"},
        headers=city_admin.headers,
    )
    assert village.json()["level"] == "village"
    assert village.json()["county_code"] == "150402"


def test_region_code_must_extend_its_parent(client: TestClient, city_admin: Actor) -> None:
    response = client.post(
        "/api/v1/regions",
        json={"code": "150404001", "name": "x", "parent_code": "150402"},
        headers=city_admin.headers,
    )
    assert_problem(response, 422, field="code")


def test_only_the_city_admin_adds_regions(client: TestClient, actor: ActorFactory) -> None:
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    response = client.post(
        "/api/v1/regions",
        json={"code": "150402002", "name": "x", "parent_code": "150402"},
        headers=county.headers,
    )
    assert_problem(response, 403)


def test_a_township_code_has_nine_digits(client: TestClient, city_admin: Actor) -> None:
    response = client.post(
        "/api/v1/regions",
        json={"code": "150402001001", "name": "x", "parent_code": "150402"},
        headers=city_admin.headers,
    )
    assert_problem(response, 422, field="code")


def test_a_region_is_read_by_its_region_code(client: TestClient, city_admin: Actor) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/regions/{region_code}" in spec["paths"]
    assert_problem(client.get("/api/v1/regions/150499", headers=city_admin.headers), 404)


def test_a_region_list_honours_limit_and_cursor(client: TestClient, city_admin: Actor) -> None:
    params: dict[str, str | int] = {"parent_code": "150400", "limit": 5}
    seen: list[str] = []
    while True:
        page = client.get("/api/v1/regions", params=params, headers=city_admin.headers).json()
        assert len(page["items"]) <= 5
        seen += [r["code"] for r in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == sorted(CHIFENG_COUNTIES)


def test_a_regions_level_is_an_enum_in_the_spec(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["RegionLevel"]["enum"] == ["region", "city", "county", "township", "village"]
    assert schemas["RegionPublic"]["properties"]["level"] == {
        "$ref": "#/components/schemas/RegionLevel"
    }
