"""Activities open to enrolment, for anyone (VOL-DUTY-2): upcoming only, filtered, with what
they ask and risk, nothing about who takes part, and cacheable."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.common import SHANGHAI
from tests.api.test_volunteers_gate import make_county_team, make_org
from tests.conftest import Actor

API = "/api/v1"


def _activity(
    client: TestClient, admin: Actor, org: dict[str, Any], days: int, **extra: Any
) -> str:
    starts = datetime.now(SHANGHAI) + timedelta(days=days)
    created = client.post(
        f"{API}/activities",
        json={
            "organization_id": org["id"],
            "title": f"科普活动{days}",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
            **extra,
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_vol_duty_2_anyone_finds_upcoming_activities_with_their_risks_and_no_one_in_them(
    client: TestClient, city_admin: Actor
) -> None:
    team = make_county_team(client, city_admin)
    city = make_org(client, city_admin, name="赤峰市科技馆志愿服务队")
    soon = _activity(
        client,
        city_admin,
        team,
        2,
        minors_allowed=True,
        risk="personal_danger",
        risk_disclosure="户外活动，注意防晒",
    )
    later = _activity(client, city_admin, city, 20)
    listed = client.get(f"{API}/public/activities")
    assert listed.status_code == 200, listed.text
    assert "public" in listed.headers["Cache-Control"]
    assert listed.headers["ETag"]
    items = listed.json()["items"]
    assert [a["id"] for a in items] == sorted([soon, later])
    first = next(a for a in items if a["id"] == soon)
    assert first["organization_name"] == team["name"]
    assert first["risk_disclosure"] == "户外活动，注意防晒"
    assert not {"enrolments", "volunteers", "volunteer_ids", "confirmed"} & first.keys()

    def ids(**params: Any) -> list[str]:
        return [
            a["id"] for a in client.get(f"{API}/public/activities", params=params).json()["items"]
        ]

    assert ids(minors_allowed="true") == [soon]
    assert ids(county_code="150402") == [soon]
    day = (datetime.now(SHANGHAI) + timedelta(days=20)).date().isoformat()
    assert ids(starts_on=day, ends_on=day) == [later]
