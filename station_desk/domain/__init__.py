"""Pure rules of the liaison station: no Qt, no SQL, only the standard library."""
