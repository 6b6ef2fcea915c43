"""An analyst reads the responses flagged for quality, one by one, and keeps each or leaves it out.

Flags are suspicions: a reader who knows the subject can be quick. The agency
decides, with a reason whoever reads the results later can see, and the
indicators follow the decision at once.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import statistics
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role
from analytics.frames import FLAGGED, round_frame
from survey import fieldwork, review
from survey.demo import demo_round_load, demo_survey_dict, demo_survey_load
from survey.logic import compile_survey
from survey.models import Response, ResponseReview, ResponseStatus, ReviewDecision, ReviewEvent
from survey.review import readable_answers
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_round(agency):
    return demo_round_load(survey=demo_survey_load(agency=agency)).round


@pytest.fixture
def flagged(demo_round):
    """Three complete responses the answering flow flagged, newest first (and no other)."""
    Response.objects.filter(round=demo_round).update(quality_flags=[])
    complete = list(
        Response.objects.filter(round=demo_round, status=ResponseStatus.COMPLETE).order_by(
            "-submitted_at", "-pk"
        )[:3]
    )
    for response, flags in zip(
        complete, (["speeder"], ["straight_lining", "speeder"], ["duplicate"]), strict=True
    ):
        Response.objects.filter(pk=response.pk).update(quality_flags=flags)
        response.quality_flags = flags
    return complete


@pytest.fixture
def analyst(agency, member_factory, login):
    user = member_factory(Role.ANALYST, agency=agency)
    login(user)
    return user


def _url(name: str, round_, *args, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"survey:{name}", args=[round_.version.survey_id, round_.pk, *args])


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def _question(code: str) -> dict:
    (question,) = [
        q for s in demo_survey_dict()["sections"] for q in s["questions"] if q["code"] == code
    ]
    return question


def _label(question_code: str, code: str, lang: str) -> str:
    data = demo_survey_dict()
    list_name = _question(question_code)["choice_list"]
    (choices,) = [cl["choices"] for cl in data["choice_lists"] if cl["name"] == list_name]
    (label,) = [c["label"][lang] for c in choices if c["code"] == code]
    return label


def test_an_analyst_leaves_a_speeder_out_and_the_indicators_stop_counting_it(
    client, demo_round, flagged, analyst, django_capture_on_commit_callbacks
):
    complete = demo_round.responses.filter(status=ResponseStatus.COMPLETE).count()
    assert len(round_frame(demo_round.pk)) == complete  # read once: cached from here on
    speeder = flagged[0]

    # The round page sends the analyst to what awaits review.
    round_page = _text(client.get(_url("round", demo_round)))
    assert "Review the 3 not yet reviewed" in round_page
    queue = client.get(_url("responses", demo_round) + "?show=awaiting")
    listed = re.findall(r'responses/(\d+)/[^"]*">No\. \d+<', queue.content.decode())
    assert [int(pk) for pk in listed] == [r.pk for r in flagged]
    assert "3 responses" in _text(queue)

    # The response reads as the respondent answered, choice codes as their labels.
    url = _url("response", demo_round, speeder.pk)
    page = _text(client.get(url))
    assert "too fast" in page and "under a third of the median time" in page
    awareness = speeder.answers["bio_heard"]
    assert _label("bio_heard", awareness, "en") in page
    row = next(value for key, value in speeder.answers.items() if key.startswith("bio_values_"))
    assert (
        f": {_label('bio_values', row, 'en')}" in page
    )  # each row of a table of statements with its answer
    assert "Nobody has decided on this response: it counts in the results." in page

    # Leaving it out needs a reason; what was chosen stays on the page.
    refused = client.post(url, {"decision": ReviewDecision.LEAVE_OUT, "note": "  "})
    assert refused.status_code == 400
    assert "Say why the response is left out" in _text(refused)
    assert re.search(r'value="leave_out"[^>]*checked', refused.content.decode())
    assert not ResponseReview.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"decision": ReviewDecision.LEAVE_OUT, "note": "Sent in 40 s, all first options"}
        )
    assert done.status_code == 302
    recorded = ResponseReview.objects.get(response=speeder)
    assert (recorded.decision, recorded.reviewed_by) == (ReviewDecision.LEAVE_OUT, analyst)
    page = _text(client.get(url))
    assert f"by {analyst.email}" in page and "Sent in 40 s, all first options" in page
    # The reason belongs to that decision: a next one starts with its own, empty.
    assert re.search(r'<textarea name="note"[^>]*>\s*</textarea>', page)

    # The indicators no longer count it, at once (the cached frame is rebuilt).
    frame = round_frame(demo_round.pk)
    assert len(frame) == complete - 1
    assert speeder.pk not in set(frame["@response_id"])
    indicators = _text(client.get(reverse("analytics:round_indicators", args=[demo_round.pk])))
    assert "1 response left out after review is not counted." in indicators
    assert "1 completed response is left out of the results after review." in _text(
        client.get(_url("round", demo_round))
    )

    # And it can be undone.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"undo": "1"})
    assert not ResponseReview.objects.exists()
    assert len(round_frame(demo_round.pk)) == complete


def test_a_flagged_response_kept_after_review_no_longer_counts_as_flagged(
    client, demo_round, flagged, analyst, django_capture_on_commit_callbacks
):
    fast_reader = flagged[1]
    assert round_frame(demo_round.pk).set_index("@response_id").loc[fast_reader.pk, FLAGGED]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("response", demo_round, fast_reader.pk), {"decision": ReviewDecision.KEEP}
        )
    assert response.status_code == 302
    frame = round_frame(demo_round.pk).set_index("@response_id")
    assert not frame.loc[fast_reader.pk, FLAGGED]  # "leave out flagged" keeps it now
    assert frame.loc[flagged[0].pk, FLAGGED]
    queue = client.get(_url("responses", demo_round) + "?show=awaiting").content.decode()
    assert f"responses/{fast_reader.pk}/" not in queue
    kept = client.get(_url("responses", demo_round) + "?show=keep").content.decode()
    assert f"responses/{fast_reader.pk}/" in kept


def test_a_likely_duplicate_links_to_the_response_it_repeats(client, demo_round, flagged, analyst):
    first, copy = flagged[1], flagged[2]
    Response.objects.filter(pk__in=[first.pk, copy.pk]).update(fingerprint="same")
    page = client.get(_url("response", demo_round, copy.pk)).content.decode()
    assert f'href="{_url("response", demo_round, first.pk)}">See response No. {first.pk}' in page


@pytest.mark.parametrize(
    ("lang", "show", "decision", "dir_"),
    [("ar", "عرض", "القرار", 'dir="rtl"'), ("zh-hans", "显示", "决定", 'dir="ltr"')],
)
def test_the_review_pages_read_in_arabic_and_chinese(
    client, demo_round, flagged, analyst, lang, show, decision, dir_
):
    listing = client.get(_url("responses", demo_round, lang=lang))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert dir_ in html and f">{show}</button>" in html
    page = client.get(_url("response", demo_round, flagged[0].pk, lang=lang)).content.decode()
    assert f">{decision}</h2>" in page
    content = "zh-Hans" if lang == "zh-hans" else lang
    # The questionnaire's own wording in the reader's language when the survey has it.
    assert _question("bio_heard")["text"][content] in unescape(page)


def test_designers_and_viewers_cannot_read_single_responses_nor_other_agencies(
    client, demo_round, flagged, agency, other_agency, member_factory, login
):
    url = _url("response", demo_round, flagged[0].pk)
    for role in (Role.DESIGNER, Role.VIEWER):
        login(member_factory(role, agency=agency))
        assert client.get(url).status_code == 403
        assert client.get(_url("responses", demo_round)).status_code == 403
        assert client.post(url, {"decision": "keep"}).status_code == 403
        round_page = client.get(_url("round", demo_round)).content.decode()
        assert _url("responses", demo_round) not in round_page
    login(member_factory(Role.ANALYST, agency=other_agency))
    assert client.get(url).status_code == 404
    assert not ResponseReview.objects.exists()
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_an_unfinished_response_or_one_from_another_round_is_not_found(
    client, demo_round, analyst, agency
):
    unfinished = demo_round.responses.filter(status=ResponseStatus.IN_PROGRESS).first()
    assert unfinished is not None
    assert client.get(_url("response", demo_round, unfinished.pk)).status_code == 404
    assert (
        client.post(_url("response", demo_round, unfinished.pk), {"decision": "keep"}).status_code
        == 404
    )
    # A complete response of another round of the same survey, by its id.
    other_round = fieldwork.round_create(version=demo_round.version, label="Follow-up")
    elsewhere = demo_round.responses.filter(status=ResponseStatus.COMPLETE).first()
    elsewhere.pk, elsewhere.round = None, other_round
    elsewhere.collector = other_round.collectors.get()
    elsewhere.receipt_code, elsewhere.invitation = "ELSEWHERE", None
    elsewhere.save()
    assert client.get(_url("response", other_round, elsewhere.pk)).status_code == 200
    assert client.get(_url("response", demo_round, elsewhere.pk)).status_code == 404
    assert client.get(_url("response", demo_round, 10**9)).status_code == 404
    assert not ResponseReview.objects.exists()


def test_junk_in_the_filters_or_the_decision_is_refused_clearly(
    client, demo_round, flagged, analyst
):
    listing = client.get(
        _url("responses", demo_round) + "?show=everything&collector=abc&language=xx&page=999"
    )
    assert listing.status_code == 400
    text = _text(listing)
    assert "Please correct the marked fields" in text and "Select a valid choice" in text
    assert "responses" in text  # the page still lists, with the filters it could read
    assert re.search(r"\d+ responses", text)

    url = _url("response", demo_round, flagged[0].pk)
    for junk in ({"decision": "delete"}, {"decision": "keep", "note": "x" * 501}, {}):
        response = client.post(url, junk)
        assert response.status_code == 400
        assert "Please correct the marked fields" in _text(response)
    assert not ResponseReview.objects.exists()


def test_the_list_costs_the_same_queries_however_many_responses_it_shows(
    client, demo_round, flagged, analyst
):
    # Each row names its collector and its decision: read with the rows, not one by one.
    ResponseReview.objects.create(response=flagged[0], decision=ReviewDecision.KEEP)
    costs = {}
    for query, rows in (("?show=awaiting", 2), ("", 50)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(_url("responses", demo_round) + query)
        assert len(re.findall(r'responses/\d+/[^"]*">No\.', page.content.decode())) == rows
        costs[rows] = len(queries)
    assert costs[50] == costs[2]


def test_the_demo_round_has_speeders_waiting_for_review(demo_round):
    # `make run` shows an agency the queue with something in it, flagged by the rule
    # the answering flow applies: under a third of the median time.
    counts = review.review_counts(round_=demo_round)
    assert (counts.awaiting, counts.kept, counts.left_out) == (4, 0, 0)
    complete = demo_round.responses.filter(status=ResponseStatus.COMPLETE)
    median = statistics.median(complete.values_list("duration_seconds", flat=True))
    for response in complete.exclude(quality_flags=[]):
        assert response.quality_flags == ["speeder"]
        assert response.duration_seconds < median / 3


def test_a_manager_keeps_the_way_to_the_responses_on_a_round_page_sent_back_with_errors(
    client, demo_round, agency, member_factory, login
):
    login(member_factory(Role.MANAGER, agency=agency))
    sent_back = client.post(_url("collector_add", demo_round), {"name": "", "kind": "link"})
    assert sent_back.status_code == 400
    assert _url("responses", demo_round) in sent_back.content.decode()


def test_every_kind_of_answer_reads_as_words_in_the_readers_language():
    compiled = compile_survey(every_feature())
    answers = {
        "age": 30,
        "region": "coast",
        "ref": "web",
        "aware": "other",
        "aware_other": "From a film",
        "important": "4",
        "values_health": "5",
        "values_economy": "2",
        "steps": ["recycle", "other"],
        "steps_other": "Compost",
        "n_steps": 2,
        "sources": ["never", "heard_know"],
        "comment": "Nous plantons des arbres",
    }
    with translation.override("fr"):
        sections = readable_answers(compiled, answers, "fr")
    rows = {row.code: row for section in sections for row in section.rows}
    assert "note_1" not in rows  # nothing to answer
    assert rows["age"].label == "Question age (fr)" and rows["age"].values == ["30"]
    assert rows["region"].values == ["Coast (fr)"]
    assert rows["district"].values == []  # not answered
    assert rows["aware"].values == ["Autre : From a film"]
    assert rows["values"].values == ["Health (fr) : 5 (fr)", "Economy (fr) : 2 (fr)"]
    assert rows["steps"].values == ["Recycle (fr)", "Autre : Compost"]
    assert rows["sources"].values == ["1. Never (fr)", "2. Heard_Know (fr)"]
    assert rows["comment"].typed and not rows["region"].typed
    assert rows["ref"].computed and rows["n_steps"].values == ["2"]
    assert sections[0].title == "Vous"


def test_the_fastest_first_and_one_target_group_at_a_time(client, demo_round, analyst):
    def listed(query: str) -> list[Response]:
        page = client.get(_url("responses", demo_round) + query)
        assert page.status_code == 200
        ids = [int(pk) for pk in re.findall(r'responses/(\d+)/[^"]*">', page.content.decode())]
        found = Response.objects.in_bulk(ids)
        return [found[pk] for pk in ids]

    # The demo's four speeders come first, quickest first, then the rest.
    fastest = listed("?order=fastest")
    durations = [r.duration_seconds for r in fastest]
    assert durations == sorted(durations) and len(fastest) == 50
    assert [r.quality_flags for r in fastest[:5]] == [["speeder"]] * 4 + [[]]
    slowest = listed("?order=slowest")
    assert slowest[0].duration_seconds == max(
        demo_round.responses.filter(status=ResponseStatus.COMPLETE).values_list(
            "duration_seconds", flat=True
        )
    )

    youth = listed("?target_group=youth&order=fastest")
    assert youth and {r.target_group for r in youth} == {"youth"}
    nobody = listed("?target_group=none")
    assert nobody and {r.target_group for r in nobody} == {""}


def test_the_next_page_keeps_the_filters_and_lists_the_next_fifty(client, demo_round, analyst):
    first = client.get(_url("responses", demo_round) + "?order=slowest").content.decode()
    (next_link,) = re.findall(r'<a href="\?([^"]+)" rel="next">Next page</a>', first)
    assert unescape(next_link) == "order=slowest&page=2"
    second = client.get(_url("responses", demo_round) + "?" + unescape(next_link))
    on_first = set(re.findall(r'responses/(\d+)/[^"]*">', first))
    on_second = set(re.findall(r'responses/(\d+)/[^"]*">', second.content.decode()))
    assert len(on_second) == 50 and not on_first & on_second
    assert "Page 2 of 6" in second.content.decode()


# ------------------------------------------------------------------ one decision for many


@pytest.fixture
def school_duplicates(demo_round):
    """Five complete responses through the schools' collector flagged as likely duplicates
    (pupils on one network), and one through the public link flagged as a speeder."""
    Response.objects.filter(round=demo_round).update(quality_flags=[])
    schools = demo_round.collectors.get(name="Schools in the coastal region")
    complete = Response.objects.filter(round=demo_round, status=ResponseStatus.COMPLETE)
    pupils = list(complete.filter(collector=schools).order_by("pk")[:5])
    Response.objects.filter(pk__in=[r.pk for r in pupils]).update(quality_flags=["duplicate"])
    speeder = complete.exclude(collector=schools).order_by("pk").first()
    Response.objects.filter(pk=speeder.pk).update(quality_flags=["speeder"])
    return schools, pupils, speeder


def _state(page) -> str:
    return re.search(r'name="state" value="([^"]+)"', page.content.decode()).group(1)


def test_an_analyst_keeps_one_schools_likely_duplicates_in_one_decision(
    client, demo_round, school_duplicates, analyst, django_capture_on_commit_callbacks
):
    schools, pupils, speeder = school_duplicates
    assert round_frame(demo_round.pk).set_index("@response_id").loc[pupils[0].pk, FLAGGED]
    listed = _url("responses", demo_round) + f"?show=awaiting&collector={schools.pk}"
    page = client.get(listed)
    assert "Decide for all 5 responses listed" in _text(page)
    assert "Apply to 5 responses" in _text(page)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(listed, {"decision": ReviewDecision.KEEP, "state": _state(page)})
    # Back to the same list, which is empty now: nothing of that school awaits review.
    assert (done.status_code, done["Location"]) == (302, listed)
    after = client.get(listed)
    assert "5 responses are kept in the results, and no longer count as flagged." in _text(after)
    assert "No complete response matches." in _text(after)

    reviews = ResponseReview.objects.order_by("pk")
    assert [r.response_id for r in reviews] == [r.pk for r in pupils]
    assert {(r.decision, r.reviewed_by_id, r.note) for r in reviews} == {
        (ReviewDecision.KEEP.value, analyst.pk, "")
    }
    frame = round_frame(demo_round.pk).set_index("@response_id")
    assert not frame.loc[[r.pk for r in pupils], FLAGGED].any()
    assert frame.loc[speeder.pk, FLAGGED]  # another collector's flag still waits
    assert review.review_counts(round_=demo_round).awaiting == 1


def test_leaving_many_out_needs_a_reason_and_an_earlier_decision_is_replaced(
    client, demo_round, school_duplicates, analyst, django_capture_on_commit_callbacks
):
    schools, pupils, _speeder = school_duplicates
    review.response_review_set(
        response=pupils[0], decision=ReviewDecision.KEEP, note="", by=analyst
    )
    listed = _url("responses", demo_round) + f"?collector={schools.pk}&show=all"
    page = client.get(listed)
    count = Response.objects.filter(collector=schools, status=ResponseStatus.COMPLETE).count()
    assert f"Decide for all {count} responses listed" in _text(page)
    assert "1 of them already has a decision: this one replaces it." in _text(page)

    refused = client.post(listed, {"decision": ReviewDecision.LEAVE_OUT, "state": _state(page)})
    assert refused.status_code == 400
    assert "Say why the response is left out" in _text(refused)
    assert re.search(r'value="leave_out"[^>]*checked', refused.content.decode())
    assert ResponseReview.objects.count() == 1

    reason = "Staff testing the school link before the launch"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            listed,
            {"decision": ReviewDecision.LEAVE_OUT, "note": reason, "state": _state(refused)},
        )
    assert done.status_code == 302
    assert (
        ResponseReview.objects.filter(decision=ReviewDecision.LEAVE_OUT, note=reason).count()
        == count
    )
    assert len(round_frame(demo_round.pk)) == (
        demo_round.responses.filter(status=ResponseStatus.COMPLETE).count() - count
    )

    # Undone together: they count again, as before review.
    left_out = _url("responses", demo_round) + f"?collector={schools.pk}&show=leave_out"
    page = client.get(left_out)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(left_out, {"decision": review.UNDO, "state": _state(page)})
    assert not ResponseReview.objects.exists()
    assert len(round_frame(demo_round.pk)) == (
        demo_round.responses.filter(status=ResponseStatus.COMPLETE).count()
    )


def test_two_responses_swapped_for_two_others_with_the_same_sum_of_ids_is_a_change(
    client, demo_round, school_duplicates, analyst
):
    """Another analyst decides two of the list while two others get flagged: the
    count, the newest and even the sum of the ids stay the same."""
    _schools, pupils, speeder = school_duplicates
    listed = _url("responses", demo_round) + "?show=awaiting"
    page = client.get(listed)
    shown = sorted([*(r.pk for r in pupils), speeder.pk])
    newest = shown[-1]
    others = set(
        demo_round.responses.filter(status=ResponseStatus.COMPLETE, pk__lt=newest)
        .exclude(pk__in=shown)
        .values_list("pk", flat=True)
    )
    leaving, joining = next(
        ((a, b), (c, total - c))
        for a, b in itertools.combinations(shown[:-1], 2)
        for total in [a + b]
        for c in sorted(others)
        if total - c in others and c < total - c
    )
    for pk in leaving:
        ResponseReview.objects.create(response_id=pk, decision=ReviewDecision.KEEP)
    Response.objects.filter(pk__in=joining).update(quality_flags=["straight_lining"])

    refused = client.post(listed, {"decision": ReviewDecision.KEEP, "state": _state(page)})
    assert refused.status_code == 400
    assert "The list changed while you read it: 6 responses now match." in _text(refused)
    assert set(ResponseReview.objects.values_list("response_id", flat=True)) == set(leaving)


def test_a_list_that_changed_while_the_analyst_read_it_is_not_decided_for(
    client, demo_round, school_duplicates, analyst
):
    _schools, pupils, speeder = school_duplicates
    listed = _url("responses", demo_round) + "?show=awaiting"
    page = client.get(listed)
    assert "Decide for all 6 responses listed" in _text(page)
    # Meanwhile another response is flagged: the analyst never saw it.
    latecomer = (
        demo_round.responses.filter(status=ResponseStatus.COMPLETE, quality_flags=[])
        .order_by("-pk")
        .first()
    )
    Response.objects.filter(pk=latecomer.pk).update(quality_flags=["straight_lining"])
    reason = "Every answer the first option"
    refused = client.post(
        listed, {"decision": ReviewDecision.LEAVE_OUT, "note": reason, "state": _state(page)}
    )
    assert refused.status_code == 400
    assert "The list changed while you read it: 7 responses now match." in _text(refused)
    assert not ResponseReview.objects.exists()
    assert f"{reason}</textarea>" in refused.content.decode()  # nothing typed is lost
    # Sent again from the page as it is now, it applies to the seven.
    done = client.post(
        listed, {"decision": ReviewDecision.LEAVE_OUT, "note": reason, "state": _state(refused)}
    )
    assert done.status_code == 302
    assert set(ResponseReview.objects.values_list("response_id", flat=True)) == {
        *(r.pk for r in pupils),
        speeder.pk,
        latecomer.pk,
    }


def test_junk_or_tampered_filters_decide_nothing(client, demo_round, school_duplicates, analyst):
    listed = _url("responses", demo_round) + "?show=awaiting"
    state = _state(client.get(listed))
    for junk in (
        {"decision": "burn", "state": state},
        {"decision": ReviewDecision.KEEP, "note": "x" * 501, "state": state},
        {"decision": ReviewDecision.KEEP},  # no state: the list cannot be confirmed
        {},
    ):
        response = client.post(listed, junk)
        assert response.status_code == 400, junk
        assert "Please correct the marked fields" in _text(response), junk
    # A filter that is not offered: nothing is decided for a list the page cannot show.
    bad = client.post(
        _url("responses", demo_round) + "?show=awaiting&collector=abc",
        {"decision": ReviewDecision.KEEP, "state": state},
    )
    assert bad.status_code == 400
    assert "Nothing was decided: correct the filters first." in _text(bad)
    # The whole round at once is never a slip away: the list must be narrowed first.
    whole = client.get(_url("responses", demo_round))
    assert "To decide for many responses at once, narrow the list first" in _text(whole)
    assert 'name="state"' not in whole.content.decode()
    refused = client.post(
        _url("responses", demo_round) + "?show=all&order=fastest",
        {"decision": ReviewDecision.KEEP, "state": _state(client.get(listed))},
    )
    assert refused.status_code == 400
    assert "To decide for many responses at once, narrow the list first" in _text(refused)
    assert not ResponseReview.objects.exists()


def test_designers_cannot_decide_for_many_nor_analysts_of_another_agency(
    client, demo_round, school_duplicates, agency, other_agency, member_factory, login
):
    listed = _url("responses", demo_round) + "?show=awaiting"
    login(member_factory(Role.DESIGNER, agency=agency))
    assert client.post(listed, {"decision": "keep", "state": "6-0"}).status_code == 403
    login(member_factory(Role.ANALYST, agency=other_agency))
    assert client.post(listed, {"decision": "keep", "state": "6-0"}).status_code == 404
    assert not ResponseReview.objects.exists()


@pytest.mark.parametrize(
    ("lang", "heading", "button"),
    [
        ("ar", "اتخاذ قرار بشأن", "تطبيق على"),
        ("zh-hans", "为列出的全部", "应用于"),
    ],
)
def test_the_decision_for_many_reads_in_arabic_and_chinese(
    client, demo_round, school_duplicates, analyst, lang, heading, button
):
    page = _text(client.get(_url("responses", demo_round, lang=lang) + "?show=awaiting"))
    assert heading in page and button in page
    assert "Decide for all" not in page


def test_deciding_for_many_costs_the_same_queries_for_five_or_fifty(client, demo_round, analyst):
    complete = list(demo_round.responses.filter(status=ResponseStatus.COMPLETE).order_by("pk")[:50])
    costs = {}
    for rows, taken in ((5, complete[:5]), (45, complete[5:])):
        collector = fieldwork.collector_create(round_=demo_round, name=f"{rows} responses")
        Response.objects.filter(pk__in=[r.pk for r in taken]).update(collector=collector)
        listed = _url("responses", demo_round) + f"?collector={collector.pk}"
        state = _state(client.get(listed))
        with CaptureQueriesContext(connection) as queries:
            done = client.post(listed, {"decision": ReviewDecision.KEEP, "state": state})
        assert done.status_code == 302
        costs[rows] = len(queries)
    assert ResponseReview.objects.count() == 50
    assert costs[45] == costs[5]


def test_a_decision_for_many_keeps_the_reasons_given_one_by_one_before_it(
    client, demo_round, school_duplicates, agency, member_factory, login
):
    schools, pupils, _speeder = school_duplicates
    first = member_factory(Role.ANALYST, agency=agency)
    review.response_review_set(
        response=pupils[0],
        decision=ReviewDecision.LEAVE_OUT,
        note="Same answers as No. 3",
        by=first,
    )
    second = member_factory(Role.ANALYST, agency=agency)
    login(second)
    listed = _url("responses", demo_round) + f"?collector={schools.pk}&show=all"
    page = client.get(listed)
    client.post(listed, {"decision": ReviewDecision.KEEP, "state": _state(page)})

    read = _text(client.get(_url("response", demo_round, pupils[0].pk)))
    # In force: the decision for many; below it, what the first analyst decided and why.
    assert f"<strong>Keep in the results</strong> · by {second.email}" in read
    earlier = read.split("Earlier decisions", 1)[1].split("Answers", 1)[0]
    assert "Left out of the results" in earlier and f"by {first.email}" in earlier
    assert "Same answers as No. 3" in earlier

    # Undone: it counts as before review, and the page tells the whole story.
    client.post(_url("response", demo_round, pupils[0].pk), {"undo": "1"})
    read = _text(client.get(_url("response", demo_round, pupils[0].pk)))
    earlier = read.split("Earlier decisions", 1)[1].split("Answers", 1)[0]
    assert (
        earlier.index("Decision undone")
        < earlier.index("Kept after review")
        < earlier.index("Left out of the results")
    )
    assert list(
        pupils[0].review_events.order_by("reviewed_at", "pk").values_list("decision", "reviewed_by")
    ) == [
        (ReviewDecision.LEAVE_OUT.value, first.pk),
        (ReviewDecision.KEEP.value, second.pk),
        (review.UNDO, second.pk),
    ]
    # A response nobody decided on before the decision for many has its one event.
    assert pupils[1].review_events.count() == 1


# ------------------------------------------------------------------ the list as a file


def _csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # a spreadsheet then reads Arabic and Chinese as UTF-8
    return list(csv.reader(io.StringIO(content[1:])))


def test_the_list_downloads_as_csv_with_each_decision_its_reason_and_who_took_it(
    client, demo_round, school_duplicates, analyst
):
    schools, pupils, _speeder = school_duplicates
    formula = '=HYPERLINK("http://example.org","click")'
    review.response_review_set(
        response=pupils[0], decision=ReviewDecision.LEAVE_OUT, note=formula, by=analyst
    )
    review.response_review_set(
        response=pupils[1], decision=ReviewDecision.KEEP, note="", by=analyst
    )
    listed = _url("responses", demo_round) + f"?collector={schools.pk}&order=fastest"
    page = client.get(listed).content.decode()
    link = _url("responses_csv", demo_round) + f"?collector={schools.pk}&amp;order=fastest"
    assert f'href="{link}" download>Download the list (CSV)</a>' in page

    download = client.get(unescape(link))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith(
        'attachment; filename="responses-baseline-demo-'
    )
    header, *rows = _csv_rows(download)
    assert header == [
        "Response",
        "Sent",
        "Time taken (seconds)",
        "Language",
        "Collector",
        "Target group",
        "Quality flags",
        "Review",
        "Reason",
        "Reviewed by",
        "Reviewed at",
    ]
    complete = Response.objects.filter(collector=schools, status=ResponseStatus.COMPLETE)
    assert len(rows) == complete.count()  # every page of the list, not only the first 50
    durations = [int(row[2]) for row in rows]
    assert durations == sorted(durations)  # in the list's order: fastest first
    by_number = {int(row[0]): row for row in rows}
    left_out = by_number[pupils[0].pk]
    assert left_out[4:9] == [
        "Schools in the coastal region",
        "Youth",
        "likely duplicate",
        "Left out of the results",
        "'" + formula,  # opens as text, never as a formula
    ]
    assert left_out[9] == analyst.email
    # Times in the agency's zone (the demo agency's: Nairobi), with the offset.
    assert left_out[1].endswith("+03:00") and left_out[10].endswith("+03:00")
    assert by_number[pupils[1].pk][7] == "Kept after review"
    assert by_number[pupils[2].pk][7] == "Awaiting review"
    unflagged = complete.filter(quality_flags=[]).first()
    assert by_number[unflagged.pk][6:] == ["", "", "", "", ""]


def test_the_file_speaks_the_readers_language_and_refuses_what_the_list_refuses(
    client, demo_round, school_duplicates, analyst, agency, member_factory, login
):
    with translation.override("ar"):
        expected = [gettext("Response"), gettext("Reason")]
    header, *_rows = _csv_rows(client.get(_url("responses_csv", demo_round, lang="ar")))
    assert [header[0], header[8]] == expected and expected[0] != "Response"

    bad = client.get(_url("responses_csv", demo_round) + "?collector=abc")
    assert bad.status_code == 400
    assert "Please correct the marked fields" in _text(bad)  # the list's page, with its errors
    login(member_factory(Role.DESIGNER, agency=agency))
    assert client.get(_url("responses_csv", demo_round)).status_code == 403


def test_the_file_costs_the_same_queries_for_a_few_rows_or_many(client, demo_round, analyst):
    # Each row names its collector, its decision and who took it: read with the rows.
    complete = list(demo_round.responses.filter(status=ResponseStatus.COMPLETE).order_by("pk"))
    for response in complete[:60]:
        review.response_review_set(
            response=response, decision=ReviewDecision.LEAVE_OUT, note="test", by=analyst
        )
    costs = {}
    for query, rows in (("?show=leave_out", 60), ("", 300)):
        with CaptureQueriesContext(connection) as queries:
            got = _csv_rows(client.get(_url("responses_csv", demo_round) + query))
        assert len(got) - 1 == rows
        costs[rows] = len(queries)
    assert costs[300] == costs[60]


def test_one_kind_of_flag_at_a_time_from_the_round_page_to_one_decision(
    client, demo_round, school_duplicates, analyst
):
    schools, pupils, speeder = school_duplicates
    both = pupils[4]  # a duplicate that was also sent too fast
    Response.objects.filter(pk=both.pk).update(quality_flags=["speeder", "duplicate"])
    round_page = client.get(_url("round", demo_round)).content.decode()
    duplicates = _url("responses", demo_round) + "?flag=duplicate"
    assert f'<a href="{duplicates}">likely duplicate 5</a>' in round_page
    assert f'<a href="{_url("responses", demo_round)}?flag=speeder">too fast 2</a>' in round_page

    def listed(query: str) -> set[int]:
        page = client.get(_url("responses", demo_round) + query).content.decode()
        return {int(pk) for pk in re.findall(r'responses/(\d+)/[^"]*">No\.', page)}

    # Each collector's flagged count leads to its flagged responses.
    schools_flagged = _url("responses", demo_round) + f"?collector={schools.pk}&flag=any"
    assert f'<a href="{schools_flagged.replace("&", "&amp;")}">5</a>' in round_page
    assert listed(f"?collector={schools.pk}&flag=any") == {r.pk for r in pupils}
    assert listed("?flag=speeder") == {speeder.pk, both.pk}
    assert listed("?flag=duplicate") == {r.pk for r in pupils}
    not_flagged = listed("?flag=none&order=fastest")
    assert len(not_flagged) == 50 and not not_flagged & {speeder.pk, *(r.pk for r in pupils)}

    # The speeders alone, in one decision.
    speeders = _url("responses", demo_round) + "?flag=speeder"
    page = client.get(speeders)
    assert "Decide for all 2 responses listed" in _text(page)
    client.post(
        speeders,
        {"decision": ReviewDecision.LEAVE_OUT, "note": "Under a minute", "state": _state(page)},
    )
    assert set(ResponseReview.objects.values_list("response_id", flat=True)) == {
        speeder.pk,
        both.pk,
    }
    junk = client.get(_url("responses", demo_round) + "?flag=slow")
    assert junk.status_code == 400 and "Select a valid choice" in _text(junk)


def test_a_response_opened_from_a_filtered_list_leads_back_to_it_and_on_within_it(
    client, demo_round, school_duplicates, analyst
):
    schools, pupils, speeder = school_duplicates
    query = f"collector={schools.pk}&flag=duplicate"
    listing = client.get(_url("responses", demo_round) + f"?{query}").content.decode()
    newest = max(pupils, key=lambda r: (r.submitted_at, r.pk))
    opened = _url("response", demo_round, newest.pk) + f"?{query}"
    assert f'href="{opened.replace("&", "&amp;")}"' in listing

    # Unfiltered, the speeder would come next: sent just before it.
    Response.objects.filter(pk=speeder.pk).update(
        submitted_at=newest.submitted_at - timedelta(microseconds=1)
    )
    page = client.get(opened).content.decode()
    back = _url("responses", demo_round) + f"?{query}"
    assert f'<a href="{back.replace("&", "&amp;")}">Responses</a>' in page
    # The next one awaiting review is the school's next duplicate, in the list.
    (following,) = re.findall(r'responses/(\d+)/\?[^"]*">Next flagged response', page)
    assert int(following) in {r.pk for r in pupils} - {newest.pk}

    done = client.post(opened, {"decision": ReviewDecision.KEEP})
    assert (done.status_code, done["Location"]) == (302, opened)


def test_undoing_for_many_counts_only_the_decisions_it_undid(
    client, demo_round, school_duplicates, analyst
):
    schools, pupils, _speeder = school_duplicates
    review.response_review_set(
        response=pupils[0], decision=ReviewDecision.KEEP, note="", by=analyst
    )
    listed = _url("responses", demo_round) + f"?collector={schools.pk}"
    page = client.get(listed)
    done = client.post(listed, {"decision": review.UNDO, "state": _state(page)}, follow=True)
    assert "The decision on 1 response is undone: it counts as before review." in _text(done)
    assert list(ReviewEvent.objects.values_list("response_id", "decision")) == [
        (pupils[0].pk, ReviewDecision.KEEP.value),
        (pupils[0].pk, review.UNDO),
    ]


def test_one_response_leaving_the_list_as_another_joins_is_a_change_too(
    client, demo_round, school_duplicates, analyst
):
    _schools, pupils, _speeder = school_duplicates
    listed = _url("responses", demo_round) + "?show=awaiting"
    page = client.get(listed)
    # Meanwhile a colleague keeps one, and an older response is flagged: six still,
    # and the newest is the same.
    review.response_review_set(response=pupils[0], decision=ReviewDecision.KEEP, note="", by=None)
    older = (
        demo_round.responses.filter(status=ResponseStatus.COMPLETE, quality_flags=[])
        .order_by("pk")
        .first()
    )
    Response.objects.filter(pk=older.pk).update(quality_flags=["speeder"])
    refused = client.post(listed, {"decision": ReviewDecision.KEEP, "state": _state(page)})
    assert refused.status_code == 400
    assert "The list changed while you read it: 6 responses now match." in _text(refused)
    assert not ResponseReview.objects.filter(reviewed_by=analyst).exists()
