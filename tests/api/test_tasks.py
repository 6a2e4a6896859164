"""`GET /me/tasks` (PLAT-NOTIFY-1) for each role against a seeded scenario, compared with a
brute-force list: every row of each table read in Python, filtered by the caller's scope and
the rules, with no query of the service's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain.access import Role
from app.domain.common import local_date
from app.repositories import bases_oversight
from app.repositories.bases import BaseRow
from app.repositories.bases_applications import ApplicationRow, ReviewRow
from app.repositories.bases_oversight import NoticeRow
from app.repositories.bases_policies import policy_for_year, policy_on
from app.repositories.complaints import ComplaintRow
from app.repositories.volunteers import MembershipRow
from app.repositories.volunteers_records import ServiceRecordRow
from app.rules.bases_evaluation import base_status, evaluation_schedule
from app.rules.tasks import TaskKind, base_staff_tasks, ordered, oversight_tasks, task
from tests.api.test_attendance import API, _site
from tests.api.test_bases_api import make_application, make_base
from tests.api.test_volunteers_gate import make_org
from tests.conftest import Actor, ActorFactory

NOW = datetime.now(UTC)
TODAY = local_date(NOW)


def _queue(client: TestClient, who: Actor, limit: int = 500) -> list[tuple[str, str, str]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{API}/me/tasks", params=params, headers=who.headers)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return [(t["kind"], t["due_on"], t["resource_path"]) for t in items]


def _expected(tasks: list[Any]) -> list[tuple[str, str, str]]:
    return [(t.kind.value, t.due_on.isoformat(), t.resource_path) for t in ordered(tasks)]


def _all(db: Session, model: Any) -> list[Any]:
    db.rollback()
    return list(db.exec(select(model)).all())


def test_plat_notify_1_an_organisations_queue_is_its_memberships_hours_and_complaints(
    client: TestClient, city_admin: Actor, actor: ActorFactory, db: Session
) -> None:
    mine = _site(client, city_admin, actor, seq=1)
    theirs = _site(client, city_admin, actor, seq=2)
    org = mine.activity["organization_id"]
    for site in (mine, theirs):
        enrolment = client.get(f"{site.url}/enrolments", headers=city_admin.headers).json()
        record = client.post(
            f"{API}/service-records",
            json={
                "enrolment_id": enrolment["items"][0]["id"],
                "starts_at": site.starts.isoformat(),
                "ends_at": (site.starts + timedelta(hours=1)).isoformat(),
            },
            headers=city_admin.headers,
        )
        assert record.status_code == 201, record.text
    joined = client.post(
        f"{API}/volunteers/{theirs.volunteer_id}/memberships",
        json={"organization_id": org, "reason": "想参加科技馆讲解"},
        headers=theirs.volunteer.headers,
    )
    assert joined.status_code == 201, joined.text
    branch = make_org(
        client,
        city_admin,
        name="红山区分队",
        level="county_team",
        parent_id=org,
        region_code="150402",
    )
    filed = client.post(
        f"{API}/public/complaints",
        json={
            "subject_kind": "organization",
            "subject_organization_id": branch["id"],
            "content": "收费",
        },
    )
    assert filed.status_code == 201, filed.text
    org_path = next(m.org_path for m in _all(db, MembershipRow) if m.organization_id == org)
    admin = actor(Role.ORG_ADMIN, org_id=org)

    def inside(row: Any) -> bool:
        return str(row.org_path).startswith(org_path)

    expected = (
        [
            task(
                TaskKind.MEMBERSHIP_APPROVAL,
                local_date(m.created_at),
                f"/api/v1/volunteers/{m.volunteer_id}/memberships/{m.id}",
            )
            for m in _all(db, MembershipRow)
            if m.status == "pending" and inside(m)
        ]
        + [
            task(
                TaskKind.HOURS_CONFIRMATION,
                local_date(r.ends_at),
                f"/api/v1/service-records/{r.id}",
            )
            for r in _all(db, ServiceRecordRow)
            if r.status == "recorded" and inside(r)
        ]
        + [
            task(
                TaskKind.COMPLAINT_HANDLING, local_date(c.created_at), f"/api/v1/complaints/{c.id}"
            )
            for c in _all(db, ComplaintRow)
            if c.status != "closed" and inside(c)
        ]
    )
    assert {k for k, _, _ in _expected(expected)} == {
        "membership_approval",
        "hours_confirmation",
        "complaint_handling",
    }, "the scenario has one of each for this organisation"
    assert _queue(client, admin) == _expected(expected)
    assert _queue(client, admin, limit=1) == _expected(expected), "pages add up to the queue"

    township = make_org(
        client,
        city_admin,
        name="长青街道分队",
        level="township_subteam",
        parent_id=branch["id"],
        region_code="150402",
    )
    about_township = {
        "subject_kind": "organization",
        "subject_organization_id": township["id"],
        "content": "活动未按时开始",
    }
    assert client.post(f"{API}/public/complaints", json=about_township).status_code == 201
    county = actor(Role.COUNTY_ADMIN, county_code="150402")
    in_county = (
        [
            task(
                TaskKind.COMPLAINT_HANDLING, local_date(c.created_at), f"/api/v1/complaints/{c.id}"
            )
            for c in _all(db, ComplaintRow)
            if c.status != "closed" and c.county_code == "150402"
        ]
        + [
            task(
                TaskKind.MEMBERSHIP_APPROVAL,
                local_date(m.created_at),
                f"/api/v1/volunteers/{m.volunteer_id}/memberships/{m.id}",
            )
            for m in _all(db, MembershipRow)
            if m.status == "pending" and m.county_code == "150402"
        ]
        + [
            task(
                TaskKind.HOURS_CONFIRMATION,
                local_date(r.ends_at),
                f"/api/v1/service-records/{r.id}",
            )
            for r in _all(db, ServiceRecordRow)
            if r.status == "recorded" and r.county_code == "150402"
        ]
    )
    assert in_county, "the branch is in Hongshan: its complaint is the county's too"
    assert _queue(client, county) == _expected(in_county)
    for nobody in (mine.volunteer, actor(Role.AUDITOR)):
        assert _queue(client, nobody) == [], "a volunteer and an auditor owe no decisions"


def test_plat_notify_1_a_reviewers_queue_is_its_owed_opinions_only(
    client: TestClient, actor: ActorFactory, db: Session
) -> None:
    reviewer = actor(Role.REVIEWER)
    other = actor(Role.REVIEWER)
    first, second, third = (make_application(db, status="under_review") for _ in range(3))
    db.add(ReviewRow(application_id=first, reviewer_id=reviewer.user_id))
    db.add(ReviewRow(application_id=second, reviewer_id=reviewer.user_id, state="submitted"))
    db.add(ReviewRow(application_id=third, reviewer_id=other.user_id))
    db.commit()
    expected = [
        task(
            TaskKind.REVIEW_OPINION,
            local_date(r.created_at),
            f"/api/v1/base-applications/{r.application_id}/opinions",
        )
        for r in _all(db, ReviewRow)
        if r.reviewer_id == reviewer.user_id and r.state == "assigned"
    ]
    assert len(expected) == 1
    assert _queue(client, reviewer) == _expected(expected)


def test_plat_notify_1_a_bases_queue_is_its_month_report_and_open_notices(
    client: TestClient, actor: ActorFactory, db: Session, city_admin: Actor
) -> None:
    base_id = make_base(db, "红山科技馆", accredited_on=date(2025, 3, 15))
    db.commit()
    base = db.get(BaseRow, base_id)
    assert base is not None
    bases_oversight.add_notice(
        db,
        base,
        reason="展厅消防通道堵塞",
        due_on=TODAY + timedelta(days=5),
        issued_at=NOW,
        issued_by=city_admin.user_id,
    )
    db.commit()
    liaison = actor(Role.BASE_STAFF, base_id=base_id)
    notices = [n.to_domain() for n in _all(db, NoticeRow) if n.base_id == base_id]
    expected = base_staff_tasks(
        base_id=base_id,
        accredited_on=date(2025, 3, 15),
        report_due=policy_for_year(db, TODAY.year).report_due(TODAY.year),
        report_submitted=False,
        reported_months=set(),
        notices=notices,
        today=TODAY,
    )
    assert {t.kind for t in expected} == {
        TaskKind.MONTHLY_STATISTICS,
        TaskKind.ANNUAL_REPORT,
        TaskKind.RECTIFICATION,
    }
    assert _queue(client, liaison) == _expected(expected)


def test_plat_notify_1_the_citys_queue_is_decisions_evaluations_and_revocation_candidates(
    client: TestClient, db: Session, city_admin: Actor
) -> None:
    make_application(db, status="under_review")
    make_application(db, status="draft")
    due_soon = make_base(
        db, "宁城天文馆", accredited_on=TODAY.replace(year=TODAY.year - 3) + timedelta(days=20)
    )
    expired = make_base(db, "松山科普园", accredited_on=date(2025, 3, 15))
    db.commit()
    base = db.get(BaseRow, expired)
    assert base is not None
    bases_oversight.add_notice(
        db,
        base,
        reason="未按期开放",
        due_on=TODAY - timedelta(days=1),
        issued_at=NOW - timedelta(days=30),
        issued_by=city_admin.user_id,
    )
    db.commit()
    expected = [
        task(
            TaskKind.APPLICATION_DECISION,
            local_date(a.submitted_at or a.created_at),
            f"/api/v1/base-applications/{a.id}",
        )
        for a in _all(db, ApplicationRow)
        if a.status == "under_review"
    ]
    for row in _all(db, BaseRow):
        lapses = row.lapses_on
        if base_status(revoked=row.revoked, lapses_on=lapses, today=TODAY).value != "accredited":
            continue
        schedule = evaluation_schedule(
            row.accredited_on, [], policy_on(db, row.accredited_on), TODAY
        )
        notices = [n.to_domain() for n in _all(db, NoticeRow) if n.base_id == row.id]
        expected += oversight_tasks(
            base_id=row.id, schedule=schedule, notices=notices, today=TODAY, now=NOW
        )
    kinds = [t.kind for t in expected]
    assert TaskKind.APPLICATION_DECISION in kinds
    assert TaskKind.REVOCATION_CANDIDATE in kinds
    assert TaskKind.EVALUATION in kinds, f"{due_soon} is inside its evaluation window"
    assert _queue(client, city_admin) == _expected(expected)
