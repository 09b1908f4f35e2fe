"""Use-cases: one transaction each, returning the Changes they made."""
