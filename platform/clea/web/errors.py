"""Pages for failures that are not the user's: a branch plugin that raised inside a hook (502)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clea_plugins.errors import PluginError
from clea_plugins.manager import get_host

logger = logging.getLogger(__name__)


def plugin_error_response(request: HttpRequest, exc: PluginError) -> HttpResponse:
    """502 naming the branch plugin; the journey action's transaction was rolled back (nothing written).

    The traceback goes to the logs only; the page gives the French detail and the branch's contact.
    """
    logger.error("%s", exc, exc_info=exc)

    try:
        identity = get_host().identities().get(exc.plugin_name)
    except Exception:  # the host itself cannot be built: the page still explains the failure
        identity = None
    return render(
        request,
        "web/plugin_error.html",
        {
            "error": exc.as_dict(),
            "branch_name": identity.name if identity else exc.plugin_name,
            "contact": identity.contact if identity else "",
        },
        status=502,
    )
