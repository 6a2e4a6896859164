"""Volunteers: registration (one, many, by the public), updates, memberships, hours.

VOL-REG-1/2, VOL-ELIG-1/2, VOL-EXIT-1, VOL-HOURS-1, VOL-HONOUR-1.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.messages import N_
from app.domain.volunteers import (
    GuardianConsent,
    MembershipAction,
    MembershipStatus,
    RegistrationStatus,
    VolunteerPolicy,
    VolunteerRegistration,
)
from app.errors import FieldError, InvalidInput, RuleViolation
from app.i18n import _
from app.ids import new_id
from app.repositories import users
from app.repositories import volunteers as repo
from app.repositories import volunteers_orgs as orgs
from app.repositories import volunteers_records as records
from app.repositories import volunteers_registrations as registrations
from app.repositories.base import PageRequest, PageResult
from app.routers.bulk import (
    BulkMode,
    BulkResult,
    RowResult,
    RowStatus,
    collector_paused,
    row_error,
    summarise,
)
from app.rules.identity import normalise_id_number, normalise_mobile
from app.rules.volunteers_eligibility import check_new_volunteer, mobile_findings
from app.rules.volunteers_hours import HoursTotal, confirmed_hours, hours_totals, star_level
from app.rules.volunteers_org import (
    BulkJoin,
    bulk_join,
    check_bulk_join,
    membership_transition,
)

#: The reason written on the memberships a team registration opens or changes.
BULK_REASON = "bulk registration"
ALREADY_REGISTERED = Finding(
    rule="VOL-REG-2", code="already_registered", message=N_("this person is already registered")
)
#: VOL-REG-2: what a decision on a registration already decided is told, by its status.
ALREADY_DECIDED: dict[str, str] = {
    RegistrationStatus.ACCEPTED.value: N_("this registration is already accepted"),
    RegistrationStatus.DECLINED.value: N_("this registration is already declined"),
}


def _values(registration: VolunteerRegistration, birth: date, county: str | None) -> dict[str, Any]:
    return repo.volunteer_values(
        name=registration.name,
        id_type=registration.id_type,
        id_number=normalise_id_number(registration.id_number),
        mobile=normalise_mobile(registration.mobile),
        address=registration.address or None,
        birth_date=birth,
        region_code=registration.region_code,
        county_code=county,
        skills=registration.skills,
        service_targets=registration.service_targets,
        declarations=registration.declarations,
        guardian=registration.guardian,
    )


def _checked_content(
    session: Session, registration: VolunteerRegistration, today: date
) -> dict[str, Any]:
    """The column values of a volunteer, or every problem of the content (422)."""
    counties = repo.counties_of(session, [registration.region_code])
    findings, birth = check_new_volunteer(
        registration, today=today, policy=repo.policy_on(today), known_regions=counties.keys()
    )
    if findings or birth is None:
        raise RuleViolation(findings)
    return _values(registration, birth, counties[registration.region_code])


def _checked_new(
    session: Session, registration: VolunteerRegistration, today: date
) -> dict[str, Any]:
    """The column values of a new volunteer, or every problem (422) or a known person (409)."""
    values = _checked_content(session, registration, today)
    if repo.find_by_person(session, [values["person_hash"]]):
        raise RuleViolation([ALREADY_REGISTERED], status=409)
    return values


def register_volunteer(
    *,
    session: Session,
    principal: Principal,
    registration: VolunteerRegistration,
    organization_id: str | None,
    now: datetime,
) -> repo.VolunteerRow:
    """VOL-REG-1: register one person, joining `organization_id` as an active member."""
    if organization_id is None and principal.role is Role.ORG_ADMIN:
        raise InvalidInput.one(
            "organization_id", _("required for an organisation admin"), "required"
        )
    org = (
        None
        if organization_id is None
        else orgs.get_managed_org(session, principal, organization_id)
    )
    row = repo.add_volunteer(session, _checked_new(session, registration, local_date(now)))
    if org is not None:
        repo.join(
            session,
            volunteer_id=row.id,
            org=org,
            status=MembershipStatus.ACTIVE,
            existing=None,
            by=principal.user_id,
            at=now,
        )
    return row


def request_registration(
    *,
    session: Session,
    registration: VolunteerRegistration,
    organization_id: str,
    username: str,
    password_hash: str,
    now: datetime,
) -> registrations.RegistrationRow:
    """VOL-REG-1/2: a registration by the public, pending until the organisation decides. Only
    its content is checked here (VOL-REG-1, VOL-ELIG-1/2): whether the person or the username
    is on record is looked at by the organisation, so the answer reveals neither."""
    org = orgs.get_org(session, organization_id)
    values = _checked_content(session, registration, local_date(now))
    return registrations.add_registration(
        session,
        org=org,
        registration=registration,
        person_hash=values["person_hash"],
        username=username,
        password_hash=password_hash,
    )


@dataclass(frozen=True)
class RegistrationView:
    """A registration with what the organisation needs to decide it (VOL-REG-2)."""

    row: registrations.RegistrationRow
    registration: VolunteerRegistration
    already_registered: bool
    username_taken: bool


def registration_views(
    session: Session, rows: Sequence[registrations.RegistrationRow]
) -> list[RegistrationView]:
    """Each registration with whether its person and its username are already on record, in two
    queries for a whole page."""
    pending = [r for r in rows if r.status == RegistrationStatus.PENDING.value]
    known = repo.find_by_person(session, [r.person_hash for r in pending])
    taken = users.taken_usernames(session, [r.username for r in pending])
    return [
        RegistrationView(
            row=r,
            registration=r.to_domain(),
            already_registered=r.person_hash in known,
            username_taken=r.username in taken,
        )
        for r in rows
    ]


def _pending_registration(
    session: Session, principal: Principal, registration_id: str
) -> tuple[registrations.RegistrationRow, orgs.OrganizationRow]:
    row = registrations.get_registration(session, principal, registration_id, lock=True)
    org = orgs.get_managed_org(session, principal, row.organization_id)
    if row.status != RegistrationStatus.PENDING.value:
        raise RuleViolation(
            [
                Finding(
                    rule="VOL-REG-2",
                    code="already_decided",
                    message=ALREADY_DECIDED[row.status],
                )
            ],
            status=409,
        )
    return row, org


def accept_registration(
    *,
    session: Session,
    principal: Principal,
    registration_id: str,
    username: str | None,
    now: datetime,
) -> RegistrationView:
    """VOL-REG-2: a new person becomes a volunteer, an active member, with a `volunteer` login
    named as asked (or `username`); a person on record joins as they are and keeps the one login
    they have, or none: a login sent anonymously is never tied to someone already on record."""
    row, org = _pending_registration(session, principal, registration_id)
    registration = row.to_domain()
    volunteer = repo.find_by_person(session, [row.person_hash]).get(row.person_hash)
    if volunteer is None:
        volunteer = repo.add_volunteer(
            session, _checked_content(session, registration, local_date(now))
        )
        user = users.create_user(
            session,
            username=username or row.username,
            password_hash=row.password_hash,
            role=Role.VOLUNTEER,
            display_name=volunteer.name,
            volunteer_id=volunteer.id,
        )
        repo.link_user(session, volunteer, user.id)
    repo.serve(
        session,
        volunteer_id=volunteer.id,
        org=org,
        by=principal.user_id,
        at=now,
        reason="self-registration",
    )
    decided = registrations.decide_registration(
        session,
        row,
        status=RegistrationStatus.ACCEPTED,
        volunteer_id=volunteer.id,
        reason="",
        by=principal.user_id,
        at=now,
    )
    return registration_views(session, [decided])[0]


def decline_registration(
    *,
    session: Session,
    principal: Principal,
    registration_id: str,
    reason: str,
    now: datetime,
) -> RegistrationView:
    """VOL-REG-2: a pending registration declined with its reason; nothing is created."""
    row, _org = _pending_registration(session, principal, registration_id)
    decided = registrations.decide_registration(
        session,
        row,
        status=RegistrationStatus.DECLINED,
        volunteer_id=None,
        reason=reason,
        by=principal.user_id,
        at=now,
    )
    return registration_views(session, [decided])[0]


@collector_paused()
def register_many(
    *,
    session: Session,
    principal: Principal,
    organization_id: str,
    rows: Iterable[VolunteerRegistration | list[FieldError]],
    mode: BulkMode,
    include_ok: bool,
    now: datetime,
) -> BulkResult:
    """VOL-REG-2: each row `created`, `matched_existing` (by ID document) or `error`; every good
    row's volunteer an active member of the organisation; a retried import creates nothing twice."""
    today = local_date(now)
    policy = repo.policy_on(today)
    org = orgs.get_managed_org(session, principal, organization_id)
    parsed = list(rows)
    good = [p for p in parsed if isinstance(p, VolunteerRegistration)]
    counties = repo.counties_of(session, {p.region_code for p in good})
    hashes = [
        repo.person_hash(p.id_type, p.id_number) if isinstance(p, VolunteerRegistration) else ""
        for p in parsed
    ]
    existing = repo.find_by_person(session, [h for h in hashes if h])
    memberships = {
        m.volunteer_id: m
        for m in repo.memberships_of(session, [v.id for v in existing.values()])
        if m.organization_id == org.id
    }
    results, new_rows = _classify(parsed, hashes, existing, memberships, counties, today, policy)
    summary = summarise(mode, results, include_ok=include_ok)
    repo.create_volunteers(session, new_rows)
    _join_all(
        session,
        principal,
        org,
        [r.id for r in results if r.status is not RowStatus.ERROR and r.id],
        memberships,
        now,
    )
    return summary


