from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clea.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self) -> None:
        from clea.audit import signals  # noqa: F401  (sign-in events)
