"""Use cases: one keyword-only function each, loading, asking the rules and writing."""
