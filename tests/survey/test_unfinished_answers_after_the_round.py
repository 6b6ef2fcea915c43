"""Answers left unfinished are erased once nobody can finish them; the round still counts them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from survey import fieldwork, invitations, services
from survey.demo import demo_survey_load
from survey.models import Invitation, Response, ResponseStatus, Round, RoundStatus
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = pytest.mark.django_db


def forget_ended() -> str:
    """The daily job; what it printed."""
    out = StringIO()
    call_command("forget_ended", stdout=out)
    return out.getvalue()


def ended_long_ago(round_: Round, *, by: str = "close") -> None:
    """The round ended more than its grace period ago, closed or by its closing date."""
    past = timezone.now() - timedelta(minutes=round_.grace_minutes + 1)
    if by == "close":
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED, status_changed_at=past)
    else:
        Round.objects.filter(pk=round_.pk).update(opens_at=past - timedelta(days=9), closes_at=past)


def _html(browser: Client, redirect) -> str:
    return browser.get(redirect["Location"]).content.decode()


def test_answers_left_unfinished_are_erased_once_the_round_closed_and_its_grace_passed(collector):
    round_ = collector.round
    stopped = Client()  # answered page 1, with a free text on page 2, and left
    start(stopped, collector)
    stopped.post(page_url(collector), PAGE_1)
    stopped.post(
        page_url(collector), {**PAGE_2, "aware": "other", "aware__other": "Amina, 12 Ngong Rd"}
    )
    later = stopped.post(page_url(collector), {"page-number": "3", "continue-later": "1"})
    resume = re.search(r'href="http://testserver(/r/[^"]+/resume/[^"]+)"', _html(stopped, later))[1]
    finished = Client()
    start(finished, collector)
    for page in (PAGE_1, PAGE_2, PAGE_3):
        finished.post(page_url(collector), page)
    unfinished = Response.objects.get(status=ResponseStatus.IN_PROGRESS)
    complete = Response.objects.get(status=ResponseStatus.COMPLETE)
    assert unfinished.answers["aware_other"] == "Amina, 12 Ngong Rd"

    fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
    # Within the grace period the person may still come back and finish: nothing goes.
    assert "Unfinished responses erased: 0." in forget_ended()
    unfinished.refresh_from_db()
    assert unfinished.status == ResponseStatus.IN_PROGRESS and unfinished.answers

    ended_long_ago(round_)
    assert "Unfinished responses erased: 1." in forget_ended()
    unfinished.refresh_from_db()
    assert unfinished.status == ResponseStatus.ERASED
    assert unfinished.answers == {}
    assert unfinished.ip_hash == "" and unfinished.resume_hash is None
    assert unfinished.page == 3  # where it stopped, for the round page
    before = complete.answers
    complete.refresh_from_db()
    assert complete.status == ResponseStatus.COMPLETE and complete.answers == before
    assert "Unfinished responses erased: 0." in forget_ended()  # a second run finds nothing

    # The person's device and their "continue later" link, on another, meet the closed round.
    for browser, address in [
        (stopped, reverse("respond:entry", args=[collector.token])),
        (stopped, page_url(collector)),
        (Client(), resume),
    ]:
        page = browser.get(address, follow=True)
        assert "This survey is closed" in page.content.decode()


def test_the_round_page_still_counts_them_as_started_and_where_they_stopped(
    client, agency, member_factory, login
):
    data = every_feature()
    data["sections"][1]["relevance"] = "${age} >= 18"  # page 2 only for adults
    data["sections"][2]["relevance"] = ""
    version = services.survey_publish(
        version=survey_from_dict(data, agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(version=version, label="Baseline")
    collector = round_.collectors.get()
    adult, minor = Client(), Client()
    start(adult, collector)
    adult.post(page_url(collector), PAGE_1)  # on page 2
    start(minor, collector)
    minor.post(page_url(collector), {**PAGE_1, "age": "16"})  # page 2 skipped: on page 3
    ended_long_ago(round_, by="closes_at")
    assert fieldwork.responses_erase_unfinished() == 2

    assert [(r.number, r.answering, r.stopped) for r in fieldwork.round_stops(round_=round_)] == [
        (2, 0, 1),
        (3, 0, 1),
    ]
    # Without relevance SQL counts by page number: erased minutes after their last page,
    # they have stopped all the same.
    data["sections"][1]["relevance"] = ""
    plain = fieldwork.round_create(
        version=services.survey_publish(
            version=survey_from_dict(data, agency=agency, by=None), by=None
        ),
        label="Plain",
    )
    start(adult, plain.collectors.get())
    adult.post(page_url(plain.collectors.get()), PAGE_1)
    ended_long_ago(plain)
    assert fieldwork.responses_erase_unfinished() == 1
    assert [(r.number, r.answering, r.stopped) for r in fieldwork.round_stops(round_=plain)] == [
        (2, 0, 1)
    ]
    login(member_factory(Role.ANALYST, agency=agency))
    progress = fieldwork.round_progress(round_=round_)
    assert (progress["total"].started, progress["total"].completed, progress["erased"]) == (2, 0, 2)
    for lang, said in [
        ("en", "2 responses were left unfinished when the round ended: their answers were erased"),
        ("ar", "بقيت إجابتان (2) غير مكتملتين عند انتهاء الجولة"),  # Arabic's form for two
        ("zh-hans", "2 份答卷在本轮结束时仍未完成"),
    ]:
        with translation.override(lang):
            url = reverse("survey:round", args=[version.survey_id, round_.pk])
        page = client.get(url).content.decode()
        assert said in page


def test_a_round_extended_after_the_erasure_lets_those_people_begin_anew(collector):
    round_ = collector.round
    person = Client()
    start(person, collector)
    person.post(page_url(collector), PAGE_1)
    ended_long_ago(round_, by="closes_at")
    fieldwork.responses_erase_unfinished()
    round_.refresh_from_db()
    fieldwork.round_update(round_=round_, closes_at=timezone.now() + timedelta(days=7))

    # Not the erased answers' page with its earlier pages empty: the welcome, to start again.
    welcome = person.get(reverse("respond:entry", args=[collector.token]))
    assert welcome.status_code == 200
    assert 'name="consent"' in welcome.content.decode()
    assert person.get(page_url(collector))["Location"] == reverse(
        "respond:entry", args=[collector.token]
    )
    start(person, collector)
    assert Response.objects.filter(status=ResponseStatus.IN_PROGRESS).count() == 1


def test_an_invitation_whose_answers_were_erased_can_begin_anew_if_the_round_is_extended(
    mailing, mailoutbox
):
    invitations.invitations_send(
        collector=mailing, addresses=["ana@example.org"], link_for=lambda t: f"/i/{t}/"
    )
    link = "/i/" + mailoutbox[0].body.split("/i/")[1].split("/")[0] + "/"
    person = Client()
    person.get(link)
    start(person, mailing)
    person.post(page_url(mailing), PAGE_1)
    ended_long_ago(mailing.round, by="closes_at")
    assert fieldwork.responses_erase_unfinished() == 1
    round_ = Round.objects.get()
    fieldwork.round_update(round_=round_, closes_at=timezone.now() + timedelta(days=7))

    again = Client()
    again.get(link)
    start(again, mailing)
    begun = Response.objects.get(status=ResponseStatus.IN_PROGRESS)
    assert begun.invitation == Invitation.objects.get() and begun.answers == {}
    assert Response.objects.get(status=ResponseStatus.ERASED).invitation is None


def test_a_paused_round_or_collector_keeps_them(collector):
    person = Client()
    start(person, collector)
    person.post(page_url(collector), PAGE_1)
    # Paused long ago, round and link alike: a pause may end, and its people come back.
    long_ago = timezone.now() - timedelta(days=90)
    fieldwork.collector_set_active(collector=collector, active=False)
    Round.objects.filter(pk=collector.round_id).update(
        status=RoundStatus.PAUSED, status_changed_at=long_ago
    )
    Response.objects.update(updated_at=long_ago)
    assert "Unfinished responses erased: 0." in forget_ended()
    assert Response.objects.get().answers["age"] == 30


def test_the_earlier_name_of_the_daily_job_does_it_too(collector):
    start(Client(), collector)
    ended_long_ago(collector.round)
    out = StringIO()
    call_command("forget_ended_invitations", stdout=out)
    assert "Unfinished responses erased: 1." in out.getvalue()


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "If you stop before the end, your answers are kept so that you can continue"),
        ("ar", "إذا توقفت قبل النهاية، تُحفظ إجاباتك لتتمكن من المتابعة"),
        ("zh-Hans", "如果您在结束前停下，您的答案会被保留"),
    ],
)
def test_the_privacy_notice_says_so_before_anyone_starts(six_language_link, lang, notice):
    entry = reverse("respond:entry", args=[six_language_link.token])
    welcome = Client().get(f"{entry}?lang={lang}")
    assert f'<html lang="{lang}"' in welcome.content.decode()
    assert notice in welcome.content.decode()


def test_the_closing_question_says_so_before_the_agency_closes(
    client, agency, member_factory, login, collector
):
    login(member_factory(Role.DESIGNER, agency=agency))
    start(Client(), collector)
    round_ = collector.round
    url = reverse("survey:round_close", args=[round_.version.survey_id, round_.pk])
    page = client.get(url).content.decode()
    assert (
        "When the grace period ends, the answers of those who have not finished are erased" in page
    )


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "You can continue until Dec. 15, 2099, 6 p.m. (Africa/Nairobi time), when the"),
        ("ar", "يمكنك المتابعة حتى 15 ديسمبر، 2099، 6:00 م (بتوقيت Africa/Nairobi)"),
        ("zh-Hans", "您可以继续作答，直至调查于 2099年12月15日"),
    ],
)
def test_whoever_stops_is_told_until_when_they_can_continue(agency, mailoutbox, lang, says):
    version = demo_survey_load(agency=agency).versions.get()
    round_ = fieldwork.round_create(
        version=version,
        label="Baseline",
        # The Kenyan agency closes the round at 18:00 in Nairobi.
        closes_at=datetime(2099, 12, 15, 18, 0, tzinfo=ZoneInfo("Africa/Nairobi")),
    )
    collector = round_.collectors.get()
    person = Client(HTTP_ACCEPT_LANGUAGE="en")
    start(person, collector, lang=lang)
    later = reverse("respond:later", args=[collector.token])
    page = unescape(person.get(later).content.decode())
    assert says in page
    person.post(later, {"email": "amina@example.org"})
    assert says in mailoutbox[0].body
    # Without a closing date there is no date to give.
    fieldwork.round_update(round_=round_, closes_at=None)
    assert says[:12] not in unescape(person.get(later).content.decode())
