from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "clea.facts"
    label = "facts"
    verbose_name = "Faits nationaux"
