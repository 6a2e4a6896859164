"""Officer training plans, sessions and attendance (OFF-TRAIN-1)."""
