"""Officer activity plans (OFF-PLAN-1)."""
