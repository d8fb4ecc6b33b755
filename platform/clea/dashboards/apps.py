from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "clea.dashboards"
    label = "dashboards"
    verbose_name = "Tableaux de bord nationaux"
