"""The candidate journey persisted in each organisation's schema, and served by the API."""
