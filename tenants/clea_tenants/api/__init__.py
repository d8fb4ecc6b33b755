"""Federation API (public schema) for organisations."""
