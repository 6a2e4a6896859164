"""The unified social credit code (统一社会信用代码) of GB 32100-2015, used by BASE-ELIG-1."""

from __future__ import annotations

from app.domain.common import Finding
from app.domain.messages import N_

#: GB 32100-2015 §4: the 31 characters a code may use (no I, O, S, V, Z).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
#: GB 32100-2015 §5: the weight of positions 1–17 is 3**(i-1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
#: The rule and field every problem of a credit code is reported on.
RULE, FIELD = "BASE-ELIG-1", "credit_code"


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character (position 18) of the first 17 characters."""
    if len(first17) != LENGTH - 1 or any(ch not in _VALUE for ch in first17):
        raise ValueError("the first 17 characters must come from the GB 32100 alphabet")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> Finding | None:
    """Why `code` is not a valid unified social credit code, or None when it is (BASE-ELIG-1)."""
    if len(code) != LENGTH:
        return Finding(
            rule=RULE,
            code="credit_code_length",
            field=FIELD,
            message=N_(
                "unified social credit code invalid: must be {length} characters, got {got}"
            ),
            params={"length": LENGTH, "got": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return Finding(
            rule=RULE,
            code="credit_code_characters",
            field=FIELD,
            message=N_(
                "unified social credit code invalid: characters '{characters}' are not allowed "
                "(0-9 and {letters} only)"
            ),
            params={"characters": "".join(bad), "letters": ALPHABET[10:]},
        )
    if not code[2:8].isdigit():
        return Finding(
            rule=RULE,
            code="credit_code_division",
            field=FIELD,
            message=N_(
                "unified social credit code invalid: characters 3-8 must be the administrative "
                "division code (digits)"
            ),
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return Finding(
            rule=RULE,
            code="credit_code_check_character",
            field=FIELD,
            message=N_(
                "unified social credit code invalid: check character is '{got}', "
                "expected '{expected}'"
            ),
            params={"got": code[17], "expected": expected},
        )
    return None


def is_valid_credit_code(code: str) -> bool:
    """True when `code` is a well-formed code whose check character is right (GB 32100-2015)."""
    return credit_code_problem(code) is None
