"""Optional Django app of the BTP plugin: observations made on a real work site (EXAMPLE).

Installed for every tenant (its table lives in each tenant schema) through the ``clea.django_apps`` entry
point; the platform's settings add it to ``TENANT_APPS`` with ``clea_plugins.discovery.branch_django_apps()``.
Accreditation switches behaviour, not tables. The hooks of the plugin never import this package.
"""
