"""The query enums of the county officer ledger (OFF-LEDGER-1)."""

from __future__ import annotations

from enum import StrEnum


class OfficerLedgerSection(StrEnum):
    """One sheet of the ledger, for a CSV of that sheet alone (in the ledger's sheet order)."""

    ROSTER = "roster"
    TRAINING = "training"
    ATTENDANCE = "attendance"
    MONTHLY = "monthly"
    OFFICER_MONTHLY = "officer_monthly"
