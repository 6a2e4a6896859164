"""Routes of incidents (VOL-HARM-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.errors import problem_responses
from app.repositories import incidents as repo
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.incidents.auth import IncidentsRead, IncidentsWrite
from app.routers.v1.incidents.schemas import IncidentCreate, IncidentHandle, IncidentPublic
from app.services import incidents as service

router = resource_router("incidents")


@router.post(
    "/incidents", status_code=201, summary="Record an incident", responses=problem_responses(404)
)
def create_incident(
    body: IncidentCreate, principal: IncidentsWrite, session: SessionDep, response: Response
) -> IncidentPublic:
    """VOL-HARM-1: harm to a volunteer or a person served, with the handling when known."""
    row = service.record_incident(session=session, principal=principal, values=body.model_dump())
    return created(response, f"/api/v1/incidents/{row.id}", row, IncidentPublic)


@router.get("/incidents", summary="List incidents")
def list_incidents(
    principal: IncidentsRead,
    session: SessionDep,
    page: PageDep,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[IncidentPublic]:
    """Incidents of the organisations in scope."""
    return page_of(
        IncidentPublic, repo.list_incidents(session, principal, page, activity_id=activity_id)
    )


@router.get(
    "/incidents/{incident_id}", summary="Read an incident", responses=problem_responses(404)
)
def get_incident(
    incident_id: str, principal: IncidentsRead, session: SessionDep, response: Response
) -> IncidentPublic:
    """One incident in the caller's scope."""
    row = repo.get_incident(session, principal, incident_id)
    set_etag(response, row)
    return IncidentPublic.model_validate(row, from_attributes=True)


@router.post(
    "/incidents/{incident_id}:handle",
    summary="Record the handling of an incident",
    responses=problem_responses(404),
)
def handle_incident(
    incident_id: str, body: IncidentHandle, principal: IncidentsWrite, session: SessionDep
) -> IncidentPublic:
    """VOL-HARM-1: the incident is handled, and says how (again, to amend the handling)."""
    row = service.handle_incident(
        session=session, principal=principal, incident_id=incident_id, handling=body.handling
    )
    return IncidentPublic.model_validate(row, from_attributes=True)
