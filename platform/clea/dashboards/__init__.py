"""National dashboards of the federation (public schema): rollups of the pseudonymised journey facts and the
figures shown on the web pages, the API and the CSV export (:mod:`clea.dashboards.figures`)."""
