"""Django app configuration for the annotator app."""

from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Credence"
    default_auto_field = "django.db.models.BigAutoField"