def _classify(
    parsed: list[VolunteerRegistration | list[FieldError]],
    hashes: list[str],
    existing: dict[str, repo.VolunteerRow],
    memberships: dict[str, repo.MembershipRow],
    counties: dict[str, str | None],
    today: date,
    policy: VolunteerPolicy,
) -> tuple[list[RowResult], list[dict[str, Any]]]:
    """Each row's result and the column values of the volunteers to create."""
    known: Collection[str] = counties.keys()
    results: list[RowResult] = []
    seen: dict[str, str] = {h: v.id for h, v in existing.items()}
    new_rows: list[dict[str, Any]] = []
    for index, (item, hashed) in enumerate(zip(parsed, hashes, strict=True), start=1):
        if isinstance(item, list):
            results.append(RowResult(row=index, status=RowStatus.ERROR, errors=item))
            continue
        findings, birth = check_new_volunteer(item, today=today, policy=policy, known_regions=known)
        member = memberships.get(seen[hashed]) if hashed in seen else None
        if member is not None:
            findings += check_bulk_join(MembershipStatus(member.status)).findings
        if findings or birth is None:
            results.append(row_error(index, findings))
        elif hashed in seen:
            results.append(RowResult(row=index, status=RowStatus.MATCHED_EXISTING, id=seen[hashed]))
        else:
            values = _values(item, birth, counties[item.region_code])
            values["id"] = seen[hashed] = new_id()
            new_rows.append(values)
            results.append(RowResult(row=index, status=RowStatus.CREATED, id=values["id"]))
    return results, new_rows


