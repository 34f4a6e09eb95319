from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "identification"
    verbose_name = "Identification"

    def ready(self) -> None:
        from . import hooks

        hooks.connect()
