"""Email invitations: single-use links mailed to a list of addresses, and reminders.

A list is stored whole and mailed in parts, as long lists outlast a request.
Only hashes of an address and of its link are kept once the email is sent,
unless the agency keeps the addresses to send reminders; every way such an
address goes again is here too, the person's own "no more emails" included.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException, SMTPServerDisconnected
from typing import Any
from urllib.parse import unquote, urljoin

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from survey.answering import Refusal, check_can_start, keyed_hash, token_hash
from survey.exceptions import SurveyError
from survey.i18n import from_keyboard
from survey.interface_texts import EMAIL_SUBJECTS, survey_interface
from survey.models import Collector, Invitation, Round, RoundStatus

logger = logging.getLogger(__name__)


def parse_addresses(
    text: str = "", upload: bytes | None = None, filename: str = ""
) -> tuple[list[str], list[str]]:
    """Email addresses from pasted text, a CSV or an XLSX file: (valid, invalid).

    Every pasted entry counts, so a typo is reported; in a file only what looks
    like an address does (something@something), as lists exported from a
    spreadsheet carry names, regions and headings beside the addresses, in
    columns split by commas, semicolons or tabs, or as "Name <address>". A file
    that cannot be read is a SurveyError.
    """
    cells = []
    if upload:  # ＠ typed in full width reads as @ (survey.i18n.from_keyboard)
        cells = _ADDRESS_LIKE.findall(from_keyboard("\n".join(_file_cells(upload, filename))))
    cells.extend(_pasted_entries(text))
    valid: dict[str, None] = {}  # in the list's order, each once (a set would lose the order)
    invalid = []
    for cell in cells:
        address = cell.strip().lower()
        if not address or address in {"email", "e-mail", "address"} or address in valid:
            continue
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(cell.strip()[:100])
        else:
            valid[address] = None
    return list(valid), invalid


_ADDRESS_LIKE = re.compile(r"[^\s,;<>\"'()\[\]、،]+@[^\s,;<>\"'()\[\]、،]+")
# Between pasted entries: commas and semicolons, the ideographic and Arabic commas.
_PASTED_SEPARATORS = re.compile(r"[\n,;、،]")
_QUOTED_NAME = re.compile(r'"[^"]*"')


def _pasted_entries(text: str) -> list[str]:
    """Each pasted entry's addresses, or the entry itself when it holds none (to report).

    Designers paste from a mail program's To line ("Amina Yusuf
    <amina@example.org>; \"Li, Bo\" <bo@example.org>"), from a column, or type
    on a Chinese or Arabic keyboard (＠ and ， in full width, 、 and ، between
    entries). Full-width signs read as ASCII (from_keyboard); a quoted name may
    hold a comma, and is dropped before splitting.
    """
    text = _QUOTED_NAME.sub(" ", from_keyboard(text))
    entries: list[str] = []
    for entry in _PASTED_SEPARATORS.split(text):
        entries.extend(_ADDRESS_LIKE.findall(entry) or [entry])
    return entries


def _file_cells(upload: bytes, filename: str) -> list[str]:
    """The text of a file's cells (CSV and text files: the whole text)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from survey.xlsform import XLSFormRefused, open_workbook

        try:
            workbook = open_workbook(upload)
        except XLSFormRefused as refused:
            raise SurveyError(refused.problems[0].message) from None
        try:
            return [
                str(value)
                for row in workbook.active.iter_rows(values_only=True)
                for value in row
                if value
            ]
        finally:
            workbook.close()
    if name.endswith((".csv", ".txt")):
        # Spreadsheets save "Unicode text" as UTF-16; everything else here as UTF-8 or ASCII.
        encoding = "utf-16" if upload.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
        return [upload.decode(encoding, errors="replace")]
    raise SurveyError(_("Choose a CSV or XLSX file."))


@dataclass(frozen=True)
class Sent:
    """What one batch of emails did."""

    sent: int
    left: int = 0  # invitations still waiting to be sent, or reminders still due
    skipped: int = 0  # addresses already invited (invitations_send only)


def sent_summary(sent: Sent, invalid: int) -> str:
    """What the designer is told after sending a list: "1 invitation sent, 2 addresses
    already invited, 1 address not valid.", each count in its language's plural."""
    parts = [
        ngettext("%(count)d invitation sent", "%(count)d invitations sent", sent.sent)
        % {"count": sent.sent}
    ]
    if sent.skipped:
        parts.append(
            ngettext(
                "%(count)d address already invited",
                "%(count)d addresses already invited",
                sent.skipped,
            )
            % {"count": sent.skipped}
        )
    if invalid:
        parts.append(
            ngettext("%(count)d address not valid", "%(count)d addresses not valid", invalid)
            % {"count": invalid}
        )
    separator = pgettext("between the parts of a summary, as in: 2 invitations sent, 1 …", ", ")
    return separator.join(parts) + pgettext("the end of a sentence", ".")


