"""Production observability: JSON logs carrying the tenant and the request id, and Prometheus metrics."""