_STEP_ACTION = {
    BulkJoin.APPROVE: MembershipAction.APPROVE,
    BulkJoin.READMIT: MembershipAction.READMIT,
}


def _join_all(
    session: Session,
    principal: Principal,
    org: orgs.OrganizationRow,
    volunteer_ids: list[str],
    memberships: dict[str, repo.MembershipRow],
    now: datetime,
) -> None:
    """VOL-REG-2: every registered volunteer an active member, each by the step `bulk_join` says."""
    newcomers: list[str] = []
    rejoiners: list[tuple[str, repo.MembershipRow | None]] = []
    for volunteer_id in dict.fromkeys(volunteer_ids):
        member = memberships.get(volunteer_id)
        step = bulk_join(MembershipStatus(member.status) if member else None)
        if step is BulkJoin.JOIN:
            newcomers.append(volunteer_id)
        elif step is BulkJoin.REJOIN:
            rejoiners.append((volunteer_id, member))
        elif member is not None and step in _STEP_ACTION:
            _step(session, member, _STEP_ACTION[step], BULK_REASON, principal.user_id, now)
    active, by = MembershipStatus.ACTIVE, principal.user_id
    repo.join_new(session, newcomers, org=org, status=active, by=by, at=now, reason=BULK_REASON)
    repo.join_many(session, rejoiners, org=org, status=active, by=by, at=now, reason=BULK_REASON)


def _step(
    session: Session,
    membership: repo.MembershipRow,
    action: MembershipAction,
    reason: str | None,
    by: str | None,
    at: datetime,
) -> repo.MembershipRow:
    decision = membership_transition(MembershipStatus(membership.status), action, reason)
    if decision.to_status is None:
        raise RuleViolation(decision.result.errors, status=409)
    return repo.record_step(
        session,
        membership,
        action=action,
        to_status=decision.to_status,
        reason=reason,
        by=by,
        at=at,
    )


