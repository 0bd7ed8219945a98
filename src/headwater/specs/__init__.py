"""Frozen, JSON-able descriptions of a code location: the one shape that crosses processes."""
