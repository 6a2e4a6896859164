"""Every list as a file (issue 15): `?format=xlsx|csv` on any list answers every item its filters
match, gathered page by page, with the labels of its fields as headers in the reader's language,
enumeration values by their labels, personal data masked as the JSON list masks it, the
caller's scope kept, and a row cap; and the spec declares it on every list."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pydantic import BaseModel
from sqlmodel import Session

from app.domain.access import Role
from app.domain.bases import BaseCategory
from app.domain.common import SHANGHAI
from app.domain.volunteers import OrgLevel
from app.errors import InvalidInput
from app.i18n import Locale, label, translate
from app.routers import pages
from app.rules.reports import CATEGORY_NAMES, ORG_LEVEL_NAMES
from app.spreadsheets import FileFormat, spooled
from tests.api.test_bases_api import make_base
from tests.api.test_volunteers_bulk import bulk_row
from tests.api.test_volunteers_gate import id_number, make_org
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
HONGSHAN, YUANBAOSHAN = "150402", "150403"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENGLISH = {"Accept-Language": "en"}


def header_of(*path: str) -> str:
    """The Chinese header of a column: the catalogue's labels of its field names, dotted."""
    labels = [label(name, Locale.ZH) for name in path]
    assert None not in labels, path
    return ".".join(str(name) for name in labels)


ID, NAME = header_of("id"), header_of("name")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gather exports two items a page, so that a few volunteers take several pages."""
    monkeypatch.setattr(pages, "EXPORT_PAGE_SIZE", 2)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows of the only sheet of an XLSX answer, header first."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1
    return list(book.active.iter_rows(values_only=True))


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def by_header(rows: list[Any]) -> list[dict[str, Any]]:
    header, *lines = rows
    return [dict(zip(header, line, strict=True)) for line in lines]


def county_team(client: TestClient, admin: Actor, county: str) -> str:
    city = make_org(client, admin, name=f"赤峰市科技志愿服务队{county}")
    team = make_org(
        client,
        admin,
        name=f"旗县区科技志愿者队{county}",
        level="county_team",
        parent_id=city["id"],
        region_code=county,
    )
    return str(team["id"])


def register(
    client: TestClient, admin: Actor, org_id: str, county: str, seqs: range, **changes: Any
) -> None:
    rows = [
        bulk_row(
            n, id_number=id_number("19900517", n, region=county), region_code=county, **changes
        )
        for n in seqs
    ]
    url = f"{API}/volunteers:bulk"
    result = ok(
        client.post(url, params={"organization_id": org_id}, json=rows, headers=admin.headers)
    )
    assert result["created"] == len(rows), result


@pytest.fixture
def volunteers(client: TestClient, city_admin: Actor) -> dict[str, str]:
    """Five volunteers in Hongshan (one named as a formula) and two in Yuanbaoshan, each
    county's in a team of its own."""
    teams = {county: county_team(client, city_admin, county) for county in (HONGSHAN, YUANBAOSHAN)}
    register(client, city_admin, teams[HONGSHAN], HONGSHAN, range(1, 5))
    register(client, city_admin, teams[HONGSHAN], HONGSHAN, range(5, 6), name="=1+1")
    register(client, city_admin, teams[YUANBAOSHAN], YUANBAOSHAN, range(6, 8), skills="种植")
    return teams


