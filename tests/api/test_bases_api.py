"""The bases API beyond the whole-life walk: who may do what (issue 3), bad input refused with
nothing changed, the compliance dashboard without a query per base, evaluation lapse, class
overrides, policies and quotas (BASE-*)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.domain.access import Role
from app.domain.bases import BaseCategory, derived_opening_class
from app.domain.common import SHANGHAI
from app.repositories.attachments import AttachmentRow
from app.repositories.bases import BaseRow
from app.repositories.bases_applications import ApplicationRow
from tests.api.test_bases_lifecycle import FORM, PDF, PNG, SCORES, Clock
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
HONGSHAN, YUANBAOSHAN = "150402", "150403"


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(datetime(2025, 6, 15, 10, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr(app.state.ctx, "clock", clock)
    return clock


def make_base(
    db: Session,
    name: str,
    *,
    county: str = HONGSHAN,
    category: str = "venue",
    subtype: str | None = "science_center",
    accredited_on: date = date(2023, 3, 15),
) -> str:
    """An accredited base arranged in the database, with the approved application behind it."""
    application = ApplicationRow(
        applicant_name=name,
        region_code=county,
        county_code=county,
        status="approved",
        category=category,
        subtype=subtype,
    )
    db.add(application)
    db.flush()
    base = BaseRow(
        name=name,
        category=category,
        subtype=subtype,
        opening_class=derived_opening_class(BaseCategory(category), subtype).value,
        region_code=county,
        county_code=county,
        liaison_name="联络员",
        liaison_phone="13800000000",
        application_id=application.id,
        accredited_on=accredited_on,
        plaque_number=f"P-{application.id}",
        evaluation_due_on=accredited_on.replace(year=accredited_on.year + 3),
    )
    db.add(base)
    db.flush()
    application.base_id = base.id
    db.add(application)
    db.commit()
    return base.id


def make_application(db: Session, *, county: str = HONGSHAN, status: str = "draft") -> str:
    row = ApplicationRow(
        applicant_name="申报单位",
        region_code=county,
        county_code=county,
        status=status,
        venue_address=FORM["address"],
        **{k: v for k, v in FORM.items() if k not in ("annual_science_budget", "address")},
    )
    db.add(row)
    db.commit()
    return row.id


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def put_year(
    client: TestClient, headers: dict[str, str], base_id: str, year: int, days: int, visitors: int
) -> None:
    """Monthly stats adding up to `days` open days, visitors in January."""
    left = days
    for month in range(1, 13):
        n = min(left, calendar.monthrange(year, month)[1])
        left -= n
        _ok(
            client.put(
                f"{API}/bases/{base_id}/monthly-stats/{year}/{month}",
                json={"open_days": n, "visitors": visitors if month == 1 else 0},
                headers=headers,
            ),
            201,
        )


# --- who may do what -----------------------------------------------------------------------------


def test_base_staff_edits_only_its_own_base(
    client: TestClient, actor: ActorFactory, db: Session, clock: Clock
) -> None:
    """BASE-OPEN-4: base staff report their own base's statistics, nobody else's."""
    own, other = make_base(db, "本馆"), make_base(db, "他馆")
    with clock.real():
        staff = actor(Role.BASE_STAFF, base_id=own)
    stat = {"open_days": 10, "visitors": 100}
    _ok(
        client.put(f"{API}/bases/{own}/monthly-stats/2025/5", json=stat, headers=staff.headers), 201
    )
    assert_problem(
        client.put(f"{API}/bases/{other}/monthly-stats/2025/5", json=stat, headers=staff.headers),
        404,
    )
    assert [b["id"] for b in _ok(client.get(f"{API}/bases", headers=staff.headers))["items"]] == [
        own
    ]
    assert_problem(
        client.patch(
            f"{API}/bases/{own}",
            json={"opening_class": "institution", "opening_class_reason": "x"},
            headers=staff.headers,
        ),
        403,
    )
    seen = _ok(client.get(f"{API}/base-applications", headers=staff.headers))["items"]
    assert [a["base_id"] for a in seen] == [own]


def test_county_admin_sees_its_county_and_cannot_decide(
    client: TestClient, actor: ActorFactory, db: Session, clock: Clock
) -> None:
    mine, theirs = make_base(db, "红山馆"), make_base(db, "元宝山馆", county=YUANBAOSHAN)
    application = make_application(db, county=YUANBAOSHAN, status="under_review")
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)
    listed = _ok(client.get(f"{API}/bases", headers=county.headers))["items"]
    assert [b["id"] for b in listed] == [mine]
    assert_problem(client.get(f"{API}/bases/{theirs}", headers=county.headers), 404)
    assert_problem(
        client.get(f"{API}/base-applications/{application}", headers=county.headers), 404
    )
    assert_problem(
        client.put(
            f"{API}/bases/{mine}/monthly-stats/2025/5",
            json={"open_days": 1, "visitors": 1},
            headers=county.headers,
        ),
        403,
    )
    for path, body in (
        (f"/base-applications/{application}:reject", {"reason": "x"}),
        (f"/bases/{mine}/evaluations", {"outcome": "pass", "reason": "x"}),
        (f"/bases/{mine}/rectification-notices", {"reason": "x", "due_on": "2025-07-01"}),
        (f"/bases/{mine}:revoke", {"grounds": ["fraud"], "evidence": ["x"]}),
    ):
        assert_problem(client.post(API + path, json=body, headers=county.headers), 403)


def test_reviewer_sees_only_assigned_applications(
    client: TestClient, actor: ActorFactory, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """BASE-REVIEW-1: a panel member sees the applications assigned to it, nothing else."""
    assigned, other = make_application(db, status="submitted"), make_application(db)
    with clock.real():
        reviewer = actor(Role.REVIEWER)
    _ok(
        client.post(
            f"{API}/base-applications/{assigned}/reviewers",
            json={"reviewer_id": reviewer.user_id},
            headers=city_admin.headers,
        ),
        201,
    )
    seen = _ok(client.get(f"{API}/base-applications", headers=reviewer.headers))["items"]
    assert [a["id"] for a in seen] == [assigned]
    assert_problem(client.get(f"{API}/base-applications/{other}", headers=reviewer.headers), 404)
    assert_problem(client.get(f"{API}/bases", headers=reviewer.headers), 403)
    assert_problem(
        client.post(
            f"{API}/base-applications/{other}/opinions",
            json={"declined": True, "reason": "x"},
            headers=reviewer.headers,
        ),
        404,
    )


def test_auditor_reads_everything_and_writes_nothing(
    client: TestClient, actor: ActorFactory, db: Session, clock: Clock
) -> None:
    base = make_base(db, "馆", county=YUANBAOSHAN)
    with clock.real():
        auditor = actor(Role.AUDITOR)
    assert _ok(client.get(f"{API}/bases/{base}", headers=auditor.headers))["id"] == base
    _ok(client.get(f"{API}/bases/compliance?year=2024", headers=auditor.headers))
    assert_problem(
        client.put(
            f"{API}/bases/{base}/monthly-stats/2025/5",
            json={"open_days": 1, "visitors": 1},
            headers=auditor.headers,
        ),
        403,
    )
    assert_problem(
        client.post(
            f"{API}/base-applications",
            json={"name": "x", "region_code": HONGSHAN},
            headers=auditor.headers,
        ),
        403,
    )
    assert_problem(client.get(f"{API}/bases/{base}?reveal=true", headers=auditor.headers), 403)


def test_public_directory_needs_no_login_and_shows_no_liaison(
    client: TestClient, db: Session
) -> None:
    base = make_base(db, "公开馆")
    page = _ok(client.get(f"{API}/public/bases"))
    assert [b["id"] for b in page["items"]] == [base]
    assert "liaison_phone" not in page["items"][0]
    assert page["items"][0]["category_label"] == "科技场馆类"


# --- bad input: a clear 4xx, nothing changed -----------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "body", "field"),
    [
        (2025, 13, {"open_days": 1, "visitors": 1}, "month"),
        (2025, 2, {"open_days": 29, "visitors": 1}, "open_days"),
        (2025, 4, {"open_days": 1, "visitors": -1}, "visitors"),
        (2026, 1, {"open_days": 1, "visitors": 1}, "month"),
        (2025, 6, {"open_days": 16, "visitors": 1}, "open_days"),
    ],
)
def test_base_open_4_impossible_or_future_month_is_refused(
    client: TestClient,
    city_admin: Actor,
    db: Session,
    clock: Clock,
    year: int,
    month: int,
    body: dict[str, int],
    field: str,
) -> None:
    """BASE-OPEN-4: month 13, more open days than the month has (or has had), negative visitors,
    a future month: 422 naming the rule, and nothing stored."""
    base = make_base(db, "馆")
    problem = assert_problem(
        client.put(
            f"{API}/bases/{base}/monthly-stats/{year}/{month}",
            json=body,
            headers=city_admin.headers,
        ),
        422,
        rule="BASE-OPEN-4",
    )
    assert field in [v.get("field") for v in problem["violations"]]
    assert (
        _ok(client.get(f"{API}/bases/{base}/monthly-stats", headers=city_admin.headers))["items"]
        == []
    )


def test_base_open_4_month_is_corrected_never_duplicated_and_stale_if_match_is_412(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    base = make_base(db, "馆")
    url = f"{API}/bases/{base}/monthly-stats/2025/5"
    first = client.put(url, json={"open_days": 10, "visitors": 100}, headers=city_admin.headers)
    assert first.status_code == 201
    again = client.put(
        url,
        json={"open_days": 12, "visitors": 120},
        headers={**city_admin.headers, "If-Match": first.headers["ETag"]},
    )
    assert again.status_code == 200
    assert_problem(
        client.put(
            url,
            json={"open_days": 1, "visitors": 1},
            headers={**city_admin.headers, "If-Match": first.headers["ETag"]},
        ),
        412,
    )
    items = _ok(client.get(f"{API}/bases/{base}/monthly-stats", headers=city_admin.headers))[
        "items"
    ]
    assert [(i["month"], i["open_days"], i["visitors"]) for i in items] == [(5, 12, 120)]


def test_base_apply_2_attachment_of_wrong_type_or_too_large_is_refused(
    client: TestClient,
    city_admin: Actor,
    db: Session,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """BASE-APPLY-2: the type is judged by content (415), the size by the limit (413)."""
    application = make_application(db)
    url = f"{API}/base-applications/{application}/attachments"
    headers = city_admin.headers
    assert_problem(
        client.post(
            url,
            data={"kind": "photo"},
            files={"file": ("photo.png", PDF, "image/png")},
            headers=headers,
        ),
        415,
    )
    assert_problem(
        client.post(
            url,
            data={"kind": "plan"},
            files={"file": ("plan.pdf", b"just text", "application/pdf")},
            headers=headers,
        ),
        415,
    )
    monkeypatch.setattr(app.state.ctx.settings, "max_upload_bytes", 1024)
    assert_problem(
        client.post(
            url,
            data={"kind": "photo"},
            files={"file": ("big.png", PNG + b"\x00" * 2048, "image/png")},
            headers=headers,
        ),
        413,
    )
    assert _ok(client.get(url, headers=headers))["items"] == []


def test_base_review_1_decision_on_a_draft_and_edit_after_submission_are_409(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    draft, submitted = make_application(db), make_application(db, status="submitted")
    assert_problem(
        client.post(
            f"{API}/base-applications/{draft}:approve",
            headers=city_admin.headers,
        ),
        409,
        rule="BASE-REVIEW-1",
    )
    assert_problem(
        client.patch(
            f"{API}/base-applications/{submitted}",
            json={"science_theme": "改"},
            headers=city_admin.headers,
        ),
        409,
        rule="BASE-REVIEW-1",
    )
    assert (
        _ok(client.get(f"{API}/base-applications/{draft}", headers=city_admin.headers))["status"]
        == "draft"
    )


def test_base_review_1_return_needs_a_reason_and_returned_application_is_submitted_again(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    application = make_application(db, status="submitted")
    url = f"{API}/base-applications/{application}"
    assert_problem(
        client.post(f"{url}:return", json={"reason": " "}, headers=city_admin.headers),
        422,
        rule="BASE-REVIEW-1",
    )
    returned = _ok(
        client.post(
            f"{url}:return",
            json={"reason": "补充照片"},
            headers=city_admin.headers,
        )
    )
    assert returned["status"] == "returned"
    for kind, data in (("application_form", PDF), ("plan", PDF), ("photo", PNG)):
        _ok(
            client.post(
                f"{url}/attachments",
                data={"kind": kind},
                files={"file": ("f", data, "application/octet-stream")},
                headers=city_admin.headers,
            ),
            201,
        )
    patched = client.patch(url, json={"annual_science_budget": 1000.5}, headers=city_admin.headers)
    assert patched.status_code == 200, patched.text
    again = _ok(client.post(f"{url}:submit", headers=city_admin.headers))
    assert again["status"] == "submitted"
    history = _ok(client.get(f"{url}/history", headers=city_admin.headers))["items"]
    assert [h["to_status"] for h in history if h["to_status"]] == ["returned", "submitted"]


def test_base_apply_1_county_recommendation_beyond_quota_is_refused(
    client: TestClient, actor: ActorFactory, city_admin: Actor, clock: Clock
) -> None:
    """BASE-APPLY-1: a county's second recommendation with a quota of one is refused."""
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)
    _ok(
        client.put(
            f"{API}/recommendation-quotas/2025/{HONGSHAN}",
            json={"quota": 1},
            headers=city_admin.headers,
        ),
        201,
    )
    ids = []
    for name in ("甲馆", "乙馆"):
        created = _ok(
            client.post(
                f"{API}/base-applications",
                json={"name": name, "region_code": HONGSHAN, **FORM},
                headers=county.headers,
            ),
            201,
        )
        for kind, data in (("application_form", PDF), ("plan", PDF), ("photo", PNG)):
            _ok(
                client.post(
                    f"{API}/base-applications/{created['id']}/attachments",
                    data={"kind": kind},
                    files={"file": ("f", data, "application/octet-stream")},
                    headers=county.headers,
                ),
                201,
            )
        ids.append(created["id"])
    _ok(client.post(f"{API}/base-applications/{ids[0]}:submit", headers=county.headers))
    problem = assert_problem(
        client.post(f"{API}/base-applications/{ids[1]}:submit", headers=county.headers),
        422,
        rule="BASE-APPLY-1",
    )
    assert problem["violations"][0]["code"] == "quota_used_up"
    quotas = _ok(client.get(f"{API}/recommendation-quotas?year=2025", headers=county.headers))
    assert [(q["county_code"], q["quota"], q["used"]) for q in quotas["items"]] == [
        (HONGSHAN, 1, 1)
    ]
    assert_problem(
        client.post(
            f"{API}/base-applications",
            json={"name": "外县", "region_code": YUANBAOSHAN},
            headers=county.headers,
        ),
        422,
        field="region_code",
    )


