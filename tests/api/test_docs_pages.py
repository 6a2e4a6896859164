"""/docs and /redoc work on an intranet: every script, style and spec they load is served here."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

# Every URL an HTML page can make the browser load: attributes and Swagger UI's own settings.
_REFERENCE = re.compile(
    r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']"""
    r"""|\b(?:url|oauth2RedirectUrl)\s*:\s*(?:window\.location\.origin\s*\+\s*)?["']([^"']+)["']"""
)
_EXTERNAL = re.compile(r"(?:https?:)?//[\w.-]+", re.IGNORECASE)
_MEDIA_TYPE = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
}


def _references(html: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(html)]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_references_no_external_url(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert _EXTERNAL.findall(answer.text) == []


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_asset_of_a_docs_page_is_served_with_its_media_type(
    client: TestClient, page: str
) -> None:
    references = _references(client.get(page).text)
    assert any(r.endswith(".js") for r in references)
    for reference in references:
        answer = client.get(reference)
        assert answer.status_code == 200, reference
        suffix = reference[reference.rfind(".") :]
        expected = _MEDIA_TYPE.get(suffix, "text/html")
        assert answer.headers["content-type"].startswith(expected), reference


def test_swagger_ui_loads_its_own_script_style_and_redirect(client: TestClient) -> None:
    references = _references(client.get("/docs").text)
    assert "/docs/assets/swagger-ui-bundle.js" in references
    assert "/docs/assets/swagger-ui.css" in references
    assert "/docs/oauth2-redirect" in references
    assert "/openapi.json" in references


def test_oauth2_redirect_page_hands_the_answer_back_to_swagger_ui(client: TestClient) -> None:
    answer = client.get("/docs/oauth2-redirect")
    assert answer.status_code == 200
    assert "swaggerUIRedirectOauth2" in answer.text


def test_authorize_button_signs_in_at_this_service(client: TestClient) -> None:
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    flow = schemes["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/auth/token"


def test_only_the_pages_own_assets_are_served(client: TestClient) -> None:
    assert client.get("/docs/assets/core.py").status_code == 404
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404


def test_docs_assets_are_cacheable_and_revalidate(client: TestClient) -> None:
    first = client.get("/docs/assets/swagger-ui.css")
    assert first.headers["cache-control"] == "public, max-age=86400"
    again = client.get(
        "/docs/assets/swagger-ui.css", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
