"""Staff open their survey's link to test it: what they send from a signed-in browser is a test.

Left out of the results, never counted as the public's answers, and said so
on the welcome and thank-you pages; an analyst can keep one that was real.
Colleagues without an account, other phones and embeds on a trial page use a
staff test link instead: open before the round and while it is paused.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role
from survey import fieldwork, respond_views, review, selectors
from survey.demo import demo_round_load, demo_survey_load
from survey.models import (
    Collector,
    CollectorKind,
    Response,
    ResponseReview,
    ResponseStatus,
    ReviewDecision,
    ReviewEvent,
    RoundStatus,
)
from tests.survey.factories import completed_responses
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = pytest.mark.django_db

WELCOME_NOTICE = "You are signed in to the agency that runs this survey"
THANKS_NOTICE = "this response is left out of the results as a test"
LINK_NOTICE = "This is the agency's test link: what you send through it is kept as a test"
LINK_THANKS = "Sent through the agency's test link, this response is left out of the results"


def _answer_everything(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    return client.post(page_url(collector), PAGE_3)


def _welcome(client, collector, lang="en") -> str:
    return client.get(
        reverse("respond:entry", args=[collector.token]) + f"?lang={lang}"
    ).content.decode()


def test_a_designer_testing_the_link_while_signed_in_is_told_and_left_out(
    client, collector, agency, member_factory, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    assert WELCOME_NOTICE in _welcome(client, collector)

    thanks = _answer_everything(client, collector)
    assert THANKS_NOTICE in thanks.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    decision = ResponseReview.objects.get(response=response)
    assert (decision.decision, decision.reviewed_by) == (ReviewDecision.LEAVE_OUT, None)
    assert decision.note == str(review.TEST_NOTE)  # nobody named: staff answer anonymously too
    assert ReviewEvent.objects.filter(response=response).count() == 1

    # The last page sent twice (a double click) leaves one decision, one event.
    client.post(page_url(collector), PAGE_3)
    assert ReviewEvent.objects.filter(response=response).count() == 1
    # The thank-you page reached again says it too.
    done = client.get(reverse("respond:done", args=[collector.token]))
    assert THANKS_NOTICE in done.content.decode()


def test_the_public_other_agencies_and_stale_sessions_count_as_the_public(
    client, collector, other_agency, member_factory, login, agency
):
    # A member of another agency is the public here.
    login(member_factory(Role.MANAGER, agency=other_agency))
    assert WELCOME_NOTICE not in _welcome(client, collector)
    thanks = _answer_everything(client, collector)
    assert THANKS_NOTICE not in thanks.content.decode()

    # A session cookie that names no session, and one from before a password change.
    forged = Client()
    forged.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert WELCOME_NOTICE not in _welcome(forged, collector)
    staff = member_factory(Role.DESIGNER, agency=agency)
    stale = Client()
    stale.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert WELCOME_NOTICE in _welcome(stale, collector)
    staff.set_password("a new password, long enough")
    staff.save()
    assert WELCOME_NOTICE not in _welcome(stale, collector)
    _answer_everything(Client(), collector)  # and someone with no account at all
    assert not ResponseReview.objects.exists()


def test_the_public_pays_nothing_for_it(collector, monkeypatch):
    # A respondent has no session cookie: the check asks the database nothing, not even
    # which agency runs the survey. Each walk reads the link and its version afresh.
    def queries_of_a_walk() -> list[str]:
        selectors.forget_published_versions()
        with CaptureQueriesContext(connection) as queries:
            _answer_everything(Client(), collector)
        return [q["sql"] for q in queries]

    queries_of_a_walk()  # the questionnaire compiled once for the process
    checked = queries_of_a_walk()
    monkeypatch.setattr(respond_views, "_testing", lambda request, collector: "")
    assert len(checked) == len(queries_of_a_walk())
    assert not [sql for sql in checked if "session" in sql.lower() or "membership" in sql.lower()]


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_the_notice_reads_in_the_respondents_language(client, agency, member_factory, login, lang):
    collector = demo_round_load(survey=demo_survey_load(agency=agency))  # in six languages
    login(member_factory(Role.ANALYST, agency=agency))
    with translation.override(lang):
        notice = gettext(
            "You are signed in to the agency that runs this survey: what you send from this "
            "browser is kept as a test, left out of the results. To answer as a member of the "
            "public, sign out or use a private window."
        )
    page = _welcome(client, collector, lang)
    assert notice in page and WELCOME_NOTICE not in page


# ------------------------------------------------------------------ the staff test link


def _add_test_link(client, round_) -> object:
    """Added by a designer on the round page, as any collector."""
    added = client.post(
        reverse("survey:collector_add", args=[round_.version.survey_id, round_.pk]),
        {"name": "Tries by the team", "kind": CollectorKind.TEST},
    )
    assert added.status_code == 302
    return round_.collectors.get(kind=CollectorKind.TEST)


def test_a_test_link_lets_colleagues_try_the_real_pages_before_the_round_opens(
    client, collector, agency, member_factory, login
):
    round_ = collector.round
    fieldwork.round_update(round_=round_, opens_at=timezone.now() + timedelta(days=7))
    login(member_factory(Role.DESIGNER, agency=agency))
    test_link = _add_test_link(client, round_)
    card = client.get(reverse("survey:round", args=[round_.version.survey_id, round_.pk]))
    assert "For the agency's staff only" in unescape(card.content.decode())

    # The public link waits for the opening day; a colleague's phone, signed in to
    # nothing, answers through the test link and is told it is a test.
    public = Client()
    assert "This survey opens on" in _welcome(public, collector)
    colleague = Client()
    assert LINK_NOTICE in _welcome(colleague, test_link)
    assert WELCOME_NOTICE not in _welcome(colleague, test_link)
    thanks = _answer_everything(colleague, test_link)
    assert LINK_THANKS in thanks.content.decode()

    response = Response.objects.get()
    assert (response.collector, response.status) == (test_link, ResponseStatus.COMPLETE)
    decision = ResponseReview.objects.get(response=response)
    assert (decision.decision, decision.note) == (
        ReviewDecision.LEAVE_OUT,
        str(review.TEST_LINK_NOTE),
    )
    # The thank-you page reached again says it too, and the next colleague may begin.
    done = colleague.get(reverse("respond:done", args=[test_link.token])).content.decode()
    assert LINK_THANKS in done and "Start the survey for another person" in done


def _status_changed(round_, *, days_ago: int) -> None:
    """As if paused or closed that long ago (saved: the links' cache forgets the round)."""
    round_.refresh_from_db()
    round_.status_changed_at = timezone.now() - timedelta(days=days_ago)
    round_.save()


def test_a_test_link_works_while_the_round_is_paused_never_after_it_ends(
    client, collector, agency, member_factory, login
):
    round_ = collector.round
    login(member_factory(Role.DESIGNER, agency=agency))
    test_link = _add_test_link(client, round_)
    fieldwork.round_set_status(round_=round_, status=RoundStatus.PAUSED)
    # Paused long ago, past the grace period that lets the public finish.
    _status_changed(round_, days_ago=3)
    assert "This survey is paused for now" in _welcome(Client(), collector)
    trying = Client()
    assert LINK_NOTICE in _welcome(trying, test_link)
    assert LINK_THANKS in _answer_everything(trying, test_link).content.decode()
    assert Response.objects.get().status == ResponseStatus.COMPLETE

    # Its own pause stops it, as any collector's.
    fieldwork.collector_set_active(collector=test_link, active=False)
    assert "This survey is paused for now" in _welcome(Client(), test_link)
    fieldwork.collector_set_active(collector=test_link, active=True)
    # Once the round is closed nothing starts, nor goes on after the grace period.
    began = Client()
    start(began, test_link)
    fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
    assert "This survey is closed" in _welcome(Client(), test_link)
    _status_changed(round_, days_ago=1)
    late = began.post(page_url(test_link), PAGE_1).content.decode()
    assert "This survey closed and the time to finish has passed" in late


def test_a_test_link_does_not_count_against_the_public_limits(
    client, collector, agency, member_factory, login
):
    """The round's target stops the public's starts, not the team's tries."""
    round_ = collector.round
    login(member_factory(Role.DESIGNER, agency=agency))
    test_link = _add_test_link(client, round_)
    fieldwork.round_update(round_=round_, target_responses=1, stop_at_target=True)
    round_page = reverse("survey:round", args=[round_.version.survey_id, round_.pk])
    version_page = reverse("survey:version", args=[round_.version.survey_id, round_.version_id])

    def badges() -> list[str]:
        on_round = client.get(round_page).content.decode()
        listed = client.get(version_page).content.decode()  # the version's list of rounds
        return [
            re.search(r'class="status status-(\w+)"', on_round).group(1),
            re.search(r'class="status status-(\w+)">[^<]+</span></li>', listed).group(1),
        ]

    # A try first: the public link still takes its one response.
    _answer_everything(Client(), test_link)
    on_round = unescape(re.sub(r"\s+", " ", client.get(round_page).content.decode()))
    assert "target 1 (0.0% reached)" in on_round
    # Its row says why its completed response is not among the target's.
    assert re.search(
        r"Tries by the team <span class=\"muted\">· tests, not counted toward the target</span>"
        r"</td><td>1</td><td>1</td>",
        on_round,
    )
    assert badges() == ["open", "open"]
    assert "This survey has all the answers" not in _welcome(Client(), collector)
    _answer_everything(Client(), collector)
    assert "This survey has all the answers" in _welcome(Client(), collector)
    assert badges() == ["full", "full"]
    assert LINK_NOTICE in _welcome(Client(), test_link)
    # A limit of its own stops it, as any collector's.
    fieldwork.collector_set_limit(collector=test_link, limit=1)
    assert "This link has all the answers" in _welcome(Client(), test_link)


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_the_test_link_notices_read_in_the_respondents_language(agency, lang):
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    test_link = fieldwork.collector_create(round_=round_, name="Tries", kind=CollectorKind.TEST)
    english = (
        "This is the agency's test link: what you send through it is kept as a test, "
        "left out of the results. It works before the survey opens and while it is paused.",
        "Sent through the agency's test link, this response is left out of the results "
        "as a test. An analyst can keep it, on the round's Responses page.",
    )
    with translation.override(lang):
        notice, thanks = (gettext(text) for text in english)
    assert (notice, thanks) != english  # both translated
    page = unescape(_welcome(Client(), test_link, lang))
    assert notice in page and english[0] not in page
    assert f'<html lang="{"zh-Hans" if lang == "zh-hans" else lang}"' in page


def test_quick_tries_through_the_test_link_do_not_set_the_pace_for_speeders(collector):
    """Colleagues click through in a minute; the public's first careful answers are no speeders."""
    from survey.answering import compiled_for, median_duration, quality_flags

    round_ = collector.round
    test_link = fieldwork.collector_create(round_=round_, name="Tries", kind=CollectorKind.TEST)

    completed_responses(test_link, 20, tag="T", duration_seconds=60)
    completed_responses(collector, 5, tag="P", duration_seconds=600)
    assert median_duration(round_.pk) == 600
    fresh = Response(round=round_, version=round_.version, collector=collector)
    compiled = compiled_for(round_.version)
    assert quality_flags(response=fresh, answers={"age": 40}, compiled=compiled, duration=180) == [
        "speeder"
    ]


def test_the_demo_round_shows_a_staff_test_link_and_counts_none_of_the_sample_for_it(
    client, agency, member_factory, login
):
    from survey.demo import DEMO_TEST_LINK_NAME

    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    test_link = round_.collectors.get(kind=CollectorKind.TEST)
    assert (test_link.name, test_link.responses.count()) == (DEMO_TEST_LINK_NAME, 0)
    login(member_factory(Role.DESIGNER, agency=agency))
    page = unescape(
        client.get(
            reverse("survey:round", args=[round_.version.survey_id, round_.pk])
        ).content.decode()
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))  # as read, without the markup
    assert f"{DEMO_TEST_LINK_NAME} · Staff test link" in text
    assert "For the agency's staff only" in text
    # In Arabic and Chinese, the card offers to delete the tries in the page's language.
    for lang, button in (("ar", "حذف التجارب"), ("zh-hans", "删除试答")):
        with translation.override(lang):
            address = reverse("survey:round", args=[round_.version.survey_id, round_.pk])
        assert button in client.get(address).content.decode()
    assert LINK_NOTICE in _welcome(Client(), test_link)


