"""The repository stands alone: docs/rules.md is the one rule catalogue, every cited rule is in it,
every rule has a test (or an open issue that will bring it), and nothing points outside."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from app.cli import export_openapi

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "rules.md"
# A rule ID as cited: `BASE-OPEN-1`, a range `BASE-ELIG-1..8`, a list `BASE-OPEN-1/2/3`.
_CITED = re.compile(r"\b((?:BASE|VOL|OFF|PLAT)-[A-Z][A-Z0-9]*)-(\d+)((?:\.\.\d+|(?:/\d+)+)?)\b")
_CATALOGUED = re.compile(r"^\| ((?:BASE|VOL|OFF|PLAT)-[A-Z][A-Z0-9]*-\d+) \|", re.MULTILINE)
# What would send a reader out of the repository: the old catalogue's path, a sibling folder.
_OUTSIDE = re.compile(r"\.\./shared|\bshared/RULES|\bRULES\.md\b|/work/|\.\./\.\./")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# The committed spec is regenerated from the app (tests/test_openapi.py keeps them equal); the
# app's own spec is checked below instead.
_GENERATED = {"openapi/openapi.json"}

#: Rules of the second edition not implemented yet, each with the open issue that brings it.
NOT_YET_IMPLEMENTED = {
    "BASE-APPLY-3": 17,
    "BASE-EVAL-2": 17,
    "BASE-VOL-1": 17,
    "BASE-BENEFIT-1": 17,
    "BASE-SUPER-1": 17,
    "BASE-MAP-1": 17,
    "VOL-REG-3": 16,
    "VOL-TRAIN-1": 18,
    "VOL-GOODS-1": 18,
    "VOL-EVAL-1": 18,
    "VOL-SUPER-2": 18,
    "OFF-KPI-2": 18,
    "OFF-PLAN-2": 18,
    "OFF-ACT-1": 18,
    "PLAT-REGION-1": 16,
    "PLAT-POLICY-1": 17,
}
OPEN_ISSUES = range(12, 20)


def _tracked() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    return [ROOT / name for name in listed if name and name not in _GENERATED]


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def expand(text: str) -> set[str]:
    """Every rule ID a text cites, ranges and lists spelled out one by one."""
    ids: set[str] = set()
    for prefix, first, rest in _CITED.findall(text):
        numbers = [int(first)]
        if rest.startswith(".."):
            numbers = list(range(int(first), int(rest[2:]) + 1))
        elif rest:
            numbers += [int(n) for n in rest.strip("/").split("/")]
        ids.update(f"{prefix}-{n}" for n in numbers)
    return ids


def _cited_in(folder: str) -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        if path == Path(__file__):
            continue  # this file names the untested rules, which proves nothing
        ids |= expand(path.read_text(encoding="utf-8"))
    return ids


def _catalogue() -> list[str]:
    return _CATALOGUED.findall(CATALOGUE.read_text(encoding="utf-8"))


def test_rule_id_ranges_and_lists_are_read_one_by_one() -> None:
    assert expand("BASE-ELIG-1..3 and BASE-OPEN-1/2, VOL-HOURS-1") == {
        "BASE-ELIG-1",
        "BASE-ELIG-2",
        "BASE-ELIG-3",
        "BASE-OPEN-1",
        "BASE-OPEN-2",
        "VOL-HOURS-1",
    }
    assert expand("PLAT-I18N-1") == {"PLAT-I18N-1"}


def test_no_tracked_file_points_outside_the_repository() -> None:
    offenders = []
    for path in _tracked():
        text = _text(path)
        if text is not None and path != Path(__file__) and _OUTSIDE.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_relative_link_of_the_docs_stays_inside_and_exists() -> None:
    broken = []
    for path in _tracked():
        if path.suffix != ".md":
            continue
        for target in _LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            resolved = (path.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert broken == []


def test_the_spec_cites_the_catalogue_never_an_outside_path() -> None:
    assert not _OUTSIDE.search(export_openapi())


def test_catalogue_lists_each_rule_once() -> None:
    ids = _catalogue()
    assert len(ids) == len(set(ids))
    assert len(ids) > 70


@pytest.mark.parametrize("folder", ["app", "tests"])
def test_every_rule_cited_in_code_and_tests_is_in_the_catalogue(folder: str) -> None:
    assert sorted(_cited_in(folder) - set(_catalogue())) == []


def test_every_catalogued_rule_is_proven_by_a_test_or_awaits_its_issue() -> None:
    untested = set(_catalogue()) - _cited_in("tests")
    assert sorted(untested - set(NOT_YET_IMPLEMENTED)) == []


def test_not_yet_implemented_lists_only_catalogued_untested_rules_of_open_issues() -> None:
    assert set(NOT_YET_IMPLEMENTED) <= set(_catalogue())
    assert sorted(set(NOT_YET_IMPLEMENTED) & _cited_in("tests")) == []
    assert all(issue in OPEN_ISSUES for issue in NOT_YET_IMPLEMENTED.values())
