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


# --- the anatomy of docs/architecture.md: routers parse, call and respond ----------------------

ROUTERS = sorted((ROOT / "app" / "routers" / "v1").rglob("*.py"))
MIGRATIONS = sorted((ROOT / "migrations" / "versions").glob("*.py"))
V1 = "app.routers.v1"
#: Persistence a router never touches itself: it asks a repository or a service.
SESSION_CALLS = {"add", "add_all", "exec", "execute", "commit", "flush", "delete", "get"}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _area(module: str) -> str | None:
    # The area of a router module: the package (or module) right under app.routers.v1.
    parts = module.split(".")
    return parts[3] if module.startswith(V1 + ".") and len(parts) > 3 else None


def _router_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module(path)
    found: list[str] = []
    for name in _imports(tree):
        if name.startswith(("sqlmodel", "sqlalchemy")):
            found.append(f"imports {name}")
        other = _area(name)
        if other is not None and module != V1 and other != _area(module):
            found.append(f"imports the router {name}")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and (func.id == "Finding" or func.id.endswith("Row")):
            found.append(f"builds {func.id}")
        if (
            isinstance(func, ast.Attribute)
            and func.attr in SESSION_CALLS
            and isinstance(func.value, ast.Name)
            and func.value.id == "session"
        ):
            found.append(f"calls session.{func.attr}")
    return sorted(set(found))


#: Routers still being brought to the anatomy (module → area), each of which must still offend:
#: a mended module leaves this list, and no module may offend unless listed.
PENDING: dict[str, str] = {}


@pytest.mark.parametrize("path", ROUTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_router_only_parses_calls_and_responds(path: Path) -> None:
    offences = _router_offences(path)
    key = str(path.relative_to(ROOT))
    if key in PENDING:
        assert offences, f"{key} no longer offends: remove it from PENDING"
        return
    assert not offences, f"{key}: {offences}"


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_migration_imports_nothing_from_the_app(path: Path) -> None:
    # A migration is history: it must run the same tomorrow, whatever app/ becomes.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [n for n in _imports(tree) if n == "app" or n.startswith("app.")]
    assert not bad, f"{path.name} imports {bad}"
