from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "clea.collective"
    label = "collective"
    verbose_name = "Séances collectives d'évaluation"
