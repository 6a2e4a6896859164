"""Use cases of applications for accreditation, from draft to decision, and the county
recommendation quotas (BASE-CAT-1, BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2, BASE-REVIEW-1).

Every step of an application goes through `transition_application`: the one table of what
each status allows (docs/bases.md, "Application lifecycle")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.domain.access import Principal, Role
from app.domain.bases import (
    ApplicationAction,
    ApplicationChannel,
    ApplicationEvent,
    ApplicationStatus,
    BaseCategory,
    BaseStatus,
    OpeningClass,
    ReviewRecommendation,
    ReviewState,
    derived_opening_class,
)
from app.domain.common import RuleResult, local_date
from app.domain.messages import N_
from app.domain.notifications import NoticeKind
from app.errors import Conflict, InvalidInput, RuleViolation
from app.i18n import Locale, _, translate
from app.repositories import bases, bases_applications, regions
from app.repositories.base import VersionCheck
from app.repositories.bases import BaseRow
from app.repositories.bases_applications import ApplicationRow, InspectionRow, QuotaRow, ReviewRow
from app.repositories.bases_policies import policy_on
from app.rules.bases_eligibility import (
    EligibilityResult,
    assess_eligibility,
    check_approval,
    check_category,
    check_channel,
    check_decision_reason,
    check_materials,
    check_opinion,
    check_review_response,
    check_submission,
    transition_application,
)
from app.rules.bases_evaluation import evaluation_due
from app.services.bases import refuse
from app.services.notifications import notify

#: API field → column, where the application's form and the base share a name the table
#: spells otherwise.
COLUMNS = {"name": "applicant_name", "address": "venue_address"}


@dataclass(frozen=True)
class Eligibility:
    """BASE-ELIG-1..8 and the category, materials and channel checks submission adds."""

    eligibility: EligibilityResult
    category: RuleResult
    materials: RuleResult
    channel: RuleResult

    @property
    def ready_to_submit(self) -> bool:
        """True when submission would be accepted."""
        return all(r.ok for r in (self.eligibility, self.category, self.materials, self.channel))


def step(row: ApplicationRow, action: ApplicationAction) -> ApplicationStatus:
    """BASE-REVIEW-1: the status `action` leads to, or a 409 naming why the status forbids it."""
    move = transition_application(row.status_enum, action)
    if move.to is None:
        raise RuleViolation(move.errors, status=409)
    return move.to


def editable(session: Session, principal: Principal, application_id: str) -> ApplicationRow:
    """An application in scope that is a draft or returned (BASE-REVIEW-1, 409 otherwise)."""
    row = bases_applications.get_application(session, principal, application_id)
    step(row, ApplicationAction.EDIT)
    return row


def _county_for(session: Session, principal: Principal, region_code: str) -> str | None:
    county = regions.county_of(session, region_code)
    if principal.role is Role.COUNTY_ADMIN and county != principal.county_code:
        raise InvalidInput.one("region_code", _("outside your county"), "out_of_scope")
    return county


def _county_channel(principal: Principal, values: dict[str, Any]) -> None:
    """A county administrator enters its own recommendations (BASE-APPLY-1)."""
    channel = values.get("channel", ApplicationChannel.COUNTY_ASSOCIATION)
    recommender = values.get("recommender", principal.county_code)
    if channel is not ApplicationChannel.COUNTY_ASSOCIATION:
        raise InvalidInput.one(
            "channel", _("a county administrator enters county recommendations"), "out_of_scope"
        )
    if recommender != principal.county_code:
        raise InvalidInput.one("recommender", _("your county is the recommender"), "out_of_scope")
    values["channel"] = channel
    values["recommender"] = recommender


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """The API's values as the table stores them; null only where a value is optional."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "annual_science_budget":
            out["annual_science_budget_fen"] = None if value is None else int(value * 100)
            continue
        out[COLUMNS.get(name, name)] = value.value if hasattr(value, "value") else value
    return out


