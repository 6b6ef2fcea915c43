"""An agency that chose to keep addresses reminds the people who have not answered yet.

Reminders are the reason to keep an address at all, so they come with the
limits that keep them polite (a gap, a most) and with every way the address
goes again: its person answers, the round closes, or the agency erases it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from survey import fieldwork, invitations
from survey.answering import token_hash
from survey.exceptions import SurveyError
from survey.logic import PAGE_FIELD
from survey.models import Invitation, Response, ResponseStatus, RoundStatus
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = pytest.mark.django_db


def invite(collector, *addresses, keep=True):
    invitations.invitations_send(
        collector=collector,
        addresses=list(addresses),
        link_for=lambda token: f"/i/{token}/",
        keep_for_reminders=keep,
    )


def link_in(message) -> str:
    return re.search(r"(/i/[^/\s]+/)", message.body).group(1)


def mail_to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def answer_everything(client, collector, link):
    assert client.get(link).status_code == 302
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), PAGE_3)


def remind(collector, days_later: float, seconds: float | None = None) -> int:
    return invitations.invitations_remind(
        collector=collector,
        link_for=lambda token: f"/i/{token}/",
        now=timezone.now() + timedelta(days=days_later),
        seconds=seconds,
    ).sent


def test_only_people_who_have_not_answered_are_reminded_with_a_new_link(
    mailing, mailoutbox, client
):
    invite(mailing, "ana@example.org", "ben@example.org")
    ana_link = link_in(mail_to(mailoutbox, "ana@example.org")[0])
    ben_first = link_in(mail_to(mailoutbox, "ben@example.org")[0])
    answer_everything(client, mailing, ana_link)
    ana = Invitation.objects.get(used_at__isnull=False)
    assert ana.email == ""  # answered: her address is gone at once

    assert remind(mailing, days_later=1) == 0  # too soon after the invitation
    assert remind(mailing, days_later=3) == 1
    reminder = mail_to(mailoutbox, "ben@example.org")[-1]
    assert reminder.subject.startswith("Reminder: your views on biodiversity")
    assert "replaces the link in our earlier email" in reminder.body
    ben_new = link_in(reminder)
    assert ben_new != ben_first
    assert Invitation.objects.get(email="ben@example.org").token_hash == token_hash(
        ben_new.split("/")[2]
    )
    # The earlier link says what to do instead of a bare "not found"; the new one works.
    replaced = Client().get(ben_first)
    assert replaced.status_code == 404
    assert "If we sent you a newer email, please use the link in it." in replaced.content.decode()
    assert Client().get(ben_new).status_code == 302

    assert remind(mailing, days_later=4) == 0  # too soon after the reminder
    assert remind(mailing, days_later=6) == 1
    assert remind(mailing, days_later=20) == 0  # two reminders at most
    assert len(mail_to(mailoutbox, "ben@example.org")) == 3
    assert len(mail_to(mailoutbox, "ana@example.org")) == 1


def test_someone_who_started_is_reminded_and_the_new_link_resumes_their_answers(
    mailing, mailoutbox, client
):
    invite(mailing, "ana@example.org")
    first = link_in(mailoutbox[0])
    client.get(first)
    start(client, mailing)
    client.post(page_url(mailing), PAGE_1)
    assert remind(mailing, days_later=3) == 1
    phone = Client()  # the reminder opened on another device
    assert phone.get(link_in(mailoutbox[-1])).status_code == 302
    entry = phone.get(reverse("respond:entry", args=[mailing.token]))
    page = phone.get(entry["Location"])
    assert f'name="{PAGE_FIELD}" value="2"' in page.content.decode()
    phone.post(page_url(mailing), PAGE_2)
    phone.post(page_url(mailing), PAGE_3)
    assert Response.objects.get().status == ResponseStatus.COMPLETE


def test_no_address_kept_means_no_reminder(mailing, mailoutbox):
    invite(mailing, "ana@example.org", keep=False)
    assert remind(mailing, days_later=3) == 0
    assert len(mailoutbox) == 1


def test_no_reminders_while_paused_and_closing_the_round_erases_the_addresses(mailing):
    invite(mailing, "ana@example.org")
    fieldwork.collector_set_active(collector=mailing, active=False)
    with pytest.raises(SurveyError, match="only while the round is open"):
        remind(mailing, days_later=3)
    fieldwork.collector_set_active(collector=mailing, active=True)
    fieldwork.round_set_status(round_=mailing.round, status=RoundStatus.CLOSED)
    assert list(Invitation.objects.values_list("email", flat=True)) == [""]


def test_the_designer_follows_invitations_reminds_and_erases_on_the_round_page(
    client, agency, member_factory, login, mailing, mailoutbox
):
    login(member_factory(Role.DESIGNER, agency=agency))
    invite(mailing, "ana@example.org", "ben@example.org")
    args = [mailing.round.version.survey_id, mailing.round_id, mailing.pk]
    page = client.get(reverse("survey:round", args=args[:2])).content.decode()
    assert "Invitations sent: 2. Answered: 0." in page
    assert "Addresses kept for reminders: 2. A reminder would go now to 0 of them" in page

    done = client.post(reverse("survey:collector_remind", args=args), follow=True)
    assert "Reminders sent: 0." in done.content.decode()
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    done = client.post(reverse("survey:collector_remind", args=args), follow=True)
    assert "Reminders sent: 2." in done.content.decode()
    assert len(mailoutbox) == 4

    done = client.post(reverse("survey:collector_forget_addresses", args=args), follow=True)
    page = done.content.decode()
    assert "Addresses erased: 2." in page
    assert "Addresses kept for reminders" not in page
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}


def test_a_paused_collector_refuses_reminders_with_a_message(
    client, agency, member_factory, login, mailing, mailoutbox
):
    login(member_factory(Role.DESIGNER, agency=agency))
    invite(mailing, "ana@example.org")
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    fieldwork.collector_set_active(collector=mailing, active=False)
    args = [mailing.round.version.survey_id, mailing.round_id, mailing.pk]
    done = client.post(reverse("survey:collector_remind", args=args), follow=True)
    assert "Reminders can be sent only while the round is open" in done.content.decode()
    assert len(mailoutbox) == 1


def test_a_viewer_can_neither_remind_nor_erase(client, agency, member_factory, login, mailing):
    login(member_factory(Role.VIEWER, agency=agency))
    args = [mailing.round.version.survey_id, mailing.round_id, mailing.pk]
    assert client.post(reverse("survey:collector_remind", args=args)).status_code == 403
    assert client.post(reverse("survey:collector_forget_addresses", args=args)).status_code == 403


def test_an_unknown_invitation_link_is_explained_in_arabic(client):
    page = client.get("/i/not-a-real-token/", HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'dir="rtl"' in html
    assert "رابط الدعوة هذا لا يعمل" in html
    assert re.search(r"<title>رابط الدعوة هذا لا يعمل[^<]*</title>", html)  # was empty


def test_a_mail_server_failure_keeps_the_link_that_was_not_sent(mailing, mailoutbox, mail_server):
    invite(mailing, "ana@example.org", "ben@example.org")
    before = dict(Invitation.objects.values_list("email", "token_hash"))
    mail_server.accept(1)
    with pytest.raises(SurveyError, match="stopped the reminders after 1 were sent"):
        remind(mailing, days_later=3)
    reminded = mailoutbox[-1].to[0]
    after = dict(Invitation.objects.values_list("email", "token_hash"))
    changed = [email for email in before if before[email] != after[email]]
    assert changed == [reminded]  # the one reminded has a new link; the other keeps its own
    mail_server.accept(None)
    assert remind(mailing, days_later=3) == 1  # still due, and reminded next time


def test_reminders_that_take_too_long_for_one_request_stay_due(
    client, agency, member_factory, login, mailing, mailoutbox, settings
):
    login(member_factory(Role.DESIGNER, agency=agency))
    invite(mailing, "ana@example.org", "ben@example.org", "chen@example.org")
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    settings.INVITATION_SEND_SECONDS = 0  # one email a request
    url = reverse(
        "survey:collector_remind",
        args=[mailing.round.version.survey_id, mailing.round_id, mailing.pk],
    )
    page = client.post(url, follow=True).content.decode()
    assert "Reminders sent: 1." in page
    assert "Still due: 2. A request may only last so long" in page
    assert "Still due: 1." in client.post(url, follow=True).content.decode()
    last = client.post(url, follow=True).content.decode()
    assert "Reminders sent: 1." in last
    assert "Still due" not in last
    assert len(mailoutbox) == 3 + 3  # the invitations, then one reminder each


def test_a_round_that_ends_by_its_date_loses_its_addresses_with_the_daily_command(mailing, capsys):
    invite(mailing, "ana@example.org")
    call_command("forget_ended")
    assert Invitation.objects.get().email == "ana@example.org"  # still open: kept
    mailing.round.closes_at = timezone.now() - timedelta(minutes=1)
    mailing.round.save()
    call_command("forget_ended")
    assert Invitation.objects.get().email == ""
    assert "Addresses erased: 1." in capsys.readouterr().out


def stop_link_in(message) -> str:
    return re.search(r"(\S*/i/stop/[^/\s]+/)", message.body).group(1)


def test_a_person_asks_for_no_more_emails_and_gets_no_reminder(mailing, mailoutbox):
    invitations.invitations_send(
        collector=mailing,
        addresses=["ana@example.org", "ben@example.org"],
        link_for=lambda token: f"https://survey.example.org/i/{token}/",
        keep_for_reminders=True,
    )
    email = mail_to(mailoutbox, "ana@example.org")[0]
    stop = stop_link_in(email)
    assert stop.startswith("https://survey.example.org/i/stop/")
    assert "no more emails about this survey" in email.body
    # Mail programs show their own "unsubscribe" button from these headers.
    assert email.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    path = stop.removeprefix("https://survey.example.org")
    page = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ne plus recevoir de courriels sur ce questionnaire ?" in page
    assert Invitation.objects.filter(declined_at__isnull=False).count() == 0  # only asked
    # The one click of a mail program: a POST with no form token of ours.
    clicked = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert clicked.status_code == 200
    declined = Invitation.objects.get(declined_at__isnull=False)
    assert declined.email == ""  # erased at once
    assert remind(mailing, days_later=3) == 1  # Ben only
    assert mail_to(mailoutbox, "ana@example.org") == [email]
    # Asking again changes nothing; the page says it is done.
    again = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vous ne recevrez plus de courriels sur ce questionnaire." in again
    assert Invitation.objects.get(pk=declined.pk).declined_at == declined.declined_at


def test_the_first_emails_stop_link_still_works_after_a_reminder_replaced_its_link(
    mailing, mailoutbox
):
    invite(mailing, "ana@example.org")
    first = mailoutbox[0]
    remind(mailing, days_later=3)
    assert link_in(mailoutbox[1]) != link_in(first)  # the invitation link was replaced
    assert stop_link_in(mailoutbox[1]) == stop_link_in(first)
    Client().post(stop_link_in(first))
    assert Invitation.objects.get().declined_at is not None
    # Changing one's mind: the latest link still opens the survey.
    assert Client().get(link_in(mailoutbox[1])).status_code == 302


def test_a_stop_link_with_a_changed_signature_is_refused_in_the_readers_language(
    mailing, mailoutbox
):
    invite(mailing, "ana@example.org")
    forged = stop_link_in(mailoutbox[0])[:-3] + "xx/"
    page = Client().post(forged, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 404
    assert 'dir="rtl"' in page.content.decode()
    assert Invitation.objects.get().declined_at is None


def test_the_round_page_counts_those_who_asked_for_no_more_emails(
    client, agency, member_factory, login, mailing, mailoutbox
):
    invite(mailing, "ana@example.org", "ben@example.org")
    Client().post(stop_link_in(mailoutbox[0]))
    login(member_factory(Role.VIEWER, agency=agency))
    page = client.get(
        reverse("survey:round", args=[mailing.round.version.survey_id, mailing.round_id])
    )
    assert "Invitations sent: 2. Answered: 0. Asked for no more emails: 1." in page.content.decode()
