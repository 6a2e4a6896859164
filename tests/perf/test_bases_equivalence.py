"""The SQL that stands in for a rule answers what the rule answers.

The compliance dashboard answers what the simple path answers (issue 6): on the benchmark's
generated bases with ten years of records, varied so that every branch of the yearly duties is
reached, `GET /bases/compliance?year=` (a few queries for all bases, plain rows, only the year's
evidence counted) lists for each base exactly what the pure rule `assess_year` gives on that
base's records read one by one through the ORM, and exactly `GET /bases/{id}/compliance/{year}`
(BASE-OPEN-1..4, BASE-ACT-1, BASE-ARCHIVE-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1,
BASE-LIAISON-1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, Table, delete, insert, update
from sqlmodel import Session, col, select

from app.domain.access import Role
from app.domain.common import SHANGHAI, local_date
from app.repositories import attachments
from app.repositories.attachments import AttachmentRow, OwnerType
from app.repositories.bases import (
    ActivityRow,
    AnnualReportRow,
    BaseRow,
    MonthlyStatRow,
)
from app.repositories.bases_policies import policy_for_year
from app.routers.v1.bases.schemas import ComplianceItem
from app.rules.bases_compliance import assess_year
from app.rules.bases_evaluation import base_status, evaluation_overdue
from app.services.bases import status_of
from bench.dataset import COUNTIES, Loader, Plan
from tests.api.test_bases_lifecycle import Clock
from tests.conftest import ActorFactory

API = "/api/v1"
#: 24 bases: the benchmark's data set at 8 % of its size.
SCALE, SEED = 0.08, 6
#: The year 2026 is in progress (its records run to October), its report is overdue.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
YEARS = (2017, 2020, 2024, 2025, 2026)
SUBTYPE_OF = {
    "venue": "science_center",
    "natural": "zoo",
    "research": "laboratory",
    "agri": "breeding_base",
    "production": "production_facility",
}


def table(model: Any) -> Table:
    """The Core table of a row model."""
    t: Table = model.__table__
    return t


def vary(engine: Engine) -> None:
    """Turn the uniform generated records into every case the yearly duties distinguish."""
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(select(col(BaseRow.id)).order_by(col(BaseRow.id)))]
        acts = select(col(ActivityRow.id)).where(col(ActivityRow.base_id) == ids[0])
        act_ids = [r[0] for r in conn.execute(acts.order_by(col(ActivityRow.held_on)))]
        stats, reports = table(MonthlyStatRow), table(AnnualReportRow)
        files, bases_t = table(AttachmentRow), table(BaseRow)
        # Activities without evidence (BASE-ARCHIVE-1), with two files, and a report's
        # evidence whose owner is not an activity.
        conn.execute(delete(files).where(col(AttachmentRow.owner_id).in_(act_ids[::3])))
        evidence = conn.execute(
            files.select().where(col(AttachmentRow.owner_id).in_(act_ids[1::3]))
        ).mappings()
        for n, row in enumerate(list(evidence)):
            conn.execute(insert(files).values({**row, "id": f"X{n:025d}"}))
        report_ids = [r[0] for r in conn.execute(select(col(AnnualReportRow.id)))]
        for n, report_id in enumerate(report_ids[:40]):
            conn.execute(
                insert(files).values(
                    id=f"R{n:025d}",
                    created_at=NOW,
                    updated_at=NOW,
                    version=1,
                    owner_type=OwnerType.REPORT.value,
                    owner_id=report_id,
                    base_id=ids[1],
                    kind="document",
                    filename="r.pdf",
                    media_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                    storage_key=f"r/{n}",
                )
            )
        # An activity without participants, one with a blank title, one in the future.
        conn.execute(
            update(table(ActivityRow))
            .where(col(ActivityRow.id) == act_ids[-2])
            .values(participants=0)
        )
        conn.execute(
            update(table(ActivityRow)).where(col(ActivityRow.id) == act_ids[-5]).values(title=" ")
        )
        conn.execute(
            update(table(ActivityRow))
            .where(col(ActivityRow.id) == act_ids[-1])
            .values(held_on=date(2026, 12, 5))
        )
        # The three national events in one year (the generated data has two).
        april = select(col(ActivityRow.id)).where(
            col(ActivityRow.base_id) == ids[16],
            col(ActivityRow.held_on).between(date(2025, 4, 1), date(2025, 4, 30)),
        )
        conn.execute(
            update(table(ActivityRow))
            .where(col(ActivityRow.id).in_(april))
            .values(held_on=date(2025, 5, 30), national_event="science_workers_day")
        )
        # Accredited during a year: pro rata thresholds, earlier months ignored, and after the
        # report's due date (no report owed).
        conn.execute(
            update(bases_t).where(col(BaseRow.id) == ids[2]).values(accredited_on=date(2020, 7, 9))
        )
        conn.execute(
            update(bases_t)
            .where(col(BaseRow.id) == ids[3])
            .values(accredited_on=date(2024, 11, 20))
        )
        conn.execute(
            delete(reports).where(
                col(AnnualReportRow.base_id) == ids[3], col(AnnualReportRow.year) == 2024
            )
        )
        # Months missing from a closed year and from the year in progress (at_risk, pending).
        conn.execute(
            delete(stats).where(
                col(MonthlyStatRow.base_id) == ids[4], col(MonthlyStatRow.month) > 3
            )
        )
        conn.execute(
            delete(stats).where(
                col(MonthlyStatRow.base_id) == ids[5],
                col(MonthlyStatRow.year) == 2026,
                col(MonthlyStatRow.month).in_([2, 6]),
            )
        )
        conn.execute(update(stats).where(col(MonthlyStatRow.base_id) == ids[6]).values(open_days=3))
        # Reports: late, unsubmitted, without a theme, missing.
        conn.execute(
            update(reports)
            .where(col(AnnualReportRow.base_id) == ids[7])
            .values(submitted_at=datetime(2025, 11, 11, 0, 0, tzinfo=SHANGHAI))
        )
        conn.execute(
            update(reports)
            .where(col(AnnualReportRow.base_id) == ids[8])
            .values(submitted_at=None, days_late=None)
        )
        conn.execute(
            update(reports).where(col(AnnualReportRow.base_id) == ids[9]).values(theme="  ")
        )
        conn.execute(delete(reports).where(col(AnnualReportRow.base_id) == ids[10]))
        # The generated bases have no subtype (class undetermined): give each category's
        # first public or institution subtype, and leave one base undetermined.
        for category, subtype in SUBTYPE_OF.items():
            conn.execute(
                update(bases_t)
                .where(col(BaseRow.category) == category, col(BaseRow.id) != ids[15])
                .values(subtype=subtype)
            )
        # No liaison contact; a class set by the administrator; revoked, lapsed.
        conn.execute(
            update(bases_t)
            .where(col(BaseRow.id) == ids[11])
            .values(liaison_phone=None, liaison_email="")
        )
        conn.execute(
            update(bases_t)
            .where(col(BaseRow.id) == ids[12])
            .values(
                opening_class="institution",
                class_override_reason="set by the city",
                class_overridden_at=NOW - timedelta(days=400),
            )
        )
        conn.execute(
            update(bases_t)
            .where(col(BaseRow.id) == ids[13])
            .values(status="revoked", revoked_at=datetime(2025, 3, 1, tzinfo=SHANGHAI))
        )
        conn.execute(
            update(bases_t).where(col(BaseRow.id) == ids[14]).values(lapses_on=date(2024, 6, 30))
        )


def simple_path(session: Session, base: BaseRow, year: int, today: date) -> dict[str, Any]:
    """One base's compliance from its ORM rows, its evidence counted per activity, and the
    pure rule: what the dashboard must equal."""
    stats = session.exec(select(MonthlyStatRow).where(MonthlyStatRow.base_id == base.id)).all()
    acts = session.exec(select(ActivityRow).where(ActivityRow.base_id == base.id)).all()
    counts = attachments.counts(session, OwnerType.ACTIVITY, (a.id for a in acts))
    report = session.exec(
        select(AnnualReportRow).where(
            AnnualReportRow.base_id == base.id, AnnualReportRow.year == year
        )
    ).first()
    c = assess_year(
        base.to_domain(status_of(base, today)),
        year,
        [s.to_domain() for s in stats],
        [a.to_domain(counts.get(a.id, 0)) for a in acts],
        report.to_domain() if report is not None else None,
        policy_for_year(session, year),
        today,
    )
    return {
        "year": c.year,
        "evaluated_on": c.evaluated_on.isoformat(),
        "final": c.final,
        "opening_class": c.opening_class.value,
        "months_reported": c.months_reported,
        "ok": c.ok,
        # As the API shows them: rendered in the request's language (Chinese by default).
        "items": [ComplianceItem.model_validate(i).model_dump(mode="json") for i in c.items],
    }


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(NOW)
    monkeypatch.setattr(app.state.ctx, "clock", clock)
    return clock


def test_base_open_1_dashboard_equals_the_rule_on_each_bases_records(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory, clock: Clock
) -> None:
    """BASE-OPEN-1..4, BASE-ACT-1, BASE-ARCHIVE-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1,
    BASE-LIAISON-1: for a city and a county, in closed years, the year of a mid-year
    accreditation and the year in progress, every dashboard row equals the rule on that base's
    records read one by one and the base's own compliance, and the summary counts its rows."""
    load = Loader(plan=Plan(engine.dialect.name, SCALE, SEED), engine=engine, app=app, log=print)
    load.load_townships()
    load.load_bases()
    vary(engine)
    with clock.real():
        city = actor(Role.CITY_ADMIN)
        county = actor(Role.COUNTY_ADMIN, county_code=COUNTIES[1])
    today = local_date(NOW)
    statuses: set[str] = set()
    for who in (city, county):
        for year in YEARS:
            board = client.get(
                f"{API}/bases/compliance", params={"year": year}, headers=who.headers
            )
            assert board.status_code == 200, board.text
            body = board.json()
            assert body["items"], (who.role, year)
            by_rule: dict[str, dict[str, int]] = {}
            with app.state.ctx.sessions() as session:
                for item in body["items"]:
                    base = session.get(BaseRow, item["base_id"])
                    assert base is not None
                    expected = simple_path(session, base, year, today)
                    assert {k: item[k] for k in expected} == expected, (year, base.name)
                    for i in item["items"]:
                        counts = by_rule.setdefault(i["rule"], {})
                        counts[i["status"]] = counts.get(i["status"], 0) + 1
                        statuses.add(f"{i['measure']}:{i['status']}")
            own = client.get(
                f"{API}/bases/{body['items'][0]['base_id']}/compliance/{year}",
                headers=who.headers,
            )
            assert own.json() == body["items"][0]
            assert body["summary"] == {
                "bases": len(body["items"]),
                "ok": sum(1 for i in body["items"] if i["ok"]),
                "by_rule": by_rule,
            }
    # The variations reach the branches they are meant to.
    for reached in (
        "open_days:unmet",
        "open_days:at_risk",
        "open_days:pending",
        "activities:met",
        "report:unmet",
        "report:advisory",
        "theme:unmet",
        "liaison:unmet",
        "national_events:met",
    ):
        assert reached in statuses, reached


