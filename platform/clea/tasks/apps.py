from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "clea.tasks"
    label = "tasks"
    verbose_name = "Tâches asynchrones"
