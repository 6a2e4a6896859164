"""Conditional and compressed reads: If-None-Match → 304, Cache-Control per kind of read, gzip."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI, Response
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from app.domain.access import Role
from app.middleware import Compression, ConditionalReads, RequestContext
from tests.conftest import ActorFactory, assert_problem

API = "/api/v1"
DIRECTORY = f"{API}/public/bases"
REGION = f"{API}/regions/150402"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_public_read_gets_an_etag_of_its_body_and_may_be_cached_briefly(
    client: TestClient,
) -> None:
    answer = client.get(DIRECTORY)
    assert answer.status_code == 200
    assert answer.headers["etag"].startswith('"')
    assert answer.headers["cache-control"] == "public, max-age=60, no-transform"
    assert "Accept-Encoding" in answer.headers["vary"]
    assert client.get(DIRECTORY).headers["etag"] == answer.headers["etag"]


def test_public_read_with_a_current_if_none_match_is_304_without_body(client: TestClient) -> None:
    etag = client.get(DIRECTORY).headers["etag"]
    again = client.get(DIRECTORY, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=60, no-transform"
    assert "content-type" not in again.headers
    assert again.headers["x-request-id"]


def test_if_none_match_uses_the_weak_comparison(client: TestClient) -> None:
    etag = client.get(DIRECTORY).headers["etag"]
    listed = f'"other", W/{etag}'
    assert client.get(DIRECTORY, headers={"If-None-Match": listed}).status_code == 304
    assert client.get(DIRECTORY, headers={"If-None-Match": "*"}).status_code == 304


def test_public_read_with_a_stale_if_none_match_gets_the_body(client: TestClient) -> None:
    answer = client.get(DIRECTORY, headers={"If-None-Match": '"stale"'})
    assert answer.status_code == 200
    assert answer.json()["items"] == []


def test_public_read_that_fails_is_not_cached(client: TestClient) -> None:
    answer = client.get(f"{API}/public/certificates/KJZY-2025-0000000000Z")
    assert_problem(answer, 404)
    assert answer.headers["cache-control"] == "no-store"
    assert "etag" not in answer.headers


def test_signed_in_single_resource_is_revalidated_with_its_version_etag(
    client: TestClient, actor: ActorFactory
) -> None:
    headers = actor(Role.COUNTY_ADMIN, county_code="150402").headers
    answer = client.get(REGION, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["etag"].strip('"').isdigit()
    assert answer.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in answer.headers["vary"]
    again = client.get(REGION, headers={**headers, "If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == answer.headers["etag"]


def test_if_none_match_never_skips_authentication(client: TestClient, actor: ActorFactory) -> None:
    headers = actor(Role.CITY_ADMIN).headers
    etag = client.get(REGION, headers=headers).headers["etag"]
    assert_problem(client.get(REGION, headers={"If-None-Match": etag}), 401)


def test_lists_and_writes_keep_no_store(client: TestClient, actor: ActorFactory) -> None:
    headers = actor(Role.CITY_ADMIN).headers
    listed = client.get(f"{API}/regions", headers=headers)
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "no-store"
    assert "etag" not in listed.headers
    written = client.post(f"{API}/auth/logout", headers=headers)
    assert written.headers["cache-control"] == "no-store"


def test_large_json_is_gzipped_for_a_client_that_accepts_it(client: TestClient) -> None:
    answer = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["vary"] == "Accept-Encoding, Accept-Language"
    assert answer.json()["openapi"].startswith("3.")
    assert answer.headers["x-request-id"]


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br"])
def test_nothing_is_gzipped_for_a_client_that_does_not_accept_it(
    client: TestClient, accept: str
) -> None:
    answer = client.get("/openapi.json", headers={"Accept-Encoding": accept})
    assert "content-encoding" not in answer.headers
    assert answer.json()["openapi"].startswith("3.")


def test_small_answers_are_not_gzipped(client: TestClient) -> None:
    answer = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in answer.headers


def test_a_gzipped_public_read_still_revalidates(client: TestClient) -> None:
    first = client.get(DIRECTORY, headers={"Accept-Encoding": "gzip"})
    again = client.get(
        DIRECTORY, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert "content-encoding" not in again.headers


# --- the middlewares on a small app of their own: downloads, streams, reveals ------------------


def _stack(app: FastAPI) -> TestClient:
    from prometheus_client import CollectorRegistry

    wrapped = RequestContext(
        Compression(ConditionalReads(app)), registry=CollectorRegistry(), production=False
    )
    return TestClient(wrapped)  # type: ignore[arg-type]


BIG = b"x" * 50_000


def _downloads() -> FastAPI:
    app = FastAPI()

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield BIG

    @app.get("/ledger.xlsx")
    def ledger() -> StreamingResponse:
        return StreamingResponse(chunks(), media_type=XLSX)

    @app.get("/certificate.pdf")
    def certificate() -> Response:
        return Response(BIG, media_type="application/pdf")

    @app.get("/export.csv")
    def export() -> StreamingResponse:
        return StreamingResponse(chunks(), media_type="text/csv")

    @app.get("/volunteer")
    def volunteer(response: Response, reveal: bool = False) -> dict[str, str]:
        response.headers["ETag"] = '"7"'
        return {"id_number": "150402199001011234" if reveal else "1504**********1234"}

    return app


@pytest.mark.parametrize(("path", "media_type"), [("/ledger.xlsx", XLSX), ("/certificate.pdf", "")])
def test_compressed_downloads_pass_unchanged(path: str, media_type: str) -> None:
    with _stack(_downloads()) as client:
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in answer.headers
    assert answer.content == BIG * (5 if media_type else 1)


def test_a_streamed_text_download_is_gzipped_as_it_streams() -> None:
    with (
        _stack(_downloads()) as client,
        client.stream("GET", "/export.csv", headers={"Accept-Encoding": "gzip"}) as answer,
    ):
        raw = b"".join(answer.iter_raw())
        assert answer.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == BIG * 5
    assert len(raw) < len(BIG)


def test_a_read_revealing_personal_data_is_never_stored_nor_answered_304() -> None:
    with _stack(_downloads()) as client:
        answer = client.get("/volunteer?reveal=true", headers={"If-None-Match": '"7"'})
        masked = client.get("/volunteer?reveal=false", headers={"If-None-Match": '"7"'})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert masked.status_code == 304
