"""What respondents' browsers receive: survey content is text, never markup."""

from __future__ import annotations

import re
from html import unescape

from django.utils import translation

from survey import page_render
from survey.logic import LiveRule, PageQuestions, compile_survey
from survey.page_render import render_questions, respondent_page
from tests.survey.factories import choice, every_feature, q, survey_dict

HOSTILE = '<script>alert("x")</script>'


def _hostile_survey() -> dict:
    """Every text an agency writes (questions, hints, labels, rows) carries markup."""
    data = every_feature()
    for section in data["sections"]:
        section["title"] = {"en": HOSTILE}
        for question in section["questions"]:
            question["text"] = {"en": f"{question['code']} {HOSTILE}"}
            question["hint"] = {"en": HOSTILE}
    for choice_list in data["choice_lists"]:
        for option in choice_list["choices"]:
            option["label"] = {"en": HOSTILE}
    return data


def test_agency_texts_answers_and_errors_are_escaped_on_every_question_type():
    compiled = compile_survey(_hostile_survey())
    questions = list(compiled.questions.values())
    typed = {q.code: f'"><img src=x onerror=alert(1)> {q.code}' for q in questions}
    errors = {q.code: HOSTILE for q in questions}
    with translation.override("en"):
        html = render_questions(
            compiled, questions, language="en", answers={}, errors=errors, raw=typed, seed="1"
        )
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;") >= 3 * len(questions)
    assert {q.type for q in questions} >= {
        "single",
        "multiple",
        "matrix",
        "ranking",
        "integer",
        "long_text",
    }


def test_every_input_has_a_label_and_every_group_a_legend():
    compiled = compile_survey(every_feature())
    questions = [q for q in compiled.questions.values() if q.type != "note"]
    with translation.override("fr"):
        html = render_questions(
            compiled, questions, language="fr", answers={}, errors={}, raw={}, seed="1"
        )
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    assert ids and set(ids) <= labelled
    assert html.count("<fieldset") == html.count("<legend")
    assert "(fr)" in html  # the survey's French texts, not the English ones


def test_a_page_in_arabic_is_right_to_left_with_arabic_buttons():
    data = every_feature()
    data["languages"].append("ar")
    compiled = compile_survey(data)
    section = compiled.sections[0]
    with translation.override("ar"):
        html = respondent_page(
            compiled,
            section=section,
            page=PageQuestions(section.questions, frozenset(), {}),
            language="ar",
            answers={},
            errors={"age": "?"},
            raw={},
            seed="1",
            page_number=1,
            page_count=3,
            state="token",
            action_url="/r/x/page/?lang=ar",
        )
    assert '<html lang="ar" dir="rtl">' in html
    assert "المتابعة لاحقاً" in html  # "Continue later" in Arabic
    assert 'id="error-summary"' in html and 'value="token"' in html


def test_a_fresh_page_is_written_once_yet_each_respondent_gets_their_own_token_and_answers(
    monkeypatch,
):
    compiled = compile_survey(every_feature())
    section = compiled.sections[2]  # no choice filter, no random order: the same for everyone
    written: list[int] = []
    write = page_render._page_html
    monkeypatch.setattr(
        page_render, "_page_html", lambda *a, **k: written.append(1) or write(*a, **k)
    )

    def page(token: str, answers: dict, errors: dict, ui: str = "en") -> str:
        with translation.override(ui):
            return respondent_page(
                compiled,
                section=section,
                page=compiled.page_questions(section, answers),
                language="en",
                answers=answers,
                errors=errors,
                raw={},
                seed="1",
                page_number=1,
                page_count=3,
                state=token,
                action_url="/r/x/page/?lang=en",
            )

    first, second = page("token-a", {}, {}), page("token-b", {}, {})
    assert len(written) == 1
    assert 'value="token-a"' in first and 'value="token-b"' in second
    assert first.replace("token-a", "token-b") == second
    # Coming back to the page shows one's answers; an error shows its summary;
    # another interface language has its own buttons.
    assert 'value="12.5"' in page("token-c", {"spend": 12.5}, {})
    assert 'id="error-summary"' in page("token-d", {}, {"spend": "Too much"})
    assert "Suivant" in page("token-e", {}, {}, ui="fr") and "Suivant" not in first
    assert len(written) == 4  # answers, an error and another language are written anew


def _follow_up_survey(relevance: str, *, controller: str = "single", first: bool = True) -> dict:
    asked = q("heard", controller, choice_list="yes_no")
    follow = q("why", "text", relevance=relevance)
    other = q("other_page", "integer")
    later = q("later", "integer")
    return survey_dict(
        pages=[
            {"code": "p0", "title": {}, "relevance": "", "questions": [other]},
            {
                "code": "p1",
                "title": {},
                "relevance": "",
                "questions": [asked, follow, later] if first else [follow, asked, later],
            },
        ]
    )


