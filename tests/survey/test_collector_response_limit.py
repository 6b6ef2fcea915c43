"""A collector can stop after so many completed responses: a quota, or one channel kept in proportion.

New starts are then refused with a clear page in the respondent's language;
those who already began can finish.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role
from survey import fieldwork
from survey.demo import demo_round_load, demo_survey_load
from survey.models import Collector, Response, ResponseStatus, RoundStatus
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = pytest.mark.django_db

FULL = "This link has all the answers it was meant to collect. Thank you for your interest."
ROUND_FULL = "This survey has all the answers it was meant to collect. Thank you for your interest."


@pytest.fixture
def designer(client, agency, member_factory, login):
    return login(member_factory(Role.DESIGNER, agency=agency))


def _limit_url(collector: Collector) -> str:
    round_ = collector.round
    return reverse(
        "survey:collector_limit", args=[round_.version.survey_id, round_.pk, collector.pk]
    )


def _round_page(client, collector: Collector) -> str:
    round_ = collector.round
    page = client.get(reverse("survey:round", args=[round_.version.survey_id, round_.pk]))
    return unescape(re.sub(r"\s+", " ", page.content.decode()))


def _finish(browser: Client, collector: Collector) -> None:
    browser.post(page_url(collector), PAGE_1)
    browser.post(page_url(collector), PAGE_2)
    browser.post(page_url(collector), PAGE_3)


def test_a_school_link_stops_at_its_limit_and_those_who_began_still_finish(
    client, designer, collector
):
    prefix = f"limit-{collector.pk}"
    done = client.post(_limit_url(collector), {f"{prefix}-response_limit": "2"})
    assert done.status_code == 302
    assert "0 of 2 completed responses" in _round_page(client, collector)

    first, second, late = Client(), Client(), Client()
    for browser in (first, second, late):
        start(browser, collector)
    _finish(first, collector)
    _finish(second, collector)
    # The limit is reached: a newcomer is turned away, kindly.
    refused = Client().get(reverse("respond:entry", args=[collector.token]))
    assert FULL in refused.content.decode()
    # Who began before it was reached finishes.
    _finish(late, collector)
    complete = Response.objects.filter(collector=collector, status=ResponseStatus.COMPLETE)
    assert complete.count() == 3
    page = _round_page(client, collector)
    assert "Full" in page and "3 of 2 completed responses" in page
    assert "new starts are refused; those who began can finish." in page

    # Lifted: the link takes people again.
    client.post(_limit_url(collector), {f"{prefix}-response_limit": ""})
    assert Collector.objects.get(pk=collector.pk).response_limit is None
    assert (
        FULL not in Client().get(reverse("respond:entry", args=[collector.token])).content.decode()
    )


@pytest.mark.parametrize("junk", ["0", "-5", "ten", "10000001", "2.5"])
def test_a_limit_that_is_no_count_of_responses_is_refused_and_kept_on_the_page(
    client, designer, collector, junk
):
    prefix = f"limit-{collector.pk}"
    refused = client.post(_limit_url(collector), {f"{prefix}-response_limit": junk})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Please correct the marked fields" in html
    assert f'value="{junk}"' in html  # what was typed, to correct
    assert Collector.objects.get(pk=collector.pk).response_limit is None


def test_a_new_collector_can_have_its_limit_from_the_start(client, designer, collector):
    round_ = collector.round
    client.post(
        reverse("survey:collector_add", args=[round_.version.survey_id, round_.pk]),
        {"name": "Schools in Region X", "kind": "qr", "response_limit": "200"},
    )
    assert Collector.objects.get(name="Schools in Region X").response_limit == 200


def test_viewers_cannot_set_a_limit(client, collector, agency, member_factory, login):
    login(member_factory(Role.VIEWER, agency=agency))
    response = client.post(_limit_url(collector), {f"limit-{collector.pk}-response_limit": "5"})
    assert response.status_code == 403
    assert Collector.objects.get(pk=collector.pk).response_limit is None


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_the_full_link_says_so_in_the_respondents_language(agency, lang):
    collector = demo_round_load(survey=demo_survey_load(agency=agency), sample_responses=3)
    Collector.objects.filter(pk=collector.pk).update(response_limit=1)
    with translation.override(lang):
        full = gettext(FULL)
    assert full != FULL
    entry = reverse("respond:entry", args=[collector.token]) + f"?lang={lang}"
    html = Client().get(entry).content.decode()
    assert full in html and ('dir="rtl"' in html) == (lang == "ar")
    # The round's own target, reached, says so in the same language.
    fieldwork.collector_set_limit(collector=collector, limit=None)
    fieldwork.round_update(round_=collector.round, target_responses=1, stop_at_target=True)
    with translation.override(lang):
        round_full = gettext(ROUND_FULL)
    assert round_full != ROUND_FULL
    assert round_full in Client().get(entry).content.decode()


def test_the_demo_shows_a_limit_on_the_schools_qr_code(client, agency, member_factory, login):
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    schools = round_.collectors.get(name="Schools in the coastal region")
    assert schools.response_limit == 150
    login(member_factory(Role.VIEWER, agency=agency))
    completed = schools.responses.filter(status=ResponseStatus.COMPLETE).count()
    assert f"{completed} of 150 completed responses" in _round_page(client, schools)


# ------------------------------------------------------------------ the round's own target


def test_a_round_set_to_stop_at_its_target_refuses_new_starts_once_reached(
    client, designer, collector
):
    round_ = collector.round
    change = reverse("survey:round_update", args=[round_.version.survey_id, round_.pk])
    fields = {
        "change-label": round_.label,
        "change-opens_at": timezone.localtime(round_.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "change-grace_minutes": "120",
    }
    # Stopping at a target needs a target; what was ticked stays ticked.
    refused = client.post(change, {**fields, "change-stop_at_target": "on"})
    assert refused.status_code == 400
    assert "Set the target the round should stop at." in refused.content.decode()
    assert re.search(r'name="change-stop_at_target"[^>]*checked', refused.content.decode())
    done = client.post(
        change, {**fields, "change-target_responses": "1", "change-stop_at_target": "on"}
    )
    assert done.status_code == 302
    assert "new starts stop there" in _round_page(client, collector)

    began = Client()
    start(began, collector)
    _finish(began, collector)
    refused = Client().get(reverse("respond:entry", args=[collector.token]))
    assert "This survey has all the answers it was meant to collect." in refused.content.decode()
    assert "new starts are refused, those who began can finish" in _round_page(client, collector)


def test_a_round_at_its_target_is_marked_full_where_the_agency_looks(client, designer, collector):
    """Its links refuse new starts, so a badge saying "Open" would mislead the agency."""
    round_ = collector.round
    version_page = reverse("survey:version", args=[round_.version.survey_id, round_.version_id])

    def badges() -> tuple[str, str]:
        on_round = re.search(
            r'class="status status-(\w+)">([^<]+)<', _round_page(client, collector)
        )
        listed = re.search(
            r'class="status status-(\w+)">([^<]+)</span></li>',
            client.get(version_page).content.decode(),
        )
        return on_round.groups(), listed.groups()

    fieldwork.round_update(round_=round_, target_responses=1, stop_at_target=True)
    assert badges() == (("open", "Open"), ("open", "Open"))
    began = Client()
    start(began, collector)
    _finish(began, collector)
    assert badges() == (("full", "Full"), ("full", "Full"))

    # A round that only aims at its target keeps taking responses: still open.
    fieldwork.round_update(round_=round_, target_responses=1, stop_at_target=False)
    assert badges() == (("open", "Open"), ("open", "Open"))
    # Paused says paused, full or not.
    fieldwork.round_update(round_=round_, target_responses=1, stop_at_target=True)
    round_.status = RoundStatus.PAUSED
    round_.save(update_fields=["status"])
    assert badges() == (("paused", "Paused"), ("paused", "Paused"))
