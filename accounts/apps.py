from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and agencies")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    default = False

    """The Django admin, open to superusers only (staff flags alone are not enough)."""

    default_site = "accounts.admin_site.SuperuserAdminSite"
