from django.apps import AppConfig


class PrescribersConfig(AppConfig):
    """Prescriber organisations, their users, referrals and cohorts (public schema)."""

    name = "clea.prescribers"
    label = "prescribers"
    verbose_name = "Prescripteurs"
