"""Property tests (issue 7) of the foundation's validators: a cursor of the declared pattern is
accepted as it is and any other text is a 422, never a crash; personal data round-trips through
the key ring, across key rotation; the blind index ignores blanks and case and nothing else."""

from __future__ import annotations

import base64
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.errors import InvalidInput
from app.repositories.base import CURSOR_PATTERN, decode_cursor, encode_cursor
from app.security.personal import KeyRing

ids = st.from_regex(CURSOR_PATTERN, fullmatch=True)
plaintexts = st.text(max_size=200)


def _ring(*ids_: str, secret: str = "s" * 40) -> KeyRing:
    keys = ",".join(f"{k}:{base64.b64encode(os.urandom(32)).decode()}" for k in ids_)
    return KeyRing.from_settings(Settings(secret_key=secret, data_keys=keys))


@given(ids)
def test_a_cursor_decodes_to_the_id_it_was_made_from(last_id: str) -> None:
    assert decode_cursor(encode_cursor(last_id)) == last_id


@settings(max_examples=300)
@given(st.text(max_size=600))
def test_a_cursor_is_accepted_exactly_when_it_matches_the_declared_pattern(cursor: str) -> None:
    outcome: object
    try:
        outcome = decode_cursor(cursor)
    except InvalidInput as exc:
        outcome = [e.field for e in exc.errors]
    expected = cursor if re.fullmatch(CURSOR_PATTERN, cursor) else ["query.cursor"]
    assert outcome == expected


@pytest.fixture(scope="module")
def rings() -> tuple[KeyRing, KeyRing, KeyRing]:
    """k1 alone; k2 prepended to k1 (a rotation); and a ring with another k1."""
    k1, k2, index = os.urandom(32), os.urandom(32), os.urandom(32)
    old = KeyRing([("k1", k1)], index)
    rotated = KeyRing([("k2", k2), ("k1", k1)], index)
    return old, rotated, KeyRing([("k1", os.urandom(32))], index)


@given(plaintexts)
def test_personal_data_round_trips_and_never_shows_in_the_stored_form(text: str) -> None:
    ring = _ring("k1")
    stored = ring.encrypt(text)
    assert ring.decrypt(stored) == text
    if len(text) >= 4:
        assert text not in stored


@given(plaintexts)
def test_two_encryptions_of_one_value_differ(text: str) -> None:
    ring = _ring("k1")
    assert ring.encrypt(text) != ring.encrypt(text)


@given(plaintexts)
def test_after_rotation_old_values_still_decrypt_and_new_ones_use_the_new_key(
    rings: tuple[KeyRing, KeyRing, KeyRing], text: str
) -> None:
    old, rotated, _ = rings
    before = old.encrypt(text)
    after = rotated.encrypt(text)
    assert rotated.decrypt(before) == text
    assert rotated.key_id_of(after) == "k2"
    assert rotated.decrypt(after) == text


@given(plaintexts)
def test_a_value_cannot_be_decrypted_with_another_ring(
    rings: tuple[KeyRing, KeyRing, KeyRing], text: str
) -> None:
    old, _, stranger = rings
    with pytest.raises(Exception):  # noqa: B017, PT011 - AES-GCM refuses: InvalidTag
        stranger.decrypt(old.encrypt(text))


blanks = st.text(alphabet=" \t\n\u3000", max_size=3)


@given(st.text(alphabet="0123456789Xx", min_size=15, max_size=18), blanks, blanks)
def test_blind_index_ignores_blanks_and_case(number: str, before: str, inside: str) -> None:
    ring = _ring("k1")
    spaced = before + number[:6] + inside + number[6:] + before
    assert ring.blind_index(spaced.lower()) == ring.blind_index(number.upper())


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 10))
def test_blind_index_tells_different_numbers_apart(mobile: str, position: int) -> None:
    ring = _ring("k1")
    other = mobile[:position] + str((int(mobile[position]) + 1) % 10) + mobile[position + 1 :]
    assert ring.blind_index(mobile) != ring.blind_index(other)


@given(st.text(min_size=1, max_size=40))
def test_blind_index_does_not_depend_on_the_data_keys(value: str) -> None:
    assert _ring("k1").blind_index(value) == _ring("k2", "k1").blind_index(value)