def listed(client: TestClient, who: Actor, **params: Any) -> list[dict[str, Any]]:
    """Every volunteer of the JSON list, page by page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get(f"{API}/volunteers", params=query, headers=who.headers))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


# --- the file: every item, its headers, its cells ----------------------------------------------


@pytest.mark.usefixtures("small_pages")
def test_a_volunteer_list_as_xlsx_holds_every_volunteer_across_pages_under_chinese_headers(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    response = client.get(
        f"{API}/volunteers", params={"format": "xlsx"}, headers=city_admin.headers
    )

    rows = xlsx_rows(response)
    header = rows[0]
    assert header[:3] == (ID, NAME, header_of("id_type"))
    nested = header_of("declarations", "good_conduct")
    assert nested in header
    assert header_of("guardian", "name") in header
    assert len(rows) == 1 + 7
    names = {line[NAME] for line in by_header(rows)}
    assert names == {"志愿者1", "志愿者2", "志愿者3", "志愿者4", "=1+1", "志愿者6", "志愿者7"}
    assert {line[ID] for line in by_header(rows)} == {v["id"] for v in listed(client, city_admin)}
    disposition = response.headers["content-disposition"]
    assert disposition == f"attachment; filename*=UTF-8''{quote('志愿者列表.xlsx')}"
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["志愿者列表"]


def test_cells_show_lists_joined_yes_or_no_in_words_and_instants_in_beijing_time(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    params = {"format": "xlsx", "county_code": HONGSHAN}
    lines = by_header(
        xlsx_rows(client.get(f"{API}/volunteers", params=params, headers=city_admin.headers))
    )
    first = next(line for line in lines if line[NAME] == "志愿者1")
    answered = next(v for v in listed(client, city_admin) if v["name"] == "志愿者1")

    assert first[header_of("skills")] == "；".join(answered["skills"])
    assert first[header_of("declarations", "healthy")] == "是"
    assert first[header_of("minor")] == "否"
    assert first[header_of("version")] == 1
    created = datetime.fromisoformat(answered["created_at"]).astimezone(SHANGHAI)
    assert first[header_of("created_at")] == created.strftime("%Y-%m-%d %H:%M:%S")


def test_a_list_export_keeps_the_lists_filters(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    by_county = client.get(
        f"{API}/volunteers",
        params={"format": "csv", "county_code": YUANBAOSHAN},
        headers=city_admin.headers,
    )
    by_team = client.get(
        f"{API}/volunteers",
        params={"format": "csv", "organization_id": volunteers[HONGSHAN]},
        headers=city_admin.headers,
    )
    by_skill = client.get(
        f"{API}/volunteers", params={"format": "csv", "skill": "种植"}, headers=city_admin.headers
    )

    assert {line[NAME] for line in by_header(csv_rows(by_county))} == {"志愿者6", "志愿者7"}
    assert len(csv_rows(by_team)) == 1 + 5
    assert {line[NAME] for line in by_header(csv_rows(by_skill))} == {"志愿者6", "志愿者7"}


def test_a_csv_export_is_utf8_with_a_bom_and_never_a_formula(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    params = {"format": "csv", "county_code": HONGSHAN}
    response = client.get(f"{API}/volunteers", params=params, headers=city_admin.headers)
    book = client.get(
        f"{API}/volunteers", params={**params, "format": "xlsx"}, headers=city_admin.headers
    )

    names = [line[NAME] for line in by_header(csv_rows(response))]
    assert "'=1+1" in names
    assert "=1+1" not in names
    assert response.headers["content-disposition"].endswith(quote("志愿者列表.csv"))
    sheet = load_workbook(io.BytesIO(book.content)).active
    (cell,) = [c for c in sheet["B"] if c.value == "=1+1"]
    assert cell.data_type == "s"


def test_english_is_asked_for_english_headers_and_title(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    params = {"format": "csv", "county_code": HONGSHAN}
    response = client.get(
        f"{API}/volunteers", params=params, headers={**city_admin.headers, **ENGLISH}
    )

    header, *lines = csv_rows(response)
    assert header[:3] == ["id", "name", "id type"]
    assert "declarations.good conduct" in header
    assert response.headers["content-language"] == "en"
    assert response.headers["content-disposition"].endswith(quote("Volunteers.csv"))
    line = dict(zip(header, lines[0], strict=True))
    assert line["declarations.healthy"] == "yes"
    answered = next(v for v in listed(client, city_admin) if v["id"] == line["id"])
    assert line["skills"] == "; ".join(answered["skills"])


def test_personal_data_stays_masked_as_the_json_list_shows_it(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    response = client.get(f"{API}/volunteers", params={"format": "csv"}, headers=city_admin.headers)

    exported = {line[ID]: line for line in by_header(csv_rows(response))}
    shown = {v["id"]: v for v in listed(client, city_admin)}
    assert exported.keys() == shown.keys()
    for volunteer_id, volunteer in shown.items():
        line = exported[volunteer_id]
        assert line[header_of("id_number")] == volunteer["id_number"]
        assert line[header_of("mobile")] == volunteer["mobile"]
        assert "*" in volunteer["id_number"]
        assert "*" in volunteer["mobile"]


def test_a_county_administrators_export_holds_only_their_county(
    client: TestClient, actor: ActorFactory, volunteers: dict[str, str]
) -> None:
    county_admin = actor(Role.COUNTY_ADMIN, county_code=YUANBAOSHAN)

    response = client.get(
        f"{API}/volunteers", params={"format": "xlsx"}, headers=county_admin.headers
    )

    lines = by_header(xlsx_rows(response))
    assert {line[NAME] for line in lines} == {"志愿者6", "志愿者7"}
    assert {line[header_of("county_code")] for line in lines} == {YUANBAOSHAN}


@pytest.mark.usefixtures("small_pages")
def test_more_matching_items_than_the_row_cap_is_a_422_asking_for_narrower_filters(
    client: TestClient,
    city_admin: Actor,
    volunteers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages, "EXPORT_MAX_ROWS", 6)

    refused = client.get(f"{API}/volunteers", params={"format": "xlsx"}, headers=city_admin.headers)
    narrowed = client.get(
        f"{API}/volunteers",
        params={"format": "xlsx", "county_code": HONGSHAN},
        headers=city_admin.headers,
    )

    body = assert_problem(refused, 422, field="query.format")
    assert [e["code"] for e in body["errors"]] == ["too_many_rows"]
    assert "6" in body["detail"]
    assert len(xlsx_rows(narrowed)) == 1 + 5


def test_without_a_format_the_list_answers_its_json_page(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    page = ok(client.get(f"{API}/volunteers", params={"limit": 3}, headers=city_admin.headers))

    assert len(page["items"]) == 3
    assert page["next_cursor"] is not None


# --- other lists: labels, another envelope, another cursor --------------------------------------


def test_enumeration_values_show_their_catalogue_label_else_their_code(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    response = client.get(
        f"{API}/organizations", params={"format": "csv"}, headers=city_admin.headers
    )

    lines = by_header(csv_rows(response))
    teams = [line for line in lines if line[NAME].startswith("旗县区")]
    assert {line[header_of("level")] for line in teams} == {
        translate(Locale.ZH, ORG_LEVEL_NAMES[OrgLevel.COUNTY_TEAM])
    }
    # The kind of organisation has no label in the catalogue: its code.
    assert {line[header_of("kind")] for line in lines} == {"team"}


def test_a_label_spelled_as_its_code_is_still_translated_and_dates_are_dates(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    make_base(db, "科技馆", category="venue")
    db.commit()

    response = client.get(f"{API}/bases", params={"format": "xlsx"}, headers=city_admin.headers)

    (line,) = by_header(xlsx_rows(response))
    # BaseStatus.ACCREDITED is "accredited", and so is the English of its label.
    assert line[header_of("status")] == translate(Locale.ZH, "accredited") == "已认定"
    assert line[header_of("category")] == translate(Locale.ZH, CATEGORY_NAMES[BaseCategory.VENUE])
    assert line[header_of("accredited_on")] == datetime(2023, 3, 15)
    assert "*" in line[header_of("liaison_phone")]
    assert response.headers["content-disposition"].endswith(quote("科普教育基地列表.xlsx"))


@pytest.mark.usefixtures("small_pages")
def test_the_audit_log_exports_every_event_through_its_sequence_cursor(
    client: TestClient, city_admin: Actor, actor: ActorFactory, volunteers: dict[str, str]
) -> None:
    auditor = actor(Role.AUDITOR)
    total = ok(
        client.get(f"{API}/audit-events", params={"include_total": True}, headers=auditor.headers)
    )["total"]

    rows = csv_rows(
        client.get(f"{API}/audit-events", params={"format": "csv"}, headers=auditor.headers)
    )

    assert total > 4
    assert len(rows) == 1 + total


class Item(BaseModel):
    name: str


def test_a_list_that_counts_no_total_is_still_cut_at_the_row_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages, "EXPORT_MAX_ROWS", 3)
    asked: list[str | None] = []

    def fetch(cursor: str | None, *, first: bool) -> pages.Page[Any]:
        # Two items a page, never a total, four pages in all.
        asked.append(cursor)
        start = int(cursor or 0)
        items = [Item(name=f"{n}") for n in range(start, start + 2)]
        return pages.Page[Item](items=items, next_cursor=str(start + 2) if start < 6 else None)

    export = pages.list_export(fetch, pages.Page[Item], "items")

    with pytest.raises(InvalidInput) as refused:
        spooled(export, FileFormat.CSV)
    assert [e.code for e in refused.value.errors] == ["too_many_rows"]
    assert asked == [None, "2"]


# --- the contract -------------------------------------------------------------------------------


def _pages(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """`(path, operation)` of every GET answering a page (`items` and `next_cursor`)."""
    schemas = spec["components"]["schemas"]
    found = []
    for path, item in spec["paths"].items():
        op = item.get("get")
        ref = (
            (op or {})
            .get("responses", {})
            .get("200", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
            .get("$ref", "")
        )
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
        if {"items", "next_cursor"} <= schema.get("properties", {}).keys():
            found.append((path, op))
    return found


def test_every_list_operation_declares_format_and_answers_xlsx_and_csv(app: FastAPI) -> None:
    spec = app.openapi()
    lists = _pages(spec)

    assert len(lists) > 50
    for path, op in lists:
        names = {p.get("name") for p in op["parameters"]}
        assert "format" in names, path
        content = op["responses"]["200"]["content"]
        assert content[XLSX]["schema"] == {"type": "string", "format": "binary"}, path
        (csv_media,) = [m for m in content if m.startswith("text/csv")]
        assert content[csv_media]["schema"] == {"type": "string", "format": "binary"}, path
    format_schema = next(
        p["schema"] for p in lists[0][1]["parameters"] if p.get("name") == "format"
    )
    assert {"$ref": "#/components/schemas/FileFormat"} in format_schema["anyOf"]
