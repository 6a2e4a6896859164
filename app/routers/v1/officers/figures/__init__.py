"""Dissemination figures and officer metrics (OFF-STAT-1, OFF-STAT-2)."""
