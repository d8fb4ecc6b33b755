"""The federation's REST API for juries and certificates, and the public verification endpoints."""
