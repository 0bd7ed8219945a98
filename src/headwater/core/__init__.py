"""Value types and helpers that every layer shares: stdlib only."""
