from django.utils.translation import gettext_lazy as _


class AccountsError(Exception):
    """A refused account action, with a message meant for the user."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvitationInvalid(AccountsError):
    default_message = _("This invitation link is not valid.")


class InvitationUsed(AccountsError):
    default_message = _("This invitation has already been used. Sign in instead.")


class InvitationExpired(AccountsError):
    default_message = _("This invitation has expired. Ask your agency manager for a new one.")


class InvitationRevoked(AccountsError):
    default_message = _("This invitation was withdrawn by the agency.")


class LastManager(AccountsError):
    default_message = _("An agency needs at least one manager; appoint another manager first.")
