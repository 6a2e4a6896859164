"""PLAT-I18N-1: every message in Chinese by default, English on request, a stable code beside it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.domain.access import Role
from app.i18n import Locale, label, negotiate, translate, using
from tests.conftest import ActorFactory

ROOT = Path(__file__).resolve().parent.parent


def test_every_catalogue_entry_has_its_chinese_text_and_the_catalogue_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/messages.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, Locale.ZH),
        ("", Locale.ZH),
        ("zh-CN", Locale.ZH),
        ("zh-Hans-CN,zh;q=0.9", Locale.ZH),
        ("en", Locale.EN),
        ("en-US", Locale.EN),
        ("EN-gb", Locale.EN),
        ("en-US,zh;q=0.5", Locale.EN),
        ("zh-CN,en;q=0.9", Locale.ZH),
        ("fr-FR", Locale.ZH),
        ("fr-FR,en;q=0.8", Locale.EN),
        ("*", Locale.ZH),
        ("en;q=0.5,zh;q=0.5", Locale.ZH),
        ("en;q=0", Locale.ZH),
        ("en;q=abc", Locale.ZH),
        ("en;q=1.5", Locale.ZH),
        ("zh;q=0.1,en;q=0.2", Locale.EN),
        ("!!, en", Locale.EN),
    ],
)
def test_accept_language_chooses_by_q_values_and_falls_back_to_chinese(
    header: str | None, expected: Locale
) -> None:
    assert negotiate(header) is expected


def test_a_template_renders_in_chinese_and_in_english_with_its_parameters() -> None:
    template = "the body exceeds {limit} bytes"
    assert translate(Locale.EN, template, limit=10) == "the body exceeds 10 bytes"
    chinese = translate(Locale.ZH, template, limit=10)
    assert "10" in chinese
    assert chinese != "the body exceeds 10 bytes"


def test_a_field_label_is_chinese_by_default_and_the_name_in_english() -> None:
    with using(Locale.EN):
        assert label("rows[3].birth_date") == "birth date"
    assert label("rows[3].birth_date") == translate(Locale.ZH, "birth_date", context="field")
    assert label("rows[3].birth_date") != "birth date"


def test_a_problem_is_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    zh = client.get("/api/v1/no-such-path")
    en = client.get("/api/v1/no-such-path", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 404
    assert zh.headers["content-language"] == "zh-CN"
    assert en.headers["content-language"] == "en"
    assert "Accept-Language" in zh.headers["vary"]
    assert en.json()["title"] == "Not found"
    assert zh.json()["title"] != "Not found"
    assert zh.json()["type"] == en.json()["type"]


def test_a_validation_error_opens_with_the_chinese_label_and_keeps_its_code(
    client: TestClient, actor: ActorFactory
) -> None:
    headers = actor(Role.CITY_ADMIN).headers
    body = {"username": "x" * 200, "password": "p", "role": "city_admin"}
    zh = client.post("/api/v1/users", json=body, headers=headers)
    en = client.post("/api/v1/users", json=body, headers={**headers, "Accept-Language": "en"})
    assert zh.status_code == en.status_code == 422
    zh_errors = {e["field"]: e for e in zh.json()["errors"]}
    en_errors = {e["field"]: e for e in en.json()["errors"]}
    assert zh_errors.keys() == en_errors.keys()
    assert "username" in zh_errors
    assert zh_errors["username"]["code"] == en_errors["username"]["code"] == "string_too_long"
    zh_label = translate(Locale.ZH, "username", context="field")
    assert zh_errors["username"]["message"].startswith(zh_label)
    assert en_errors["username"]["message"].startswith("username: String should have at most")


def test_a_rule_refusal_lists_codes_and_rules_the_same_in_both_languages(
    client: TestClient, actor: ActorFactory
) -> None:
    headers = actor(Role.CITY_ADMIN).headers
    body = {"name": "", "kind": "team", "level": "county", "region_code": "150402"}
    zh = client.post("/api/v1/organizations", json=body, headers=headers)
    en = client.post(
        "/api/v1/organizations", json=body, headers={**headers, "Accept-Language": "en"}
    )
    assert zh.status_code == en.status_code
    assert zh.status_code in {409, 422}
    key = "violations" if "violations" in zh.json() else "errors"
    zh_items = [(i.get("rule"), i["code"]) for i in zh.json()[key]]
    en_items = [(i.get("rule"), i["code"]) for i in en.json()[key]]
    assert zh_items == en_items
    assert [i["message"] for i in zh.json()[key]] != [i["message"] for i in en.json()[key]]


def test_the_spec_declares_accept_language_and_content_language_everywhere() -> None:
    spec = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    for item in spec["paths"].values():
        for method, op in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            names = {p.get("$ref", "").rsplit("/", 1)[-1] for p in op.get("parameters", [])}
            assert "AcceptLanguage" in names, op["operationId"]
            for status, response in op["responses"].items():
                if status != "304":
                    assert "Content-Language" in response.get("headers", {}), (
                        op["operationId"],
                        status,
                    )
