"""Extract every message template into app/locale/messages.pot and merge it into the Chinese
catalogue (docs/i18n.md).

    .venv/bin/python scripts/messages.py           # extract, update the catalogue
    .venv/bin/python scripts/messages.py --check   # fail if either is stale or a text is missing

Three sources: the templates marked in the code (`N_` and `_`), pydantic's own validation
templates (a validation error says what pydantic found), and the name of every field and
parameter in the OpenAPI document, as the label a validation message opens with (context
`field`). A new template appears in the catalogue untranslated, and `--check` (run by the test
suite) fails until it has its Chinese text.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n import CATALOGUE, FIELD, LOCALE_DIR  # noqa: E402

TEMPLATE = LOCALE_DIR / "messages.pot"
KEYWORDS = {"_": None, "N_": None}


def code_messages(skipped: list[str]) -> Iterator[tuple[str, int, str]]:
    """`(file, line, template)` of every template marked in app/; Babel's warning of each call
    it cannot extract (an f-string inside `_()`) is added to `skipped`."""
    warnings = io.StringIO()
    with contextlib.redirect_stderr(warnings):
        found = list(
            extract_from_dir(
                ROOT / "app", method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
            )
        )
    skipped.extend(line for line in warnings.getvalue().splitlines() if "warning:" in line)
    for filename, lineno, message, _comments, _context in found:
        if isinstance(message, str) and message:
            yield f"app/{filename}", lineno, message


def pydantic_messages() -> Iterator[str]:
    """Pydantic's template of every validation error type."""
    from pydantic_core._pydantic_core import list_all_errors

    for error in list_all_errors():
        for key in ("message_template_python", "message_template_json"):
            if error.get(key):
                yield str(error[key])


def field_names() -> set[str]:
    """Every property and parameter name of the OpenAPI document."""
    from app.main import create_app

    spec = create_app().openapi()
    names: set[str] = set()
    for schema in spec.get("components", {}).get("schemas", {}).values():
        names.update(_properties(schema))
    for item in spec.get("paths", {}).values():
        for op in item.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if param.get("in") in {"query", "path"}:
                    names.add(str(param["name"]))
    return names


def _properties(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        yield from schema.get("properties", {})
        for value in schema.values():
            yield from _properties(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _properties(value)


def template(skipped: list[str]) -> Catalog:
    """The catalogue template: every message, without translations."""
    catalog = Catalog(project="kepu-api", version="1", fuzzy=False)
    for filename, lineno, message in code_messages(skipped):
        catalog.add(message, locations=[(filename, lineno)])
    for message in pydantic_messages():
        catalog.add(message, locations=[("pydantic", 0)])
    for name in sorted(field_names()):
        catalog.add(name, context=FIELD, locations=[("openapi", 0)])
    return catalog


def _bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=True, sort_output=True, no_location=True)
    return out.getvalue()


def updated(pot: Catalog) -> Catalog:
    """The Chinese catalogue with the template's messages: kept texts stay, new ones are empty,
    and messages no longer in the code are dropped."""
    with CATALOGUE.open("rb") as f:
        zh = read_po(f, locale="zh_Hans_CN")
    zh.update(pot, no_fuzzy_matching=True)
    zh.obsolete.clear()
    return zh


def untranslated(zh: Catalog) -> list[str]:
    """The messages without a Chinese text."""
    return [
        f"{m.context + ': ' if m.context else ''}{m.id}"
        for m in zh
        if m.id and (not m.string or m.fuzzy)
    ]


def main() -> int:
    """Extract and merge, or with --check fail on a stale or incomplete catalogue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    skipped: list[str] = []
    pot = template(skipped)
    zh = updated(pot)
    for warning in skipped:
        print(warning)
    new_pot, new_zh = _bytes(pot), _bytes(zh)
    if args.check:
        stale = [
            str(p.relative_to(ROOT))
            for p, data in ((TEMPLATE, new_pot), (CATALOGUE, new_zh))
            if not p.exists() or p.read_bytes() != data
        ]
        missing = untranslated(zh)
        for path in stale:
            print(f"stale: {path} (run scripts/messages.py)")
        for message in missing:
            print(f"no Chinese text: {message}")
        return 1 if stale or missing or skipped else 0
    TEMPLATE.write_bytes(new_pot)
    CATALOGUE.write_bytes(new_zh)
    print(f"{len(pot)} messages, {len(untranslated(zh))} without a Chinese text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
