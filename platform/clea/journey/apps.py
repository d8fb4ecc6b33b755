from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "clea.journey"
    label = "journey"
    verbose_name = "Parcours des candidats"