def invitations_send(
    *,
    collector: Collector,
    addresses: list[str],
    link_for: Any,
    keep_for_reminders: bool = False,
    seconds: float | None = None,
) -> Sent:
    """Store one invitation per new address, then mail them for as long as `seconds` allows.

    A list of thousands of addresses takes longer to mail than a request may
    last, so the whole list is stored first: what does not fit waits, address
    included, for the round page's "Send the waiting invitations" or for
    `manage.py send_invitations`. An address already on this collector's list is
    skipped, so sending the same list again invites only the new ones.
    """
    skipped = invitations_queue(
        collector=collector, addresses=addresses, keep_for_reminders=keep_for_reminders
    )
    batch = invitations_send_waiting(link_for=link_for, collector=collector, seconds=seconds)
    return Sent(batch.sent, batch.left, skipped)


def invitations_queue(
    *, collector: Collector, addresses: list[str], keep_for_reminders: bool = False
) -> int:
    """Store an unsent invitation for each address not yet on the list; the number skipped.

    Until it is sent, an invitation's link hash is a random value that no link
    hashes to: nothing can answer through it.
    """
    before = collector.invitations.count()
    Invitation.objects.bulk_create(
        [
            Invitation(
                collector=collector,
                token_hash=secrets.token_hex(32),
                email_hash=keyed_hash(address, rotate_daily=False),
                email=address,
                keep_address=keep_for_reminders,
            )
            for address in addresses
        ],
        batch_size=500,
        ignore_conflicts=True,  # the address is already on this collector's list
    )
    return len(addresses) - (collector.invitations.count() - before)


def _waiting(collector: Collector | None, now: datetime) -> Any:
    """Invitations not sent yet, oldest first; never those of a round that has ended."""
    waiting = Invitation.objects.filter(sent_at__isnull=True).exclude(_ended(now))
    if collector is not None:
        waiting = waiting.filter(collector=collector)
    return waiting.order_by("pk")


def _ended(now: datetime) -> Q:
    """Invitations of rounds closed, or past their closing date."""
    return Q(collector__round__status=RoundStatus.CLOSED) | Q(collector__round__closes_at__lte=now)


def invitations_send_waiting(
    *, link_for: Any, collector: Collector | None = None, seconds: float | None = None
) -> Sent:
    """Mail the invitations that wait (one collector's, or all), oldest first.

    Each is claimed and mailed in one transaction, with its link's hash and
    the address dropped unless kept for reminders: if the mail server fails,
    the one that was not mailed keeps waiting, and two requests sending at
    once never mail anyone twice (the second finds it claimed). Nor do they
    wait for each other: each passes over the one the other is mailing, and
    goes on from there (pk order), so a batch held by another sender is never
    fetched again and again. Stops after the first message that ends past
    `seconds`; None: until none wait.
    """
    after = 0  # the last one tried: those before it are sent, or another sender's
    with _Mailer(seconds) as mailer:
        while mailer.has_time():
            batch = list(
                _waiting(collector, timezone.now())
                .filter(pk__gt=after)
                .select_related("collector__round__version")[:100]
            )
            if not batch:
                break
            for invitation in batch:
                if not mailer.has_time():
                    break
                after = invitation.pk
                try:
                    mailer.claim_and_send(
                        invitation,
                        Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True),
                        {
                            "sent_at": timezone.now(),
                            "email": invitation.email if invitation.keep_address else "",
                        },
                        link_for,
                        reminder=False,
                    )
                except (SMTPException, OSError) as failure:
                    _log_failure(failure)
                    raise SurveyError(
                        _(
                            "The mail server stopped the invitations after %(count)d were "
                            "sent. The other %(left)d wait: press “Send the waiting "
                            "invitations” later."
                        )
                        % {
                            "count": mailer.sent,
                            "left": _waiting(collector, timezone.now()).count(),
                        }
                    ) from None
    return Sent(mailer.sent, _waiting(collector, timezone.now()).count())


def invitations_cancel_waiting(*, collector: Collector) -> int:
    """Delete the invitations not sent yet, with their addresses; the number deleted.

    For a list sent to the wrong collector, or by mistake: nobody on it gets
    an email, and the list can be sent again later.
    """
    return _delete_in_parts(collector.invitations.filter(sent_at__isnull=True))


