from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from survey.invitations import invitations_forget_ended


class Command(BaseCommand):
    help = (
        "For rounds that have ended: erase the email addresses kept for reminders and cancel "
        "the invitations not sent yet (run daily)."
    )

    def handle(self, *args: object, **options: object) -> None:
        erased = invitations_forget_ended()
        self.stdout.write(_("Addresses erased: %(count)d.") % {"count": erased})
