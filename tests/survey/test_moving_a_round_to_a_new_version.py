"""An agency mends its questionnaire while fieldwork runs, and the printed links keep working.

Posters with QR codes are up, invitations are out; then the round page shows
that people stop on a page, or a question is misread. The agency publishes a
version 2 and moves the round to it: new respondents get version 2 through
the same links, and whoever began on version 1 finishes version 1.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from survey import fieldwork, services
from survey.models import Question, Response, ResponseStatus, RoundStatus
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature
from tests.survey.test_answering import (
    PAGE_1,
    PAGE_2,
    PAGE_3,
    page_url,
    shown_page,
    start,
    thank_you_address,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    version = services.survey_publish(version=version, by=None)
    return fieldwork.round_create(version=version, label="Baseline")


def _version_2(round_):
    """Version 2: the age question reworded, the free comment at the end dropped."""
    draft = services.version_new_draft(version=round_.version, by=None)
    Question.objects.filter(version=draft, code="age").update(
        text={"en": "How old are you, in years?", "fr": "Quel âge avez-vous, en années ?"}
    )
    services.question_delete(question=draft.questions.get(code="comment"))
    return services.survey_publish(version=draft, by=None)


@pytest.fixture
def designer_client(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    return client


def _round_page(client, round_) -> str:
    url = reverse("survey:round", args=[round_.version.survey_id, round_.pk])
    return unescape(client.get(url).content.decode())


def test_new_respondents_get_version_2_and_those_who_began_finish_version_1(
    designer_client, round_
):
    collector = round_.collectors.get()
    ana = Client()
    start(ana, collector)
    ana.post(page_url(collector), PAGE_1)  # Ana is on page 2 of version 1

    version_2 = _version_2(round_)
    page = _round_page(designer_client, round_)
    assert "Move the round to version 2" in page
    # What the move leaves behind is said before it is made.
    assert re.search(r"Version 2 has no question with these codes.*<code dir=\"ltr\">comment", page)
    moved = designer_client.post(
        reverse("survey:round_move", args=[round_.version.survey_id, round_.pk]),
        {"version": version_2.pk},
    )
    assert moved.status_code == 302
    page = _round_page(designer_client, round_)
    assert "New respondents now answer version 2" in page
    assert 'id="by-version"' not in page  # all the responses so far are on version 1
    # Where people stop is counted on the round's pages: Ana's are version 1's.
    assert "Unfinished responses, by the page they are on" not in page
    round_.refresh_from_db()
    assert round_.version == version_2

    # Bob comes through the same link and gets the reworded question.
    bob = Client()
    entry = reverse("respond:entry", args=[collector.token])
    nonce = re.search(r'name="nonce" value="([^"]+)"', bob.get(entry).content.decode())[1]
    first = bob.post(entry, {"consent": "yes", "nonce": nonce, "lang": "en"})
    assert "How old are you, in years?" in unescape(first.content.decode())
    bob.post(page_url(collector), PAGE_1)
    bob.post(page_url(collector), PAGE_2)
    last = bob.post(page_url(collector), {k: v for k, v in PAGE_3.items() if k != "comment"})
    assert thank_you_address(last).endswith("/done/")

    # Ana goes on with the pages she began: version 1's, its comment question included.
    assert shown_page(ana.get(page_url(collector), follow=True)) == 2
    third = ana.post(page_url(collector), PAGE_2)
    assert 'name="comment"' in third.content.decode()
    done = ana.post(page_url(collector), PAGE_3)
    assert thank_you_address(done).endswith("/done/")
    assert "Thank you." in unescape(ana.get(thank_you_address(done)).content.decode())

    answered = {
        r.answers.get("comment"): r.version.number
        for r in Response.objects.filter(status=ResponseStatus.COMPLETE)
    }
    assert answered == {"Thanks": 1, None: 2}
    # The round page counts the responses of each version, for whoever compares them.
    page = _round_page(designer_client, round_)
    table = page[page.index('<caption id="by-version">') :]
    rows = re.findall(r"<tr><td>(Version \d)</td><td>(\d+)</td><td>(\d+)</td>", table)
    assert rows == [("Version 1", "1", "1"), ("Version 2", "1", "1")]


def test_a_round_moves_only_forward_to_a_published_version_of_its_survey(
    designer_client, round_, agency
):
    version_1 = round_.version
    version_2 = _version_2(round_)
    move = reverse("survey:round_move", args=[version_1.survey_id, round_.pk])
    other = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    draft = services.version_new_draft(version=version_2, by=None)
    for refused in (other.pk, draft.pk, version_1.pk, "not a number", ""):
        designer_client.post(move, {"version": refused})
        round_.refresh_from_db()
        assert round_.version == version_1, refused
    page = _round_page(designer_client, round_)
    assert "A round can move only to a newer published version of its survey." in page

    designer_client.post(move, {"version": version_2.pk})
    round_.refresh_from_db()
    assert round_.version == version_2
    # Now it is on the newest: nothing newer is offered, and back is refused.
    assert "Move the round to version" not in _round_page(designer_client, round_)
    designer_client.post(move, {"version": version_1.pk})
    round_.refresh_from_db()
    assert round_.version == version_2


def test_a_closed_round_does_not_move_and_viewers_cannot_move_one(
    client, round_, agency, member_factory, login
):
    version_1 = round_.version
    version_2 = _version_2(round_)
    move = reverse("survey:round_move", args=[version_1.survey_id, round_.pk])
    login(member_factory(Role.VIEWER, agency=agency))
    assert client.post(move, {"version": version_2.pk}).status_code == 403
    assert "Move the round to version" not in _round_page(client, round_)

    login(member_factory(Role.DESIGNER, agency=agency))
    fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
    assert "Move the round to version" not in _round_page(client, round_)
    client.post(move, {"version": version_2.pk})
    round_.refresh_from_db()
    assert round_.version == version_1
    assert "A closed round stays closed" in _round_page(client, round_)


def test_the_move_is_offered_in_arabic(designer_client, round_):
    _version_2(round_)
    url = reverse("survey:round", args=[round_.version.survey_id, round_.pk])
    page = designer_client.get(url.replace("/en/", "/ar/")).content.decode()
    assert "نقل الجولة إلى الإصدار 2" in unescape(page)


def test_the_rounds_analytics_frame_follows_the_move(round_, django_capture_on_commit_callbacks):
    from analytics.frames import round_frame

    collector = round_.collectors.get()
    ana = Client()
    start(ana, collector)
    for page in (PAGE_1, PAGE_2, PAGE_3):
        ana.post(page_url(collector), page)
    assert "comment" in round_frame(round_.pk).columns  # built and kept for the round
    with django_capture_on_commit_callbacks(execute=True):
        fieldwork.round_move_to_version(round_=round_, version_id=_version_2(round_).pk)
    # Rebuilt on the version 2 questions at once, not when the next response comes in;
    # Ana's answers to the questions both versions share are there.
    frame = round_frame(round_.pk)
    assert "comment" not in frame.columns
    assert frame["age"].tolist() == [30]


def test_publishing_a_version_says_which_rounds_could_move_to_it(designer_client, round_):
    draft = services.version_new_draft(version=round_.version, by=None)
    publish = reverse("survey:publish", args=[draft.survey_id, draft.pk])
    page = unescape(designer_client.post(publish, follow=True).content.decode())
    assert "Version 2 is published." in page
    assert "1 round still runs on an earlier version: its page can move it to this one." in page
    # Once the round has moved (or closed), publishing says nothing more.
    fieldwork.round_move_to_version(round_=round_, version_id=draft.pk)
    third = services.version_new_draft(version=draft, by=None)
    fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
    publish = reverse("survey:publish", args=[third.survey_id, third.pk])
    page = unescape(designer_client.post(publish, follow=True).content.decode())
    assert "Version 3 is published." in page
    assert "still runs on an earlier version" not in page
