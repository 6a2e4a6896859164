"""Hole 15 of the second security round: `/docs`, `/redoc` and `/openapi.json` were public in
every environment. `KEPU_PUBLIC_DOCS` decides; unset, production closes them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app

PAGES = ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui.css")
PRODUCTION = {
    "env": Environment.PRODUCTION,
    "secret_key": "s" * 40,
    "data_keys": "k1:" + "A" * 43 + "=",
    "index_key": "i" * 40,
    "database_url": "sqlite://",
}


def _statuses(settings: Settings) -> list[int]:
    client = TestClient(create_app(settings))
    return [client.get(page).status_code for page in PAGES]


def test_hole_15_production_serves_no_docs_and_no_spec_by_default() -> None:
    assert _statuses(Settings(**PRODUCTION)) == [404] * len(PAGES)


def test_hole_15_production_serves_them_when_public_docs_is_set() -> None:
    assert _statuses(Settings(**PRODUCTION, public_docs=True)) == [200] * len(PAGES)


@pytest.mark.parametrize(("public", "status"), [(None, 200), (True, 200), (False, 404)])
def test_hole_15_development_serves_them_unless_public_docs_is_false(
    public: bool | None, status: int
) -> None:
    settings = Settings(database_url="sqlite://", public_docs=public)
    assert _statuses(settings) == [status] * len(PAGES)
