"""People who sign in: one user table per schema (federation in public, staff per organisation)."""
