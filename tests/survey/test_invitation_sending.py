"""An agency invites a long list of people by email, and nobody on it is lost or mailed twice.

Mailing takes longer than a request may last once a list has a few hundred
addresses, so a list is stored whole and mailed in parts: what does not fit
waits, with its address, for the round page's button or the scheduled
command. Each part goes through one connection to the mail server.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from survey import invitations
from survey.answering import token_hash
from survey.exceptions import SurveyError
from survey.models import Invitation, RoundStatus

pytestmark = pytest.mark.django_db

PEOPLE = ["ana@example.org", "ben@example.org", "chen@example.org"]


@pytest.fixture
def designer(client, agency, member_factory, login) -> Client:
    login(member_factory(Role.DESIGNER, agency=agency))
    return client


def url(name: str, collector) -> str:
    args = [collector.round.version.survey_id, collector.round_id]
    per_round = name in {"survey:round", "survey:round_close"}
    return reverse(name, args=args if per_round else [*args, collector.pk])


def post_list(client, collector, addresses, **fields):
    data = {f"invite-{collector.pk}-addresses": "\n".join(addresses)}
    data.update({f"invite-{collector.pk}-{name}": value for name, value in fields.items()})
    return client.post(url("survey:collector_invite", collector), data, follow=True)


def link_in(message) -> str:
    return re.search(r"(https?://\S+/i/[^/\s]+/)", message.body).group(1)


def test_a_list_too_long_for_one_request_waits_and_goes_out_with_the_button_then_the_command(
    designer, mailing, mail_server, mailoutbox, settings
):
    settings.INVITATION_SEND_SECONDS = 0  # as if each request had time for one email only
    page = post_list(designer, mailing, PEOPLE).content.decode()
    assert "1 invitation sent." in page
    assert "Waiting to be sent: 2. A request may only last so long" in page
    assert "Invitations sent: 1. Answered: 0." in page
    assert "Waiting to be sent: 2. A long list goes out in parts, oldest first." in page
    assert [m.to[0] for m in mailoutbox] == PEOPLE[:1]
    # Until it is sent, an invitation holds its address; once sent, only hashes stay.
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["", *PEOPLE[1:]]

    page = designer.post(url("survey:collector_send_waiting", mailing), follow=True)
    assert "Invitations sent: 1." in page.content.decode()
    assert "Waiting to be sent: 1." in page.content.decode()

    settings.SITE_URL = "https://survey.example.org"
    call_command("send_invitations")
    assert [m.to[0] for m in mailoutbox] == PEOPLE
    assert link_in(mailoutbox[-1]).startswith("https://survey.example.org/i/")
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}
    page = designer.get(url("survey:round", mailing)).content.decode()
    assert "Invitations sent: 3. Answered: 0." in page
    assert "Waiting to be sent" not in page
    # Every link works, the command's included.
    for message in mailoutbox:
        path = "/i/" + link_in(message).split("/i/")[1]
        assert Client().get(path).status_code == 302


def test_the_command_says_what_it_sent_and_what_is_left(mailing, mail_server, settings, capsys):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    settings.SITE_URL = "https://survey.example.org/"
    call_command("send_invitations", "--seconds", "0")
    assert "Invitations sent: 1. Still waiting: 2." in capsys.readouterr().out
    call_command("send_invitations")
    assert "Invitations sent: 2. Still waiting: 0." in capsys.readouterr().out


def test_the_command_needs_the_site_address_for_the_links(mailing, mail_server, settings):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="Set SITE_URL to this site's address"):
        call_command("send_invitations")
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()


def test_a_whole_list_goes_through_one_connection_to_the_mail_server(
    mailing, mail_server, mailoutbox
):
    addresses = [f"teacher{n}@example.org" for n in range(250)]
    sent = invitations.invitations_send(
        collector=mailing, addresses=addresses, link_for=lambda token: f"/i/{token}/"
    )
    assert (sent.sent, sent.left, sent.skipped) == (250, 0, 0)
    assert len(mailoutbox) == 250
    assert mail_server.connections == 1  # Django's send_mail would have opened 250


@pytest.mark.parametrize("drop", [SMTPServerDisconnected, BrokenPipeError])
def test_a_server_that_ends_connections_after_100_messages_gets_a_new_one(
    mailing, mail_server, mailoutbox, drop
):
    mail_server.per_connection = 100
    mail_server.drop = drop
    addresses = [f"teacher{n}@example.org" for n in range(250)]
    invitations.invitations_send(
        collector=mailing, addresses=addresses, link_for=lambda token: f"/i/{token}/"
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(addresses)
    assert mail_server.connections == 3


def test_a_mail_server_failure_leaves_the_rest_waiting_with_their_addresses(
    designer, mailing, mail_server, mailoutbox, caplog
):
    mail_server.accept(1)
    page = post_list(designer, mailing, [*PEOPLE, "dana.example.org"]).content.decode()
    assert "The mail server stopped the invitations after 1 were sent. The other 2 wait" in page
    assert "ConnectionRefusedError" in caplog.text  # why, for whoever runs the site
    assert "Not valid: dana.example.org" in page  # still named, to correct
    assert [m.to[0] for m in mailoutbox] == PEOPLE[:1]
    waiting = Invitation.objects.filter(sent_at__isnull=True)
    assert sorted(waiting.values_list("email", flat=True)) == PEOPLE[1:]
    # The same list sent again once the server is back: nobody is invited twice.
    mail_server.accept(None)
    page = post_list(designer, mailing, PEOPLE).content.decode()
    assert "2 invitations sent, 3 addresses already invited." in page
    assert sorted(m.to[0] for m in mailoutbox) == sorted(PEOPLE)


def test_addresses_kept_for_reminders_stay_after_sending(mailing, mail_server, mailoutbox):
    invitations.invitations_send(
        collector=mailing,
        addresses=PEOPLE,
        link_for=lambda token: f"/i/{token}/",
        keep_for_reminders=True,
    )
    assert sorted(Invitation.objects.values_list("email", flat=True)) == sorted(PEOPLE)
    sent = mailoutbox[0]
    stored = Invitation.objects.get(email=sent.to[0])
    assert stored.token_hash == token_hash(link_in_path(sent))


def link_in_path(message) -> str:
    return re.search(r"/i/([^/\s]+)/", message.body).group(1)


def test_an_invitation_gets_its_link_when_it_is_mailed_not_when_it_waits(
    mailing, mail_server, mailoutbox
):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE[:1])
    placeholder = Invitation.objects.get().token_hash
    invitations.invitations_send_waiting(link_for=lambda token: f"/i/{token}/")
    sent = Invitation.objects.get()
    # The waiting row's hash was of no link at all; the emailed link's hash replaced it.
    assert sent.token_hash != placeholder
    assert sent.token_hash == token_hash(link_in_path(mailoutbox[0]))
    assert Client().get(f"/i/{link_in_path(mailoutbox[0])}/").status_code == 302


def test_the_designer_cancels_the_waiting_invitations(
    designer, mailing, mail_server, mailoutbox, settings
):
    settings.INVITATION_SEND_SECONDS = 0
    post_list(designer, mailing, PEOPLE)
    page = designer.get(url("survey:round", mailing)).content.decode()
    assert "These 2 invitations are deleted with their addresses: nobody gets them." in page
    done = designer.post(url("survey:collector_cancel_waiting", mailing), follow=True)
    assert "Invitations cancelled: 2." in done.content.decode()
    assert list(Invitation.objects.values_list("email", flat=True)) == [""]  # the one sent
    designer.post(url("survey:collector_send_waiting", mailing))
    assert len(mailoutbox) == 1  # nothing was left to send


def test_a_viewer_can_neither_send_nor_cancel(client, agency, member_factory, login, mailing):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    login(member_factory(Role.VIEWER, agency=agency))
    assert client.post(url("survey:collector_send_waiting", mailing)).status_code == 403
    assert client.post(url("survey:collector_cancel_waiting", mailing)).status_code == 403
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 3


def test_an_invitation_cancelled_while_a_batch_is_sent_is_not_mailed(
    mailing, mail_server, mailoutbox, monkeypatch
):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    real = invitations._message

    def and_meanwhile(*args, **kwargs):
        # Another request cancels the rest while the first email is being written.
        if not mailoutbox:
            invitations.invitations_cancel_waiting(collector=mailing)
        return real(*args, **kwargs)

    monkeypatch.setattr(invitations, "_message", and_meanwhile)
    sent = invitations.invitations_send_waiting(link_for=lambda token: f"/i/{token}/")
    assert (sent.sent, sent.left) == (1, 0)
    assert len(mailoutbox) == 1


def test_closing_the_round_cancels_what_waits_and_says_so_first(designer, mailing, mail_server):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    close = url("survey:round_close", mailing)
    page = designer.get(close, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 invitations not sent yet are cancelled, with their addresses." in page
    designer.post(close)
    assert not Invitation.objects.exists()
    mailing.round.refresh_from_db()
    assert mailing.round.status == RoundStatus.CLOSED


def test_a_round_that_ends_by_its_date_sends_nothing_more_and_the_daily_command_cancels(
    mailing, mail_server, mailoutbox, capsys
):
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    mailing.round.closes_at = timezone.now() - timedelta(minutes=1)
    mailing.round.save()
    sent = invitations.invitations_send_waiting(link_for=lambda token: f"/i/{token}/")
    assert (sent.sent, sent.left) == (0, 0)
    assert mailoutbox == []
    call_command("forget_ended")
    assert "Addresses erased: 3." in capsys.readouterr().out
    assert not Invitation.objects.exists()


def test_the_round_page_offers_no_public_link_qr_code_or_embed_for_an_email_collector(
    designer, mailing
):
    page = designer.get(url("survey:round", mailing)).content.decode()
    card = page[page.index(f'id="collector-{mailing.pk}"') :]
    card = card[: card.index("</div>")]
    assert "Only the single-use links in the invitation emails open this survey" in card
    assert mailing.token not in card
    assert "<iframe" not in card
    qr = reverse(
        "survey:collector_qr",
        args=[mailing.round.version.survey_id, mailing.round_id, mailing.pk, "png"],
    )
    assert designer.get(qr).status_code == 404


def test_a_list_of_70000_waiting_invitations_can_be_cancelled(mailing):
    # PostgreSQL refuses a query with more than 65,535 parameters bound on the server,
    # which is what deleting them all at once took.
    Invitation.objects.bulk_create(
        (
            Invitation(collector=mailing, token_hash=f"w{n}", email_hash=f"h{n}", email="x@y.org")
            for n in range(70_000)
        ),
        batch_size=5000,
    )
    assert invitations.invitations_cancel_waiting(collector=mailing) == 70_000
    assert not Invitation.objects.exists()


def test_the_designer_reads_the_emails_before_sending_a_list(designer, mailing):
    mailing.preset_language = "fr"
    mailing.save()
    page = designer.get(url("survey:round", mailing)).content.decode()
    assert "The emails people receive" in page
    preview = page[page.index('class="email-preview" lang="fr"') :]
    assert "Vous êtes invité(e) à répondre à une courte enquête anonyme" in preview
    assert "http://testserver/i/…/" in preview
    assert "ne plus recevoir de courriels sur ce questionnaire" in preview
    reminder = preview[preview.index("Reminder") :]
    assert "Il y a quelques jours, nous vous avons invité" in reminder


def write(client, collector, **fields):
    data = {f"text-{collector.pk}-{name}": value for name, value in fields.items()}
    return client.post(url("survey:collector_emails", collector), data, follow=True)


def test_the_agency_writes_its_own_invitation_and_people_receive_it(designer, mailing, mailoutbox):
    body = (
        "Dear teacher,\n\nThe Ministry of Environment asks for ten minutes of your time: "
        "{title}.\n\nYour link: {link}\n\nMinister of Environment"
    )
    done = write(
        designer,
        mailing,
        invitation_subject="{title}: the Ministry asks you",
        invitation_body=body,
        reminder_subject="Reminder: {title}",
        reminder_body="Dear teacher,\n\nThere is still time. Your new link: {link}",
    )
    page = done.content.decode()
    assert "The emails are saved: read them below before sending." in page
    previews = page[page.index('class="email-preview"') :]
    assert "Dear teacher," in previews and "There is still time." in previews
    post_list(designer, mailing, ["ana@example.org"], keep_for_reminders="on")
    email = mailoutbox[0]
    assert email.subject == "Biodiversity and you: the Ministry asks you"
    assert email.body.startswith("Dear teacher,")
    link = re.search(r"Your link: (\S+)", email.body).group(1)
    assert Client().get(link).status_code == 302  # the person's own link works
    assert "no more emails about this survey" in email.body  # always added
    assert "List-Unsubscribe" in email.extra_headers
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    designer.post(url("survey:collector_remind", mailing))
    reminder = mailoutbox[1]
    assert reminder.subject == "Reminder: Biodiversity and you"
    new_link = re.search(r"Your new link: (\S+)", reminder.body).group(1)
    assert new_link != link and Client().get(new_link).status_code == 302
    # Back to the platform's words.
    designer.post(url("survey:collector_emails", mailing), {"reset": "1"})
    mailing.refresh_from_db()
    assert [getattr(mailing, name) for name in invitations.EMAIL_FIELDS] == ["", "", "", ""]


@pytest.mark.parametrize(
    ("email", "subject", "body", "field", "message"),
    [
        ("invitation", "Hello", "Please answer.", "body", "Put {link} where each person"),
        ("invitation", "Hello", "Open {lnk}", "body", "Unknown placeholder: {lnk}."),
        ("invitation", "Hello {name}", "Open {link}", "subject", "Unknown placeholder: {name}."),
        ("invitation", "Open {link}", "Open {link}", "subject", "Put {link} in the text, not"),
        ("invitation", "", "Open {link}", "subject", "Write a subject too"),
        ("invitation", "Hello", "", "body", "Write the text too"),
        ("reminder", "Again", "Please answer now.", "body", "Put {link} where each person"),
    ],
)
def test_an_email_that_would_not_work_is_refused_next_to_its_field_with_the_text_kept(
    designer, mailing, email, subject, body, field, message
):
    page = write(designer, mailing, **{f"{email}_subject": subject, f"{email}_body": body})
    field = f"{email}_{field}"
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    # The summary's link leads to the field; the field says it is wrong.
    assert f'href="#id_text-{mailing.pk}-{field}"' in html
    assert re.search(
        rf'name="text-{mailing.pk}-{field}"[^>]*aria-invalid="true"', html
    ) or re.search(rf'aria-invalid="true"[^>]*name="text-{mailing.pk}-{field}"', html)
    assert "<details open>" in html
    assert body in html and subject in html  # what was typed is kept
    mailing.refresh_from_db()
    assert (mailing.invitation_body, mailing.reminder_body) == ("", "")


def test_only_a_designer_writes_the_invitation_and_only_for_an_email_collector(
    client, agency, member_factory, login, mailing
):
    public = mailing.round.collectors.exclude(pk=mailing.pk).get()
    login(member_factory(Role.VIEWER, agency=agency))
    texts = {"invitation_subject": "Hi", "invitation_body": "{link}"}
    assert write(client, mailing, **texts).status_code == 403
    login(member_factory(Role.DESIGNER, agency=agency))
    assert write(client, public, **texts).status_code == 404


def test_a_title_holding_a_placeholder_is_not_filled_twice(mailing):
    version = mailing.round.version
    version.title = {**version.title, "en": "Nature {link}"}
    invitations.collector_set_emails(
        collector=mailing, invitation_subject="{title}", invitation_body="Go: {link}"
    )
    message = invitations._message(mailing, 1, "a@example.org", "/i/x/", reminder=False)
    assert message.subject == "Nature {link}"
    assert message.body.startswith("Go: /i/x/")
    with pytest.raises(SurveyError, match=re.escape("Put {link}")):
        invitations.collector_set_emails(
            collector=mailing, invitation_subject="Hi", invitation_body="No link"
        )


def _held_by_another_sender(pks: list[int], held: threading.Event, done: threading.Event) -> None:
    """Another request, on its own connection, in the middle of mailing these invitations."""
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            list(Invitation.objects.filter(pk__in=pks).select_for_update())
            held.set()
            done.wait(timeout=10)  # the sender under test must not need it to end
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("held_count", [1, 3], ids=["one held", "all held"])
def test_a_second_sender_passes_over_what_the_first_is_mailing_instead_of_waiting(
    mailing, mail_server, mailoutbox, held_count
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite lets one request write at a time")
    invitations.invitations_queue(collector=mailing, addresses=PEOPLE)
    waiting = list(Invitation.objects.order_by("pk").values_list("pk", flat=True))
    held, done = threading.Event(), threading.Event()
    other = threading.Thread(
        target=_held_by_another_sender, args=(waiting[:held_count], held, done)
    )
    other.start()
    try:
        assert held.wait(timeout=10)
        sent = invitations.invitations_send_waiting(link_for=lambda token: f"/i/{token}/")
        still_held = not done.is_set() and other.is_alive()
    finally:
        done.set()
        other.join()

    assert still_held  # it ended without waiting for the other sender
    assert [m.to[0] for m in mailoutbox] == PEOPLE[held_count:]
    assert (sent.sent, sent.left) == (3 - held_count, held_count)  # theirs to mail
    assert Invitation.objects.filter(sent_at__isnull=True).count() == held_count


@pytest.mark.parametrize(
    ("lang", "counts", "said"),
    [
        ("en", (1, 0, 1), "1 invitation sent, 1 address not valid."),
        (
            "ru",
            (1, 3, 5),
            "1 приглашение отправлено, 3 адреса уже приглашены, 5 адресов недействительны.",
        ),
        ("ar", (2, 0, 11), "عدد الدعوات المُرسلة: 2، عناوين غير صالحة: 11."),
        ("zh-hans", (12, 1, 0), "已发送 12 份邀请，1 个地址已邀请过。"),
    ],
)
def test_the_summary_after_sending_counts_in_the_designers_language(lang, counts, said):
    sent, skipped, invalid = counts
    with translation.override(lang):
        summary = invitations.sent_summary(invitations.Sent(sent=sent, skipped=skipped), invalid)
    assert summary == said