def _delete_in_parts(invitations: Any) -> int:
    """Delete these invitations a few thousand at a time; the number deleted.

    Django clears a deleted invitation from its response (SET_NULL) with one
    query parameter per invitation, and PostgreSQL refuses a query of more than
    65,535 when they are bound on the server (DB_SERVER_SIDE_BINDING): a list
    of 80,000 waiting invitations could not be cancelled.
    """
    deleted = 0
    while part := list(invitations.values_list("pk", flat=True)[:5000]):
        count, _by_model = Invitation.objects.filter(pk__in=part).delete()
        deleted += count
    return deleted


def _log_failure(failure: Exception) -> None:
    """The agency reads that the mail server stopped; whoever runs the site needs why."""
    logger.warning("Mail server failure while sending invitations: %r", failure)


class _Mailer:
    """One connection to the mail server for a whole batch, and the time the batch may take.

    Django's send_mail opens a connection for every message (with most
    providers a TLS handshake and a login too): even with a mail server on the
    same machine that was 44 ms a message against 1.1 ms on one connection,
    and a list of a few hundred addresses no longer fitted in one request.
    """

    def __init__(self, seconds: float | None) -> None:
        self.connection = get_connection()
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.sent = 0

    def has_time(self) -> bool:
        """Always for the first message, so that every batch moves the list on."""
        return self.sent == 0 or self.deadline is None or time.monotonic() < self.deadline

    def claim_and_send(
        self,
        invitation: Invitation,
        claim: Any,
        changes: dict[str, Any],
        link_for: Any,
        *,
        reminder: bool,
    ) -> None:
        """Give one invitation a new link and mail it, in one transaction.

        `claim` finds the invitation only in the state this email is for, and
        takes it with the new link's hash and `changes`. When it finds nothing
        (sent, answered, reminded or cancelled by another request meanwhile, or
        being mailed by another request now) no email goes; a mail server that
        fails undoes the claim.
        """
        token = secrets.token_urlsafe(24)
        with transaction.atomic():
            # One that another sender is mailing right now is theirs: passed over, not
            # waited for. PostgreSQL only: SQLite has one writer at a time whatever we
            # ask, and a read before the write would make the write fail at once, not
            # wait, when someone else wrote meanwhile.
            if (
                connection.features.has_select_for_update_skip_locked
                and not claim.select_for_update(skip_locked=True).values_list("pk", flat=True)
            ):
                return
            if claim.update(token_hash=token_hash(token), **changes):
                self.send(
                    _message(
                        invitation.collector,
                        invitation.pk,
                        invitation.email,
                        link_for(token),
                        reminder=reminder,
                    )
                )

    def send(self, message: EmailMessage) -> None:
        message.connection = self.connection
        self.connection.open()  # once; Django's backend would otherwise open one per message
        try:
            message.send()
        except (SMTPServerDisconnected, ConnectionError):
            # Providers end a connection after so many messages, or when it idles: a new
            # one, once (a server that refuses it again stops the batch).
            self.connection.close()
            self.connection.open()
            message.send()
        self.sent += 1

    def __enter__(self) -> _Mailer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.connection.close()


