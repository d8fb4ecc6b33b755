"""Typed access to the schema switching that django-tenants adds to the database connection."""

from __future__ import annotations

from typing import Any

from django.db import connection


def _tenant_connection() -> Any:
    return connection  # django-tenants' DatabaseWrapper: set_tenant / set_schema_to_public / schema_name


def current_schema() -> str:
    return str(getattr(connection, "schema_name", "public"))


def use_public_schema() -> None:
    _tenant_connection().set_schema_to_public()


def use_tenant(tenant: Any) -> None:
    _tenant_connection().set_tenant(tenant)


def current_tenant() -> Any:
    """The tenant the connection is routed to (an ``Organisation``, or django-tenants' public placeholder)."""
    return _tenant_connection().tenant