def create_application(
    session: Session, *, principal: Principal, values: dict[str, Any], now: datetime
) -> ApplicationRow:
    """A draft entered by the city association or, for its recommendations, a county."""
    if principal.role is Role.COUNTY_ADMIN:
        _county_channel(principal, values)
    county = _county_for(session, principal, values["region_code"])
    return bases_applications.create_application(
        session,
        values=_columns(values),
        county_code=county,
        actor_id=principal.user_id,
        now=now,
    )


def update_application(
    session: Session,
    *,
    principal: Principal,
    application_id: str,
    values: dict[str, Any],
    check_version: VersionCheck,
) -> ApplicationRow:
    """Change a draft or returned application (BASE-REVIEW-1)."""
    row = bases_applications.get_application(session, principal, application_id)
    check_version(row)
    step(row, ApplicationAction.EDIT)
    if principal.role is Role.COUNTY_ADMIN and ({"channel", "recommender"} & values.keys()):
        _county_channel(principal, values)
    columns = _columns(values)
    if "region_code" in values:
        columns["county_code"] = _county_for(session, principal, values["region_code"])
    return bases_applications.update_application(session, row, columns)


def _quota(session: Session, row: ApplicationRow, year: int) -> tuple[int | None, int]:
    if row.channel != ApplicationChannel.COUNTY_ASSOCIATION.value or not row.recommender:
        return None, 0
    quota = bases_applications.get_quota(session, year=year, county_code=row.recommender)
    used = bases_applications.quota_used(
        session, county_code=row.recommender, year=year, excluding=row.id
    )
    return (quota.quota if quota is not None else None), used


def eligibility(
    session: Session, *, principal: Principal, application_id: str, now: datetime
) -> Eligibility:
    """BASE-ELIG-1..8 with every unmet condition, and what submission adds, at any time."""
    row = bases_applications.get_application(session, principal, application_id)
    application = row.to_domain(bases_applications.attachment_kinds(session, row.id))
    quota, used = _quota(session, row, local_date(now).year)
    return Eligibility(
        eligibility=assess_eligibility(application),
        category=check_category(application.category, application.subtype),
        materials=check_materials(application.attachment_kinds),
        channel=check_channel(
            application.channel,
            application.recommender,
            quota=quota,
            quota_used=used,
            applicant_county=row.county_code,
        ),
    )


def submit(
    session: Session, *, principal: Principal, application_id: str, now: datetime
) -> ApplicationRow:
    """BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2, BASE-CAT-1: refused (422) while a condition,
    material, category or channel check fails; 409 when not a draft or returned."""
    row = bases_applications.get_application(session, principal, application_id)
    to = step(row, ApplicationAction.SUBMIT)
    year = (row.submission_year if row.first_submitted_at else None) or local_date(now).year
    quota, used = _quota(session, row, year)
    result = check_submission(
        row.to_domain(bases_applications.attachment_kinds(session, row.id)),
        quota=quota,
        quota_used=used,
        applicant_county=row.county_code,
    )
    refuse(result, 422)
    bases_applications.mark_submitted(session, row, at=now, year=year)
    bases_applications.set_status(
        session, row, to, action=ApplicationEvent.SUBMIT, actor_id=principal.user_id, now=now
    )
    return row


def assign_reviewer(
    session: Session,
    *,
    principal: Principal,
    application_id: str,
    reviewer_id: str,
    now: datetime,
) -> ReviewRow:
    """A member of the review panel (评审小组); the first assignment starts the review."""
    row = bases_applications.get_application(session, principal, application_id)
    step(row, ApplicationAction.ASSIGN_REVIEWER)
    reviewer = bases_applications.active_reviewer(session, reviewer_id)
    if reviewer is None:
        raise InvalidInput.one("reviewer_id", _("not an active reviewer"), "not_reviewer")
    review = bases_applications.assign_reviewer(
        session, row, reviewer_id=reviewer.id, assigned_by=principal.user_id
    )
    if row.status_enum is ApplicationStatus.SUBMITTED:
        to = step(row, ApplicationAction.START_REVIEW)
        bases_applications.set_status(
            session,
            row,
            to,
            action=ApplicationEvent.START_REVIEW,
            actor_id=principal.user_id,
            now=now,
        )
    bases_applications.add_history(
        session,
        row,
        action=ApplicationEvent.ASSIGN_REVIEWER,
        actor_id=principal.user_id,
        now=now,
        note=reviewer.username,
    )
    return review


