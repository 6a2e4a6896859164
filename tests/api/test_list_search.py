"""Search and sort on the lists people browse (issue 15): `q` finds by the start of a name or of
its pinyin initials, `sort` orders every page of a keyset walk, a cursor holds only with the
order it was made for, and a county's search stays within its county."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select, update

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.repositories.base import CURSOR_PATTERN
from app.repositories.bases_applications import ApplicationRow
from app.repositories.pinyin import initials_of
from app.repositories.volunteers import VolunteerRow
from tests.api.test_bases_api import make_base
from tests.api.test_volunteers_bulk import bulk_row
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
HONGSHAN, YUANBAOSHAN = "150402", "150403"

#: Volunteers of Hongshan, in the order they are registered (李明 twice: two people).
NAMES = ["王芳", "李明", "张三", "刘敏", "李四", "赵六", "王小明", "李明"]
#: The same names by pinyin initials (刘敏 and 李明 are both `lm`), then by code point.
BY_NAME = ["刘敏", "李明", "李明", "李四", "王芳", "王小明", "赵六", "张三"]


def walk(client: TestClient, path: str, headers: dict[str, str], **params: Any) -> list[Any]:
    """Every item of a list, read two at a time by following `next_cursor`."""
    items: list[Any] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": 2} | ({"cursor": cursor} if cursor else {})
        response = client.get(f"{API}{path}", params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def register(client: TestClient, admin: Actor, seq: int, name: str, region: str) -> str:
    body = volunteer_body(seq, name=name, region_code=region, mobile=f"1390000{seq:04d}")
    response = client.post(f"{API}/volunteers", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.fixture
def volunteers(client: TestClient, city_admin: Actor) -> dict[str, str]:
    """Id → name of the Hongshan volunteers of `NAMES`; 李华 and 刘洋 of Yuanbaoshan besides."""
    hongshan = {
        register(client, city_admin, n, name, HONGSHAN): name for n, name in enumerate(NAMES)
    }
    register(client, city_admin, 100, "李华", YUANBAOSHAN)
    register(client, city_admin, 101, "刘洋", YUANBAOSHAN)
    return hongshan


@pytest.fixture
def hongshan_admin(actor: ActorFactory) -> Actor:
    return actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)


def names(items: list[Any]) -> list[str]:
    return [item["name"] for item in items]


def ids(items: list[Any]) -> list[str]:
    return [item["id"] for item in items]


# --- q ---------------------------------------------------------------------------------------


def test_initials_are_first_letters_with_latin_and_digits_kept_and_the_rest_dropped() -> None:
    assert initials_of("李明") == "lm"
    assert initials_of("长春市科技馆") == "ccskjg"  # read as a phrase: 长 chang, not zhang
    assert initials_of("Alice 王") == "alicew"
    assert initials_of("（红山）科普１２３") == "hskp123"


def test_q_finds_the_names_that_start_with_it(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    found = walk(client, "/volunteers", hongshan_admin.headers, q="李")
    assert sorted(names(found)) == ["李四", "李明", "李明"]
    assert names(walk(client, "/volunteers", hongshan_admin.headers, q="王小")) == ["王小明"]
    assert walk(client, "/volunteers", hongshan_admin.headers, q="明") == []


def test_q_of_latin_letters_finds_the_names_whose_pinyin_initials_start_with_them(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    assert sorted(names(walk(client, "/volunteers", hongshan_admin.headers, q="lm"))) == [
        "刘敏",
        "李明",
        "李明",
    ]
    assert names(walk(client, "/volunteers", hongshan_admin.headers, q="WXM")) == ["王小明"]
    assert sorted(names(walk(client, "/volunteers", hongshan_admin.headers, q="z"))) == [
        "张三",
        "赵六",
    ]


def test_a_wildcard_in_q_is_a_character_not_a_pattern(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    assert walk(client, "/volunteers", hongshan_admin.headers, q="%") == []
    assert walk(client, "/volunteers", hongshan_admin.headers, q="李_") == []


def test_a_renamed_volunteer_is_found_by_the_initials_of_the_new_name(
    client: TestClient, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    volunteer_id = next(i for i, name in volunteers.items() if name == "赵六")
    renamed = client.patch(
        f"{API}/volunteers/{volunteer_id}", json={"name": "钱七"}, headers=city_admin.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert ids(walk(client, "/volunteers", city_admin.headers, q="qq")) == [volunteer_id]
    assert walk(client, "/volunteers", city_admin.headers, q="zl") == []


def test_volunteers_registered_in_bulk_are_found_by_their_initials(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    rows = [bulk_row(n, name=name) for n, name in enumerate(["孙悟空", "沙悟净"], start=1)]
    response = client.post(
        f"{API}/volunteers:bulk",
        params={"organization_id": org["id"]},
        json=rows,
        headers=city_admin.headers,
    )
    assert response.status_code == 200, response.text
    assert names(walk(client, "/volunteers", city_admin.headers, q="swk")) == ["孙悟空"]
    assert names(walk(client, "/volunteers", city_admin.headers, q="s", sort="name")) == [
        "沙悟净",
        "孙悟空",
    ]


# --- sort ------------------------------------------------------------------------------------


def test_sort_by_name_walks_every_page_in_pinyin_initials_then_name_order(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    ascending = walk(client, "/volunteers", hongshan_admin.headers, sort="name")
    descending = walk(client, "/volunteers", hongshan_admin.headers, sort="-name")
    assert names(ascending) == BY_NAME
    twins = [item["id"] for item in ascending if item["name"] == "李明"]
    assert twins == sorted(twins)  # the id breaks the tie
    assert ids(descending) == ids(ascending)[::-1]
    assert sorted(ids(ascending)) == sorted(volunteers)


def test_sort_by_updated_at_walks_every_page_in_change_order_with_ties_broken_by_id(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str], db: Session
) -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    # Minutes after `start` of each volunteer's last change; equal minutes are ties.
    minutes = dict(zip(volunteers, [3, 1, 2, 1, 0, 2, 3, 0], strict=True))
    for volunteer_id, minute in minutes.items():
        changed = start + timedelta(minutes=minute, microseconds=7)
        db.exec(
            update(VolunteerRow)
            .where(col(VolunteerRow.id) == volunteer_id)
            .values(updated_at=changed)
        )
    db.commit()
    expected = sorted(volunteers, key=lambda i: (minutes[i], i))
    ascending = walk(client, "/volunteers", hongshan_admin.headers, sort="updated_at")
    descending = walk(client, "/volunteers", hongshan_admin.headers, sort="-updated_at")
    assert ids(ascending) == expected
    assert ids(descending) == expected[::-1]


@pytest.fixture
def townships(client: TestClient, city_admin: Actor) -> None:
    for code, county in {"150402001": HONGSHAN, "150403001": YUANBAOSHAN}.items():
        body = {"code": code, "name": f"镇{code[-3:]}", "parent_code": county}
        response = client.post(f"{API}/regions", json=body, headers=city_admin.headers)
        assert response.status_code == 201, response.text


def add_officer(
    client: TestClient, admin: Actor, n: int, name: str, township: str, **changes: Any
) -> str:
    body = {
        "name": name,
        "mobile": f"1380000{n:04d}",
        "township_code": township,
        "source_group": "farmer_herder",
        "app_account_id": f"kp{n:04d}",
        **changes,
    }
    response = client.post(f"{API}/officers", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_sort_by_status_walks_every_page_one_status_after_another_in_id_order(
    client: TestClient, city_admin: Actor, townships: None
) -> None:
    left = {"left_on": "2025-06-30"}
    statuses = ["active", "left", "active", "left", "active"]
    added = [
        add_officer(
            client, city_admin, n, f"信息员{n}", "150402001", **(left if s == "left" else {})
        )
        for n, s in enumerate(statuses)
    ]
    walked = walk(client, "/officers", city_admin.headers, sort="status")
    assert [(o["status"], o["id"]) for o in walked] == sorted(zip(statuses, added, strict=True))


# --- cursors and their order -----------------------------------------------------------------


def first_cursor(client: TestClient, headers: dict[str, str], **params: Any) -> str:
    page = client.get(f"{API}/volunteers", params={"limit": 2, **params}, headers=headers)
    assert page.status_code == 200, page.text
    cursor = page.json()["next_cursor"]
    assert cursor
    return str(cursor)


def test_a_cursor_given_with_another_sort_is_422_naming_the_cursor(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    headers = hongshan_admin.headers
    by_name = first_cursor(client, headers, sort="name")
    by_id = first_cursor(client, headers)
    for cursor, sort in [(by_name, "-name"), (by_name, "updated_at"), (by_id, "name")]:
        response = client.get(
            f"{API}/volunteers", params={"cursor": cursor, "sort": sort}, headers=headers
        )
        body = assert_problem(response, 422, field="query.cursor")
        assert [e["code"] for e in body["errors"]] == ["mismatch"]
    without_sort = client.get(f"{API}/volunteers", params={"cursor": by_name}, headers=headers)
    assert_problem(without_sort, 422, field="query.cursor")


def test_a_sorted_cursor_this_service_did_not_make_is_422_naming_the_cursor(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    made = first_cursor(client, hongshan_admin.headers, sort="updated_at")
    for forged in [made.rsplit(".", 1)[0] + ".AAAA", made.rsplit(".", 1)[0] + ".WyJ4Il0"]:
        response = client.get(
            f"{API}/volunteers",
            params={"cursor": forged, "sort": "updated_at"},
            headers=hongshan_admin.headers,
        )
        assert_problem(response, 422, field="query.cursor")


def test_a_sorted_cursor_is_of_the_declared_pattern_and_needs_no_escaping(
    client: TestClient, hongshan_admin: Actor, volunteers: dict[str, str]
) -> None:
    cursor = first_cursor(client, hongshan_admin.headers, sort="-name")
    assert re.fullmatch(CURSOR_PATTERN, cursor)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", cursor)
    follow = client.get(
        f"{API}/volunteers?sort=-name&limit=2&cursor={cursor}", headers=hongshan_admin.headers
    )
    assert follow.status_code == 200, follow.text


# --- scope -----------------------------------------------------------------------------------


def test_a_county_admins_search_never_returns_another_countys_volunteers(
    client: TestClient, hongshan_admin: Actor, city_admin: Actor, volunteers: dict[str, str]
) -> None:
    searches = [
        ({"q": "李"}, {"李华"}),
        ({"q": "l", "sort": "name"}, {"李华", "刘洋"}),
        ({"q": "刘", "sort": "-updated_at"}, {"刘洋"}),
    ]
    for params, yuanbaoshans in searches:
        found = walk(client, "/volunteers", hongshan_admin.headers, **params)
        everywhere = walk(client, "/volunteers", city_admin.headers, **params)
        assert found, params
        assert set(ids(found)) <= set(volunteers), params
        others = [item for item in everywhere if item["id"] not in set(ids(found))]
        assert set(names(others)) == yuanbaoshans, params


def test_a_county_admins_search_never_returns_another_countys_officers(
    client: TestClient, city_admin: Actor, hongshan_admin: Actor, townships: None
) -> None:
    ours = add_officer(client, city_admin, 1, "李明", "150402001")
    add_officer(client, city_admin, 2, "李华", "150403001")
    for params in [{"q": "李"}, {"q": "l", "sort": "name"}, {"q": "l", "sort": "status"}]:
        assert ids(walk(client, "/officers", hongshan_admin.headers, **params)) == [ours]
        assert len(walk(client, "/officers", city_admin.headers, **params)) == 2


def test_a_county_admins_search_never_returns_another_countys_bases_or_applications(
    client: TestClient, hongshan_admin: Actor, db: Session
) -> None:
    ours = make_base(db, "红山科技馆", county=HONGSHAN)
    make_base(db, "红石博物馆", county=YUANBAOSHAN)
    found = walk(client, "/bases", hongshan_admin.headers, q="h", sort="name")
    assert ids(found) == [ours]
    applications = walk(client, "/base-applications", hongshan_admin.headers, q="红")
    assert [a["county_code"] for a in applications] == [HONGSHAN]


# --- the other lists -------------------------------------------------------------------------


def test_organizations_are_found_and_sorted_by_name(client: TestClient, city_admin: Actor) -> None:
    for name in ["红山区科技志愿服务队", "巴林左旗科技志愿服务队", "敖汉旗科技志愿服务队"]:
        make_org(client, city_admin, name=name)
    by_name = walk(client, "/organizations", city_admin.headers, sort="name")
    assert names(by_name) == [
        "敖汉旗科技志愿服务队",
        "巴林左旗科技志愿服务队",
        "红山区科技志愿服务队",
    ]
    assert names(walk(client, "/organizations", city_admin.headers, q="blz")) == [
        "巴林左旗科技志愿服务队"
    ]


def test_activities_are_found_and_sorted_by_title(client: TestClient, city_admin: Actor) -> None:
    org = make_org(client, city_admin)
    starts = datetime.now(SHANGHAI) + timedelta(days=5)
    for title in ["科普日展台", "天文观测", "安全讲座"]:
        body = {
            "organization_id": org["id"],
            "title": title,
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        }
        assert client.post(f"{API}/activities", json=body, headers=city_admin.headers).is_success
    titles = [a["title"] for a in walk(client, "/activities", city_admin.headers, sort="-title")]
    assert titles == ["天文观测", "科普日展台", "安全讲座"]
    found = walk(client, "/activities", city_admin.headers, q="twgc")
    assert [a["title"] for a in found] == ["天文观测"]


def test_bases_are_found_and_sorted_by_name_in_the_admin_list_and_the_public_directory(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    for name in ["红山科技馆", "赤峰博物馆", "宁城天文台"]:
        make_base(db, name)
    expected = ["宁城天文台", "红山科技馆", "赤峰博物馆"]
    assert names(walk(client, "/bases", city_admin.headers, sort="-name")) == expected
    assert names(walk(client, "/public/bases", {}, sort="-name")) == expected
    assert names(walk(client, "/public/bases", {}, q="赤峰")) == ["赤峰博物馆"]
    assert names(walk(client, "/bases", city_admin.headers, q="NC")) == ["宁城天文台"]


def test_applications_are_found_by_name_and_sorted_by_name_or_status(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    arranged = {"元宝山区青少年活动中心": "submitted", "红山区科学技术馆": "draft"}
    arranged["翁牛特旗科普馆"] = "submitted"
    rows = [
        ApplicationRow(applicant_name=name, region_code=HONGSHAN, county_code=HONGSHAN, status=s)
        for name, s in arranged.items()
    ]
    db.add_all(rows)
    db.commit()
    by_name = walk(client, "/base-applications", city_admin.headers, sort="name")
    assert names(by_name) == ["红山区科学技术馆", "翁牛特旗科普馆", "元宝山区青少年活动中心"]
    by_status = walk(client, "/base-applications", city_admin.headers, sort="status")
    assert [a["status"] for a in by_status] == ["draft", "submitted", "submitted"]
    assert names(walk(client, "/base-applications", city_admin.headers, q="wnt")) == [
        "翁牛特旗科普馆"
    ]
    stored = db.exec(select(ApplicationRow.initials).order_by(ApplicationRow.initials)).all()
    assert stored == ["hsqkxjsg", "wntqkpg", "ybsqqsnhdzx"]