def test_a_follow_up_on_the_same_page_comes_hidden_with_the_choices_that_show_it():
    compiled = compile_survey(_follow_up_survey("${heard} = 'yes'"))
    section = compiled.sections[1]
    page = compiled.page_questions(section, {})
    assert [question.code for question in page.questions] == ["heard", "why", "later"]
    assert page.hidden == {"why"}
    assert page.live == {"why": LiveRule("heard", ("yes",))}
    html = render_questions(
        compiled,
        page.questions,
        language="en",
        answers={},
        errors={},
        raw={},
        seed="1",
        live=page.live,
        hidden=page.hidden,
    )
    assert '<div class="q q-text" id="q-why" data-show-on="heard"' in html
    assert 'data-show-values="[&quot;yes&quot;]" hidden>' in html
    # Once the choice is stored, the follow-up is simply shown (and can still go).
    shown = compiled.page_questions(section, {"heard": "yes"})
    assert shown.hidden == frozenset() and "why" in shown.live


def test_the_choices_that_show_a_follow_up_account_for_answers_on_earlier_pages():
    compiled = compile_survey(
        _follow_up_survey("${heard} = 'no' or ${other_page} > 10 or ${heard} = ''")
    )
    section = compiled.sections[1]
    assert compiled.page_questions(section, {"other_page": 3}).live["why"].values == ("", "no")
    everyone = compiled.page_questions(section, {"other_page": 30})
    assert everyone.live["why"].values == ("", "no", "yes")
    assert everyone.hidden == frozenset()


def test_follow_ups_the_browser_cannot_work_out_are_left_to_the_server():
    def live(relevance: str, **kwargs) -> dict:
        compiled = compile_survey(_follow_up_survey(relevance, **kwargs))
        return compiled.page_questions(compiled.sections[1], {}).live

    assert live("${heard} = 'yes'") != {}
    # A choice asked after the follow-up, an answer given later on the page, several
    # answers at once, a free answer.
    assert live("${heard} = 'yes'", first=False) == {}
    assert live("${heard} = 'yes' and ${later} > 1") == {}
    assert live("${heard} = 'yes' and ${other_page} > 1") != {}
    assert live("count-selected(${heard}) > 0", controller="multiple") == {}
    assert live("${heard} > 3", controller="integer") == {}


def test_a_shared_link_shows_the_surveys_title_and_intro_in_its_language():
    # The agency posts the link on WhatsApp, Facebook or Telegram: the card under it
    # names the survey and says what it asks, in the language the link opens in.
    data = survey_dict(q("aware", "single", choice_list="yes_no"))
    data["languages"] = ["en", "fr", "zh-hans"]
    data["title"] = {
        "en": 'Nature & "you"',
        "fr": "La biodiversité et vous",
        "zh-hans": "生物多样性",
    }
    data["intro"] = {
        "en": "Five minutes.\n\nAnonymous.  <b>Thank you</b>",
        "fr": "Cinq minutes. " * 40,
        "zh-hans": "这项简短的调查询问您对生物多样性的了解。" * 20,
    }
    compiled = compile_survey(data)

    def card(language: str) -> dict[str, str]:
        with translation.override(language):
            html = page_render.welcome_page(compiled, language=language, nonce="n")
        return {
            name: unescape(value)
            for name, value in re.findall(
                r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html
            )
        }

    english = card("en")
    assert english["og:title"] == 'Nature & "you"'
    # On one line, as written: markup is text, never a tag in the page's head.
    assert english["og:description"] == "Five minutes. Anonymous. <b>Thank you</b>"
    assert english["description"] == english["og:description"]
    french = card("fr")
    assert french["og:title"] == "La biodiversité et vous"
    assert len(french["og:description"]) == page_render.PREVIEW_LENGTH
    assert french["og:description"].endswith("…")
    chinese = card("zh-hans")
    assert chinese["og:description"].startswith("这项简短的调查")
    assert len(chinese["og:description"]) == page_render.PREVIEW_LENGTH


def test_a_survey_without_an_intro_shares_its_title_alone():
    compiled = compile_survey(survey_dict(q("aware", "single", choice_list="yes_no")))
    with translation.override("en"):
        html = page_render.welcome_page(compiled, language="en", nonce="n")
    assert '<meta property="og:title" content="Biodiversity and you">' in html
    assert "description" not in html.split("</head>")[0]


def test_no_two_elements_share_an_id_whatever_the_codes():
    """Choice codes are the agency's: one coded like the page's own parts (the hint, the
    error, the input) must not take their id, or a label or a screen reader's description
    would point at the wrong element."""
    data = every_feature()
    parts = ["hint", "error", "input", "other", "other-text"]
    data["choice_lists"].append({"name": "parts", "choices": [choice(c) for c in parts]})
    data["choice_lists"].append({"name": "hyphens", "choices": [choice("a-b"), choice("a")]})
    data["choice_lists"].append({"name": "scale", "choices": [choice("c"), choice("b-c")]})
    data["sections"][0]["questions"] += [
        q("tools", "single", choice_list="parts", hint={"en": "Pick one"}),
        q("kits", "multiple", choice_list="parts", hint={"en": "Pick any"}),
        q("order", "ranking", choice_list="parts"),
        q("grid", "matrix", choice_list="scale", rows_list="hyphens"),
    ]
    compiled = compile_survey(data)
    questions = [q for q in compiled.questions.values() if q.type != "note"]
    errors = {q.code: "Check this" for q in questions}
    with translation.override("en"):
        html = render_questions(
            compiled, questions, language="en", answers={}, errors=errors, raw={}, seed="1"
        )
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
