from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "survey"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from survey import deploy_checks, signals  # noqa: F401  (registers, connects)
