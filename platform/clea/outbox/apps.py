from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "clea.outbox"
    label = "outbox"
    verbose_name = "Messages à envoyer (outbox)"
    default_auto_field = "django.db.models.BigAutoField"
