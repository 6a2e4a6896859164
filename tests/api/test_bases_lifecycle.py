"""One base's whole life through the API: draft → eligibility gaps → attachments → submit →
reviews → inspection → approval → a year of statistics, activities and a report → compliance →
evaluation → notice → revocation → gone from the public directory (BASE-* of docs/rules.md)."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.repositories.types import utcnow
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
COUNTY = "150402"


class Clock:
    """The app's clock, moved by the test; `real()` lends the wall clock for logins."""

    def __init__(self, now: datetime) -> None:
        self.now: datetime | None = now

    def __call__(self) -> datetime:
        return self.now or utcnow()

    def at(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]

    @contextmanager
    def real(self) -> Iterator[None]:
        saved, self.now = self.now, None
        try:
            yield
        finally:
            self.now = saved


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(datetime(2023, 2, 1, 9, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr(app.state.ctx, "clock", clock)
    return clock


Call = Callable[..., Any]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


FORM = {
    "category": "venue",
    "subtype": "science_center",
    "credit_code": "91350100M000100Y43",
    "runs_activities_independently": True,
    "science_theme": "天文与航天",
    "has_management_rules": True,
    "responsible_department": "科普部",
    "has_work_plan": True,
    "has_annual_plan": True,
    "annual_science_budget": 80000,
    "address": "红山区新华路1号",
    "opening_hours": "周二至周日 9:00-17:00",
    "contact_phone": "0476-8888888",
    "has_demo_equipment": True,
    "has_hall_or_gallery": True,
    "exhibits_labelled": True,
    "managers": 2,
    "docents": 4,
    "has_training_plan": True,
    "safety_fire_compliant": True,
    "accepts_guidance": True,
}
SCORES = {"content": 9, "management": 8, "funding": 8, "facilities": 9, "staff": 8, "safety": 9}


def test_base_whole_life_from_draft_to_revocation(
    client: TestClient, actor: ActorFactory, city_admin: Actor, clock: Clock
) -> None:
    """BASE-APPLY-1, BASE-APPLY-2, BASE-ELIG-1..8, BASE-REVIEW-1/2, BASE-OPEN-1..4, BASE-ACT-1,
    BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1, BASE-EVAL-1, BASE-REVOKE-3."""
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=COUNTY)
        reviewers = [actor(Role.REVIEWER) for _ in range(4)]
    admin = city_admin.headers

    # The city gives the county one recommendation for 2023 (BASE-APPLY-1).
    _ok(
        client.put(f"{API}/recommendation-quotas/2023/{COUNTY}", json={"quota": 1}, headers=admin),
        201,
    )

    # Draft by the county: channel and recommender follow from its role.
    draft = _ok(
        client.post(
            f"{API}/base-applications",
            json={"name": "赤峰市科技馆", "region_code": COUNTY},
            headers=county.headers,
        ),
        201,
    )
    app_id = draft["id"]
    assert (draft["status"], draft["channel"], draft["recommender"]) == (
        "draft",
        "county_association",
        COUNTY,
    )

    # Eligibility gaps: every condition of Art. 13 at once, materials and category too.
    gaps = _ok(client.get(f"{API}/base-applications/{app_id}/eligibility", headers=county.headers))
    assert gaps["unmet"] == [f"BASE-ELIG-{n}" for n in range(1, 9)]
    assert len(gaps["materials"]) == 3
    assert not gaps["ready_to_submit"]
    refused = assert_problem(
        client.post(f"{API}/base-applications/{app_id}:submit", headers=county.headers),
        422,
        rule="BASE-APPLY-2",
    )
    assert {v["rule"] for v in refused["violations"]} >= {"BASE-ELIG-1", "BASE-CAT-1"}

    # Fill in the form, with If-Match.
    etag = client.get(f"{API}/base-applications/{app_id}", headers=county.headers).headers["ETag"]
    filled = client.patch(
        f"{API}/base-applications/{app_id}",
        json=FORM,
        headers={**county.headers, "If-Match": etag},
    )
    assert filled.status_code == 200, filled.text
    assert filled.json()["annual_science_budget"] == 80000

    # Attachments (BASE-APPLY-2): typed by content, served back with their type.
    for kind, name, data in (
        ("application_form", "申报表.pdf", PDF),
        ("plan", "plan.pdf", PDF),
        ("photo", "site.png", PNG),
    ):
        _ok(
            client.post(
                f"{API}/base-applications/{app_id}/attachments",
                data={"kind": kind},
                files={"file": (name, data, "application/octet-stream")},
                headers=county.headers,
            ),
            201,
        )
    listed = _ok(
        client.get(f"{API}/base-applications/{app_id}/attachments", headers=county.headers)
    )
    photo = next(a for a in listed["items"] if a["kind"] == "photo")
    content = client.get(photo["content_url"], headers=city_admin.headers)
    assert (content.status_code, content.headers["content-type"]) == (200, "image/png")
    assert content.content == PNG

    ready = _ok(client.get(f"{API}/base-applications/{app_id}/eligibility", headers=county.headers))
    assert ready["eligible"] is True
    assert ready["ready_to_submit"] is True

    # Submit; a second submission is refused.
    submitted = _ok(client.post(f"{API}/base-applications/{app_id}:submit", headers=county.headers))
    assert (submitted["status"], submitted["submission_year"]) == ("submitted", 2023)
    assert_problem(
        client.post(f"{API}/base-applications/{app_id}:submit", headers=county.headers),
        409,
        rule="BASE-REVIEW-1",
    )

    # Review panel: the first assignment starts the review; one declines, three give opinions.
    for reviewer in reviewers:
        _ok(
            client.post(
                f"{API}/base-applications/{app_id}/reviewers",
                json={"reviewer_id": reviewer.user_id},
                headers=admin,
            ),
            201,
        )
    assert _ok(client.get(f"{API}/base-applications/{app_id}", headers=admin))["status"] == (
        "under_review"
    )
    _ok(
        client.post(
            f"{API}/base-applications/{app_id}/opinions",
            json={"declined": True, "reason": "曾任该馆顾问"},
            headers=reviewers[0].headers,
        ),
        201,
    )
    for reviewer in reviewers[1:]:
        _ok(
            client.post(
                f"{API}/base-applications/{app_id}/opinions",
                json={"scores": SCORES, "recommendation": "approve", "note": "展陈规范"},
                headers=reviewer.headers,
            ),
            201,
        )
    assert_problem(
        client.post(
            f"{API}/base-applications/{app_id}/opinions",
            json={"scores": SCORES, "recommendation": "reject", "note": "again"},
            headers=reviewers[1].headers,
        ),
        409,
        rule="BASE-REVIEW-1",
    )
    mine = _ok(
        client.get(f"{API}/base-applications/{app_id}/reviewers", headers=reviewers[1].headers)
    )
    assert [r["reviewer_id"] for r in mine["items"]] == [reviewers[1].user_id]

    # Approval needs the inspection (考核验收) first.
    refused = assert_problem(
        client.post(
            f"{API}/base-applications/{app_id}:approve",
            headers=admin,
        ),
        409,
        rule="BASE-REVIEW-1",
    )
    assert [v["field"] for v in refused["violations"]] == ["inspection"]
    clock.at(2023, 3, 10, 10, 0)
    _ok(
        client.post(
            f"{API}/base-applications/{app_id}/inspections",
            json={
                "inspected_on": "2023-03-10",
                "inspectors": "市科协科普部 张、李",
                "note": "场馆、展品与讲解符合条件",
                "passed": True,
            },
            headers=admin,
        ),
        201,
    )
    clock.at(2023, 3, 15, 10, 0)
    approved = _ok(
        client.post(
            f"{API}/base-applications/{app_id}:approve",
            headers=admin,
        )
    )
    base_id = approved["base_id"]
    assert approved["status"] == "approved"
    history = _ok(client.get(f"{API}/base-applications/{app_id}/history", headers=admin))
    assert [h["action"] for h in history["items"]][:2] == ["create", "submit"]
    assert history["items"][-1]["to_status"] == "approved"

    base = _ok(client.get(f"{API}/bases/{base_id}", headers=admin))
    assert base["accredited_on"] == "2023-03-15"
    assert base["opening_class"] == "public"
    assert base["evaluation_due_on"] == "2026-03-15"
    assert base["plaque_number"].startswith("赤科协基地〔2023〕")
    public = _ok(client.get(f"{API}/public/bases/{base_id}"))
    assert public["announcements"][0]["title"] == "赤峰市科普教育基地认定公告"

    # The base's own staff names a liaison (BASE-LIAISON-1); the phone is masked by default.
    with clock.real():
        staff = actor(Role.BASE_STAFF, base_id=base_id)
    etag = client.get(f"{API}/bases/{base_id}", headers=staff.headers).headers["ETag"]
    patched = _ok(
        client.patch(
            f"{API}/bases/{base_id}",
            json={"liaison_name": "王老师", "liaison_phone": "13800001234"},
            headers={**staff.headers, "If-Match": etag},
        )
    )
    assert patched["liaison_phone"] == "138****1234"
    revealed = _ok(client.get(f"{API}/bases/{base_id}?reveal=true", headers=staff.headers))
    assert revealed["liaison_phone"] == "13800001234"

    # A year of statistics, activities and a report (2024).
    for month in range(1, 13):
        clock.at(2024, month, 28, 18, 0)
        days = min(20, calendar.monthrange(2024, month)[1])
        _ok(
            client.put(
                f"{API}/bases/{base_id}/monthly-stats/2024/{month}",
                json={"open_days": days, "visitors": 250},
                headers=staff.headers,
            ),
            201,
        )
    clock.at(2024, 12, 31, 20, 0)
    for held_on, title, event in (
        ("2024-05-30", "科技工作者日开放", "science_workers_day"),
        ("2024-09-21", "全国科普日天文展", "science_day"),
    ):
        activity = _ok(
            client.post(
                f"{API}/bases/{base_id}/activities",
                json={
                    "held_on": held_on,
                    "title": title,
                    "form": "展览",
                    "participants": 300,
                    "observance": event,
                    "free_or_discounted": True,
                },
                headers=staff.headers,
            ),
            201,
        )
        assert activity["counts"] is False
        _ok(
            client.post(
                f"{API}/bases/{base_id}/activities/{activity['id']}/attachments",
                data={"kind": "photo"},
                files={"file": ("a.png", PNG, "image/png")},
                headers=staff.headers,
            ),
            201,
        )
    clock.at(2024, 11, 1, 9, 0)
    _ok(
        client.put(
            f"{API}/bases/{base_id}/annual-reports/2024",
            json={"theme": "仰望星空", "summary": "全年开放240天", "next_year_plan": "航天主题月"},
            headers=staff.headers,
        ),
        201,
    )
    clock.at(2024, 11, 10, 23, 59)
    report = _ok(
        client.post(f"{API}/bases/{base_id}/annual-reports/2024:submit", headers=staff.headers)
    )
    assert (report["on_time"], report["days_late"]) == (True, 0)

    # Compliance of 2024, final in January 2025.
    clock.at(2025, 1, 10, 9, 0)
    compliance = _ok(client.get(f"{API}/bases/{base_id}/compliance/2024", headers=staff.headers))
    status = {i["measure"]: i["status"] for i in compliance["items"]}
    assert status == {
        "open_days": "met",
        "visitors": "met",
        "activities": "met",
        "theme": "met",
        "report": "met",
        "national_events": "advisory",
        "liaison": "met",
    }
    assert compliance["ok"] is True
    dashboard = _ok(client.get(f"{API}/bases/compliance?year=2024", headers=admin))
    assert [b["base_id"] for b in dashboard["items"]] == [base_id]

    # Evaluation in the term's last year, pre-filled with the term's yearly compliance.
    clock.at(2026, 1, 10, 9, 0)
    prefill = _ok(client.get(f"{API}/bases/{base_id}/evaluations/prefill", headers=admin))
    assert prefill["schedule"]["due_on"] == "2026-03-15"
    assert [s["year"] for s in prefill["summaries"]] == [2023, 2024, 2025]
    evaluation = _ok(
        client.post(
            f"{API}/bases/{base_id}/evaluations",
            json={"outcome": "pass", "reason": "发挥科普教育作用"},
            headers=admin,
        ),
        201,
    )
    assert len(evaluation["summaries"]) == 3
    assert _ok(client.get(f"{API}/bases/{base_id}", headers=admin))["evaluation_due_on"] == (
        "2029-03-15"
    )

    # A rectification notice; ground 3 only once its deadline has passed unrectified.
    clock.at(2026, 2, 1, 9, 0)
    notice = _ok(
        client.post(
            f"{API}/bases/{base_id}/rectification-notices",
            json={"reason": "以基地名义开展收费培训", "due_on": "2026-03-01"},
            headers=admin,
        ),
        201,
    )
    grounds = {"grounds": ["title_misuse_unrectified"], "evidence": ["2026-01 检查记录"]}
    clock.at(2026, 2, 15, 9, 0)
    assert_problem(
        client.post(f"{API}/bases/{base_id}:revoke", json=grounds, headers=admin),
        409,
        rule="BASE-REVOKE-3",
    )
    assert _ok(client.get(f"{API}/public/bases/{base_id}"))["id"] == base_id

    clock.at(2026, 3, 2, 9, 0)
    revocation = _ok(client.post(f"{API}/bases/{base_id}:revoke", json=grounds, headers=admin), 201)
    assert revocation["supporting_notices"] == [notice["id"]]
    assert revocation["decided_by"] == city_admin.user_id

    # Gone from the public directory at once; the record stays for the administration.
    assert_problem(client.get(f"{API}/public/bases/{base_id}"), 404)
    assert base_id not in [b["id"] for b in _ok(client.get(f"{API}/public/bases"))["items"]]
    assert _ok(client.get(f"{API}/bases/{base_id}", headers=admin))["status"] == "revoked"
    assert_problem(
        client.post(f"{API}/bases/{base_id}:revoke", json=grounds, headers=admin),
        409,
        rule="BASE-REVOKE-1..6",
    )
