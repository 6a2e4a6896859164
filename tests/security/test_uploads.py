"""Uploads are bounded in size and type on every upload operation of the spec (issue 7, OWASP
API4): a file whose content is not of an accepted type is a 415, one over
`KEPU_MAX_UPLOAD_BYTES` a 413, both problem+json, and neither is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.cli import OPENAPI_PATH
from app.domain.common import local_date
from app.repositories.bases_attachments import AttachmentRow
from tests.api.test_bases_api import make_application, make_base
from tests.api.test_bases_lifecycle import PNG
from tests.conftest import Actor, assert_problem

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


#: How to reach a real owner of each upload operation; a new upload operation needs an entry.
ARRANGE: dict[str, Callable[[TestClient, Session, Actor], str]] = {
    "/api/v1/base-applications/{application_id}/attachments": _application,
    "/api/v1/bases/{base_id}/{owner}/{owner_key}/attachments": _base_activity,
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
