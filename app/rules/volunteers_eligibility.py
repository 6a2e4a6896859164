"""Who may register as a tech volunteer: information, declarations, skills and age.

VOL-REG-1 (basic information and ID checks), VOL-ELIG-1 (Art. 7 conditions), VOL-ELIG-2 (age).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from app.domain.common import Finding, RuleResult
from app.domain.messages import N_
from app.domain.volunteers import (
    Declarations,
    GuardianConsent,
    IdType,
    VolunteerPolicy,
    VolunteerRegistration,
)
from app.rules.identity import (
    birth_date_from_resident_id,
    id_document_problems,
    is_valid_mobile,
    normalise_id_number,
)

#: A GB/T 2260 county code (6 digits) or a statistical township (9) or village (12) code.
_REGION_CODE = re.compile(r"[0-9]{6}([0-9]{3}([0-9]{3})?)?", re.ASCII)

_DECLARATION_TEXT: dict[str, str] = {
    "good_conduct": N_("not declared: good conduct"),
    "healthy": N_("not declared: physical and mental health"),
    "law_abiding": N_("not declared: observing the law and the rules of volunteer service"),
    "supports_science": N_("not declared: supporting innovation and science popularisation"),
    "civil_capacity": N_("not declared: the corresponding civil capacity"),
}


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (VOL-ELIG-2).

    One turns a year older on the birthday; a 29 February birthday falls on 1 March in a common
    year (Civil Code Art. 202: the period ends on the month's last day, 28 February).
    """
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_age(
    birth_date: date, on: date, guardian_consent: GuardianConsent | None, policy: VolunteerPolicy
) -> RuleResult:
    """VOL-ELIG-2: 18+ eligible; 8–17 only with a guardian's consent on record; under 8 refused."""
    findings: list[Finding] = []
    if birth_date > on:
        findings.append(
            Finding(
                rule="VOL-ELIG-2",
                code="birth_date_future",
                message=N_("the birth date is in the future"),
                field="birth_date",
            )
        )
        return RuleResult(findings=findings)
    age = age_on(birth_date, on)
    if age < policy.min_age:
        findings.append(
            Finding(
                rule="VOL-ELIG-2",
                code="under_min_age",
                message=N_("aged {age} on {day}: under {min_age} cannot register"),
                params={"age": age, "day": on.isoformat(), "min_age": policy.min_age},
                field="birth_date",
            )
        )
    elif age < policy.adult_age and guardian_consent is None:
        findings.append(
            Finding(
                rule="VOL-ELIG-2",
                code="guardian_consent_required",
                message=N_("aged {age} on {day}: a minor needs a guardian's consent on record"),
                params={"age": age, "day": on.isoformat()},
                field="guardian",
            )
        )
    return RuleResult(findings=findings)


def check_declarations(declarations: Declarations, skills: list[str]) -> RuleResult:
    """VOL-ELIG-1: every condition of Art. 7 declared, and at least one service skill."""
    findings = [
        Finding(rule="VOL-ELIG-1", code="not_declared", message=text, field=f"declarations.{name}")
        for name, text in _DECLARATION_TEXT.items()
        if not getattr(declarations, name)
    ]
    if not any(s.strip() for s in skills):
        findings.append(
            Finding(
                rule="VOL-ELIG-1",
                code="skill_required",
                message=N_("at least one service skill"),
                field="skills",
            )
        )
    return RuleResult(findings=findings)


def effective_birth_date(registration: VolunteerRegistration) -> date | None:
    """The declared birth date, or for a 居民身份证 the one its number encodes (VOL-REG-1)."""
    if registration.birth_date is not None:
        return registration.birth_date
    if registration.id_type is IdType.RESIDENT_ID:
        return birth_date_from_resident_id(registration.id_number)
    return None


def person_key(id_type: IdType, id_number: str) -> str:
    """VOL-REG-2: what makes one person one record: the document type and its normalised number."""
    return f"{id_type.value}:{normalise_id_number(id_number)}"


def check_registration(
    registration: VolunteerRegistration, *, today: date, policy: VolunteerPolicy
) -> RuleResult:
    """VOL-REG-1, VOL-ELIG-1, VOL-ELIG-2: every problem of one registration, not just the first."""
    findings: list[Finding] = []
    if not registration.name.strip():
        findings.append(
            Finding(
                rule="VOL-REG-1",
                code="name_required",
                message=N_("the name is required"),
                field="name",
            )
        )
    findings += [
        Finding(rule="VOL-REG-1", code=p.code, message=p.message, params=p.params, field=p.field)
        for p in id_document_problems(
            registration.id_type,
            registration.id_number,
            birth_date=registration.birth_date,
            today=today,
        )
    ]
    findings.extend(mobile_findings(registration.mobile))
    if not _REGION_CODE.fullmatch(registration.region_code):
        findings.append(
            Finding(
                rule="VOL-REG-1",
                code="region_code_format",
                message=N_("a region code has 6, 9 or 12 digits"),
                field="region_code",
            )
        )
    findings += check_declarations(registration.declarations, registration.skills).findings
    born = effective_birth_date(registration)
    if born is None:
        if registration.id_type is not IdType.RESIDENT_ID:
            findings.append(
                Finding(
                    rule="VOL-REG-1",
                    code="birth_date_required",
                    message=N_("the birth date is required"),
                    field="birth_date",
                )
            )
    else:
        findings += check_age(born, today, registration.guardian, policy).findings
    return RuleResult(findings=findings)


def check_new_volunteer(
    registration: VolunteerRegistration,
    *,
    today: date,
    policy: VolunteerPolicy,
    known_regions: Collection[str],
) -> tuple[list[Finding], date | None]:
    """VOL-REG-1, VOL-ELIG-1, VOL-ELIG-2: every problem of a registration, the region among
    `known_regions` included, and the birth date it states (or its ID number encodes)."""
    findings = list(check_registration(registration, today=today, policy=policy).findings)
    if registration.region_code not in known_regions:
        findings.append(
            Finding(
                rule="VOL-REG-1",
                code="region_unknown",
                message=N_("unknown region code"),
                field="region_code",
            )
        )
    return findings, effective_birth_date(registration)


def mobile_findings(mobile: str) -> list[Finding]:
    """VOL-REG-1: a finding unless the mobile is a mainland one (11 digits, 1 then 3–9)."""
    if is_valid_mobile(mobile):
        return []
    return [
        Finding(
            rule="VOL-REG-1",
            code="mobile_format",
            message=N_("a mobile number is 11 digits starting 13–19"),
            field="mobile",
        )
    ]
