"""Rectification notices and revocation (BASE-REVOKE-1..6)."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bases import BaseStatus, NoticeOutcome, RectificationNotice, RevocationGround
from app.domain.common import SHANGHAI
from app.rules.bases_revocation import (
    check_notice,
    check_notice_close,
    check_records_open,
    check_revocation,
    notice_expired_unrectified,
)

NOW = datetime(2025, 6, 15, 10, 0, tzinfo=SHANGHAI)
ISSUED = datetime(2025, 5, 1, 9, 0, tzinfo=SHANGHAI)
G = RevocationGround


def notice(
    deadline: date = date(2025, 6, 1), outcome: NoticeOutcome | None = None
) -> RectificationNotice:
    return RectificationNotice(id="n1", issued_at=ISSUED, deadline=deadline, outcome=outcome)


def revoke(
    grounds: set[RevocationGround],
    notices: list[RectificationNotice] | None = None,
    reason: str | None = None,
    status: BaseStatus = BaseStatus.ACCREDITED,
    evidence: list[str] | None = None,
) -> list[tuple[str, str | None]]:
    result = check_revocation(
        status=status,
        grounds=grounds,
        evidence=["检查记录 2025-05-01"] if evidence is None else evidence,
        notices=notices or [],
        reason=reason,
        now=NOW,
    )
    assert result.ok == (not result.findings)
    return [(f.rule, f.field) for f in result.findings]


@pytest.mark.parametrize(
    "ground",
    [G.LAW_VIOLATION, G.PSEUDOSCIENCE, G.REFUSED_GUIDANCE, G.FRAUD],
)
def test_base_revoke_1_2_4_5_grounds_need_only_evidence(ground: RevocationGround) -> None:
    """BASE-REVOKE-1, BASE-REVOKE-2, BASE-REVOKE-4, BASE-REVOKE-5: immediate, on evidence."""
    assert revoke({ground}) == []
    assert ground.rule == f"BASE-REVOKE-{list(G).index(ground) + 1}"


def test_base_revoke_3_ground_3_with_no_notice_is_refused() -> None:
    """BASE-REVOKE-3: 'not rectifying after being told' needs a notice first."""
    assert revoke({G.TITLE_MISUSE_UNRECTIFIED}) == [("BASE-REVOKE-3", "grounds")]


def test_base_revoke_3_ground_3_with_notice_not_yet_due_is_refused() -> None:
    assert revoke({G.TITLE_MISUSE_UNRECTIFIED}, [notice(deadline=date(2025, 6, 15))]) == [
        ("BASE-REVOKE-3", "grounds")
    ]


def test_base_revoke_3_ground_3_with_notice_closed_rectified_is_refused() -> None:
    closed = notice(outcome=NoticeOutcome.RECTIFIED)
    assert revoke({G.TITLE_MISUSE_UNRECTIFIED}, [closed]) == [("BASE-REVOKE-3", "grounds")]


@pytest.mark.parametrize("outcome", [None, NoticeOutcome.NOT_RECTIFIED])
def test_base_revoke_3_ground_3_with_notice_expired_unrectified_is_allowed(
    outcome: NoticeOutcome | None,
) -> None:
    result = check_revocation(
        status=BaseStatus.ACCREDITED,
        grounds={G.TITLE_MISUSE_UNRECTIFIED},
        evidence=["通报"],
        notices=[notice(deadline=date(2025, 6, 14), outcome=outcome)],
        reason=None,
        now=NOW,
    )
    assert result.ok
    assert result.supporting_notices == ["n1"]


def test_base_revoke_3_messages_tell_the_four_cases_apart() -> None:
    def code(notices: list[RectificationNotice]) -> str:
        result = check_revocation(
            status=BaseStatus.ACCREDITED,
            grounds={G.TITLE_MISUSE_UNRECTIFIED},
            evidence=["e"],
            notices=notices,
            reason=None,
            now=NOW,
        )
        return result.findings[0].code

    assert code([]) == "no_notice_issued"
    assert code([notice(deadline=date(2025, 7, 1))]) == "notice_not_expired"
    assert code([notice(outcome=NoticeOutcome.RECTIFIED)]) == "notices_rectified"


def test_base_revoke_3_notice_issued_after_now_does_not_count() -> None:
    later = RectificationNotice(
        id="n2", issued_at=datetime(2025, 6, 16, tzinfo=SHANGHAI), deadline=date(2025, 6, 1)
    )
    assert not notice_expired_unrectified(later, NOW)


@given(st.dates(date(2025, 5, 2), date(2025, 8, 1)))
def test_base_revoke_3_deadline_passes_at_shanghai_midnight(deadline: date) -> None:
    """BASE-REVOKE-3: a deadline day is whole: the notice expires when the next day begins."""
    assert notice_expired_unrectified(notice(deadline=deadline), NOW) == (
        deadline < date(2025, 6, 15)
    )


@pytest.mark.parametrize(
    ("reason", "findings"),
    [(None, [("BASE-REVOKE-6", "reason")]), ("  ", [("BASE-REVOKE-6", "reason")]), ("见附件", [])],
)
def test_base_revoke_6_other_grounds_need_a_written_reason(
    reason: str | None, findings: list[tuple[str, str]]
) -> None:
    assert revoke({G.OTHER}, reason=reason) == findings


@pytest.mark.parametrize("status", [BaseStatus.REVOKED, BaseStatus.LAPSED])
def test_base_revoke_1_base_already_revoked_or_lapsed_is_refused(status: BaseStatus) -> None:
    assert revoke({G.FRAUD}, status=status) == [("BASE-REVOKE-1..6", "status")]


def test_base_revoke_1_grounds_and_evidence_are_required() -> None:
    assert revoke(set(), evidence=[" "]) == [
        ("BASE-REVOKE-1..6", "grounds"),
        ("BASE-REVOKE-1..6", "evidence"),
    ]


def test_base_revoke_1_every_failing_precondition_is_listed() -> None:
    assert revoke({G.TITLE_MISUSE_UNRECTIFIED, G.OTHER}, status=BaseStatus.REVOKED) == [
        ("BASE-REVOKE-1..6", "status"),
        ("BASE-REVOKE-3", "grounds"),
        ("BASE-REVOKE-6", "reason"),
    ]


@pytest.mark.parametrize(
    ("reason", "due_on", "fields"),
    [
        ("擅自以基地名义收费", date(2025, 6, 16), []),
        ("擅自以基地名义收费", date(2025, 6, 15), ["due_on"]),
        (" ", date(2025, 7, 1), ["reason"]),
    ],
)
def test_base_revoke_3_notice_states_a_reason_and_a_later_due_date(
    reason: str, due_on: date, fields: list[str]
) -> None:
    assert [f.field for f in check_notice(reason, due_on, now=NOW).findings] == fields


@pytest.mark.parametrize(
    ("existing", "outcome", "deadline", "ok"),
    [
        (None, NoticeOutcome.RECTIFIED, date(2025, 7, 1), True),
        (None, NoticeOutcome.NOT_RECTIFIED, date(2025, 6, 14), True),
        (None, NoticeOutcome.NOT_RECTIFIED, date(2025, 6, 15), False),
        (NoticeOutcome.RECTIFIED, NoticeOutcome.RECTIFIED, date(2025, 6, 1), False),
        (NoticeOutcome.NOT_RECTIFIED, NoticeOutcome.RECTIFIED, date(2025, 6, 1), False),
    ],
)
def test_base_revoke_3_notice_is_closed_once_and_not_rectified_only_after_deadline(
    existing: NoticeOutcome | None, outcome: NoticeOutcome, deadline: date, ok: bool
) -> None:
    result = check_notice_close(notice(deadline=deadline, outcome=existing), outcome, now=NOW)
    assert result.ok is ok


@pytest.mark.parametrize(
    ("status", "refused"),
    [(BaseStatus.ACCREDITED, False), (BaseStatus.LAPSED, False), (BaseStatus.REVOKED, True)],
)
def test_base_revoke_1_a_revoked_bases_records_no_longer_change(
    status: BaseStatus, refused: bool
) -> None:
    result = check_records_open(status)
    assert (not result.ok) is refused
    assert all((f.rule, f.field) == ("BASE-REVOKE-1..6", "status") for f in result.findings)
