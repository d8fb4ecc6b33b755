"""Page views, one module per area. Each one checks the role and scopes files like the API."""
