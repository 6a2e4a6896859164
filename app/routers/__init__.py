"""HTTP layer: thin routers that parse, call repositories and rules, and respond."""
