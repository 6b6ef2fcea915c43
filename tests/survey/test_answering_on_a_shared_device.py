"""A household shares one phone, a class or a stand one tablet: each person answers for themself.

The link's cookie takes a browser back to the answers begun on it. On a shared
device the next person must neither be stuck on someone's thank-you page nor
answer on in someone else's unfinished answers.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from survey import answering, fieldwork, invitations
from survey.demo import demo_survey_load
from survey.models import Response, ResponseStatus
from tests.survey.test_answering import (
    PAGE_1,
    PAGE_2,
    PAGE_3,
    nonce_of,
    page_url,
    shown_page,
    start,
    thank_you_address,
)

pytestmark = pytest.mark.django_db

ALREADY = "This survey has already been answered on this device."
BEGUN = "You are continuing the answers begun earlier on this device."
RECEIPT_NOT_SHOWN = (
    "The receipt code was shown only just after the answers were sent, so that nobody "
    "else using this device can have them deleted."
)


def answer_whole(client, collector, **changed):
    start(client, collector)
    client.post(page_url(collector), {**PAGE_1, **changed})
    client.post(page_url(collector), PAGE_2)
    return client.post(page_url(collector), PAGE_3)


def sent_ago(response, *, minutes):
    response.submitted_at = timezone.now() - timedelta(minutes=minutes)
    response.save(update_fields=["submitted_at"])


def thank_you_url(collector):
    return reverse("respond:done", args=[collector.token])


def opened_again(phone, collector):
    """The person holding the phone opens the link (a QR code, a shared message) again."""
    return phone.get(reverse("respond:entry", args=[collector.token]), follow=True)


def test_the_next_person_on_the_family_phone_begins_their_own_answers(collector):
    phone = Client()
    answer_whole(phone, collector, age="41")
    amina = Response.objects.get()
    # Her brother scans the poster's QR code with the same phone: he is told why he sees
    # a thank-you page, and offered his own start there. Her receipt code, which would
    # let him have her answers deleted, is not shown to him.
    thanks = opened_again(phone, collector)
    html = unescape(thanks.content.decode())
    assert ALREADY in html
    afresh = f"{reverse('respond:entry', args=[collector.token])}?lang=en&restart=1"
    assert html.index(ALREADY) < html.index(afresh)
    assert amina.receipt_code not in html and RECEIPT_NOT_SHOWN in html
    welcome = phone.get(afresh)
    assert 'name="consent"' in welcome.content.decode()
    # He reads French: the welcome page's language links keep him on the welcome page.
    assert 'href="?restart=1&amp;lang=fr"' in welcome.content.decode()
    french = phone.get(f"{reverse('respond:entry', args=[collector.token])}?restart=1&lang=fr")
    assert french.status_code == 200 and '<html lang="fr"' in french.content.decode()
    entry = f"{reverse('respond:entry', args=[collector.token])}?restart=1&lang=fr"
    first_page = phone.post(entry, {"consent": "yes", "nonce": nonce_of(french), "lang": "fr"})
    assert shown_page(first_page) == 1
    assert 'value="41"' not in first_page.content.decode()  # none of her answers
    phone.post(page_url(collector), {**PAGE_1, "age": "17"})
    phone.post(page_url(collector), PAGE_2)
    phone.post(page_url(collector), PAGE_3)
    assert Response.objects.filter(status=ResponseStatus.COMPLETE).count() == 2
    amina.refresh_from_db()
    brother = Response.objects.exclude(pk=amina.pk).get()
    assert (amina.answers["age"], brother.answers["age"]) == (41, 17)
    assert brother.language == "fr"
    # His own thank-you page, right after sending, shows his receipt; the phone now
    # leads to his thank-you page, without it.
    assert brother.receipt_code in phone.get(thank_you_url(collector)).content.decode()
    assert brother.receipt_code not in opened_again(phone, collector).content.decode()


def test_the_receipt_is_shown_just_after_sending_and_not_to_whoever_opens_the_page_later(
    collector,
):
    tablet = Client()  # at a stand at an event
    done = answer_whole(tablet, collector)
    visitor = Response.objects.get()
    assert visitor.receipt_code in done.content.decode()
    # A reload a few minutes later (a slow connection, a second look) still shows it.
    sent_ago(visitor, minutes=29)
    assert visitor.receipt_code in tablet.get(thank_you_address(done)).content.decode()
    # The next visitor picks the page from the browser's history an hour later.
    sent_ago(visitor, minutes=60)
    later = unescape(tablet.get(thank_you_address(done)).content.decode())
    assert visitor.receipt_code not in later and RECEIPT_NOT_SHOWN in later
    # The code still deletes the answers for whoever wrote it down.
    assert answering.response_withdraw(receipt_code=visitor.receipt_code)


def test_right_after_sending_the_thank_you_page_offers_the_next_person_a_start(collector):
    phone = Client()
    html = unescape(answer_whole(phone, collector).content.decode())
    assert ALREADY not in html  # these answers were just sent by this person
    assert "Is someone else answering on this device?" in html
    assert "?lang=en&restart=1" in html


def test_someone_who_finds_unfinished_answers_on_the_device_starts_their_own(collector):
    phone = Client()
    start(phone, collector)
    phone.post(page_url(collector), {**PAGE_1, "age": "63"})
    grandfather = Response.objects.get()
    # He put the phone down on page 2; his granddaughter opens the link later.
    found = opened_again(phone, collector)
    assert shown_page(found) == 2
    html = unescape(found.content.decode())
    assert BEGUN in html
    assert f'href="{reverse("respond:entry", args=[collector.token])}?lang=en&restart=1"' in html
    # A reload or the back button (respond.js gives the page the address ?p=2) does not
    # say it again: only the link opened anew does.
    assert BEGUN not in phone.get(f"{page_url(collector)}?lang=en&p=2").content.decode()
    welcome = phone.get(f"{reverse('respond:entry', args=[collector.token])}?lang=en&restart=1")
    entry = f"{reverse('respond:entry', args=[collector.token])}?lang=en&restart=1"
    phone.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), "lang": "en"})
    phone.post(page_url(collector), {**PAGE_1, "age": "19"})
    phone.post(page_url(collector), PAGE_2)
    phone.post(page_url(collector), PAGE_3)
    granddaughter = Response.objects.exclude(pk=grandfather.pk).get()
    assert granddaughter.status == ResponseStatus.COMPLETE
    assert granddaughter.answers["age"] == 19
    # His answers stay as he left them: unfinished, on page 2, nothing of hers mixed in.
    grandfather.refresh_from_db()
    assert grandfather.status == ResponseStatus.IN_PROGRESS
    assert (grandfather.page, grandfather.answers["age"]) == (2, 63)
    assert "informed" not in grandfather.answers


def test_the_person_who_left_goes_on_where_they_stopped(collector):
    phone = Client()
    start(phone, collector)
    phone.post(page_url(collector), PAGE_1)
    assert shown_page(opened_again(phone, collector)) == 2
    phone.post(page_url(collector), PAGE_2)
    phone.post(page_url(collector), PAGE_3)
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    assert response.answers["age"] == 30


def test_no_start_is_offered_where_none_may_begin(collector, mailoutbox):
    # A paused link lets whoever began finish, but takes no new start: none is offered.
    phone = Client()
    start(phone, collector)
    phone.post(page_url(collector), PAGE_1)
    fieldwork.collector_set_active(collector=collector, active=False)
    page = opened_again(phone, collector)
    assert shown_page(page) == 2
    assert BEGUN not in page.content.decode() and "restart=1" not in page.content.decode()
    phone.post(page_url(collector), PAGE_2)
    done = phone.post(page_url(collector), PAGE_3)
    assert "restart=1" not in done.content.decode()
    # An invitation is one person's: its link back to the answers offers nobody else a start.
    mailing = fieldwork.collector_create(round_=collector.round, name="Teachers", kind="email")
    invitations.invitations_send(
        collector=mailing, addresses=["ana@example.org"], link_for=lambda t: f"/i/{t}/"
    )
    link = mailoutbox[0].body.split("/i/")[1].split("/")[0]
    invited = Client()
    invited.get(f"/i/{link}/")
    start(invited, mailing)
    invited.post(page_url(mailing), PAGE_1)
    again = invited.get(f"/i/{link}/", follow=True)
    assert shown_page(again) == 2
    assert BEGUN not in again.content.decode() and "restart=1" not in again.content.decode()


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_the_notes_are_in_the_respondents_language(agency, lang):
    version = demo_survey_load(agency=agency).versions.get()
    collector = fieldwork.round_create(version=version, label="Baseline").collectors.get()
    phone = Client()
    entry = reverse("respond:entry", args=[collector.token])
    welcome = phone.get(f"{entry}?lang={lang}")
    phone.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), "lang": lang})
    page = opened_again(phone, collector)
    html = unescape(page.content.decode())
    with translation.override(lang):
        begun, own = gettext(BEGUN), gettext("Not yours? Start your own answers")
    assert begun != BEGUN and begun in html
    assert f'<a href="{entry}?lang={lang}&restart=1">{own}</a>' in html
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    # Sent (here by the server alone), then opened again: the thank-you page says why
    # no receipt is shown, in the same language.
    Response.objects.update(
        status=ResponseStatus.COMPLETE, receipt_code="ABCD-EFGH", submitted_at=timezone.now()
    )
    thanks = unescape(opened_again(phone, collector).content.decode())
    with translation.override(lang):
        already, not_shown = gettext(ALREADY), gettext(RECEIPT_NOT_SHOWN)
    assert already != ALREADY and already in thanks
    assert not_shown != RECEIPT_NOT_SHOWN and not_shown in thanks
    assert "ABCD-EFGH" not in thanks