def respond(
    session: Session,
    *,
    principal: Principal,
    application_id: str,
    declined: bool,
    reason: str,
    scores: dict[str, int],
    recommendation: ReviewRecommendation | None,
    note: str,
    now: datetime,
) -> ReviewRow:
    """One response per assigned reviewer: scores for every criterion, a recommendation and a
    note, or a declination with the conflict of interest (BASE-REVIEW-1)."""
    row = bases_applications.get_application(session, principal, application_id)
    review = bases_applications.review_of(session, row.id, principal.user_id)
    if review is None:
        raise Conflict(_("you are not assigned to this application"))
    response = check_review_response(ReviewState(review.state), declined=declined, reason=reason)
    refuse(RuleResult(findings=[f for f in response.errors if f.field == "state"]), 409)
    refuse(response, 422)
    step(row, ApplicationAction.RECORD_OPINION)
    if declined:
        review = bases_applications.decline_review(session, review, reason=reason, now=now)
        event = ApplicationEvent.REVIEW_DECLINED
    else:
        opinion = check_opinion(scores, note, recommendation)
        if recommendation is None or not opinion.ok:
            raise RuleViolation(opinion.errors, status=422)
        review = bases_applications.record_opinion(
            session,
            review,
            scores=scores,
            recommendation=recommendation,
            note=note,
            now=now,
        )
        event = ApplicationEvent.REVIEW_OPINION
    bases_applications.add_history(session, row, action=event, actor_id=principal.user_id, now=now)
    return review


def inspect(
    session: Session,
    *,
    principal: Principal,
    application_id: str,
    fields: dict[str, Any],
    now: datetime,
) -> InspectionRow:
    """The 考核验收 of an application under review; an approval needs a passed one."""
    row = bases_applications.get_application(session, principal, application_id)
    step(row, ApplicationAction.INSPECT)
    if fields["inspected_on"] > local_date(now):
        raise InvalidInput.one("inspected_on", _("an inspection is recorded once done"), "future")
    inspection = bases_applications.add_inspection(
        session, row, **fields, recorded_by=principal.user_id
    )
    bases_applications.add_history(
        session,
        row,
        action=ApplicationEvent.INSPECTION,
        actor_id=principal.user_id,
        now=now,
        note="passed" if fields["passed"] else "not passed",
    )
    return inspection


def decide(
    session: Session,
    *,
    principal: Principal,
    application_id: str,
    action: ApplicationAction,
    reason: str,
    now: datetime,
    settings: Settings,
) -> ApplicationRow:
    """BASE-REVIEW-1/2: approval (after a passed inspection and the whole panel, 409 listing
    every gap) creates the base with its accreditation date, plaque number and public
    announcement; rejection and return state their reason."""
    row = bases_applications.get_application(session, principal, application_id)
    to = step(row, action)
    refuse(check_decision_reason(action, reason), 422)
    approved = to is ApplicationStatus.APPROVED
    if approved:
        approval = check_approval(
            inspection_passed=bases_applications.inspection_passed(session, row.id),
            reviews=bases_applications.review_states(session, row.id),
            min_opinions=policy_on(session, local_date(now)).min_review_opinions,
        )
        refuse(approval, 409)
    base = accredit(session, row, now=now, settings=settings) if approved else None
    bases_applications.mark_decided(
        session,
        row,
        at=now,
        by=principal.user_id,
        reason=reason,
        base_id=None if base is None else base.id,
    )
    bases_applications.set_status(
        session,
        row,
        to,
        action=ApplicationEvent(action.value),
        actor_id=principal.user_id,
        now=now,
        note=reason,
    )
    _tell_applicant(
        session, row, to, reason=reason, plaque=base.plaque_number if base else "", now=now
    )
    return row


