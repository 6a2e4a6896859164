"""Use cases: one keyword-only function each, loading, asking the rules and writing (load → rule
→ write), so that routes only parse, call and respond."""
