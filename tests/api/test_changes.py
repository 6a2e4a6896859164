"""The change feed and the audit log (issue 2): order, scope, redaction."""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.routers.v1.changes.schemas import ChangeResource
from tests.api.test_attendance import _site
from tests.conftest import Actor, ActorFactory, assert_problem


def _create(client: TestClient, admin: Actor, name: str, **extra: object) -> str:
    body = {"username": name, "password": "long-enough-pw", "role": "auditor", **extra}
    response = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_feed_lists_create_update_in_commit_order(client: TestClient, city_admin: Actor) -> None:
    start = client.get("/api/v1/changes", headers=city_admin.headers).json()["next_after"]
    uid = _create(client, city_admin, "fed-user")
    client.patch(f"/api/v1/users/{uid}", json={"display_name": "New"}, headers=city_admin.headers)
    page = client.get("/api/v1/changes", params={"after": start}, headers=city_admin.headers).json()
    ops = [(c["resource"], c["id"], c["op"]) for c in page["items"]]
    assert ops == [("user", uid, "create"), ("user", uid, "update")]
    seqs = [c["seq"] for c in page["items"]]
    assert seqs == sorted(seqs)
    after = client.get(
        "/api/v1/changes", params={"after": page["next_after"]}, headers=city_admin.headers
    ).json()
    assert after["items"] == []


def test_feed_pages_follow_next_after(client: TestClient, city_admin: Actor) -> None:
    for i in range(5):
        _create(client, city_admin, f"paged-{i}")
    collected: list[int] = []
    after = 0
    while True:
        page = client.get(
            "/api/v1/changes", params={"after": after, "limit": 2}, headers=city_admin.headers
        ).json()
        if not page["items"]:
            break
        collected += [c["seq"] for c in page["items"]]
        after = page["next_after"]
    assert len(collected) == len(set(collected)) >= 5
    assert collected == sorted(collected)


def test_county_admin_sees_only_its_countys_changes(
    client: TestClient, actor: ActorFactory, city_admin: Actor
) -> None:
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    mine = _create(client, city_admin, "hs-admin", role="county_admin", county_code="150402")
    theirs = _create(client, city_admin, "ss-admin", role="county_admin", county_code="150404")
    ids = {c["id"] for c in client.get("/api/v1/changes", headers=hongshan.headers).json()["items"]}
    assert mine in ids
    assert theirs not in ids


def test_audit_log_has_actor_and_redacts_secrets(client: TestClient, city_admin: Actor) -> None:
    uid = _create(client, city_admin, "audited")
    client.patch(
        f"/api/v1/users/{uid}", json={"password": "another-long-pw"}, headers=city_admin.headers
    )
    events = client.get(
        "/api/v1/audit-events",
        params={"resource": "user", "resource_id": uid},
        headers=city_admin.headers,
    ).json()["items"]
    assert [e["op"] for e in events] == ["create", "update"]
    assert all(e["actor_id"] == city_admin.user_id for e in events)
    assert events[0]["diff"]["after"]["username"] == "audited"
    assert events[0]["diff"]["after"]["password_hash"] == "[redacted]"
    assert events[1]["diff"]["after"]["password_hash"] == "[redacted]"
    assert "argon2" not in str(events)


def test_auditor_reads_the_audit_log_county_admin_cannot(
    client: TestClient, actor: ActorFactory
) -> None:
    assert (
        client.get("/api/v1/audit-events", headers=actor(Role.AUDITOR).headers).status_code == 200
    )
    assert_problem(
        client.get(
            "/api/v1/audit-events", headers=actor(Role.COUNTY_ADMIN, county_code="150402").headers
        ),
        403,
    )


def test_failed_write_leaves_no_change_event(client: TestClient, city_admin: Actor) -> None:
    start = client.get("/api/v1/changes", headers=city_admin.headers).json()["next_after"]
    uid = _create(client, city_admin, "twice")
    dup = client.post(
        "/api/v1/users",
        json={"username": "twice", "password": "long-enough-pw", "role": "auditor"},
        headers=city_admin.headers,
    )
    assert_problem(dup, 409)
    items = client.get(
        "/api/v1/changes", params={"after": start}, headers=city_admin.headers
    ).json()["items"]
    assert [c["id"] for c in items] == [uid]


