"""The pinyin initials by which people find a name (issue 15): 李明 is found by `lm`."""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin

#: The longest initials kept: those of a name of up to 200 characters.
INITIALS_LENGTH = 200


def initials_of(name: str) -> str:
    """The pinyin initials of a name in lower case (李明 → `lm`, 科普123 → `kp123`): each Chinese
    character gives the first letter of its reading (pypinyin reads by phrase, so 长春 is `cc`),
    Latin letters and digits stay, anything else (spaces, punctuation) is dropped."""
    letters = "".join(lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER))
    return "".join(c for c in letters.lower() if c.isascii() and c.isalnum())[:INITIALS_LENGTH]
