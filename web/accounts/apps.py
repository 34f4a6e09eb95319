from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from nasab_site import checks  # noqa: F401  (registers the deployment checks)

        from . import signals  # noqa: F401  (connects the login-failure audit)
