"""The interactive API documentation, served by the platform itself (issue 17, §6).

Swagger UI (``/api/docs/``) and ReDoc (``/api/redoc/``) come from ``drf-spectacular-sidecar``'s static files
(``SWAGGER_UI_DIST = REDOC_DIST = "SIDECAR"``): no CDN, so the pages work offline and under the platform's
Content-Security-Policy. Scripts stay ``'self'`` only (the Swagger start-up script is a file: the split view);
the templates have no inline script or style. The two libraries set styles from JavaScript, so these pages
alone allow ``style-src 'unsafe-inline'`` (no other origin), and ReDoc its ``blob:`` worker.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


def docs_view(url_name: str = "schema") -> Any:
    view = SpectacularSwaggerSplitView.as_view(url_name=url_name, template_name="clea_api/swagger_ui.html")
    return csp_update({"style-src": ["'unsafe-inline'"]})(view)


def redoc_view(url_name: str = "schema") -> Any:
    view = SpectacularRedocView.as_view(url_name=url_name, template_name="clea_api/redoc.html")
    return csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(view)
