"""Identity documents, mobile numbers and masking (VOL-REG-1, VOL-DUTY-1).

The checks return plain problems (field, message) so that every area can cite its own rule:
the volunteer rules report them as VOL-REG-1.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict

from app.domain.common import MessageParam
from app.domain.messages import N_
from app.domain.volunteers import IdType

#: GB 11643-1999 (ISO 7064 MOD 11-2): weight of each of the first 17 characters.
RESIDENT_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: The check character for each remainder of the weighted sum modulo 11.
RESIDENT_ID_CHECK_CHARS = "10X98765432"
#: GB/T 2260 province-level codes, the first two digits of a 居民身份证 number.
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"),
        *("65", "71", "81", "82"),
    }
)
#: Decision (VOL-REG-1): no registrant was born before 1900.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Patterns are ASCII-only and matched whole: `\d` would take any Unicode digit.
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_FORMATS: dict[IdType, re.Pattern[str]] = {
    # ICAO 9303 document numbers; Chinese passports are E/G plus 8 digits.
    IdType.PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    # 回乡证: H (Hong Kong) or M (Macao) plus 8 digits; the older booklet had 10.
    IdType.HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8}([0-9]{2})?"),
    # 台胞证: 8 digits since the 2015 card; the older booklet had 10.
    IdType.TAIWAN_PERMIT: re.compile(r"[0-9]{8}([0-9]{2})?"),
    # 外国人永久居留身份证: 3 letters and 12 digits (2017) or 18 characters starting 9 (2023).
    IdType.FOREIGN_PERMANENT_RESIDENT: re.compile(r"[A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X]"),
}
#: VOL-REG-1: what a number not of its document's format is told, by the document.
_FORMAT_MESSAGES: dict[IdType, str] = {
    IdType.PASSPORT: N_("not the format of a passport number"),
    IdType.HK_MACAO_PERMIT: N_("not the format of a Hong Kong and Macao residents' permit number"),
    IdType.TAIWAN_PERMIT: N_("not the format of a Taiwan residents' permit number"),
    IdType.FOREIGN_PERMANENT_RESIDENT: N_(
        "not the format of a foreign permanent resident ID card number"
    ),
}
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_BLANKS = re.compile(r"[\s\-]")


class Problem(BaseModel):
    """One reason a value is not acceptable, and the field it concerns: `code` names it,
    `message` is an English template (`N_`) that `params` fill in."""

    model_config = ConfigDict(frozen=True)

    field: str
    code: str
    message: str
    params: dict[str, MessageParam] = {}


def normalise_id_number(number: str) -> str:
    """The canonical form of a document number: no blanks, upper case (a final `x` becomes `X`)."""
    return _BLANKS.sub("", number).upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of a 居民身份证 number."""
    if len(first17) != 17 or not _DIGITS.fullmatch(first17):
        raise ValueError("the check character is computed over exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def birth_date_from_resident_id(number: str) -> date | None:
    """The birth date in positions 7–14 of an 18-character number, or None if not a real date."""
    number = normalise_id_number(number)
    if len(number) != 18 or not _DIGITS.fullmatch(number[6:14]):
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def resident_id_problems(number: str, *, today: date) -> list[Problem]:
    """VOL-REG-1: every way a 居民身份证 number fails GB 11643-1999: length, region, date, check."""
    number = normalise_id_number(number)
    if not _RESIDENT_ID.fullmatch(number):
        return [
            Problem(
                field="id_number",
                code="id_number_format",
                message=N_("a resident ID card number is 17 digits and then 0–9 or X"),
            )
        ]
    problems: list[Problem] = []
    if number[:2] not in PROVINCE_CODES:
        problems.append(
            Problem(
                field="id_number",
                code="id_province_unknown",
                message=N_("region code {region} names no province"),
                params={"region": number[:6]},
            )
        )
    born = birth_date_from_resident_id(number)
    if born is None:
        problems.append(
            Problem(
                field="id_number",
                code="id_birth_date_invalid",
                message=N_("birth date {digits} is not a date"),
                params={"digits": number[6:14]},
            )
        )
    elif not EARLIEST_BIRTH_DATE <= born <= today:
        problems.append(
            Problem(
                field="id_number",
                code="id_birth_date_impossible",
                message=N_("birth date {born} is not a possible birth date"),
                params={"born": born.isoformat()},
            )
        )
    if resident_id_check_char(number[:17]) != number[17]:
        problems.append(
            Problem(
                field="id_number",
                code="id_check_digit",
                message=N_("the check digit does not match (GB 11643-1999)"),
            )
        )
    return problems


def id_document_problems(
    id_type: IdType, number: str, *, birth_date: date | None, today: date
) -> list[Problem]:
    """VOL-REG-1: a document's problems, and for a 居民身份证 its agreement with `birth_date`.

    Other documents are accepted by format only; the 2023 foreign permanent resident card,
    which carries a GB 11643 check character, is checked like a 居民身份证 number.
    """
    normalised = normalise_id_number(number)
    if id_type is IdType.RESIDENT_ID:
        problems = resident_id_problems(normalised, today=today)
        encoded = birth_date_from_resident_id(normalised)
        if (
            not problems
            and birth_date is not None
            and encoded is not None
            and encoded != birth_date
        ):
            problems.append(
                Problem(
                    field="birth_date",
                    code="birth_date_mismatch",
                    message=N_("birth date {birth_date} disagrees with the ID number ({encoded})"),
                    params={"birth_date": birth_date.isoformat(), "encoded": encoded.isoformat()},
                )
            )
        return problems
    if not _FORMATS[id_type].fullmatch(normalised):
        return [
            Problem(field="id_number", code="id_number_format", message=_FORMAT_MESSAGES[id_type])
        ]
    if (
        id_type is IdType.FOREIGN_PERMANENT_RESIDENT
        and len(normalised) == 18
        and resident_id_check_char(normalised[:17]) != normalised[17]
    ):
        return [
            Problem(
                field="id_number",
                code="id_check_digit",
                message=N_("the check digit does not match"),
            )
        ]
    return []


def normalise_mobile(mobile: str) -> str:
    """A mobile number without blanks, hyphens or the +86 / 0086 country prefix."""
    digits = _BLANKS.sub("", mobile)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


def is_valid_mobile(mobile: str) -> bool:
    """VOL-REG-1: a mainland mobile number: 11 digits, 1 then 3–9."""
    return bool(_MOBILE.fullmatch(normalise_mobile(mobile)))
