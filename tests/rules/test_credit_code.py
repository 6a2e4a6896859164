"""GB 32100-2015 unified social credit codes, as BASE-ELIG-1 accepts them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.credit_code import (
    ALPHABET,
    WEIGHTS,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
)

#: Codes published by their holders (the first is the worked example of GB 32100-2015).
REAL_CODES = [
    "91350100M000100Y43",
    "91440300708461136T",
    "91330100716105852F",
    "91110000802100433B",
    "911100007109288314",
    "91110108551385082Q",
    "12100000400000624D",
]


def test_base_elig_1_weights_are_those_of_gb_32100() -> None:
    """BASE-ELIG-1: weights 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28."""
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_base_elig_1_real_credit_code_is_valid(code: str) -> None:
    """BASE-ELIG-1: published codes pass, their check character recomputed."""
    assert check_character(code[:17]) == code[17]
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason", "params"),
    [
        ("91350100M000100Y44", "credit_code_check_character", {"got": "4", "expected": "3"}),
        ("91350100M000100Y4", "credit_code_length", {"length": 18, "got": 17}),
        ("91350100M000100Y433", "credit_code_length", {"length": 18, "got": 19}),
        ("91350100M0001O0Y43", "credit_code_characters", {"characters": "O"}),
        ("91350100m000100Y43", "credit_code_characters", {"characters": "m"}),
        ("9135A100M000100Y43", "credit_code_division", {}),
        ("", "credit_code_length", {"length": 18, "got": 0}),
    ],
)
def test_base_elig_1_mutated_credit_code_is_refused_with_its_reason(
    code: str, reason: str, params: dict[str, object]
) -> None:
    """BASE-ELIG-1: a wrong check character, length, alphabet or division code is named."""
    problem = credit_code_problem(code)
    assert problem is not None
    assert (problem.rule, problem.field, problem.code) == ("BASE-ELIG-1", "credit_code", reason)
    assert params.items() <= problem.params.items()
    assert not is_valid_credit_code(code)


def test_base_elig_1_check_character_needs_17_characters_of_the_alphabet() -> None:
    with pytest.raises(ValueError, match="first 17"):
        check_character("91350100M000100Y")


_prefix = st.tuples(
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(_prefix)
def test_base_elig_1_any_prefix_with_its_check_character_is_valid(prefix: str) -> None:
    assert is_valid_credit_code(prefix + check_character(prefix))


@given(_prefix, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_base_elig_1_every_single_character_substitution_is_detected(
    prefix: str, position: int, replacement: str
) -> None:
    """BASE-ELIG-1: weights are non-zero modulo the prime 31: one wrong character always shows."""
    code = prefix + check_character(prefix)
    mutated = code[:position] + replacement + code[position + 1 :]
    assert is_valid_credit_code(mutated) == (mutated == code)