def test_base_eval_1_status_filter_sql_equals_the_rule(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory, clock: Clock
) -> None:
    """BASE-EVAL-1, BASE-REVOKE-1..6: `GET /bases?status=` filters by SQL (an index read);
    for bases revoked, lapsed before, on and after today, and never lapsed, each status lists
    exactly the bases the rule `base_status` gives that status, and each answer's `status` and
    `evaluation_overdue` are the rule's."""
    load = Loader(plan=Plan(engine.dialect.name, SCALE, SEED), engine=engine, app=app, log=print)
    load.load_townships()
    load.load_bases()
    vary(engine)
    today = local_date(NOW)
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(select(col(BaseRow.id)).order_by(col(BaseRow.id)))]
        for n, lapses_on in enumerate(
            (today, today + timedelta(days=1), today - timedelta(days=1))
        ):
            conn.execute(
                update(table(BaseRow))
                .where(col(BaseRow.id) == ids[17 + n])
                .values(lapses_on=lapses_on)
            )
        conn.execute(
            update(table(BaseRow))
            .where(col(BaseRow.id) == ids[20])
            .values(status="revoked", revoked_at=NOW, lapses_on=today - timedelta(days=9))
        )
        conn.execute(
            update(table(BaseRow))
            .where(col(BaseRow.id) == ids[21])
            .values(evaluation_due_on=today - timedelta(days=1))
        )
    with clock.real():
        city = actor(Role.CITY_ADMIN)
    with app.state.ctx.sessions() as session:
        rows = session.exec(select(BaseRow)).all()
        expected = {
            b.id: base_status(revoked=b.revoked, lapses_on=b.lapses_on, today=today) for b in rows
        }
        overdue = {
            b.id: evaluation_overdue(lapses_on=b.lapses_on, due_on=b.evaluation_due_on, today=today)
            for b in rows
        }
    for status in ("accredited", "lapsed", "revoked"):
        answer = client.get(
            f"{API}/bases", params={"status": status, "limit": 500}, headers=city.headers
        )
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        assert {i["id"] for i in items} == {k for k, v in expected.items() if v.value == status}
        assert items, status
        assert all(i["status"] == status for i in items)
        assert {i["id"]: i["evaluation_overdue"] for i in items} == {
            i["id"]: overdue[i["id"]] for i in items
        }
