"""The yearly county scorecard (OFF-KPI-1)."""
