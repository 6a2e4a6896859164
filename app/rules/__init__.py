"""Pure rule functions: domain models, a policy and an explicit clock in, findings out."""
