from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.translation import gettext as _

from survey.exceptions import SurveyError
from survey.invitations import invitations_send_waiting


class Command(BaseCommand):
    help = (
        "Send the email invitations that wait: lists too long for one request of the round "
        "page (run every few minutes). The links start with SITE_URL."
    )

    def add_arguments(self, parser: object) -> None:
        parser.add_argument(  # type: ignore[attr-defined]
            "--seconds",
            type=int,
            default=240,
            help="stop after about this many seconds (default 240: one run ends before the "
            "next one of a five-minute schedule starts; 0: one email)",
        )

    def handle(self, *args: object, **options: object) -> None:
        site = settings.SITE_URL
        try:
            URLValidator(schemes=["https", "http"])(site)
        except ValidationError:
            raise CommandError(
                _(
                    "Set SITE_URL to this site's address (for example "
                    "https://survey.example.org): the links in the emails start with it."
                )
            ) from None
        try:
            sent = invitations_send_waiting(
                link_for=lambda token: site + reverse("respond:invitation", args=[token]),
                seconds=options["seconds"],
            )
        except SurveyError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            _("Invitations sent: %(count)d. Still waiting: %(left)d.")
            % {"count": sent.sent, "left": sent.left}
        )
