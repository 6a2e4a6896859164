"""Orchestration of one use case each (load → rule → write), as keyword-only functions."""
