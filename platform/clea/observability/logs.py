"""Log records carry ``request_id`` and ``tenant``; production writes them as JSON lines."""

from __future__ import annotations

import logging

from clea.observability import context


class ContextFilter(logging.Filter):
    """Adds the current request id and tenant (``-`` outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        record.tenant = context.tenant.get()
        return True


JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s %(tenant)s %(request_id)s"


def json_logging(level: str) -> dict[str, object]:
    """A ``LOGGING`` dict writing one JSON object per line to stderr (python-json-logger)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "clea.observability.logs.ContextFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FORMAT,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"clea.plugins": {"level": "WARNING"}},
    }