def _message(
    collector: Collector, invitation_id: int, address: str, link: str, *, reminder: bool
) -> EmailMessage:
    """The invitation (or reminder) email, in the collector's language when the UI has it.

    With a link to ask for no more emails, also in the List-Unsubscribe headers
    that mail programs show as a button (RFC 8058's one click included): large
    mail providers expect them of bulk mail, and people who cannot say "no more"
    mark mail as spam instead.
    """
    version = collector.round.version
    language = email_language(collector)
    title = version.title.get(language) or version.title.get(version.default_language, "")
    # Same site as the link, whatever its address: the command has no request to ask.
    stop = urljoin(link, reverse("respond:invitation_stop", args=[stop_token(invitation_id)]))
    with survey_interface(version, language):
        own_subject, own_body = (
            (collector.reminder_subject, collector.reminder_body)
            if reminder
            else (collector.invitation_subject, collector.invitation_body)
        )
        if own_body:  # the agency's own words
            values = {"title": title, "link": link}
            subject = _fill(own_subject, values)
            body = render_to_string(
                "survey/respond/custom_invitation_email.txt",
                {"body": _fill(own_body, values), "stop": stop},
            )
        else:
            subject = _(EMAIL_SUBJECTS[1] if reminder else EMAIL_SUBJECTS[0]) % {"title": title}
            body = render_to_string(
                "survey/respond/reminder_email.txt"
                if reminder
                else "survey/respond/invitation_email.txt",
                {"title": title, "link": link, "stop": stop},
            )
    headers = {}
    if stop.startswith(("https://", "http://")):
        headers = {
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMessage(subject, body, to=[address], headers=headers)


def email_language(collector: Collector) -> str:
    """The language of a collector's emails: its preset language, else the survey's default."""
    return collector.preset_language or collector.round.version.default_language


# The agency's own invitation: {link} for each person's link, {title} for the survey's.
PLACEHOLDERS = ("link", "title")
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def _fill(text: str, values: dict[str, str]) -> str:
    """Placeholders replaced in one pass: a title holding "{link}" stays as it is."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def _email_problems(subject: str, body: str) -> dict[str, str]:
    """What would make an agency's email (invitation or reminder) unusable, by field ("subject",
    "body"); empty when it is fine."""
    subject, body = subject.strip(), body.strip()
    problems: dict[str, str] = {}
    if not subject and not body:
        return problems  # the platform's text
    if not subject:
        problems["subject"] = _("Write a subject too, or clear the text to use the platform's.")
    elif "\n" in subject or "\r" in subject:
        problems["subject"] = _("The subject must fit on one line.")
    elif "{link}" in subject:
        problems["subject"] = _("Put {link} in the text, not in the subject.")
    elif unknown := _unknown_placeholders(subject):
        problems["subject"] = unknown
    if not body:
        problems["body"] = _("Write the text too, or clear the subject to use the platform's.")
    elif unknown := _unknown_placeholders(body):
        problems["body"] = unknown
    elif "{link}" not in body:
        problems["body"] = _(
            "Put {link} where each person's own link goes: without it nobody could open the survey."
        )
    return problems


def _unknown_placeholders(text: str) -> str:
    """A message naming the placeholders of `text` that are not ours; "" when none is."""
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - set(PLACEHOLDERS))
    if not unknown:
        return ""
    return _(
        "Unknown placeholder: %(names)s. Use {link} for the person's own link and "
        "{title} for the survey's title."
    ) % {"names": ", ".join("{" + name + "}" for name in unknown)}


def collector_set_emails(*, collector: Collector, **texts: str) -> Collector:
    """The agency's own invitation and reminder for this email collector.

    `texts` are the four fields EMAIL_FIELDS names; a pair left empty means
    the platform's email. The line to ask for no more emails is always added.
    """
    unknown = set(texts) - set(EMAIL_FIELDS)
    if unknown:
        raise TypeError(f"collector_set_emails cannot change {sorted(unknown)}")
    problems = email_text_problems(**texts)
    if problems:
        raise SurveyError(next(iter(problems.values())))
    for name in EMAIL_FIELDS:
        setattr(collector, name, texts.get(name, "").strip())
    collector.save(update_fields=list(EMAIL_FIELDS))
    return collector


EMAIL_FIELDS = ("invitation_subject", "invitation_body", "reminder_subject", "reminder_body")


def email_text_problems(**texts: str) -> dict[str, str]:
    """_email_problems for both emails, by field name (EMAIL_FIELDS)."""
    problems = {}
    for email in ("invitation", "reminder"):
        found = _email_problems(texts.get(f"{email}_subject", ""), texts.get(f"{email}_body", ""))
        problems.update({f"{email}_{part}": message for part, message in found.items()})
    return problems


@dataclass(frozen=True)
class EmailPreview:
    """An email as people will receive it, for the agency to read before sending a list."""

    reminder: bool
    language: str
    subject: str
    body: str


def email_previews(*, collector: Collector, link_for: Any) -> list[EmailPreview]:
    """The invitation and the reminder of this collector, in their language, links included."""
    language = email_language(collector)
    previews = []
    for reminder in (False, True):
        message = _message(collector, 0, "", unquote(link_for("…")), reminder=reminder)
        previews.append(EmailPreview(reminder, language, message.subject, message.body))
    return previews


# Signs the invitation's id: unlike its link, which each reminder replaces, this stays
# the same, so the "no more emails" link of every email sent to a person keeps working.
_STOP_SALT = "survey.invitation.stop"


def stop_token(invitation_id: int) -> str:
    return signing.Signer(salt=_STOP_SALT).sign_object(invitation_id)


def invitation_for_stop_token(token: str) -> Invitation | None:
    try:
        invitation_id = signing.Signer(salt=_STOP_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(invitation_id, int):
        return None
    return (
        Invitation.objects.select_related("collector__round__version")
        .filter(pk=invitation_id, sent_at__isnull=False)
        .first()
    )


def invitation_decline(*, invitation: Invitation) -> None:
    """No more emails to this person: the address kept for reminders is erased now.

    Their link keeps working until they have answered, should they change their mind.
    """
    Invitation.objects.filter(pk=invitation.pk).update(
        email="", declined_at=Coalesce(F("declined_at"), timezone.now())
    )


# A reminder goes at least this long after the invitation or the last reminder, and
# each address gets at most MAX_REMINDERS: reminders that nag make people stop answering.
REMINDER_GAP = timedelta(days=2)
MAX_REMINDERS = 2


@dataclass
class InvitationSummary:
    sent: int
    answered: int
    kept: int  # addresses still kept for reminders
    due: int  # of those, how many a reminder would go to now
    waiting: int  # not sent yet
    declined: int  # asked for no more emails


def invitation_summary(*, collector: Collector) -> InvitationSummary:
    """What the round page tells the agency about an email collector's invitations."""
    counts = collector.invitations.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(used_at__isnull=False)),
        kept=Count("pk", filter=KEPT),
        waiting=Count("pk", filter=Q(sent_at__isnull=True)),
        declined=Count("pk", filter=Q(declined_at__isnull=False)),
    )
    return InvitationSummary(
        counts["sent"],
        counts["answered"],
        counts["kept"],
        _due(collector, timezone.now()).count(),
        counts["waiting"],
        counts["declined"],
    )


