from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "clea.certification"
    label = "certification"
    verbose_name = "Certification"
