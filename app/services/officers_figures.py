"""Dissemination figures (OFF-STAT-1): imports, and the officer metrics over them (OFF-STAT-2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col

from app.domain.access import Principal
from app.domain.common import Finding
from app.domain.messages import N_
from app.domain.officers import GroupBy, Metrics, OfficerMetricsRankKey, Period
from app.errors import InvalidInput
from app.i18n import _
from app.ids import new_id
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as repo
from app.repositories.base import decode_cursor, encode_cursor, record_event
from app.repositories.scope import scope_clause
from app.routers.bulk import BulkMode, BulkResult, RowResult, RowStatus, row_error, summarise
from app.rules.officer_metrics import rank, sum_metrics
from app.rules.officers import parse_dissemination_rows

#: The longest period a metrics query may span (about ten years).
MAX_PERIOD_DAYS = 3660


def import_figures(
    *,
    session: Session,
    principal: Principal,
    rows: Iterable[Mapping[str, object]],
    mode: BulkMode,
    include_ok: bool,
    today: date,
    max_rows: int,
) -> BulkResult:
    """OFF-STAT-1: upsert figures keyed by officer, day and channel; bad rows are row errors."""
    checked = parse_dissemination_rows(rows, today=today, limit=max_rows)
    if checked.total > max_rows:
        raise InvalidInput.one(
            "rows", _("at most {max_rows} rows per request", max_rows=max_rows), "too_many_rows"
        )
    if not checked.total:
        raise InvalidInput.one("rows", _("no rows"), "empty")
    keys = repo.officer_keys(session, [row[1] for row in checked.good])
    findings = checked.findings
    repeats = checked.repeats
    staged: list[repo.StagedRow] = []
    for index, account, day, channel, shares, reads in checked.good:
        officer = keys.get(account)
        in_scope = officer is not None and (
            principal.city_wide or officer[1] == principal.county_code
        )
        if officer is not None and in_scope and index not in repeats:
            staged.append((index + 1, officer[0], day, channel, shares, reads))
            continue
        findings[index] = [repeats[index]] if index in repeats else []
        if not in_scope:
            findings[index].append(
                Finding(
                    rule="OFF-STAT-1",
                    code="unknown_app_account",
                    message=N_("no officer with this app account id in your scope"),
                    field="app_account_id",
                )
            )
    errors = [row_error(index + 1, findings[index]) for index in sorted(findings)]
    if errors and mode is BulkMode.ALL_OR_NOTHING:
        summarise(mode, errors, include_ok=False)  # raises the 422 naming every bad row
    outcome = repo.import_rows(session, staged)
    if staged:
        days = [row[2] for row in staged]
        record_event(
            session,
            resource="officer_dissemination_import",
            resource_id=new_id(),
            op="create",
            diff={
                "rows": len(staged),
                "created": len(outcome.created),
                "updated": len(outcome.updated),
                "matched_existing": len(outcome.unchanged),
                "starts_on": min(days).isoformat(),
                "ends_on": max(days).isoformat(),
            },
            county_code=None if principal.city_wide else principal.county_code,
        )
    listed = errors
    if include_ok:
        statuses = (
            [(n, RowStatus.CREATED) for n in outcome.created]
            + [(n, RowStatus.UPDATED) for n in outcome.updated]
            + [(n, RowStatus.MATCHED_EXISTING) for n in outcome.unchanged]
        )
        listed = sorted(
            errors + [RowResult(row=n, status=s) for n, s in statuses], key=lambda r: r.row
        )
    return BulkResult(
        mode=mode,
        applied=True,
        total=checked.total,
        created=len(outcome.created),
        updated=len(outcome.updated),
        matched_existing=len(outcome.unchanged),
        errors=len(errors),
        rows=listed,
    )


@dataclass(frozen=True)
class MetricsAnswer:
    """OFF-STAT-2: the population's total, its groups (ranked when asked), their names."""

    period: Period
    total: Metrics
    groups: list[Metrics]
    names: dict[str, str]
    next_cursor: str | None


def _population(
    session: Session, principal: Principal, region_code: str | None, officer_id: str | None
) -> ColumnElement[bool]:
    """The officers a metrics question is about: one officer, or the region's, in scope."""
    if officer_id is not None:
        officer = officers_repo.get_officer(session, principal, officer_id)
        return col(officers_repo.OfficerRow.id) == officer.id
    clause = scope_clause(principal, officers_repo.OfficerRow)
    if region_code is None:
        return clause
    officers_repo.check_region_in_scope(session, principal, region_code)
    return and_(clause, officers_repo.region_clause(session, region_code))


def _period(starts_on: date, ends_on: date) -> Period:
    """The period `[starts_on, ends_on]`, or a 422 naming the query parameter."""
    if ends_on < starts_on:
        raise InvalidInput.one("query.ends_on", _("before starts_on"), "order")
    if (ends_on - starts_on).days >= MAX_PERIOD_DAYS:
        raise InvalidInput.one(
            "query.ends_on", _("a period spans at most {days} days", days=MAX_PERIOD_DAYS), "span"
        )
    return Period(start=starts_on, end=ends_on)


def _names(session: Session, group_by: GroupBy | None, keys: list[str]) -> dict[str, str]:
    if group_by in (GroupBy.COUNTY, GroupBy.TOWNSHIP):
        return officers_repo.region_names(session, keys)
    if group_by is GroupBy.OFFICER:
        return officers_repo.officer_names(session, keys)
    return {}


def officer_metrics(
    *,
    session: Session,
    principal: Principal,
    starts_on: date,
    ends_on: date,
    region_code: str | None = None,
    officer_id: str | None = None,
    group_by: GroupBy | None = None,
    rank_by: OfficerMetricsRankKey | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> MetricsAnswer:
    """OFF-STAT-1, OFF-STAT-2: a region's or one officer's metrics in total and by group."""
    period = _period(starts_on, ends_on)
    if rank_by is not None and group_by in (None, GroupBy.OFFICER):
        raise InvalidInput.one(
            "query.rank_by", _("rank counties, townships or months (group_by)"), "rank_group"
        )
    if officer_id is not None and region_code is not None:
        raise InvalidInput.one("query.officer_id", _("give a region or an officer"), "one_of")
    who = _population(session, principal, region_code, officer_id)
    groups: list[Metrics] = []
    next_cursor = None
    if group_by in (GroupBy.COUNTY, GroupBy.TOWNSHIP):
        groups = repo.measure_groups(session, population=who, period=period, group_by=group_by)
        # Counties and townships part the population: its total is the sum of theirs.
        total = sum_metrics("total", groups)
    else:
        total = repo.measure_groups(session, population=who, period=period, group_by=None)[0]
    if group_by is GroupBy.OFFICER:
        after = decode_cursor(cursor) if cursor else None
        groups = repo.measure_groups(
            session, population=who, period=period, group_by=group_by, after=after, limit=limit + 1
        )
        if len(groups) > limit:
            groups = groups[:limit]
            next_cursor = encode_cursor(groups[-1].key)
    elif group_by is GroupBy.MONTH:
        groups = repo.measure_groups(session, population=who, period=period, group_by=group_by)
    ranked: list[Metrics] = list(rank(groups, rank_by)) if rank_by is not None else groups
    return MetricsAnswer(
        period=period,
        total=total,
        groups=ranked,
        names=_names(session, group_by, [g.key for g in groups]),
        next_cursor=next_cursor,
    )