def test_make_run_prints_the_demo_test_link_beside_the_public_one(db):
    from io import StringIO

    from django.core.management import call_command

    printed = StringIO()
    call_command("load_demo", "--base-url", "http://127.0.0.1:8000", stdout=printed)
    test_link = Collector.objects.get(kind=CollectorKind.TEST)
    lines = printed.getvalue().splitlines()
    assert "Public survey link: http://127.0.0.1:8000/r/demo-public-link/" in lines
    assert (
        f"Staff test link (answers left out as tests): http://127.0.0.1:8000/r/{test_link.token}/"
        in lines
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_reason_reads_in_the_analysts_language_not_the_testers_browsers(
    client, collector, agency, member_factory, login, lang
):
    """A colleague's phone set to Arabic tries the link; the analyst reads English or French."""
    tries = fieldwork.collector_create(round_=collector.round, name="T", kind=CollectorKind.TEST)
    phone = Client(HTTP_ACCEPT_LANGUAGE="ar")
    start(phone, tries, lang="ar")
    for page in (PAGE_1, PAGE_2, PAGE_3):
        phone.post(page_url(tries), page)
    response = Response.objects.get()
    assert ResponseReview.objects.get().note == review.TEST_LINK_NOTE  # kept as written

    login(member_factory(Role.ANALYST, agency=agency))
    round_ = collector.round
    with translation.override(lang):
        address = reverse(
            "survey:response", args=[round_.version.survey_id, round_.pk, response.pk]
        )
        csv = reverse("survey:responses_csv", args=[round_.version.survey_id, round_.pk])
        note = gettext(review.TEST_LINK_NOTE)
    page = unescape(client.get(address).content.decode())
    assert note in page and "أُرسل" not in page
    assert lang == "en" or note != review.TEST_LINK_NOTE  # translated for the French reader
    listed = b"".join(client.get(csv).streaming_content).decode("utf-8-sig")
    assert note in listed


def test_before_launch_the_team_deletes_its_tries_and_the_tables_start_clean(
    client, collector, agency, member_factory, login
):
    round_ = collector.round
    login(member_factory(Role.DESIGNER, agency=agency))
    tries = _add_test_link(client, round_)
    _answer_everything(Client(), tries)
    midway = Client()
    start(midway, tries)
    midway.post(page_url(tries), PAGE_1)
    _answer_everything(Client(), collector)  # a member of the public
    public = Response.objects.get(collector=collector)
    assert ResponseReview.objects.filter(response__collector=tries).count() == 1

    delete = reverse(
        "survey:collector_delete_tries", args=[round_.version.survey_id, round_.pk, tries.pk]
    )
    done = client.post(delete, follow=True)
    assert "2 responses of the test link deleted." in unescape(done.content.decode())
    assert list(Response.objects.all()) == [public]
    assert not ReviewEvent.objects.filter(response__collector=tries).exists()
    # The colleague midway meets the welcome page again, not an error.
    again = midway.get(reverse("respond:entry", args=[tries.token]))
    assert LINK_NOTICE in again.content.decode()

    # The public link's responses are not deleted this way.
    public_link = reverse(
        "survey:collector_delete_tries", args=[round_.version.survey_id, round_.pk, collector.pk]
    )
    refused = client.post(public_link, follow=True)
    assert "Only the responses of a staff test link can be deleted here." in unescape(
        refused.content.decode()
    )
    assert Response.objects.filter(pk=public.pk).exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
def test_only_those_who_design_the_survey_delete_the_tries(
    client, collector, agency, member_factory, login, role
):
    round_ = collector.round
    tries = fieldwork.collector_create(round_=round_, name="Tries", kind=CollectorKind.TEST)
    _answer_everything(Client(), tries)
    login(member_factory(role, agency=agency))
    delete = reverse(
        "survey:collector_delete_tries", args=[round_.version.survey_id, round_.pk, tries.pk]
    )
    assert client.post(delete).status_code == 403
    assert Response.objects.filter(collector=tries).count() == 1
    page = client.get(reverse("survey:round", args=[round_.version.survey_id, round_.pk]))
    assert delete not in page.content.decode()
