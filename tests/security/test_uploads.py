"""Uploads are bounded in size and type on every upload operation of the spec (issue 7, OWASP
API4): a file whose content is not of an accepted type is a 415, one over
`KEPU_MAX_UPLOAD_BYTES` a 413, both problem+json, and neither is stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.cli import OPENAPI_PATH
from app.domain.common import local_date
from app.errors import Conflict
from app.main import create_app
from app.repositories.attachments import AttachmentRow, OwnerType, add_attachment
from app.routers.deps import FilesDep, SessionDep
from app.routers.route import resource_router
from app.storage import FileStore
from tests.api.test_bases_api import make_application, make_base
from tests.api.test_bases_lifecycle import PNG
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, assert_problem
from tests.reliability.harness import Database

SPEC: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
UPLOADS = sorted(
    path
    for path, item in SPEC["paths"].items()
    if "multipart/form-data" in item.get("post", {}).get("requestBody", {}).get("content", {})
)


def _application(client: TestClient, db: Session, admin: Actor) -> str:
    return f"/api/v1/base-applications/{make_application(db)}/attachments"


def _base_activity(client: TestClient, db: Session, admin: Actor) -> str:
    base_id = make_base(db, "上传限制科技馆")
    held_on = local_date(client.app.state.ctx.clock()) - timedelta(days=3)  # type: ignore[attr-defined]
    answer = client.post(
        f"/api/v1/bases/{base_id}/activities",
        json={
            "held_on": held_on.isoformat(),
            "title": "科普讲座",
            "form": "讲座",
            "participants": 50,
        },
        headers=admin.headers,
    )
    assert answer.status_code == 201, answer.text
    return f"/api/v1/bases/{base_id}/activities/{answer.json()['id']}/attachments"


def _base_report(client: TestClient, db: Session, admin: Actor) -> str:
    base_id = make_base(db, "上传限制天文馆")
    year = local_date(client.app.state.ctx.clock()).year  # type: ignore[attr-defined]
    answer = client.put(
        f"/api/v1/bases/{base_id}/annual-reports/{year}",
        json={"theme": "科技创新", "summary": "", "next_year_plan": ""},
        headers=admin.headers,
    )
    assert answer.status_code == 201, answer.text
    return f"/api/v1/bases/{base_id}/annual-reports/{year}/attachments"


def _service_record(client: TestClient, db: Session, admin: Actor) -> str:
    org = make_org(client, admin)
    body = volunteer_body(organization_id=org["id"])
    volunteer = client.post("/api/v1/volunteers", json=body, headers=admin.headers).json()
    starts = client.app.state.ctx.clock() + timedelta(days=2)  # type: ignore[attr-defined]
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": org["id"],
            "title": "科普讲解",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        },
        headers=admin.headers,
    ).json()
    url = f"/api/v1/activities/{activity['id']}/enrolments"
    enrolment = client.post(url, json={"volunteer_id": volunteer["id"]}, headers=admin.headers)
    client.post(f"{url}/{enrolment.json()['id']}:confirm", headers=admin.headers)
    record = client.post(
        "/api/v1/service-records",
        json={
            "enrolment_id": enrolment.json()["id"],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        },
        headers=admin.headers,
    )
    assert record.status_code == 201, record.text
    return f"/api/v1/service-records/{record.json()['id']}/attachments"


#: How to reach a real owner of each upload operation; a new upload operation needs an entry.
ARRANGE: dict[str, Callable[[TestClient, Session, Actor], str]] = {
    "/api/v1/base-applications/{application_id}/attachments": _application,
    "/api/v1/bases/{base_id}/activities/{activity_id}/attachments": _base_activity,
    "/api/v1/bases/{base_id}/annual-reports/{year}/attachments": _base_report,
    "/api/v1/service-records/{service_record_id}/attachments": _service_record,
}


def test_every_upload_operation_is_covered() -> None:
    assert UPLOADS, "the spec has upload operations"
    assert set(UPLOADS) == set(ARRANGE)


@pytest.mark.parametrize("path", UPLOADS)
def test_an_upload_of_the_wrong_type_or_too_large_is_refused_and_not_stored(
    client: TestClient,
    db: Session,
    city_admin: Actor,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    url = ARRANGE[path](client, db, city_admin)
    count = select(func.count()).select_from(AttachmentRow)
    before = db.exec(count).one()
    # Named and declared as a PNG, but its bytes are plain text: judged by content.
    disguised = {"file": ("photo.png", b"not an image at all", "image/png")}
    answer = client.post(url, data={"kind": "photo"}, files=disguised, headers=city_admin.headers)
    assert_problem(answer, 415)
    monkeypatch.setattr(app.state.ctx.settings, "max_upload_bytes", 1024)
    big = {"file": ("big.png", PNG + b"\x00" * 2048, "image/png")}
    answer = client.post(url, data={"kind": "photo"}, files=big, headers=city_admin.headers)
    assert_problem(answer, 413)
    db.expire_all()
    assert db.exec(count).one() == before


@pytest.fixture(scope="module")
def storing_app(own_db: Database) -> Iterator[tuple[TestClient, Path]]:
    """The real app plus routes that store a file and then succeed or fail."""
    app = create_app(own_db.settings())
    router = resource_router("test-only", public=True)

    def _store(session: Session, files: FileStore) -> None:
        add_attachment(
            session,
            files,
            owner_type=OwnerType.APPLICATION,
            owner_id="01TESTOWNER000000000000000",
            base_id=None,
            county_code=None,
            kind="photo",
            filename="a.png",
            media_type="image/png",
            data=PNG,
            uploaded_by="tester",
        )

    @router.post("/store/then-fail")
    def then_fail(session: SessionDep, files: FilesDep) -> None:
        _store(session, files)
        raise Conflict("refused after the file was written")

    @router.post("/store/then-succeed")
    def then_succeed(session: SessionDep, files: FilesDep) -> dict[str, bool]:
        _store(session, files)
        return {"ok": True}

    app.include_router(router, prefix="/api/v1")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app.state.ctx.settings.storage_dir
    app.state.ctx.engine.dispose()


def _stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_request_that_fails_after_storing_a_file_leaves_no_file(
    storing_app: tuple[TestClient, Path],
) -> None:
    client, root = storing_app
    before = _stored(root)
    assert_problem(client.post("/api/v1/store/then-fail"), 409)
    assert _stored(root) == before
    assert client.post("/api/v1/store/then-succeed").status_code == 200
    kept = set(_stored(root)) - set(before)
    assert len(kept) == 1
    # Kept for good: a later request on the same app does not remove it.
    assert_problem(client.post("/api/v1/store/then-fail"), 409)
    assert kept <= set(_stored(root))
