"""The officer register (OFF-REG-1)."""
