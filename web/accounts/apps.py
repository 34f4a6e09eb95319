from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from nasab_site import checks  # noqa: F401  (registers the deployment checks)

        from . import signals  # noqa: F401  (connects the login-failure audit)
