"""Hours a volunteer declares itself (VOL-SELF-1) through the API: the declaration, its
evidence, the organisation's confirmation or rejection, and every refusal, which changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.repositories.attachments import AttachmentRow
from app.repositories.volunteers_records import ServiceRecordRow
from tests.api.test_attendance import API, Site, _site, clock
from tests.api.test_bases_lifecycle import PNG, Clock
from tests.conftest import Actor, ActorFactory, assert_problem

__all__ = ["clock"]


def _declare(client: TestClient, site: Site, start: int, end: int, **extra: Any) -> Any:
    return client.post(
        f"{API}/me/service-records",
        json={
            "activity_id": site.activity["id"],
            "starts_at": (site.starts + timedelta(hours=start)).isoformat(),
            "ends_at": (site.starts + timedelta(hours=end)).isoformat(),
            "description": "签到码无法扫描，协助讲解防灾减灾展板",
            **extra,
        },
        headers=site.volunteer.headers,
    )


def _attach(client: TestClient, record_id: str, who: Actor) -> Any:
    return client.post(
        f"{API}/service-records/{record_id}/attachments",
        data={"kind": "photo"},
        files={"file": ("现场照片.png", PNG, "image/png")},
        headers=who.headers,
    )


def _count(db: Session, model: type[ServiceRecordRow] | type[AttachmentRow]) -> int:
    db.rollback()  # a new read: WAL keeps a transaction's first snapshot
    return int(db.exec(select(func.count()).select_from(model)).one())


def test_vol_self_1_declared_hours_count_only_once_confirmed_with_their_evidence(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=5)
    declared = _declare(client, site, 1, 3)
    assert declared.status_code == 201, declared.text
    record = declared.json()
    assert (record["source"], record["status"], record["hours"]) == ("declaration", "recorded", 2.0)
    assert record["evidence_count"] == 0
    assert declared.headers["location"] == f"{API}/service-records/{record['id']}"

    confirm = f"{API}/service-records/{record['id']}:confirm"
    refused = assert_problem(client.post(confirm, headers=city_admin.headers), 409)
    assert [(v["rule"], v["field"]) for v in refused["violations"]] == [
        ("VOL-SELF-1", "attachments")
    ]
    hours = client.get(f"{API}/me/hours", headers=site.volunteer.headers).json()
    assert hours["total_hours"] == 0.0, "unconfirmed declared hours do not count"

    attached = _attach(client, record["id"], site.volunteer)
    assert attached.status_code == 201, attached.text
    listed = client.get(
        f"{API}/service-records/{record['id']}/attachments", headers=city_admin.headers
    )
    assert [a["filename"] for a in listed.json()["items"]] == ["现场照片.png"]
    photo = client.get(attached.json()["content_url"], headers=city_admin.headers)
    assert photo.content == PNG
    seen = client.get(f"{API}/service-records/{record['id']}", headers=city_admin.headers)
    assert seen.json()["evidence_count"] == 1

    confirmed = client.post(confirm, headers=city_admin.headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    hours = client.get(f"{API}/me/hours", headers=site.volunteer.headers).json()
    assert hours["total_hours"] == 2.0
    late = _attach(client, record["id"], site.volunteer)
    assert_problem(late, 409, rule="VOL-SELF-1")


def test_vol_self_1_a_rejected_declaration_keeps_its_reason_for_the_volunteer(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=5)
    record = _declare(client, site, 0, 2).json()
    rejected = client.post(
        f"{API}/service-records/{record['id']}:void",
        json={"reason": "照片与本次活动无关"},
        headers=city_admin.headers,
    )
    assert rejected.status_code == 200, rejected.text
    mine = client.get(f"{API}/service-records/{record['id']}", headers=site.volunteer.headers)
    assert (mine.json()["status"], mine.json()["void_reason"]) == ("voided", "照片与本次活动无关")
    assert_problem(_attach(client, record["id"], site.volunteer), 409, rule="VOL-SELF-1")


def test_vol_self_1_a_declaration_lists_every_unmet_rule_and_changes_nothing(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    # Enrolled elsewhere, before the clock moves past the activities' start.
    stranger = _site(client, city_admin, actor, seq=2).volunteer
    clock.now = site.starts + timedelta(hours=2)
    before = _count(db, ServiceRecordRow)
    refused = assert_problem(_declare(client, site, -1, 3), 409)
    assert {(v["rule"], v["field"]) for v in refused["violations"]} == {
        ("VOL-SELF-1", "ends_at"),
        ("VOL-HOURS-1", "starts_at"),
    }, "not yet served, and outside the activity's time"

    not_enrolled = client.post(
        f"{API}/me/service-records",
        json={
            "activity_id": site.activity["id"],
            "starts_at": site.starts.isoformat(),
            "ends_at": (site.starts + timedelta(hours=1)).isoformat(),
            "description": "帮忙",
        },
        headers=stranger.headers,
    )
    body = assert_problem(not_enrolled, 409)
    assert [(v["rule"], v["field"]) for v in body["violations"]] == [("VOL-SELF-1", "activity_id")]
    assert _count(db, ServiceRecordRow) == before
    blank = _declare(client, site, 0, 1, description="   ")
    assert_problem(blank, 422, field="description")


def test_vol_self_1_a_volunteer_attaches_evidence_only_to_the_hours_it_declared(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    other = _site(client, city_admin, actor, seq=2).volunteer
    clock.now = site.starts + timedelta(hours=5)
    enrolments = client.get(f"{site.url}/enrolments", headers=city_admin.headers).json()["items"]
    typed = client.post(
        f"{API}/service-records",
        json={
            "enrolment_id": enrolments[0]["id"],
            "starts_at": site.starts.isoformat(),
            "ends_at": (site.starts + timedelta(hours=1)).isoformat(),
        },
        headers=city_admin.headers,
    ).json()
    assert typed["source"] == "staff"
    before = _count(db, AttachmentRow)
    assert_problem(_attach(client, typed["id"], site.volunteer), 409, rule="VOL-SELF-1")
    assert _attach(client, typed["id"], city_admin).status_code == 201, "staff may add evidence"

    declared = _declare(client, site, 2, 3).json()
    assert_problem(_attach(client, declared["id"], other), 404)
    assert _count(db, AttachmentRow) == before + 1


def test_vol_self_1_the_batch_confirmation_refuses_a_declaration_without_evidence(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=5)
    bare = _declare(client, site, 0, 1).json()
    backed = _declare(client, site, 1, 2).json()
    assert _attach(client, backed["id"], site.volunteer).status_code == 201
    done = client.post(
        f"{API}/service-records:confirm",
        json={"service_record_ids": [bare["id"], backed["id"]]},
        headers=city_admin.headers,
    ).json()
    assert [(r["id"], r["evidence_count"]) for r in done["confirmed"]] == [(backed["id"], 1)]
    assert [
        (r["service_record_id"], [v["rule"] for v in r["violations"]]) for r in done["refused"]
    ] == [(bare["id"], ["VOL-SELF-1"])]
