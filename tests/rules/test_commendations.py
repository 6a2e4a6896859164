"""Commendations and the priority list: VOL-HONOUR-1."""

from decimal import Decimal

import pytest

from app.domain.commendations import Commendation, CommendationSubject, PriorityEntry
from app.domain.volunteers import DEFAULT_VOLUNTEER_POLICY
from app.rules.commendations import check_commendation, priority_list, rank_key

POLICY = DEFAULT_VOLUNTEER_POLICY


def test_vol_honour_1_priority_list_ranks_stars_then_commendations_then_hours() -> None:
    entries = [
        PriorityEntry(volunteer_id="a", confirmed_hours=Decimal("99.5")),
        PriorityEntry(volunteer_id="b", confirmed_hours=Decimal("350")),
        PriorityEntry(volunteer_id="c", confirmed_hours=Decimal("120"), commendations=2),
        PriorityEntry(volunteer_id="d", confirmed_hours=Decimal("310")),
        PriorityEntry(volunteer_id="e", confirmed_hours=Decimal("10"), commendations=1),
    ]
    assert [e.volunteer_id for e in priority_list(entries, POLICY)] == ["b", "d", "c", "e"]


def test_vol_honour_1_rank_keys_sort_as_the_list_ranks() -> None:
    entries = priority_list(
        [
            PriorityEntry(volunteer_id="a", confirmed_hours=Decimal("120.25")),
            PriorityEntry(volunteer_id="b", confirmed_hours=Decimal("120.26")),
            PriorityEntry(volunteer_id="c", confirmed_hours=Decimal("0"), commendations=1),
        ],
        POLICY,
    )
    keys = [rank_key(e, POLICY) for e in entries]
    assert [e.volunteer_id for e in entries] == ["b", "a", "c"]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("subject", "field"),
    [
        (CommendationSubject.VOLUNTEER, "volunteer_id"),
        (CommendationSubject.ORGANIZATION, "subject_organization_id"),
        (CommendationSubject.PROJECT, "project_name"),
    ],
)
def test_vol_honour_1_a_commendation_names_the_subject_of_its_kind(
    subject: CommendationSubject, field: str
) -> None:
    unnamed = check_commendation(Commendation(subject=subject))
    assert [(f.rule, f.code, f.field) for f in unnamed.findings] == [
        ("VOL-HONOUR-1", "subject_required", field)
    ]
    assert check_commendation(Commendation.model_validate({"subject": subject, field: "x"})).ok
