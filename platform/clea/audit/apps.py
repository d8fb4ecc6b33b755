from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clea.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self) -> None:
        # Imported here, once the app registry is ready: the receivers (sign-in events) import models.
        from clea.audit import signals  # noqa: F401
