from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(AdminSite):
    site_header = _("CEPA survey administration")
    site_title = _("CEPA survey administration")

    def has_permission(self, request: HttpRequest) -> bool:
        # Agency staff work in the product's own pages, scoped by membership;
        # the admin bypasses that scoping, so only superusers may enter.
        user = request.user
        return bool(user.is_active and user.is_superuser)
