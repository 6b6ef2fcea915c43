from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from survey.fieldwork import responses_erase_unfinished
from survey.invitations import invitations_forget_ended


class Command(BaseCommand):
    help = (
        "For rounds that have ended: erase the email addresses kept for reminders, cancel "
        "the invitations not sent yet, and, once the grace period has passed, erase the "
        "answers of responses left unfinished (run daily)."
    )

    def handle(self, *args: object, **options: object) -> None:
        addresses = invitations_forget_ended()
        unfinished = responses_erase_unfinished()
        self.stdout.write(_("Addresses erased: %(count)d.") % {"count": addresses})
        self.stdout.write(_("Unfinished responses erased: %(count)d.") % {"count": unfinished})
