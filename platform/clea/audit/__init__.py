"""The audit trail: append-only, hash-chained, one per schema (each organisation, and the federation).

    from clea.audit.trail import append
    append("gdpr.export", actor=user, object_ref="candidate:12", detail={"format": "json"})

See :mod:`clea.audit.trail` (the chain), :mod:`clea.audit.access` (file accesses) and docs/SECURITY.md.
"""
