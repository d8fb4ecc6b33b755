from django.apps import AppConfig

from clea.observability.checks import register_check


class TasksConfig(AppConfig):
    name = "clea.tasks"
    label = "tasks"
    verbose_name = "Tâches asynchrones"

    def ready(self) -> None:
        from clea.tasks.schedule_health import check_schedules  # imports django-celery-beat's models

        register_check("schedules", check_schedules)  # /healthz/detail and clea_periodic_task_* metrics
