"""Pseudonymised journey facts (public schema) read by the national dashboards.

Each decision taken in an organisation is published here once, by a task, with the candidate's
pseudonym and no personal data (see :data:`clea.facts.services.PUBLIC_DETAIL_KEYS`).
"""
