"""Hole 10 of the second security round: control, directional and zero-width characters in
names. A NUL was a 500 on PostgreSQL; a right-to-left override or a zero-width space spoofed a
name in lists and ledgers. Every text of a JSON body or of an import row refuses them with a 422
naming the field, and the spec states it as a `pattern`."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from app.domain.common import PLAIN_TEXT_PATTERN, hidden_text_fields
from tests.conftest import Actor, assert_problem

HIDDEN = {
    "NUL": "赤峰\u0000科协",
    "right-to-left override": "赤峰\u202e科协",
    "zero-width space": "赤峰\u200b科协",
    "escape": "赤峰\u001b科协",
    "C1 control": "赤峰\u0085科协",
    "byte-order mark": "\ufeff赤峰科协",
}
TEAM = {"kind": "team", "level": "city_team"}


def _teams(client: TestClient, admin: Actor) -> list[str]:
    items = client.get("/api/v1/organizations", headers=admin.headers).json()["items"]
    return [o["name"] for o in items]


@pytest.mark.parametrize("what", list(HIDDEN))
def test_hole_10_a_name_with_a_hidden_character_is_a_422_naming_it_and_stores_nothing(
    client: TestClient, city_admin: Actor, what: str
) -> None:
    before = _teams(client, city_admin)
    response = client.post(
        "/api/v1/organizations", json={**TEAM, "name": HIDDEN[what]}, headers=city_admin.headers
    )
    body = assert_problem(response, 422)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("name", "hidden_character")]
    assert _teams(client, city_admin) == before


def test_hole_10_every_field_holding_one_is_named_nested_ones_by_their_path(
    client: TestClient, city_admin: Actor
) -> None:
    body = {**TEAM, "name": HIDDEN["NUL"], "person_in_charge": "刘\u2066洋"}
    response = client.post("/api/v1/organizations", json=body, headers=city_admin.headers)
    fields = sorted(e["field"] for e in assert_problem(response, 422)["errors"])
    assert fields == ["name", "person_in_charge"]


def test_hole_10_tabs_newlines_and_any_script_or_emoji_stay_allowed(
    client: TestClient, city_admin: Actor
) -> None:
    name = "赤峰市科技志愿服务总队 Ülgen ᠮᠣᠩᠭᠣᠯ 👍"
    response = client.post(
        "/api/v1/organizations", json={**TEAM, "name": name}, headers=city_admin.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name


def test_hole_10_an_import_row_with_one_is_refused_naming_its_row_and_column(
    client: TestClient, city_admin: Actor
) -> None:
    csv = (
        "name,mobile,township_code,source_group,app_account_id\n"
        "张\u200b丽,13847612345,150402001,farmer_herder,kp01\n"
    ).encode()
    response = client.post(
        "/api/v1/officers:bulk",
        content=csv,
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    )
    errors = assert_problem(response, 422)["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("rows[1].name", "hidden_character")]


@pytest.mark.parametrize("what", ["NUL", "escape", "right-to-left override"])
def test_hole_10_a_csv_import_of_figures_is_checked_like_every_other_import(
    client: TestClient, city_admin: Actor, what: str
) -> None:
    account = HIDDEN[what].replace("赤峰", "kp").replace("科协", "01")
    csv = (
        "app_account_id,date,channel,shares,reads\n"
        f"kp02,2026-01-05,weibo,1,10\n{account},2026-01-05,weibo,1,10\n"
    ).encode()
    response = client.post(
        "/api/v1/officer-disseminations:bulk?mode=partial",
        content=csv,
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    )
    errors = assert_problem(response, 422)["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("rows[2].app_account_id", "hidden_character")
    ]


def test_hole_10_the_spec_states_the_refusal_on_every_free_text_of_a_json_body() -> None:
    spec = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    assert schemas["OrganizationCreate"]["properties"]["name"]["pattern"] == PLAIN_TEXT_PATTERN
    pattern = re.compile(PLAIN_TEXT_PATTERN)
    assert all(not pattern.match(text) for text in HIDDEN.values())
    assert pattern.match("第一行\n第二行\t完")


def test_hole_10_only_texts_the_schema_states_as_plain_are_checked() -> None:
    plain = {"type": "string", "pattern": PLAIN_TEXT_PATTERN}
    schemas = {"Guardian": {"type": "object", "properties": {"name": plain}}}
    schema = {
        "type": "object",
        "properties": {
            "name": plain,
            "code": {"type": "string", "pattern": "^[0-9]+$"},
            "guardian": {"anyOf": [{"$ref": "#/components/schemas/Guardian"}, {"type": "null"}]},
            "skills": {"type": "array", "items": plain},
        },
        "additionalProperties": True,
    }
    value = {
        "name": "a\u200bb",
        "code": "1\u0000",
        "guardian": {"name": "c\u202ed"},
        "skills": ["ok", "e\u0007f"],
        "un\u0001known": "g\u0000h",
    }
    assert hidden_text_fields(value, schema, schemas) == ["name", "guardian.name", "skills[1]"]
