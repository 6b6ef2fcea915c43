from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

# What a database that falters raises: a locked SQLite file, a PostgreSQL server that
# restarts or fails over, a connection dropped on the way. Not IntegrityError or
# ProgrammingError: those are mistakes of ours, and an error page must show them.
DATABASE_AWAY = (OperationalError, InterfaceError)


class SurveyError(Exception):
    """A refused survey action, with a message meant for the user."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class VersionLocked(SurveyError):
    default_message = _(
        "This version is published and cannot change. Create a new draft to edit it."
    )


class InUse(SurveyError):
    default_message = _("This item is still used by a question.")


class PublishRefused(SurveyError):
    """Publishing found problems; `problems` lists every one of them."""

    default_message = _("The survey cannot be published until these problems are solved.")

    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__()
