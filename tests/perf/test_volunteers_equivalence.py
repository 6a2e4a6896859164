"""The bulk write path of `POST /volunteers:bulk` (one `executemany` per table, change events
written in bulk) stores what registration one by one stores (issue 6, VOL-REG-2): the same
volunteers, memberships, membership history and change events, diffs included, ids and times
aside. Runs on SQLite and on PostgreSQL (`--db=postgresql`)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from app.domain.access import Role
from app.repositories.base import ChangeEvent
from app.repositories.volunteers import MembershipEventRow, MembershipRow, VolunteerRow
from bench.dataset import COUNTIES, volunteer_row
from tests.api.test_volunteers_gate import id_number, make_org
from tests.conftest import ActorFactory, _empty_tables
from tests.perf.test_equivalence import loader, one_by_one_body

API = "/api/v1"
SEED = 61
VOLATILE = {"id", "created_at", "updated_at", "version"}


def people() -> list[dict[str, Any]]:
    """Bulk rows of 30 people: three counties, townships, no address, minors with consent."""
    rng = random.Random(SEED)
    rows = [volunteer_row(500 + i, rng, COUNTIES[i % 3]) for i in range(24)]
    for row in rows[:6]:
        row["region_code"] = f"{row['region_code']}00{1 + rows.index(row) % 3}"
    for row in rows[6:9]:
        del row["address"]
    for n in range(6):
        rows.append(
            {
                **volunteer_row(900 + n, rng, "150402"),
                "id_number": id_number("20120304", 40 + n),
                "guardian": {
                    "name": f"监护人{n}",
                    "relationship": "母亲",
                    "consented_on": "2026-01-05",
                },
            }
        )
    return rows


def stored(app: FastAPI, actor_id: str) -> dict[str, Any]:
    """Every volunteer, membership, step and change event as stored, with ids replaced by the
    person (keyed hash of the ID document) or the organisation they stand for."""
    with app.state.ctx.sessions() as session:
        volunteers = session.exec(select(VolunteerRow)).all()
        person = {v.id: v.person_hash for v in volunteers}
        memberships = session.exec(select(MembershipRow)).all()
        member = {m.id: (person[m.volunteer_id], m.organization_id) for m in memberships}
        names = {**person, **member, actor_id: "actor"}

        def plain(values: dict[str, Any]) -> dict[str, Any]:
            return {
                k: names.get(v, v) if isinstance(v, str) else v
                for k, v in values.items()
                if k not in VOLATILE
            }

        def diff(value: dict[str, Any] | None) -> Any:
            return None if value is None else {k: plain(v) for k, v in value.items()}

        events = session.exec(select(ChangeEvent)).all()
        steps = session.exec(select(MembershipEventRow)).all()
        return {
            "volunteers": sorted(repr(sorted(plain(v.model_dump()).items())) for v in volunteers),
            "memberships": sorted(repr(sorted(plain(m.model_dump()).items())) for m in memberships),
            "steps": sorted(
                # A bulk join gives the reason "bulk registration", `POST /volunteers` none.
                sorted(
                    {**plain(s.model_dump()), "decided_at": None, "reason": None}.items(), key=str
                )
                for s in steps
            ),
            "events": sorted(
                repr(
                    (
                        e.resource,
                        names.get(e.resource_id),
                        e.op,
                        names.get(e.actor_id or ""),
                        e.county_code,
                        e.org_path,
                        e.base_id,
                        names.get(e.owner_id or ""),
                        diff(e.diff),
                    )
                )
                for e in events
                if e.resource in ("volunteer", "volunteer_membership")
            ),
        }


def feed(client: TestClient, headers: dict[str, str]) -> Counter[tuple[str, str, tuple[str, ...]]]:
    """Feed items by resource, operation and the keys each item has."""
    items = client.get(f"{API}/changes?limit=1000", headers=headers).json()["items"]
    return Counter((e["resource"], e["op"], tuple(sorted(e))) for e in items)


def test_vol_reg_2_bulk_write_path_stores_what_registration_one_by_one_stores(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory
) -> None:
    """VOL-REG-2: 30 people imported in bulk into one organisation, then into a second (matched,
    joining only), equal the same people registered one by one and then added to the second
    organisation one by one: volunteers, memberships, their steps, events and their diffs."""
    rows = people()
    worlds = []
    for bulk in (True, False):
        _empty_tables(engine)
        load = loader(app, engine)
        load.load_townships()
        admin = actor(Role.CITY_ADMIN)
        first = make_org(client, admin, name="一队")["id"]
        second = make_org(client, admin, name="二队")["id"]
        if bulk:
            for org_id, status in ((first, "created"), (second, "matched_existing")):
                response = client.post(
                    f"{API}/volunteers:bulk",
                    params={"organization_id": org_id},
                    json=rows,
                    headers=admin.headers,
                )
                assert response.status_code == 200, response.text
                assert response.json()[status] == len(rows), response.text
        else:
            for row in rows:
                response = client.post(
                    f"{API}/volunteers", json=one_by_one_body(row, first), headers=admin.headers
                )
                assert response.status_code == 201, response.text
                response = client.post(
                    f"{API}/volunteers/{response.json()['id']}/memberships",
                    json={"organization_id": second, "reason": "bulk registration"},
                    headers=admin.headers,
                )
                assert response.status_code == 201, response.text
        world = stored(app, admin.user_id)
        world["orgs"] = [first, second]
        worlds.append((world, feed(client, admin.headers)))
    (bulk_world, bulk_feed), (single_world, single_feed) = worlds
    assert len(bulk_world["volunteers"]) == len(rows)
    assert len(bulk_world["events"]) == 3 * len(rows)
    # Organisation ids differ between the two worlds; everything else must not.
    renamed = repr(bulk_world)
    for bulk_org, single_org in zip(bulk_world["orgs"], single_world["orgs"], strict=True):
        renamed = renamed.replace(bulk_org, single_org)
    assert renamed == repr(single_world)
    assert bulk_feed == single_feed
