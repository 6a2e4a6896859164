"""County cases reported to the city (OFF-CASE-1)."""
