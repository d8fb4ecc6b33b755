"""`make demo`: the development settings with ``DEBUG`` off, so the demo shows what production shows (error
pages, JSON errors without debug detail, no debug toolbar of any kind). Static files are served by the demo's
``runserver --insecure`` (or by WhiteNoise when the middleware is installed)."""

from __future__ import annotations

from clea.settings.dev import *  # noqa: F403

DEBUG = False
