from django.apps import AppConfig

from clea_plugins.manager import get_host


class JourneyConfig(AppConfig):
    name = "clea.journey"
    label = "journey"
    verbose_name = "Parcours des candidats"

    def ready(self) -> None:
        # Load and validate every installed branch plugin now, once per process: a broken or misspelled plugin
        # stops start-up (web, workers, manage.py) with one PluginLoadError naming each broken plugin, instead
        # of failing on the first request that needs it. Blocking one needs CLEA_BLOCKED_BRANCHES (explicit).
        get_host()
