"""Pure domain models: standard library and pydantic only."""
