"""Who may read the change feed and the audit log (role sets, declared once)."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import AnyUser, allow

#: Follow the change feed: anyone signed in, within its scope.
ChangesRead = AnyUser
#: Read the audit log, with actors and redacted diffs: the city administrator and the auditor.
AuditRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.AUDITOR)]
#: Webhooks push every county's changes: the city administrator alone manages them.
WebhooksAdmin = Annotated[Principal, allow(Role.CITY_ADMIN)]
