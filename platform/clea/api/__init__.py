"""HTTP API plumbing shared by the federation and the tenant APIs."""
