"""Asynchronous work (Celery): thin tasks that call the journey, tenancy and certification services.

Modules, one per area: ``provisioning``, ``documents``, ``notifications``, ``reminders`` (R8),
``jury``, ``facts``, ``diagnostics``. Reliability lives in ``base`` (the task class), ``ledger``
(idempotency: one effect per key) and ``failures`` (failed tasks kept for the federation's admins).
This package is also the Django app holding the public-schema tables of that machinery.
"""
