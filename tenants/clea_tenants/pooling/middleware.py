"""One request, one transaction, when the database sits behind a transaction-mode pooler.

Placed first in ``MIDDLEWARE`` (before tenant routing) by ``CLEA_DB_POOL_MODE=transaction``: the tenant
lookup, the session, authentication and the view all run in one transaction, which begins with
``SET LOCAL search_path`` (``clea_tenants.pooling.base``) and sets it again when routing switches tenant.
Without it every statement outside an ``atomic`` block would pay for a transaction of its own.

Semantics are those of Django's ``ATOMIC_REQUESTS``, extended to the middleware: a response with a 5xx
status rolls back (the view's exception was turned into that response below us), anything else commits;
``on_commit`` callbacks (the outbox relay) run once the whole request has committed. A streamed response's
generator runs after the commit, outside the transaction: its statements then take one each.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase


class RequestTransactionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