def test_base_revoke_6_other_ground_without_reason_is_409_and_base_stays(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    base = make_base(db, "馆")
    assert_problem(
        client.post(
            f"{API}/bases/{base}:revoke",
            json={"grounds": ["other"], "evidence": ["材料"]},
            headers=city_admin.headers,
        ),
        409,
        rule="BASE-REVOKE-6",
    )
    assert _ok(client.get(f"{API}/public/bases/{base}"))["id"] == base
    revoked = _ok(
        client.post(
            f"{API}/bases/{base}:revoke",
            json={"grounds": ["fraud"], "evidence": ["虚报开放天数"]},
            headers=city_admin.headers,
        ),
        201,
    )
    assert revoked["grounds"] == ["fraud"]
    assert_problem(
        client.put(
            f"{API}/bases/{base}/monthly-stats/2025/5",
            json={"open_days": 1, "visitors": 1},
            headers=city_admin.headers,
        ),
        409,
    )


def test_base_report_1_future_year_report_and_compliance_are_422(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    base = make_base(db, "馆")
    assert_problem(
        client.put(
            f"{API}/bases/{base}/annual-reports/2026",
            json={"theme": "t"},
            headers=city_admin.headers,
        ),
        422,
        field="year",
    )
    assert_problem(
        client.get(f"{API}/bases/{base}/compliance/2026", headers=city_admin.headers),
        422,
        field="year",
    )
    assert_problem(client.get(f"{API}/bases/compliance?year=2026", headers=city_admin.headers), 422)


@pytest.mark.parametrize(
    ("submitted", "on_time", "days_late", "status"),
    [
        (datetime(2024, 11, 10, 23, 59, 59, tzinfo=SHANGHAI), True, 0, "met"),
        (datetime(2024, 11, 11, 0, 0, 0, tzinfo=SHANGHAI), False, 1, "unmet"),
    ],
)
def test_base_report_1_server_time_of_submission_decides_on_time(
    client: TestClient,
    city_admin: Actor,
    db: Session,
    clock: Clock,
    submitted: datetime,
    on_time: bool,
    days_late: int,
    status: str,
) -> None:
    """BASE-REPORT-1: 10 Nov 23:59:59+08:00 on time, 11 Nov 00:00:00+08:00 one day late."""
    base = make_base(db, "馆")
    clock.at(2024, 11, 1, 9, 0)
    url = f"{API}/bases/{base}/annual-reports/2024"
    body = {"theme": "t", "summary": "s", "next_year_plan": "p"}
    _ok(client.put(url, json=body, headers=city_admin.headers), 201)
    clock.now = submitted
    report = _ok(client.post(f"{url}:submit", headers=city_admin.headers))
    assert (report["on_time"], report["days_late"]) == (on_time, days_late)
    assert_problem(client.post(f"{url}:submit", headers=city_admin.headers), 409)
    assert_problem(client.put(url, json=body, headers=city_admin.headers), 409)
    clock.at(2025, 1, 5, 9, 0)
    compliance = _ok(client.get(f"{API}/bases/{base}/compliance/2024", headers=city_admin.headers))
    item = next(i for i in compliance["items"] if i["rule"] == "BASE-REPORT-1")
    assert (item["status"], item["days_late"]) == (status, days_late)


# --- compliance ----------------------------------------------------------------------------------


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_base_open_1_dashboard_queries_do_not_grow_with_the_number_of_bases(
    client: TestClient, city_admin: Actor, db: Session, engine: Engine, clock: Clock
) -> None:
    """The city dashboard answers every base in scope in one call, without a query per base."""
    clock.at(2025, 1, 10, 9, 0)

    def dashboard() -> tuple[int, int]:
        with count_queries(engine) as statements:
            body = _ok(client.get(f"{API}/bases/compliance?year=2024", headers=city_admin.headers))
        return len(body["items"]), len(statements)

    for n in range(2):
        make_base(db, f"馆{n}")
    few, few_queries = dashboard()
    for n in range(2, 20):
        make_base(db, f"馆{n}")
    many, many_queries = dashboard()
    assert (few, many) == (2, 20)
    assert many_queries == few_queries


def test_base_open_1_dashboard_statuses_at_the_200_day_edge_and_its_scope(
    client: TestClient, actor: ActorFactory, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """BASE-OPEN-1 across bases: 200 days met, 199 unmet; a county sees only its own."""
    met, unmet = make_base(db, "达标馆"), make_base(db, "未达标馆")
    elsewhere = make_base(db, "外县馆", county=YUANBAOSHAN)
    clock.at(2024, 12, 31, 12, 0)
    put_year(client, city_admin.headers, met, 2024, 200, 2000)
    put_year(client, city_admin.headers, unmet, 2024, 199, 2000)
    clock.at(2025, 1, 10, 9, 0)
    body = _ok(client.get(f"{API}/bases/compliance?year=2024", headers=city_admin.headers))
    open_days = {
        b["base_id"]: next(i["status"] for i in b["items"] if i["measure"] == "open_days")
        for b in body["items"]
    }
    assert open_days == {met: "met", unmet: "unmet", elsewhere: "unmet"}
    assert body["summary"]["by_rule"]["BASE-OPEN-1"] == {"met": 3, "unmet": 3}
    filtered = _ok(
        client.get(
            f"{API}/bases/compliance?year=2024&region_code={YUANBAOSHAN}",
            headers=city_admin.headers,
        )
    )
    assert [b["base_id"] for b in filtered["items"]] == [elsewhere]
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)
    scoped = _ok(client.get(f"{API}/bases/compliance?year=2024", headers=county.headers))
    assert {b["base_id"] for b in scoped["items"]} == {met, unmet}


def test_base_open_3_other_category_is_undetermined_until_the_city_sets_it(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """BASE-OPEN-3: no silent pass; the override needs a reason and is kept in history."""
    base = make_base(db, "气象科普广场", category="other", subtype="气象科普广场")
    compliance = _ok(client.get(f"{API}/bases/{base}/compliance/2025", headers=city_admin.headers))
    assert compliance["items"][0]["rule"] == "BASE-OPEN-3"
    assert compliance["items"][0]["status"] == "unmet"
    assert_problem(
        client.patch(
            f"{API}/bases/{base}",
            json={"opening_class": "institution"},
            headers=city_admin.headers,
        ),
        422,
        rule="BASE-OPEN-3",
    )
    _ok(
        client.patch(
            f"{API}/bases/{base}",
            json={"opening_class": "institution", "opening_class_reason": "仅周末开放"},
            headers=city_admin.headers,
        )
    )
    history = _ok(client.get(f"{API}/bases/{base}/class-history", headers=city_admin.headers))
    assert [(h["from_class"], h["to_class"], h["reason"]) for h in history["items"]] == [
        ("undetermined", "institution", "仅周末开放")
    ]
    compliance = _ok(client.get(f"{API}/bases/{base}/compliance/2025", headers=city_admin.headers))
    assert compliance["items"][0]["rule"] == "BASE-OPEN-2"


def test_base_eval_1_failed_evaluation_lapses_the_base_at_term_end(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """BASE-EVAL-1: 不给予连续认定资格 — accredited until the term ends, then lapsed and gone
    from the public directory; overdue and due-date filters find it before."""
    base = make_base(db, "馆", accredited_on=date(2022, 7, 1))
    overdue = make_base(db, "逾期馆", accredited_on=date(2022, 4, 30))
    clock.at(2025, 5, 1, 9, 0)
    flags = {
        b["id"]: b["evaluation_overdue"]
        for b in _ok(client.get(f"{API}/bases", headers=city_admin.headers))["items"]
    }
    assert flags == {base: False, overdue: True}
    due = _ok(
        client.get(f"{API}/bases?evaluation_due_before=2025-07-02", headers=city_admin.headers)
    )
    assert [b["id"] for b in due["items"]] == [base, overdue]
    early = assert_problem(
        client.post(
            f"{API}/bases/{base}/evaluations",
            json={"outcome": "fail", "reason": "x", "evaluated_on": "2024-06-30"},
            headers=city_admin.headers,
        ),
        422,
        rule="BASE-EVAL-1",
    )
    assert early["violations"][0]["code"] == "window_not_open"
    failed = _ok(
        client.post(
            f"{API}/bases/{base}/evaluations",
            json={"outcome": "fail", "reason": "全年开放不足"},
            headers=city_admin.headers,
        ),
        201,
    )
    assert [s["year"] for s in failed["summaries"]] == [2022, 2023, 2024]
    assert _ok(client.get(f"{API}/bases/{base}", headers=city_admin.headers))["lapses_on"] == (
        "2025-07-01"
    )
    assert _ok(client.get(f"{API}/public/bases/{base}"))["id"] == base
    clock.at(2025, 7, 1, 9, 0)
    assert _ok(client.get(f"{API}/bases/{base}", headers=city_admin.headers))["status"] == "lapsed"
    lapsed = _ok(client.get(f"{API}/bases?status=lapsed", headers=city_admin.headers))
    assert [b["id"] for b in lapsed["items"]] == [base]
    assert _ok(client.get(f"{API}/bases/{overdue}", headers=city_admin.headers))["status"] == (
        "accredited"
    )
    assert_problem(client.get(f"{API}/public/bases/{base}"), 404)


def test_base_open_1_new_policy_takes_effect_only_from_its_date(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """Policies are data: a new one starts in the future and never changes a year judged before."""
    base = make_base(db, "馆")
    assert_problem(
        client.post(
            f"{API}/base-policies",
            json={"effective_on": "2025-06-15", "public_min_open_days": 220},
            headers=city_admin.headers,
        ),
        422,
        field="effective_on",
    )
    created = _ok(
        client.post(
            f"{API}/base-policies",
            json={"effective_on": "2026-01-01", "public_min_open_days": 220},
            headers=city_admin.headers,
        ),
        201,
    )
    assert (created["public_min_open_days"], created["public_min_visitors"]) == (220, 2000)
    policies = _ok(client.get(f"{API}/base-policies", headers=city_admin.headers))["items"]
    assert [(p["effective_on"], p["in_force"]) for p in policies] == [
        ("2023-01-01", True),
        ("2026-01-01", False),
    ]
    assert_problem(
        client.post(
            f"{API}/base-policies",
            json={"effective_on": "2026-01-01"},
            headers=city_admin.headers,
        ),
        409,
    )
    clock.at(2026, 2, 1, 9, 0)
    this_year = _ok(client.get(f"{API}/bases/{base}/compliance/2026", headers=city_admin.headers))
    last_year = _ok(client.get(f"{API}/bases/{base}/compliance/2025", headers=city_admin.headers))
    assert this_year["items"][0]["required"] == 220
    assert last_year["items"][0]["required"] == 200


def test_base_open_1_policies_page_one_at_a_time_from_the_published_default(
    client: TestClient, city_admin: Actor, clock: Clock
) -> None:
    """The published default heads the list (with a fixed ETag, as it never changes); paging
    one at a time reaches every stored policy, and `updated_since` leaves the default out."""
    added = [
        _ok(
            client.post(
                f"{API}/base-policies",
                json={"effective_on": f"{year}-01-01"},
                headers=city_admin.headers,
            ),
            201,
        )["id"]
        for year in (2026, 2027)
    ]
    seen: list[str] = []
    url = f"{API}/base-policies?limit=1&include_total=true"
    page = _ok(client.get(url, headers=city_admin.headers))
    while True:
        assert page["total"] == 3
        seen += [p["id"] for p in page["items"]]
        if page["next_cursor"] is None:
            break
        page = _ok(client.get(f"{url}&cursor={page['next_cursor']}", headers=city_admin.headers))
    assert seen == ["default", *added]
    default = client.get(f"{API}/base-policies/default", headers=city_admin.headers)
    assert default.headers["ETag"] == '"1"'
    since = _ok(
        client.get(
            f"{API}/base-policies",
            params={"updated_since": "2020-01-01T00:00:00+08:00"},
            headers=city_admin.headers,
        )
    )
    assert [p["id"] for p in since["items"]] == added


def test_base_act_1_activity_counts_once_evidence_is_attached(
    client: TestClient, actor: ActorFactory, db: Session, clock: Clock
) -> None:
    """BASE-ACT-1, BASE-ARCHIVE-1: evidence on the activity; a future activity is refused."""
    base = make_base(db, "馆")
    with clock.real():
        staff = actor(Role.BASE_STAFF, base_id=base)
    url = f"{API}/bases/{base}/activities"
    body = {"held_on": "2025-06-01", "title": "科普讲座", "form": "讲座", "participants": 50}
    assert_problem(
        client.post(url, json={**body, "held_on": "2025-06-16"}, headers=staff.headers),
        422,
        rule="BASE-ACT-1",
    )
    activity = _ok(client.post(url, json=body, headers=staff.headers), 201)
    assert activity["counts"] is False
    assert activity["warnings"][0]["rule"] == "BASE-ARCHIVE-1"
    assert activity["warnings"][0]["code"] == "evidence_missing"
    evidence = _ok(
        client.post(
            f"{url}/{activity['id']}/attachments",
            data={"kind": "video"},
            files={"file": ("v.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32, "video/mp4")},
            headers=staff.headers,
        ),
        201,
    )
    assert evidence["media_type"] == "video/mp4"
    again = _ok(client.get(f"{url}/{activity['id']}", headers=staff.headers))
    assert (again["counts"], again["evidence_count"]) == (True, 1)
    compliance = _ok(client.get(f"{API}/bases/{base}/compliance/2025", headers=staff.headers))
    acts = next(i for i in compliance["items"] if i["rule"] == "BASE-ACT-1")
    assert (acts["status"], acts["actual"]) == ("pending", 1)


def test_base_apply_2_attachment_is_deleted_with_its_bytes_and_only_while_editable(
    client: TestClient, city_admin: Actor, db: Session, app: FastAPI
) -> None:
    """BASE-APPLY-2: a draft's attachment goes with its stored bytes; a submitted one stays."""
    application = make_application(db)
    url = f"{API}/base-applications/{application}/attachments"
    created = client.post(
        url,
        data={"kind": "photo"},
        files={"file": ("p.png", PNG, "image/png")},
        headers=city_admin.headers,
    )
    assert created.status_code == 201, created.text
    attachment = created.json()
    key = db.get(AttachmentRow, attachment["id"])
    assert key is not None
    stored = key.storage_key
    db.rollback()  # end the read snapshot so this session can write again later
    assert app.state.ctx.files.get(stored) == PNG
    assert_problem(
        client.delete(
            f"{url}/{attachment['id']}", headers={**city_admin.headers, "If-Match": '"9"'}
        ),
        412,
    )
    deleted = client.delete(
        f"{url}/{attachment['id']}",
        headers={**city_admin.headers, "If-Match": created.headers["ETag"]},
    )
    assert deleted.status_code == 204
    assert _ok(client.get(url, headers=city_admin.headers))["items"] == []
    with pytest.raises(FileNotFoundError):
        app.state.ctx.files.get(stored)
    submitted = make_application(db, status="submitted")
    assert_problem(
        client.post(
            f"{API}/base-applications/{submitted}/attachments",
            data={"kind": "photo"},
            files={"file": ("p.png", PNG, "image/png")},
            headers=city_admin.headers,
        ),
        409,
        rule="BASE-REVIEW-1",
    )


def test_base_act_1_activity_post_with_idempotency_key_is_recorded_once(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    base = make_base(db, "馆")
    body = {"held_on": "2025-06-01", "title": "讲座", "form": "讲座", "participants": 5}
    headers = {**city_admin.headers, "Idempotency-Key": "act-2025-06-01"}
    first = _ok(client.post(f"{API}/bases/{base}/activities", json=body, headers=headers), 201)
    again = client.post(f"{API}/bases/{base}/activities", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first["id"]
    listed = _ok(client.get(f"{API}/bases/{base}/activities", headers=city_admin.headers))
    assert [a["id"] for a in listed["items"]] == [first["id"]]


def test_region_code_filters_take_any_existing_level_and_answer_404_for_unknown_codes(
    client: TestClient, city_admin: Actor, db: Session, clock: Clock
) -> None:
    """`region_code` on the lists of bases means a region of any level (the city takes every
    county's bases), checked to exist (404 naming the parameter, as for every reference)."""
    make_base(db, "红山馆", county=HONGSHAN)
    make_base(db, "元宝山馆", county=YUANBAOSHAN)
    city = _ok(client.get(f"{API}/bases?region_code=150400", headers=city_admin.headers))
    assert {b["name"] for b in city["items"]} == {"红山馆", "元宝山馆"}
    county = _ok(client.get(f"{API}/public/bases?region_code={HONGSHAN}"))
    assert [b["name"] for b in county["items"]] == ["红山馆"]
    for path in ("/bases", "/public/bases", "/base-applications", "/bases/compliance?year=2025&"):
        sep = "" if path.endswith("&") else "?"
        assert_problem(
            client.get(f"{API}{path}{sep}region_code=159999", headers=city_admin.headers),
            404,
            field="query.region_code",
        )


def test_base_apply_1_a_quota_is_set_for_a_county_only_else_404(
    client: TestClient, city_admin: Actor, clock: Clock
) -> None:
    """BASE-APPLY-1: `/recommendation-quotas/{year}/{county_code}` names a county."""
    assert_problem(
        client.put(
            f"{API}/recommendation-quotas/2025/150400",
            json={"quota": 2},
            headers=city_admin.headers,
        ),
        404,
        field="county_code",
    )
    quota = _ok(
        client.put(
            f"{API}/recommendation-quotas/2025/{HONGSHAN}",
            json={"quota": 2},
            headers=city_admin.headers,
        ),
        201,
    )
    assert (quota["county_code"], quota["quota"], quota["used"]) == (HONGSHAN, 2, 0)


def test_base_lists_honour_limit_and_cursor(
    client: TestClient, actor: ActorFactory, db: Session, clock: Clock
) -> None:
    """Every collection of the area is a real page: `limit` is honoured and the cursor leads to
    the rest, the published default policy first."""
    base = make_base(db, "馆")
    with clock.real():
        staff = actor(Role.BASE_STAFF, base_id=base)
    for month in (1, 2, 3):
        _ok(
            client.put(
                f"{API}/bases/{base}/monthly-stats/2025/{month}",
                json={"open_days": 20, "visitors": 100},
                headers=staff.headers,
            ),
            201,
        )
    url = f"{API}/bases/{base}/monthly-stats?limit=2"
    first = _ok(client.get(url, headers=staff.headers))
    assert [m["month"] for m in first["items"]] == [1, 2]
    rest = _ok(client.get(f"{url}&cursor={first['next_cursor']}", headers=staff.headers))
    assert ([m["month"] for m in rest["items"]], rest["next_cursor"]) == ([3], None)
    policies = _ok(client.get(f"{API}/base-policies?limit=1", headers=staff.headers))
    assert [p["id"] for p in policies["items"]] == ["default"]
    assert policies["next_cursor"] is None


def _panel(client: TestClient, url: str, admin: Actor, reviewers: list[Actor]) -> None:
    """Assign the reviewers to the application."""
    for reviewer in reviewers:
        assigned = client.post(
            f"{url}/reviewers", json={"reviewer_id": reviewer.user_id}, headers=admin.headers
        )
        assert assigned.status_code == 201, assigned.text


def _opine(client: TestClient, url: str, reviewer: Actor) -> None:
    given = client.post(
        f"{url}/opinions",
        json={"scores": SCORES, "recommendation": "approve", "note": "符合条件"},
        headers=reviewer.headers,
    )
    assert given.status_code == 201, given.text


def _inspected(client: TestClient, url: str, admin: Actor) -> None:
    recorded = client.post(
        f"{url}/inspections",
        json={
            "inspected_on": "2025-06-01",
            "inspectors": "王建国",
            "note": "符合条件",
            "passed": True,
        },
        headers=admin.headers,
    )
    assert recorded.status_code == 201, recorded.text


def test_hole_14_approval_waits_for_every_assigned_reviewer_base_review_2(
    client: TestClient, city_admin: Actor, actor: ActorFactory, db: Session
) -> None:
    url = f"{API}/base-applications/{make_application(db, status='under_review')}"
    reviewers = [actor(Role.REVIEWER) for _ in range(4)]
    _panel(client, url, city_admin, reviewers)
    _inspected(client, url, city_admin)
    for reviewer in reviewers[:3]:
        _opine(client, url, reviewer)
    waiting = assert_problem(
        client.post(f"{url}:approve", headers=city_admin.headers), 409, rule="BASE-REVIEW-2"
    )
    assert [v["field"] for v in waiting["violations"]] == ["reviewers"]
    assert client.get(url, headers=city_admin.headers).json()["status"] == "under_review"
    declined = client.post(
        f"{url}/opinions",
        json={"declined": True, "reason": "曾任该单位顾问"},
        headers=reviewers[3].headers,
    )
    assert declined.status_code == 201, declined.text
    approved = client.post(f"{url}:approve", headers=city_admin.headers)
    assert approved.json()["status"] == "approved"


def test_base_review_2_approval_needs_the_policy_minimum_of_opinions(
    client: TestClient, city_admin: Actor, actor: ActorFactory, db: Session
) -> None:
    url = f"{API}/base-applications/{make_application(db, status='under_review')}"
    reviewers = [actor(Role.REVIEWER) for _ in range(2)]
    _panel(client, url, city_admin, reviewers)
    for reviewer in reviewers:
        _opine(client, url, reviewer)
    refused = assert_problem(client.post(f"{url}:approve", headers=city_admin.headers), 409)
    assert [(v["rule"], v["field"]) for v in refused["violations"]] == [
        ("BASE-REVIEW-1", "inspection"),
        ("BASE-REVIEW-2", "opinions"),
    ]


def test_base_review_1_the_announcement_names_the_configured_association(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    actor: ActorFactory,
    db: Session,
    clock: Clock,
) -> None:
    """BASE-REVIEW-1: the approval's announcement takes the association's name and the title it
    confers from the settings, not from code."""
    settings = app.state.ctx.settings
    saved = (settings.association_name, settings.base_title)
    settings.association_name, settings.base_title = "宁城县科学技术协会", "宁城县科普教育基地"
    try:
        application = make_application(db, status="under_review")
        url = f"{API}/base-applications/{application}"
        with clock.real():
            reviewers = [actor(Role.REVIEWER) for _ in range(3)]
        _panel(client, url, city_admin, reviewers)
        for reviewer in reviewers:
            _opine(client, url, reviewer)
        _inspected(client, url, city_admin)
        approved = _ok(client.post(f"{url}:approve", headers=city_admin.headers))
    finally:
        settings.association_name, settings.base_title = saved
    notice = _ok(client.get(f"{API}/public/bases/{approved['base_id']}"))["announcements"][0]
    assert notice["title"] == "宁城县科普教育基地认定公告"
    assert notice["body"].startswith("经宁城县科学技术协会评审和考核验收")
