"""The certification kernel: CléA rules in plain Python.

Nothing here imports Django, DRF, Celery, django-tenants or pluggy (an import-linter contract and a test
enforce it). Persistence, time and messaging reach the kernel through the Protocols of :mod:`clea.kernel.ports`.
"""
