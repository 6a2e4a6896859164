"""Messages in the caller's language: Chinese unless `Accept-Language` prefers English.

Every text a person reads is an English template in the code, marked for extraction (`N_` in
pure code, `_` here in the shell) and translated in the gettext catalogue
`app/locale/zh/LC_MESSAGES/messages.po`. English is the source language, so the English text is
the template itself. The language of a request is negotiated once (app.middleware) and held in a
context variable that the request's worker threads inherit; work outside a request (the worker,
the CLI) names its language explicitly with `translate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from app.domain.common import Finding

LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGUE = LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po"
#: The gettext context of a field's label (its name in the schema).
FIELD = "field"


class Locale(StrEnum):
    """The languages the API answers in, by their `Content-Language` tag."""

    ZH = "zh-CN"
    EN = "en"


DEFAULT = Locale.ZH
_current: ContextVar[Locale] = ContextVar("kepu_locale", default=DEFAULT)
#: Templates asked for in Chinese that the catalogue lacks; the test suite fails on any.
missing: set[tuple[str | None, str]] = set()
_LANGUAGE = re.compile(r"^\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*$")


@cache
def _chinese() -> dict[tuple[str | None, str], str]:
    with CATALOGUE.open("rb") as f:
        catalog = read_po(f)
    return {
        (m.context, str(m.id)): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy
    }


@lru_cache(maxsize=256)
def negotiate(accept_language: str | None) -> Locale:
    """The language an `Accept-Language` value prefers most, by its q-values (RFC 9110 12.5.4);
    Chinese when it names neither, prefers them equally, or is malformed."""
    best, best_q = DEFAULT, 0.0
    for item in (accept_language or "").split(","):
        tag, _sep, rest = item.partition(";")
        match = _LANGUAGE.match(tag)
        if match is None:
            continue
        q = _quality(rest)
        primary = match.group(1).lower()
        locale = {"zh": Locale.ZH, "en": Locale.EN}.get(primary)
        if primary == "*":
            locale = DEFAULT
        tie_to_default = q == best_q and q > 0 and locale is DEFAULT
        if locale is not None and (q > best_q or tie_to_default):
            best, best_q = locale, q
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _sep, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def current() -> Locale:
    """The language of the request (or work) in progress."""
    return _current.get()


@contextmanager
def using(locale: Locale) -> Iterator[None]:
    """Render messages in `locale` for the duration of the block."""
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def translate(locale: Locale, msgid: str, /, *, context: str | None = None, **params: Any) -> str:
    """`msgid` in `locale`, filled in with `params` (`str.format` placeholders)."""
    text = _text(locale, msgid, context)
    return text.format_map(params) if params else text


def _text(locale: Locale, msgid: str, context: str | None) -> str:
    found = _chinese().get((context, msgid))
    if found is None:
        missing.add((context, msgid))
        return msgid
    return found if locale is Locale.ZH else msgid


def _(msgid: str, /, **params: Any) -> str:
    """`msgid` in the current language, filled in with `params`."""
    return translate(current(), msgid, **params)


def label(field: str, locale: Locale | None = None) -> str | None:
    """What a person calls a field: the Chinese label (or in English the name) of the innermost
    name in the path that the schema names (`rows[3].birth_date` → 出生日期); None when no part
    of the path is a field (a position in a malformed body)."""
    locale = locale or current()
    for name in reversed([p for p in re.split(r"[.\[\]]", field) if p and not p.isdigit()]):
        found = _chinese().get((FIELD, name))
        if found is not None:
            return found if locale is Locale.ZH else name.replace("_", " ")
    return None


def render(finding: Finding, locale: Locale | None = None) -> str:
    """A finding's message in `locale` (the current language by default)."""
    text = _text(locale or current(), finding.message, None)
    return text.format_map(finding.params) if finding.params else text