#: The notice each decision sends the applicant (PLAT-NOTIFY-1).
_DECISION_NOTICES = {
    ApplicationStatus.RETURNED: NoticeKind.APPLICATION_RETURNED,
    ApplicationStatus.APPROVED: NoticeKind.APPLICATION_APPROVED,
    ApplicationStatus.REJECTED: NoticeKind.APPLICATION_REJECTED,
}


def _tell_applicant(
    session: Session,
    row: ApplicationRow,
    to: ApplicationStatus,
    *,
    reason: str,
    plaque: str,
    now: datetime,
) -> None:
    """PLAT-NOTIFY-1: the user who made the application hears the decision."""
    kind = _DECISION_NOTICES.get(to)
    if kind is None or row.created_by is None:
        return
    notify(
        session,
        user_ids=[row.created_by],
        kind=kind,
        variables={"base_name": row.applicant_name, "reason": reason, "plaque": plaque},
        resource_path=f"/api/v1/base-applications/{row.id}",
        dedupe_key=f"{kind.value}:{row.id}:{row.version}",
        now=now,
    )


def announcement(settings: Settings, name: str, plaque: str, on: str) -> tuple[str, str]:
    """The title and text of an accreditation's announcement (Art. 18), from the association's
    name and the title it confers (settings `association_name`, `base_title`)."""
    # A public document of the association, published in Chinese whoever records the approval.
    title = translate(
        Locale.ZH, N_("Accreditation announcement: {base_title}"), base_title=settings.base_title
    )
    body = translate(
        Locale.ZH,
        N_(
            "After review and acceptance inspection by {association}, {name} is accredited as "
            "“{base_title}”, plaque number {plaque}, accredited on {on}."
        ),
        association=settings.association_name,
        name=name,
        base_title=settings.base_title,
        plaque=plaque,
        on=on,
    )
    return title, body


def accredit(
    session: Session, row: ApplicationRow, *, now: datetime, settings: Settings
) -> BaseRow:
    """The approved application becomes a base, with plaque and announcement (Art. 18)."""
    today = local_date(now)
    category = BaseCategory(row.category) if row.category else BaseCategory.OTHER
    opening_class = derived_opening_class(category, row.subtype)
    if row.region_code is None:
        raise InvalidInput.one("region_code", _("the base's region is required"), "required")
    plaque = bases.next_plaque_number(session, today.year, settings.plaque_prefix)
    base = bases.create_base(
        session,
        fields={
            "name": row.applicant_name,
            "category": category.value,
            "subtype": row.subtype,
            "opening_class": opening_class.value,
            "region_code": row.region_code,
            "county_code": row.county_code,
            "address": row.venue_address,
            "opening_hours": row.opening_hours,
            "contact_phone": row.contact_phone,
            "credit_code": row.credit_code,
            "application_id": row.id,
            "accredited_on": today,
            "plaque_number": plaque,
            "status": BaseStatus.ACCREDITED.value,
            "evaluation_due_on": evaluation_due(today, [], policy_on(session, today)),
        },
    )
    title, body = announcement(settings, base.name, plaque, today.isoformat())
    bases.add_announcement(session, base, at=now, title=title, body=body)
    if opening_class is OpeningClass.UNDETERMINED:
        bases_applications.add_history(
            session,
            row,
            action=ApplicationEvent.CLASS_UNDETERMINED,
            actor_id=None,
            now=now,
            note="BASE-OPEN-3: the city administrator sets the opening class",
        )
    return base


def set_quota(
    session: Session,
    *,
    year: int,
    county_code: str,
    quota: int,
    check_version: VersionCheck,
) -> tuple[QuotaRow, int, bool]:
    """BASE-APPLY-1: how many units a county may recommend in the year (名额); the quota, its
    use so far, and True when it was new."""
    regions.require_region(
        session, county_code, field="county_code", level=regions.RegionLevel.COUNTY
    )
    existing = bases_applications.get_quota(session, year=year, county_code=county_code)
    if existing is not None:
        check_version(existing)
    row, created = bases_applications.set_quota(
        session, year=year, county_code=county_code, quota=quota
    )
    used = bases_applications.quota_used(session, county_code=county_code, year=year, excluding="")
    return row, used, created
