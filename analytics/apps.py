from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from analytics.standard import indicators_load

        post_migrate.connect(indicators_load, sender=self, dispatch_uid="analytics.indicators_load")
