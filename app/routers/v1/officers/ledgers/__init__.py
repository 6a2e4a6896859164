"""The county officer ledger (OFF-LEDGER-1)."""
