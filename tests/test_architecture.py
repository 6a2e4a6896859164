"""Dependency direction (STYLE.md): domain/ and rules/ stay pure: no ORM, web framework, clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = sorted((ROOT / "app" / "domain").glob("*.py")) + sorted(
    (ROOT / "app" / "rules").glob("*.py")
)
FORBIDDEN_IMPORTS = (
    "sqlmodel",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "app.repositories",
    "app.routers",
    "app.db",
)
FORBIDDEN_CALLS = {"now", "today", "utcnow"}


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_infrastructure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [n for n in _imports(tree) if n.startswith(FORBIDDEN_IMPORTS)]
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_reads_no_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in FORBIDDEN_CALLS
    ]
    assert not calls, f"{path.name} reads the clock: {calls}"
