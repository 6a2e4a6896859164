"""Service records: hours recorded, confirmed, corrected with history, or voided
(VOL-HOURS-1, VOL-DUTY-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.volunteers import ServiceRecordStatus
from app.errors import RuleViolation, problem_responses
from app.repositories import volunteers_records as repo
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.service_records.auth import RecordsRead, RecordsWrite
from app.routers.v1.service_records.schemas import (
    ServiceRecordConfirmations,
    ServiceRecordCorrection,
    ServiceRecordCreate,
    ServiceRecordPublic,
    ServiceRecordRefusal,
    ServiceRecordsConfirm,
    ServiceRecordVoid,
)
from app.services import volunteers_records as service

router = resource_router("service-records")
RECORD = "/service-records/{service_record_id}"


def _public(session: SessionDep, row: repo.ServiceRecordRow) -> ServiceRecordPublic:
    evidence = service.evidence_counts(session, [row.id]).get(row.id, 0)
    return ServiceRecordPublic.of(row, evidence)


@router.post(
    "/service-records",
    status_code=201,
    summary="Record service hours",
    responses=problem_responses(404, 409),
)
def create_record(
    body: ServiceRecordCreate,
    principal: RecordsWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ServiceRecordPublic:
    """VOL-HOURS-1: inside the activity, no overlap, confirmed enrolment; refused for the gate's
    reasons (VOL-DUTY-3: a dangerous activity needs acknowledgement and insurance)."""
    row = service.create_record(
        session=session,
        principal=principal,
        enrolment_id=body.enrolment_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        now=now,
    )
    mark_created(response, f"/api/v1/service-records/{row.id}", row)
    return _public(session, row)


@router.get("/service-records", summary="List service records")
def list_records(
    principal: RecordsRead,
    session: SessionDep,
    page: PageDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
    status: Annotated[ServiceRecordStatus | None, Query()] = None,
) -> Page[ServiceRecordPublic]:
    """Records in scope: an organisation's, a county's, or a volunteer's own."""
    result = repo.list_records(
        session,
        principal,
        page=page,
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        status=status,
    )
    evidence = service.evidence_counts(session, (r.id for r in result.items))
    return page_map(lambda r: ServiceRecordPublic.of(r, evidence.get(r.id, 0)), result)


@router.get(RECORD, summary="Read a service record", responses=problem_responses(404))
def get_record(
    service_record_id: str, principal: RecordsRead, session: SessionDep, response: Response
) -> ServiceRecordPublic:
    """One record with its corrections."""
    row = repo.get_record(session, principal, service_record_id)
    set_etag(response, row)
    return _public(session, row)


@router.post(
    RECORD + ":confirm",
    summary="Confirm a service record",
    responses=problem_responses(404, 409),
)
def confirm_record(
    service_record_id: str, principal: RecordsWrite, session: SessionDep, now: NowDep
) -> ServiceRecordPublic:
    """VOL-HOURS-1: only confirmed records count."""
    row = service.confirm_record(
        session=session, principal=principal, record_id=service_record_id, now=now
    )
    return _public(session, row)


@router.post(
    "/service-records:confirm",
    summary="Confirm many service records at once",
)
def confirm_records(
    body: ServiceRecordsConfirm, principal: RecordsWrite, session: SessionDep, now: NowDep
) -> ServiceRecordConfirmations:
    """VOL-HOURS-1: each record confirmed, or refused with every reason (not in scope, already
    confirmed or voided); one refusal does not stop the others."""
    done = service.confirm_records(
        session=session, principal=principal, record_ids=body.service_record_ids, now=now
    )
    evidence = service.evidence_counts(session, (r.id for r in done.confirmed))
    return ServiceRecordConfirmations(
        confirmed=[ServiceRecordPublic.of(r, evidence.get(r.id, 0)) for r in done.confirmed],
        refused=[
            ServiceRecordRefusal(
                service_record_id=record_id,
                violations=RuleViolation(findings).violations,
            )
            for record_id, findings in done.refused
        ],
    )


@router.post(
    RECORD + ":correct",
    summary="Correct a service record",
    responses=problem_responses(404, 409),
)
def correct_record(
    service_record_id: str,
    body: ServiceRecordCorrection,
    principal: RecordsWrite,
    session: SessionDep,
    now: NowDep,
) -> ServiceRecordPublic:
    """VOL-HOURS-1: new times with a reason, the old kept; the record awaits confirmation."""
    row = service.correct_record(
        session=session,
        principal=principal,
        record_id=service_record_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        reason=body.reason,
        now=now,
    )
    return _public(session, row)


@router.post(
    RECORD + ":void",
    summary="Void a service record",
    responses=problem_responses(404, 409),
)
def void_record(
    service_record_id: str,
    body: ServiceRecordVoid,
    principal: RecordsWrite,
    session: SessionDep,
    now: NowDep,
) -> ServiceRecordPublic:
    """VOL-HOURS-1: a voided record never counts; the reason is kept. Voiding a volunteer's
    declaration is its rejection (VOL-SELF-1); the volunteer is told (PLAT-NOTIFY-1)."""
    row = service.void_record(
        session=session,
        principal=principal,
        record_id=service_record_id,
        reason=body.reason,
        now=now,
    )
    return _public(session, row)
