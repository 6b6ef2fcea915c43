from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and agencies")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.services import countries_load

        # After every migrate (and every test flush, which also sends post_migrate),
        # like contenttypes do: the country list is reference data, always present.
        post_migrate.connect(countries_load, sender=self, dispatch_uid="accounts.countries_load")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    default = False

    """The Django admin, open to superusers only (staff flags alone are not enough)."""

    default_site = "accounts.admin_site.SuperuserAdminSite"
