from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "clea.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the models are, and the services import them.
        from clea.certification.services import receive_file_submitted
        from clea.journey.signals import file_submitted

        file_submitted.connect(receive_file_submitted, dispatch_uid="clea.certification.jury_inbox")
