"""Email invitations: single-use links mailed to a list of addresses, and reminders.

Only hashes of an address and of its link are kept once the email is sent,
unless the agency keeps the addresses to send reminders; every way such an
address goes again is here too.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from survey.answering import Refusal, check_can_start, keyed_hash, token_hash
from survey.exceptions import SurveyError
from survey.interface_texts import EMAIL_SUBJECTS, survey_interface
from survey.models import Collector, Invitation, RoundStatus


def parse_addresses(
    text: str = "", upload: bytes | None = None, filename: str = ""
) -> tuple[list[str], list[str]]:
    """Email addresses from pasted text, a CSV or an XLSX file: (valid, invalid).

    Every pasted line counts, so a typo is reported; in a file only what looks
    like an address does (something@something), as lists exported from a
    spreadsheet carry names, regions and headings beside the addresses, in
    columns split by commas, semicolons or tabs, or as "Name <address>". A file
    that cannot be read is a SurveyError.
    """
    cells = _ADDRESS_LIKE.findall("\n".join(_file_cells(upload, filename))) if upload else []
    for line in text.replace(";", "\n").replace(",", "\n").splitlines():
        cells.append(line)
    valid, invalid = [], []
    for cell in cells:
        address = cell.strip().lower()
        if not address or address in {"email", "e-mail", "address"}:
            continue
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(cell.strip()[:100])
        else:
            if address not in valid:
                valid.append(address)
    return valid, invalid


_ADDRESS_LIKE = re.compile(r"[^\s,;<>\"'()\[\]]+@[^\s,;<>\"'()\[\]]+")


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


def invitations_send(
    *, collector: Collector, addresses: list[str], link_for: Any, keep_for_reminders: bool = False
) -> tuple[int, int]:
    """One single-use link per new address; (sent, already invited). Addresses are not kept.

    Each invitation is stored and mailed in its own transaction: if the mail
    server fails half way, those already mailed keep working links, the rest
    are not stored, and sending the same list again invites only them.
    """
    sent = skipped = 0
    for address in addresses:
        token = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        Invitation.objects.create(
                            collector=collector,
                            token_hash=token_hash(token),
                            email_hash=keyed_hash(address, rotate_daily=False),
                            email=address if keep_for_reminders else "",
                            sent_at=timezone.now(),
                        )
                except IntegrityError:
                    skipped += 1
                    continue
                _mail(collector, address, link_for(token), reminder=False)
        except (SMTPException, OSError):
            raise SurveyError(
                _(
                    "The mail server stopped the invitations after %(count)d were sent. "
                    "Send the same list again later: those already invited are skipped."
                )
                % {"count": sent}
            ) from None
        sent += 1
    return sent, skipped


def _mail(collector: Collector, address: str, link: str, *, reminder: bool) -> None:
    """The invitation (or reminder) email, in the collector's language when the UI has it."""
    version = collector.round.version
    language = collector.preset_language or version.default_language
    title = version.title.get(language) or version.title.get(version.default_language, "")
    with survey_interface(version, language):
        subject = _(EMAIL_SUBJECTS[1] if reminder else EMAIL_SUBJECTS[0]) % {"title": title}
        body = render_to_string(
            "survey/respond/reminder_email.txt"
            if reminder
            else "survey/respond/invitation_email.txt",
            {"title": title, "link": link},
        )
    send_mail(subject, body, None, [address])


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


def invitation_summary(*, collector: Collector) -> InvitationSummary:
    """What the round page tells the agency about an email collector's invitations."""
    counts = collector.invitations.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(used_at__isnull=False)),
        kept=Count("pk", filter=~Q(email="")),
    )
    return InvitationSummary(
        counts["sent"], counts["answered"], counts["kept"], _due(collector, timezone.now()).count()
    )


def _due(collector: Collector, now: datetime) -> Any:
    last_contact_before = now - REMINDER_GAP
    return (
        collector.invitations.exclude(email="")
        .filter(used_at__isnull=True, sent_at__isnull=False, reminders__lt=MAX_REMINDERS)
        .filter(
            Q(reminded_at__isnull=True, sent_at__lte=last_contact_before)
            | Q(reminded_at__lte=last_contact_before)
        )
    )


def invitations_remind(*, collector: Collector, link_for: Any, now: datetime | None = None) -> int:
    """Remind every kept address that has not answered and is due; the number reminded.

    Only a hash of each link is stored, so a reminder carries a new link and the
    earlier one stops working (the reminder says so). Each reminder is sent in
    its own transaction with the new hash: a mail server failing half way never
    leaves anyone holding a link that does not work.
    """
    now = now or timezone.now()
    try:
        check_can_start(collector)
    except Refusal:
        raise SurveyError(
            _("Reminders can be sent only while the round is open and the collector active.")
        ) from None
    reminded = 0
    for invitation in _due(collector, now):
        token = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                changed = Invitation.objects.filter(
                    pk=invitation.pk, used_at__isnull=True, reminders=invitation.reminders
                ).update(
                    token_hash=token_hash(token), reminded_at=now, reminders=F("reminders") + 1
                )
                if not changed:  # answered, or reminded by another request, meanwhile
                    continue
                _mail(collector, invitation.email, link_for(token), reminder=True)
        except (SMTPException, OSError):
            raise SurveyError(
                _(
                    "The mail server stopped the reminders after %(count)d were sent. "
                    "Please try again later: the others are still due."
                )
                % {"count": reminded}
            ) from None
        reminded += 1
    return reminded


def invitations_forget_addresses(*, collector: Collector) -> int:
    """Erase the addresses kept for reminders now; the number erased (hashes stay)."""
    return collector.invitations.exclude(email="").update(email="")


def invitations_forget_ended(*, now: datetime | None = None) -> int:
    """Erase the addresses kept for rounds that have ended; the number erased.

    Closing a round erases them at once (round_set_status); a round that ends
    by its closing date has nobody to press a button, so `manage.py
    forget_ended_invitations`, run daily, does it.
    """
    now = now or timezone.now()
    ended = Q(collector__round__status=RoundStatus.CLOSED) | Q(collector__round__closes_at__lte=now)
    return Invitation.objects.filter(ended).exclude(email="").update(email="")
