"""Hours a volunteer declares itself, and the evidence a record carries (VOL-SELF-1)."""

# No `from __future__ import annotations`: `attachment_routes` builds routes from the
# dependencies below, which FastAPI must see as objects, not names.

from fastapi import Response

from app.errors import problem_responses
from app.routers import files as answers
from app.routers.deps import NowDep, SessionDep, VolunteerItself
from app.routers.pages import mark_created
from app.routers.route import resource_router
from app.routers.v1.service_records.auth import EvidenceWrite, RecordsRead
from app.routers.v1.service_records.schemas import (
    EvidenceKind,
    ServiceRecordDeclaration,
    ServiceRecordPublic,
)
from app.services import volunteers_records as service
from app.services.attachments import Owner

router = resource_router("service-records")


@router.post(
    "/me/service-records",
    status_code=201,
    summary="Declare my hours (a volunteer)",
    responses=problem_responses(404, 409),
)
def declare_hours(
    body: ServiceRecordDeclaration,
    principal: VolunteerItself,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ServiceRecordPublic:
    """VOL-SELF-1: hours served in an activity the volunteer enrolled in, ended before now; the
    record (`source` `declaration`) awaits the organisation's confirmation, which needs evidence
    attached (`POST /service-records/{service_record_id}/attachments`). The rules of every
    record apply too (VOL-HOURS-1: inside the activity, no overlap; VOL-DUTY-3). A rejection is
    a void with its reason."""
    row = service.declare_hours(
        session=session,
        principal=principal,
        activity_id=body.activity_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        description=body.description,
        now=now,
    )
    mark_created(response, f"/api/v1/service-records/{row.id}", row)
    return ServiceRecordPublic.of(row, 0)


def _record_to_read(service_record_id: str, principal: RecordsRead, session: SessionDep) -> Owner:
    """A record in the caller's scope."""
    return service.evidence_owner(session, principal, service_record_id, writing=False)


def _record_to_write(
    service_record_id: str, principal: EvidenceWrite, session: SessionDep
) -> Owner:
    """A record in scope awaiting confirmation; a volunteer's own declaration (VOL-SELF-1)."""
    return service.evidence_owner(session, principal, service_record_id, writing=True)


answers.attachment_routes(
    router,
    path="/service-records/{service_record_id}/attachments",
    name="service_record",
    read=_record_to_read,
    write=_record_to_write,
    writers=EvidenceWrite,
    kinds=EvidenceKind,
    texts=answers.AttachmentTexts(
        add=(
            "Attach evidence to a service record",
            "A `photo`, `video`, `document` or `other` file; its type is judged by its content. "
            "Declared hours are confirmed only with evidence (VOL-SELF-1). Only while the record "
            "awaits confirmation; a volunteer only on hours it declared.",
        ),
        list=("List a service record's evidence", "The record's files, in upload order."),
        content=(
            "Download a service record's evidence",
            "The file's bytes with its checked media type.",
        ),
        remove=(
            "Remove evidence from a service record",
            "Only while the record awaits confirmation.",
        ),
    ),
)
