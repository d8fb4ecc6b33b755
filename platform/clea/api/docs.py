"""The interactive API documentation (Swagger UI) under the Content-Security-Policy.

The split view serves its start-up script as a file (no inline script); Swagger UI's own files come from
its CDN and carry an inline ``<style>``, so this one page widens the policy for them, and only it.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView

SWAGGER_CDN = "https://cdn.jsdelivr.net"


def docs_view(url_name: str = "schema") -> Any:
    view = SpectacularSwaggerSplitView.as_view(url_name=url_name)
    return csp_update(
        {"script-src": [SWAGGER_CDN], "style-src": [SWAGGER_CDN, "'unsafe-inline'"], "img-src": [SWAGGER_CDN]}
    )(view)
