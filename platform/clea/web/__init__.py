"""The French web interface of an evaluating organisation (server-rendered templates + htmx)."""
