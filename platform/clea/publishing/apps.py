from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "clea.publishing"
    label = "publishing"
    verbose_name = "Publication du référentiel, actes et redevances"
