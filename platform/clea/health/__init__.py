"""Health probes for Kubernetes: ``/healthz/live`` and ``/healthz/ready``.

Not a Django app (no models, no migrations): the URL confs ``include("clea.health.urls")``, and
:class:`clea.health.middleware.HealthCheckMiddleware`, placed first in ``MIDDLEWARE``, answers the same
paths before host validation and tenant routing, so the kubelet can probe a pod by its IP address.
"""
