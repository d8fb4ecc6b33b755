from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "clea.referentials"
    label = "referentials"
    verbose_name = "Référentiels"