def update_volunteer(
    *,
    session: Session,
    row: repo.VolunteerRow,
    changes: dict[str, Any],
    guardian: GuardianConsent | None,
) -> repo.VolunteerRow:
    """Contact details, skills and the guardian's consent (`changes` as sent, unset fields out)."""
    if "mobile" in changes:
        if findings := mobile_findings(changes["mobile"]):
            raise RuleViolation(findings)
        changes = {**changes, "mobile": normalise_mobile(changes["mobile"])}
    return repo.update_volunteer(session, row, changes, guardian=guardian)


@dataclass(frozen=True)
class MembershipView:
    """A membership with its steps, oldest first."""

    row: repo.MembershipRow
    history: list[repo.MembershipEventRow]


def _view(session: Session, row: repo.MembershipRow) -> MembershipView:
    return MembershipView(row=row, history=repo.history(session, [row.id]))


def join_organization(
    *,
    session: Session,
    principal: Principal,
    volunteer_id: str,
    organization_id: str,
    reason: str,
    now: datetime,
) -> MembershipView:
    """VOL-REG-2: a volunteer asks to join (pending), an administrator adds (active); VOL-EXIT-1:
    never after expulsion."""
    volunteer = repo.get_volunteer(session, principal, volunteer_id)
    if principal.role is Role.VOLUNTEER:
        org = orgs.get_org(session, organization_id)
        status = MembershipStatus.PENDING
    else:
        org = orgs.get_managed_org(session, principal, organization_id)
        status = MembershipStatus.ACTIVE
    row = repo.join(
        session,
        volunteer_id=volunteer.id,
        org=org,
        status=status,
        existing=repo.membership_in(session, volunteer.id, org.id),
        by=principal.user_id,
        at=now,
        reason=reason,
    )
    return _view(session, row)


def change_membership(
    *,
    session: Session,
    principal: Principal,
    volunteer_id: str,
    membership_id: str,
    action: MembershipAction,
    reason: str | None,
    now: datetime,
) -> MembershipView:
    """VOL-EXIT-1: one step with its reason: by the volunteer itself (the routes let it only
    leave) or by an administrator of the membership's organisation."""
    repo.get_volunteer(session, principal, volunteer_id)
    membership = repo.get_membership(session, volunteer_id, membership_id)
    if principal.role is not Role.VOLUNTEER:
        orgs.get_managed_org(session, principal, membership.organization_id)
    return _view(session, _step(session, membership, action, reason, principal.user_id, now))


def membership(
    *, session: Session, principal: Principal, volunteer_id: str, membership_id: str
) -> MembershipView:
    """VOL-EXIT-1: one of a volunteer's memberships with its steps."""
    repo.get_volunteer(session, principal, volunteer_id)
    return _view(session, repo.get_membership(session, volunteer_id, membership_id))


def memberships_page(
    *, session: Session, principal: Principal, volunteer_id: str, page: PageRequest
) -> PageResult[MembershipView]:
    """VOL-EXIT-1: one page of a volunteer's memberships, each with its steps."""
    repo.get_volunteer(session, principal, volunteer_id)
    result = repo.list_memberships(session, volunteer_id, page)
    events = repo.history(session, [r.id for r in result.items])
    views = [
        MembershipView(row=r, history=[e for e in events if e.membership_id == r.id])
        for r in result.items
    ]
    return PageResult(items=views, next_cursor=result.next_cursor, total=result.total)


@dataclass(frozen=True)
class Hours:
    """VOL-HOURS-1, VOL-HONOUR-1: confirmed hours and the star level they earn."""

    total: Decimal
    star_level: int
    lines: list[HoursTotal]


def hours_of(*, session: Session, principal: Principal, volunteer_id: str, today: date) -> Hours:
    """VOL-HOURS-1, VOL-HONOUR-1: totals by year and organisation; stars from confirmed hours."""
    repo.get_volunteer(session, principal, volunteer_id)
    domain = [r.to_domain() for r in records.records_of(session, volunteer_id)]
    total = confirmed_hours(domain)
    return Hours(
        total=total,
        star_level=star_level(total, repo.policy_on(today)),
        lines=hours_totals(domain),
    )