# Sent, with the address kept for reminders (an invitation not sent yet holds its address too).
KEPT = Q(sent_at__isnull=False) & ~Q(email="")


def _due(collector: Collector, now: datetime) -> Any:
    last_contact_before = now - REMINDER_GAP
    return (
        collector.invitations.filter(KEPT)
        .filter(used_at__isnull=True, reminders__lt=MAX_REMINDERS)
        .filter(
            Q(reminded_at__isnull=True, sent_at__lte=last_contact_before)
            | Q(reminded_at__lte=last_contact_before)
        )
        .order_by("pk")
    )


def invitations_remind(
    *,
    collector: Collector,
    link_for: Any,
    now: datetime | None = None,
    seconds: float | None = None,
) -> Sent:
    """Remind every kept address that has not answered and is due, for as long as `seconds` allows.

    Only a hash of each link is stored, so a reminder carries a new link and the
    earlier one stops working (the reminder says so). Each reminder is sent in
    its own transaction with the new hash: a mail server failing half way never
    leaves anyone holding a link that does not work. Those the time did not
    allow stay due.
    """
    now = now or timezone.now()
    try:
        check_can_start(collector)
    except Refusal:
        raise SurveyError(
            _("Reminders can be sent only while the round is open and the collector active.")
        ) from None
    with _Mailer(seconds) as mailer:
        for invitation in _due(collector, now):
            if not mailer.has_time():
                break
            invitation.collector = collector  # known already: no query per reminder
            try:
                mailer.claim_and_send(
                    invitation,
                    Invitation.objects.filter(
                        pk=invitation.pk, used_at__isnull=True, reminders=invitation.reminders
                    ),
                    {"reminded_at": now, "reminders": F("reminders") + 1},
                    link_for,
                    reminder=True,
                )
            except (SMTPException, OSError) as failure:
                _log_failure(failure)
                raise SurveyError(
                    _(
                        "The mail server stopped the reminders after %(count)d were sent. "
                        "Please try again later: the others are still due."
                    )
                    % {"count": mailer.sent}
                ) from None
    return Sent(mailer.sent, _due(collector, now).count())


def invitations_forget_addresses(*, collector: Collector) -> int:
    """Erase the addresses kept for reminders now; the number erased (hashes stay)."""
    return collector.invitations.filter(KEPT).update(email="")


def invitations_end(*, round_: Round) -> int:
    """What closing a round does to its invitations; the number of addresses gone.

    Those not sent yet are deleted (their links could only meet a closed
    round) and the addresses kept for reminders are erased.
    """
    return _forget(Invitation.objects.filter(collector__round=round_))


def invitations_forget_ended(*, now: datetime | None = None) -> int:
    """Do for rounds that ended by their closing date what closing does; addresses gone.

    Closing a round does it at once (invitations_end); a round that ends by its
    closing date has nobody to press a button, so `manage.py
    forget_ended_invitations`, run daily, does it.
    """
    now = now or timezone.now()
    return _forget(Invitation.objects.filter(_ended(now)))


def _forget(invitations: Any) -> int:
    cancelled = _delete_in_parts(invitations.filter(sent_at__isnull=True))
    return cancelled + invitations.filter(KEPT).update(email="")
