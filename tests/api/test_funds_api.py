"""Fund records and the yearly summary over HTTP; amounts are yuan as JSON numbers (VOL-FUND-1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import make_org
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def record(client: TestClient, admin: Actor, org: str, **body: Any) -> Any:
    payload = {"organization_id": org, "occurred_on": "2025-03-01", **body}
    return client.post(f"{API}/fund-records", json=payload, headers=admin.headers)


def county_under(client: TestClient, admin: Actor, city: dict[str, Any]) -> dict[str, Any]:
    return make_org(
        client,
        admin,
        name="红山区科技志愿者队",
        level="county_team",
        parent_id=city["id"],
        region_code="150402",
    )


def test_vol_fund_1_other_needs_a_note_and_the_category_fits_the_direction(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    assert_problem(
        record(client, city_admin, city["id"], direction="spending", category="other", amount=10),
        422,
    )
    assert_problem(
        record(client, city_admin, city["id"], direction="income", category="training", amount=10),
        422,
    )
    ok = record(
        client,
        city_admin,
        city["id"],
        direction="spending",
        category="other",
        amount=10,
        note="应急药品",
    )
    assert ok.status_code == 201, ok.text
    assert client.get(ok.headers["Location"], headers=city_admin.headers).json() == ok.json()


def test_vol_fund_1_amounts_are_json_numbers_in_yuan_to_the_fen(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    entry = {"direction": "spending", "category": "training"}
    # Far beyond the bound, a float or an integer is refused by the bound, never a 500 (the
    # fuzzer's -7.2e307 once overflowed the rounding to the fen).
    for amount in ("10.00", 1.001, 0, -5, True, -7.168745792396962e307, 10**40, 1e12):
        refused = record(client, city_admin, city["id"], **entry, amount=amount)
        assert_problem(refused, 422, field="amount")
    created = record(client, city_admin, city["id"], **entry, amount=1200.1)
    assert created.json()["amount"] == 1200.1
    listed = client.get(f"{API}/fund-records", headers=city_admin.headers).json()
    assert [r["amount"] for r in listed["items"]] == [1200.1]


def test_vol_fund_1_the_year_is_summed_per_organisation_and_category_with_totals(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    county = county_under(client, city_admin, city)
    spending = {"direction": "spending", "category": "training"}
    for amount in (100.5, 99.5):
        assert (
            record(client, city_admin, county["id"], **spending, amount=amount).status_code == 201
        )
    record(client, city_admin, city["id"], direction="income", category="donation", amount=500)
    record(client, city_admin, city["id"], **spending, amount=7, occurred_on="2024-12-31")
    summary = client.get(
        f"{API}/organizations/{city['id']}/fund-summaries/2025", headers=city_admin.headers
    ).json()
    assert (summary["organization_id"], summary["year"]) == (city["id"], 2025)
    assert (summary["income"], summary["spending"]) == (500, 200)
    assert sorted(
        (s["organization_id"], s["category"], s["amount"], s["entries"]) for s in summary["lines"]
    ) == sorted([(city["id"], "donation", 500, 1), (county["id"], "training", 200, 2)])


def test_vol_fund_1_the_summary_reaches_as_far_as_the_callers_scope(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    county = county_under(client, city_admin, city)
    citys = record(
        client, city_admin, city["id"], direction="income", category="budget", amount=800
    )
    record(client, city_admin, county["id"], direction="income", category="subsidy", amount=300)
    county_admin = actor(Role.ORG_ADMIN, org_id=county["id"])
    summary = client.get(
        f"{API}/organizations/{city['id']}/fund-summaries/2025", headers=county_admin.headers
    ).json()
    assert [(s["organization_id"], s["amount"]) for s in summary["lines"]] == [(county["id"], 300)]
    listed = client.get(f"{API}/fund-records", headers=county_admin.headers).json()["items"]
    assert [r["organization_id"] for r in listed] == [county["id"]]
    assert_problem(
        client.get(f"{API}/fund-records/{citys.json()['id']}", headers=county_admin.headers), 404
    )
