"""Applications for accreditation as a science education base: conditions, materials, channels,
and the application lifecycle (Att. 3 Arts. 12–18)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from app.domain.bases import (
    APPLICATION_TRANSITIONS,
    MAX_SCORE,
    REVIEW_CRITERIA,
    SUBTYPES,
    ApplicationAction,
    ApplicationChannel,
    ApplicationStatus,
    BaseApplication,
    BaseCategory,
    ReviewRecommendation,
    ReviewState,
)
from app.domain.common import Finding, RuleResult, Severity
from app.domain.files import AttachmentKind
from app.domain.messages import N_
from app.rules.credit_code import credit_code_problem


class EligibilityResult(RuleResult):
    """Every unmet condition of BASE-ELIG-1..8; `ok` when the applicant is eligible."""

    @property
    def unmet(self) -> list[str]:
        """The rule IDs of the unmet conditions, in order, each once."""
        return list(dict.fromkeys(f.rule for f in self.errors))


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def assess_eligibility(application: BaseApplication) -> EligibilityResult:
    """BASE-ELIG-1..8: every condition of Art. 13 not yet met, each with its reason."""
    a = application
    findings: list[Finding] = []

    def unmet(rule: str, field: str, code: str, message: str) -> None:
        findings.append(Finding(rule=rule, field=field, code=code, message=message))

    # BASE-ELIG-1: legal person (credit code) or formally entrusted by one (letter).
    has_letter = AttachmentKind.ENTRUSTMENT_LETTER in a.attachment_kinds
    if _blank(a.credit_code):
        if not has_letter:
            unmet(
                "BASE-ELIG-1",
                "credit_code",
                "credit_code_required",
                N_(
                    "a unified social credit code or an entrustment letter from a legal person "
                    "is required"
                ),
            )
    else:
        problem = credit_code_problem((a.credit_code or "").strip())
        if problem is not None:
            # With an entrustment letter the condition holds anyway; the bad code is still shown.
            findings.append(
                problem.model_copy(
                    update={"severity": Severity.WARNING if has_letter else Severity.ERROR}
                )
            )
    if not a.runs_activities_independently:
        unmet(
            "BASE-ELIG-1",
            "runs_activities_independently",
            "activities_not_independent",
            N_("the unit must be able to run science activities independently"),
        )
    # BASE-ELIG-2
    if _blank(a.science_theme):
        unmet(
            "BASE-ELIG-2",
            "science_theme",
            "science_theme_required",
            N_("a clearly themed science content is required"),
        )
    # BASE-ELIG-3
    if not a.has_management_rules:
        unmet(
            "BASE-ELIG-3",
            "has_management_rules",
            "management_rules_required",
            N_("management rules for science work are required"),
        )
    if _blank(a.responsible_department):
        unmet(
            "BASE-ELIG-3",
            "responsible_department",
            "responsible_department_required",
            N_("a department responsible for science work is required"),
        )
    if not a.has_work_plan:
        unmet(
            "BASE-ELIG-3",
            "has_work_plan",
            "work_plan_required",
            N_("a science work plan (科普工作规划) is required"),
        )
    if not a.has_annual_plan:
        unmet(
            "BASE-ELIG-3",
            "has_annual_plan",
            "annual_plan_required",
            N_("an annual work plan (年度工作计划) is required"),
        )
    # BASE-ELIG-4
    if a.annual_science_budget is None or a.annual_science_budget <= 0:
        unmet(
            "BASE-ELIG-4",
            "annual_science_budget",
            "science_budget_required",
            N_("science funds must be in the unit's annual budget (an amount above 0)"),
        )
    # BASE-ELIG-5
    if _blank(a.address):
        unmet(
            "BASE-ELIG-5",
            "address",
            "venue_required",
            N_("a fixed venue for science activities is required"),
        )
    if not a.has_demo_equipment:
        unmet(
            "BASE-ELIG-5",
            "has_demo_equipment",
            "demo_equipment_required",
            N_("science demonstration equipment is required"),
        )
    if not a.has_hall_or_gallery:
        unmet(
            "BASE-ELIG-5",
            "has_hall_or_gallery",
            "hall_or_gallery_required",
            N_("a science hall or room, or a science gallery of some size, is required"),
        )
    if not a.exhibits_labelled:
        unmet(
            "BASE-ELIG-5",
            "exhibits_labelled",
            "exhibit_labels_required",
            N_("exhibits must carry standard labels and the necessary explanations"),
        )
    # BASE-ELIG-6
    if a.managers < 1:
        unmet(
            "BASE-ELIG-6",
            "managers",
            "manager_required",
            N_("at least one full- or part-time science manager"),
        )
    if a.docents < 1:
        unmet(
            "BASE-ELIG-6",
            "docents",
            "docent_required",
            N_("at least one full- or part-time docent (讲解员)"),
        )
    if not a.has_training_plan:
        unmet(
            "BASE-ELIG-6",
            "has_training_plan",
            "training_plan_required",
            N_("a training plan for science staff is required"),
        )
    # BASE-ELIG-7
    if not a.safety_fire_compliant:
        unmet(
            "BASE-ELIG-7",
            "safety_fire_compliant",
            "safety_fire_not_compliant",
            N_("safety and fire facilities must meet national rules"),
        )
    # BASE-ELIG-8
    if not a.accepts_guidance:
        unmet(
            "BASE-ELIG-8",
            "accepts_guidance",
            "guidance_not_accepted",
            N_("the unit must accept the city association's guidance and tasks"),
        )
    return EligibilityResult(findings=findings)


def check_category(category: BaseCategory | None, subtype: str | None) -> RuleResult:
    """BASE-CAT-1: one of the six categories, with a subtype from its list (free text for other)."""
    findings: list[Finding] = []
    if category is None:
        findings.append(
            Finding(
                rule="BASE-CAT-1",
                field="category",
                code="category_required",
                message=N_("a category is required"),
            )
        )
    elif _blank(subtype):
        findings.append(
            Finding(
                rule="BASE-CAT-1",
                field="subtype",
                code="subtype_required",
                message=N_("a subtype is required"),
            )
        )
    elif category is not BaseCategory.OTHER and subtype not in SUBTYPES[category]:
        allowed = ", ".join(SUBTYPES[category])
        findings.append(
            Finding(
                rule="BASE-CAT-1",
                field="subtype",
                code="subtype_not_in_category",
                message=N_("subtype '{subtype}' is not one of {category}: {allowed}"),
                params={"subtype": subtype, "category": category.value, "allowed": allowed},
            )
        )
    return RuleResult(findings=findings)


#: BASE-APPLY-2: the materials Art. 14(2) requires, with the code and the message of each
#: missing one.
REQUIRED_MATERIALS: dict[AttachmentKind, tuple[str, str]] = {
    AttachmentKind.APPLICATION_FORM: (
        "application_form_missing",
        N_("missing the application form (《赤峰市科普教育基地申报表》)"),
    ),
    AttachmentKind.PLAN: ("plan_missing", N_("missing the science work plan or annual plan")),
    AttachmentKind.PHOTO: (
        "photo_missing",
        N_("missing at least one photo of the site or its science activities"),
    ),
}


def check_materials(kinds: Collection[AttachmentKind]) -> RuleResult:
    """BASE-APPLY-2: a finding for each required material not yet attached."""
    return RuleResult(
        findings=[
            Finding(rule="BASE-APPLY-2", field="attachments", code=code, message=message)
            for kind, (code, message) in REQUIRED_MATERIALS.items()
            if kind not in kinds
        ]
    )


def check_channel(
    channel: ApplicationChannel,
    recommender: str | None,
    *,
    quota: int | None,
    quota_used: int,
    applicant_county: str | None = None,
) -> RuleResult:
    """BASE-APPLY-1: the channel's recommender, and a county's yearly quota.

    For a county recommendation `recommender` is the county's region code, `quota` its quota for
    the year of submission (None when none was set, which allows none) and `quota_used` the number
    of its other applications of that year already submitted. A county recommends only units in
    its own county (`applicant_county`, when known).
    """
    findings: list[Finding] = []
    if channel is ApplicationChannel.DIRECT:
        if not _blank(recommender):
            findings.append(
                Finding(
                    rule="BASE-APPLY-1",
                    field="recommender",
                    code="recommender_not_allowed",
                    message=N_("a direct application has no recommender"),
                )
            )
        return RuleResult(findings=findings)
    if _blank(recommender):
        findings.append(
            Finding(
                rule="BASE-APPLY-1",
                field="recommender",
                code="recommender_required",
                message=(
                    N_("the recommending city department is required")
                    if channel is ApplicationChannel.CITY_DEPARTMENT
                    else N_("the recommending county association (its region code) is required")
                ),
            )
        )
    if channel is ApplicationChannel.COUNTY_ASSOCIATION:
        if (
            applicant_county is not None
            and not _blank(recommender)
            and recommender != applicant_county
        ):
            findings.append(
                Finding(
                    rule="BASE-APPLY-1",
                    field="recommender",
                    code="recommender_other_county",
                    message=N_("county {county} recommends only units of its own county"),
                    params={"county": recommender},
                )
            )
        allowed = quota or 0
        if quota is None:
            findings.append(
                Finding(
                    rule="BASE-APPLY-1",
                    field="recommender",
                    code="no_quota",
                    message=N_("the county has no quota this year"),
                )
            )
        elif quota_used >= allowed:
            findings.append(
                Finding(
                    rule="BASE-APPLY-1",
                    field="recommender",
                    code="quota_used_up",
                    message=N_(
                        "the county's recommendation quota is used up ({used} of {allowed})"
                    ),
                    params={"used": quota_used, "allowed": allowed},
                )
            )
    return RuleResult(findings=findings)


def check_submission(
    application: BaseApplication,
    *,
    quota: int | None,
    quota_used: int,
    applicant_county: str | None = None,
) -> RuleResult:
    """BASE-CAT-1, BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2: everything submission requires."""
    a = application
    return RuleResult(
        findings=[
            *check_category(a.category, a.subtype).findings,
            *assess_eligibility(a).findings,
            *check_materials(a.attachment_kinds).findings,
            *check_channel(
                a.channel,
                a.recommender,
                quota=quota,
                quota_used=quota_used,
                applicant_county=applicant_county,
            ).findings,
        ]
    )


#: BASE-REVIEW-1: what an opinion that leaves a criterion of `REVIEW_CRITERIA` unscored is told.
SCORE_REQUIRED: dict[str, str] = {
    "content": N_("score content: science content with a clear theme (BASE-ELIG-2)"),
    "management": N_(
        "score management: management rules, responsible department and plans (BASE-ELIG-3)"
    ),
    "funding": N_("score funding: science funds (BASE-ELIG-4)"),
    "facilities": N_("score facilities: science facilities and venue (BASE-ELIG-5)"),
    "staff": N_("score staff: science managers and docents (BASE-ELIG-6)"),
    "safety": N_("score safety: safety and fire facilities (BASE-ELIG-7)"),
}
#: BASE-REVIEW-1: what a rejection or a return without its reason is told.
REASON_REQUIRED: dict[ApplicationAction, str] = {
    ApplicationAction.REJECT: N_("a decision to reject states its reason"),
    ApplicationAction.RETURN: N_("a decision to return states its reason"),
}


class Transition(RuleResult):
    """The outcome of an action on an application: the new status, or why it is refused."""

    to: ApplicationStatus | None = None


def transition_application(status: ApplicationStatus, action: ApplicationAction) -> Transition:
    """BASE-REVIEW-1: the status `action` leads to from `status`, or a finding refusing it; what
    an approval needs beyond its status is `check_approval`."""
    target = APPLICATION_TRANSITIONS.get((status, action))
    if target is None:
        return Transition(
            findings=[
                Finding(
                    rule="BASE-REVIEW-1",
                    field="status",
                    code="transition_not_allowed",
                    message=N_("cannot {action} an application that is {status}"),
                    params={"action": action.value, "status": status.value},
                )
            ]
        )
    return Transition(to=target)


def check_approval(
    *, inspection_passed: bool, reviews: Sequence[ReviewState], min_opinions: int
) -> RuleResult:
    """BASE-REVIEW-1/2: an approval follows a passed inspection (考核验收, Art. 17) and the panel:
    every assigned reviewer has given an opinion or declared a conflict, and at least
    `min_opinions` opinions are on record."""
    findings: list[Finding] = []
    if not inspection_passed:
        findings.append(
            Finding(
                rule="BASE-REVIEW-1",
                field="inspection",
                code="inspection_required",
                message=N_("a passed inspection (考核验收) must be recorded before approval"),
            )
        )
    waiting = sum(1 for r in reviews if r is ReviewState.ASSIGNED)
    if waiting:
        findings.append(
            Finding(
                rule="BASE-REVIEW-2",
                field="reviewers",
                code="reviewers_waiting",
                message=N_(
                    "{waiting} assigned reviewer(s) have neither given an opinion nor "
                    "declared a conflict"
                ),
                params={"waiting": waiting},
            )
        )
    opinions = sum(1 for r in reviews if r is ReviewState.SUBMITTED)
    if opinions < min_opinions:
        findings.append(
            Finding(
                rule="BASE-REVIEW-2",
                field="opinions",
                code="too_few_opinions",
                message=N_(
                    "{opinions} reviewers' opinion(s) on record; an approval needs at least "
                    "{min_opinions}"
                ),
                params={"opinions": opinions, "min_opinions": min_opinions},
            )
        )
    return RuleResult(findings=findings)


def check_opinion(
    scores: Mapping[str, int], note: str, recommendation: ReviewRecommendation | None
) -> RuleResult:
    """BASE-REVIEW-1: a reviewer's opinion scores every criterion from 0 to MAX_SCORE and
    recommends approve, reject or return, with a written note."""
    findings: list[Finding] = []
    for criterion in REVIEW_CRITERIA:
        score = scores.get(criterion)
        if score is None:
            findings.append(
                Finding(
                    rule="BASE-REVIEW-1",
                    field=f"scores.{criterion}",
                    code="score_required",
                    message=SCORE_REQUIRED[criterion],
                )
            )
        elif not 0 <= score <= MAX_SCORE:
            findings.append(
                Finding(
                    rule="BASE-REVIEW-1",
                    field=f"scores.{criterion}",
                    code="score_out_of_range",
                    message=N_("a score is 0 to {max}, got {score}"),
                    params={"max": MAX_SCORE, "score": score},
                )
            )
    findings.extend(
        Finding(
            rule="BASE-REVIEW-1",
            field=f"scores.{name}",
            code="unknown_criterion",
            message=N_("unknown criterion"),
        )
        for name in scores
        if name not in REVIEW_CRITERIA
    )
    if recommendation is None:
        findings.append(
            Finding(
                rule="BASE-REVIEW-1",
                field="recommendation",
                code="recommendation_required",
                message=N_("recommend approve, reject or return"),
            )
        )
    if _blank(note):
        findings.append(
            Finding(
                rule="BASE-REVIEW-1",
                field="note",
                code="note_required",
                message=N_("a written opinion is required"),
            )
        )
    return RuleResult(findings=findings)


#: BASE-REVIEW-1: what a reviewer who has already responded is told, by the response.
ALREADY_RESPONDED: dict[ReviewState, str] = {
    ReviewState.SUBMITTED: N_("your opinion is already recorded (submitted)"),
    ReviewState.DECLINED: N_("your opinion is already recorded (declined)"),
}


def check_review_response(state: ReviewState, *, declined: bool, reason: str) -> RuleResult:
    """BASE-REVIEW-1: an assigned reviewer responds once, with an opinion or a declination that
    states the conflict of interest (回避)."""
    findings: list[Finding] = []
    if state is not ReviewState.ASSIGNED:
        findings.append(
            Finding(
                rule="BASE-REVIEW-1",
                field="state",
                code="already_responded",
                message=ALREADY_RESPONDED[state],
            )
        )
    if declined and _blank(reason):
        findings.append(
            Finding(
                rule="BASE-REVIEW-1",
                field="reason",
                code="reason_required",
                message=N_("state the conflict of interest"),
            )
        )
    return RuleResult(findings=findings)


def check_decision_reason(action: ApplicationAction, reason: str) -> RuleResult:
    """BASE-REVIEW-1: a rejection or a return states its reason; an approval needs none."""
    if action in (ApplicationAction.REJECT, ApplicationAction.RETURN) and _blank(reason):
        return RuleResult(
            findings=[
                Finding(
                    rule="BASE-REVIEW-1",
                    field="reason",
                    code="reason_required",
                    message=REASON_REQUIRED[action],
                )
            ]
        )
    return RuleResult()
