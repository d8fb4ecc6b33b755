"""Tenancy: evaluating organisations (one PostgreSQL schema each), their domains and accreditations."""
