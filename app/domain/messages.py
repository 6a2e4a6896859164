"""How pure code names a message a person reads: an English template, marked for the catalogue.

Rules and domain models never render text. They hand the shell a template marked with `N_` and
its parameters; the shell (app.i18n) looks the template up in the catalogue of the caller's
language and fills it in. `scripts/messages` extracts every marked template into
`app/locale/messages.pot`, and the Chinese catalogue translates each (docs/i18n.md).
"""

from __future__ import annotations


def N_(msgid: str) -> str:  # noqa: N802 - the name every gettext extractor knows
    """Mark `msgid` for extraction into the message catalogue; returns it unchanged."""
    return msgid