def test_audit_events_are_a_page_honouring_limit_and_cursor(
    client: TestClient, city_admin: Actor
) -> None:
    for i in range(3):
        _create(client, city_admin, f"audited-{i}")
    seqs: list[int] = []
    params: dict[str, str | int] = {"resource": "user", "limit": 2, "include_total": "true"}
    while True:
        page = client.get("/api/v1/audit-events", params=params, headers=city_admin.headers)
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 2
        assert page.json()["total"] >= 4
        seqs += [e["seq"] for e in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert seqs == sorted(set(seqs))
    assert len(seqs) >= 4


def test_a_malformed_audit_cursor_is_a_422_naming_it(client: TestClient, city_admin: Actor) -> None:
    answer = client.get(
        "/api/v1/audit-events", params={"cursor": "eyJhZnRlciI6ICJ4In0"}, headers=city_admin.headers
    )
    assert_problem(answer, 422, field="query.cursor")


def test_an_audit_cursor_of_18_digits_as_the_spec_declares_is_taken(
    client: TestClient, city_admin: Actor
) -> None:
    # The fuzzer's case: a sequence cursor longer than an id cursor's 12 digits.
    answer = client.get(
        "/api/v1/audit-events", params={"cursor": "026158970640616275"}, headers=city_admin.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"] == []


def test_resources_and_ops_are_enums_in_the_spec(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    change = schemas["ChangePublic"]["properties"]
    assert change["resource"] == {"$ref": "#/components/schemas/ChangeResource"}
    assert {"user", "region", "base", "volunteer"} <= set(schemas["ChangeResource"]["enum"])
    assert schemas["ChangeOp"]["enum"] == ["create", "update", "delete"]
    assert "reveal" in schemas["AuditOp"]["enum"]
    assert "ChangePage" in schemas
    assert "AuditEventPublic" in schemas


def _recorded_resources() -> set[str]:
    # Every resource name the application passes to `record_event` as a literal.
    names: set[str] = set()
    for path in Path(__file__).resolve().parents[2].joinpath("app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_event":
                names |= {
                    k.value.value
                    for k in node.keywords
                    if k.arg == "resource" and isinstance(k.value, ast.Constant)
                }
    return names


def test_every_resource_an_event_may_name_is_in_the_resource_enum() -> None:
    assert _recorded_resources() <= {r.value for r in ChangeResource}


def test_hole_6_audit_diffs_redact_a_minors_birth_date_and_guardian(
    client: TestClient, city_admin: Actor
) -> None:
    from tests.api.test_volunteers_gate import id_number, volunteer_body

    guardian = {"name": "王芳", "relationship": "母亲", "consented_on": "2026-03-01"}
    minor = volunteer_body(1, id_number=id_number("20120304", 1)) | {"guardian": guardian}
    made = client.post("/api/v1/volunteers", json=minor, headers=city_admin.headers)
    assert made.status_code == 201, made.text
    vid = made.json()["id"]
    client.patch(
        f"/api/v1/volunteers/{vid}",
        json={"guardian": guardian | {"name": "赵强", "relationship": "父亲"}},
        headers=city_admin.headers,
    )
    events = client.get(
        "/api/v1/audit-events",
        params={"resource": "volunteer", "resource_id": vid},
        headers=city_admin.headers,
    ).json()["items"]
    assert [e["op"] for e in events] == ["create", "update"]
    created, changed = events[0]["diff"]["after"], events[1]["diff"]
    assert created["birth_date"] == created["guardian_name"] == "[redacted]"
    assert changed["before"]["guardian_name"] == changed["after"]["guardian_name"] == "[redacted]"
    text = str(events)
    clear = ("2012-03-04", "王芳", "赵强", "母亲", "父亲", "2026-03-01")
    assert [value for value in clear if value in text] == []


def test_an_event_carries_the_version_its_etag_shows_and_the_parents_its_url_needs(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    site = _site(client, city_admin, actor)
    enrolment = client.get(f"{site.url}/enrolments", headers=city_admin.headers).json()["items"][0]
    read = client.get(f"{site.url}/enrolments/{enrolment['id']}", headers=city_admin.headers)
    events = [
        c
        for c in client.get("/api/v1/changes", headers=city_admin.headers).json()["items"]
        if c["id"] == enrolment["id"]
    ]
    assert [(c["op"], c["version"]) for c in events] == [("create", 1), ("update", 2)]
    assert read.headers["etag"] == f'"{events[-1]["version"]}"'
    assert events[-1]["parents"] == {"activity_id": site.activity["id"]}
    user = _create(client, city_admin, "no-parents")
    [made] = [
        c
        for c in client.get("/api/v1/changes", headers=city_admin.headers).json()["items"]
        if c["id"] == user
    ]
    assert made["parents"] is None
