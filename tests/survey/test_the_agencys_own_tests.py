"""Staff open their survey's link to test it: what they send from a signed-in browser is a test.

Left out of the results, never counted as the public's answers, and said so
on the welcome and thank-you pages; an analyst can keep one that was real.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role
from survey import respond_views, review, selectors
from survey.demo import demo_round_load, demo_survey_load
from survey.models import Response, ResponseReview, ResponseStatus, ReviewDecision, ReviewEvent
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = pytest.mark.django_db

WELCOME_NOTICE = "You are signed in to the agency that runs this survey"
THANKS_NOTICE = "this response is left out of the results as a test"


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
    monkeypatch.setattr(respond_views, "_staff_testing", lambda request, collector: False)
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
