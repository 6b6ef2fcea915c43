"""A designer builds a whole questionnaire in the browser, previews it and publishes it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from survey.models import Question, QuestionType, Survey, SurveyVersion, VersionStatus

pytestmark = pytest.mark.django_db

LANGS = ["en", "fr"]


class Designer:
    """Drives the designer pages the way a person does: GET the form, POST it, follow."""

    def __init__(self, client, agency):
        self.client = client
        self.agency = agency
        self.survey = None
        self.version = None

    def url(self, name, *args):
        return reverse(f"survey:{name}", args=[self.survey.pk, self.version.pk, *args])

    def create_survey(self):
        response = self.client.post(
            reverse("survey:create", args=[self.agency.pk]),
            {
                "name": "Awareness baseline 2026",
                "title": "Biodiversity and you",
                "default_language": "en",
                "languages": ["en", "fr"],
                "other_languages": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        self.survey = Survey.objects.get(name="Awareness baseline 2026")
        self.version = self.survey.versions.get()
        return response

    def post(self, url, data, expect=302):
        response = self.client.post(url, data)
        assert response.status_code == expect, _errors(response)
        return response

    def settings(self):
        self.post(
            self.url("version_settings"),
            {
                "title__en": "Biodiversity and you",
                "title__fr": "La biodiversité et vous",
                "intro__en": "Ten minutes, anonymous.",
                "intro__fr": "Dix minutes, anonyme.",
                "thank_you__en": "Thank you! Plant native species.",
                "thank_you__fr": "Merci ! Plantez des espèces locales.",
                "languages": LANGS,
                "other_languages": "",
                "default_language": "en",
            },
        )

    def page(self, code, title_en, title_fr, relevance="", section=None):
        url = self.url("section_edit", section.pk) if section else self.url("section_add")
        self.post(
            url,
            {"code": code, "title__en": title_en, "title__fr": title_fr, "relevance": relevance},
        )
        return self.version.sections.get(code=code)

    def choice_list(self, name, choices):
        self.post(self.url("choice_list_add"), {"list-name": name})
        choice_list = self.version.choice_lists.get(name=name)
        for code, en, fr, *extra in choices:
            options = extra[0] if extra else {}
            data = {
                "choice-code": code,
                "choice-label__en": en,
                "choice-label__fr": fr,
                "choice-properties": "\n".join(
                    f"{k}={v}" for k, v in options.get("properties", {}).items()
                ),
            }
            if options.get("exclusive"):
                data["choice-exclusive"] = "on"
            if options.get("anchored"):
                data["choice-anchored"] = "on"
            self.post(self.url("choice_list", choice_list.pk), data)
        return choice_list

    def preset(self, preset):
        self.post(self.url("choice_list_add"), {"preset-preset": preset})
        return self.version.choice_lists.order_by("-pk").first()

    def question(self, section, code, qtype, en, fr, **extra):
        data = {
            "section": section.pk,
            "code": code,
            "type": qtype,
            "text__en": en,
            "text__fr": fr,
        }
        for key, value in extra.items():
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif hasattr(value, "pk"):
                data[key] = value.pk
            else:
                data[key] = value
        self.post(self.url("question_add"), data)
        return self.version.questions.get(code=code)


def _errors(response) -> str:
    html = response.content.decode()
    found = re.findall(r'class="field-error"[^>]*>(.*?)</div>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found) or html[:3000]


@pytest.fixture
def designer(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    return Designer(client, agency)


def build_full_survey(d: Designer) -> None:
    d.create_survey()
    d.settings()
    first = d.version.sections.get()
    about = d.page("page_1", "About you", "Vous", section=first)
    views = d.page("views", "Your views", "Vos opinions")
    actions = d.page("actions", "What you do", "Ce que vous faites")

    aware = d.choice_list(
        "aware",
        [
            (
                "heard_know",
                "Heard of it and know what it means",
                "En a entendu parler et sait ce que c'est",
            ),
            (
                "heard_only",
                "Heard of it, not sure what it means",
                "En a entendu parler sans savoir",
            ),
            ("never", "Never heard of it", "N'en a jamais entendu parler"),
            ("dont_know", "Don't know", "Ne sait pas", {"anchored": True}),
        ],
    )
    steps = d.choice_list(
        "steps",
        [
            ("recycle", "Recycle", "Recycler"),
            ("buy_local", "Buy local products", "Acheter local"),
            ("plant", "Plant native species", "Planter des espèces locales"),
            (
                "none",
                "None of these",
                "Aucune de ces actions",
                {"exclusive": True, "anchored": True},
            ),
        ],
    )
    regions = d.choice_list(
        "regions", [("coast", "Coast", "Côte"), ("highlands", "Highlands", "Hauts plateaux")]
    )
    districts = d.choice_list(
        "districts",
        [
            ("mombasa", "Mombasa", "Mombasa", {"properties": {"region": "coast"}}),
            ("kilifi", "Kilifi", "Kilifi", {"properties": {"region": "coast"}}),
            ("nyeri", "Nyeri", "Nyeri", {"properties": {"region": "highlands"}}),
        ],
    )
    rows = d.choice_list(
        "value_rows",
        [
            ("health", "Health and well-being", "Santé et bien-être"),
            ("economy", "The economy", "L'économie"),
        ],
    )
    sources = d.choice_list(
        "sources",
        [
            ("tv", "Television", "Télévision"),
            ("school", "School", "École"),
            ("social", "Social media", "Réseaux sociaux"),
        ],
    )
    agree = d.preset("agree5")

    d.question(
        about, "intro_note", QuestionType.NOTE, "Thank you for taking part.", "Merci de participer."
    )
    d.question(
        about,
        "age",
        QuestionType.INTEGER,
        "How old are you?",
        "Quel âge avez-vous ?",
        required=True,
        minimum="0",
        maximum="120",
        constraint=". >= 16",
        **{
            "constraint_message__en": "You must be 16 or older.",
            "constraint_message__fr": "Vous devez avoir 16 ans ou plus.",
        },
    )
    d.question(
        about,
        "region",
        QuestionType.SINGLE,
        "Where do you live?",
        "Où vivez-vous ?",
        choice_list=regions,
        required=True,
    )
    d.question(
        about,
        "district",
        QuestionType.SINGLE,
        "Which district?",
        "Quel district ?",
        choice_list=districts,
        choice_filter="region = ${region}",
    )
    d.question(
        about,
        "birthday",
        QuestionType.DATE,
        "Date of the interview",
        "Date de l'entretien",
        max_date="2030-12-31",
    )
    d.question(about, "ref", QuestionType.HIDDEN, "", "", default="web")
    d.question(
        views,
        "aware",
        QuestionType.SINGLE,
        "Have you heard of biodiversity?",
        "Avez-vous entendu parler de la biodiversité ?",
        choice_list=aware,
        required=True,
        randomize=True,
    )
    d.question(
        views,
        "meaning",
        QuestionType.LONG_TEXT,
        "What does biodiversity mean to you?",
        "Que signifie pour vous la biodiversité ?",
        relevance="${aware} = 'heard_know'",
        max_length="2000",
    )
    d.question(
        views,
        "important",
        QuestionType.LIKERT,
        "Biodiversity is important to me.",
        "La biodiversité est importante pour moi.",
    )
    d.question(
        views,
        "concern",
        QuestionType.RATING,
        "How worried are you about nature loss?",
        "Êtes-vous inquiet de la perte de nature ?",
        **{
            "low_label__en": "Not at all",
            "low_label__fr": "Pas du tout",
            "high_label__en": "Very",
            "high_label__fr": "Très",
        },
    )
    d.question(
        views,
        "values",
        QuestionType.MATRIX,
        "Biodiversity matters for...",
        "La biodiversité compte pour...",
        choice_list=agree,
        rows_list=rows,
    )
    d.question(
        views,
        "informed",
        QuestionType.YES_NO,
        "Do you feel informed?",
        "Vous sentez-vous informé ?",
    )
    d.question(
        actions,
        "steps",
        QuestionType.MULTIPLE,
        "What do you do?",
        "Que faites-vous ?",
        choice_list=steps,
        other=True,
    )
    d.question(
        actions, "n_steps", QuestionType.CALCULATE, "", "", calculation="count-selected(${steps})"
    )
    d.question(
        actions,
        "sources",
        QuestionType.RANKING,
        "Rank your sources",
        "Classez vos sources",
        choice_list=sources,
    )
    d.question(
        actions,
        "spend",
        QuestionType.DECIMAL,
        "How much would you give?",
        "Combien donneriez-vous ?",
        minimum="0",
    )
    d.question(
        actions, "comment", QuestionType.TEXT, "Anything else?", "Autre chose ?", max_length="200"
    )
    # Logic can only name questions that exist: the page's relevance comes last.
    d.page(
        "actions",
        "What you do",
        "Ce que vous faites",
        relevance="${aware} != 'never'",
        section=actions,
    )


def test_a_designer_builds_previews_and_publishes_a_survey_with_every_question_type(designer):
    build_full_survey(designer)
    version = designer.version
    used = set(version.questions.values_list("type", flat=True))
    assert used == set(QuestionType.values)
    assert version.questions.get(code="informed").choice_list.name == "yes_no"
    assert version.questions.get(code="important").choice_list.name.startswith("agree5")

    editor = designer.client.get(designer.url("version"))
    assert "No problems found" in editor.content.decode()

    # Preview page 1 in French, with a constraint error and then its correction.
    preview = designer.url("preview")
    page = designer.client.get(preview + "?lang=fr&restart=1")
    assert page.status_code == 200
    assert "Quel âge avez-vous ?" in page.content.decode()
    assert "Suivant" in page.content.decode()  # buttons speak the survey's language too
    wrong = designer.client.post(preview + "?lang=fr&page=1", {"age": "12", "region": "coast"})
    assert "Vous devez avoir 16 ans ou plus." in wrong.content.decode()
    # The platform's own messages, too, are in the previewed language, not the designer's.
    tampered = designer.client.post(preview + "?lang=fr&page=1", {"age": "30", "region": "x"})
    assert "Choisissez l&#x27;une des options proposées." in tampered.content.decode()
    ok = designer.client.post(
        preview + "?lang=fr&page=1", {"age": "30", "region": "coast", "district": "mombasa"}
    )
    assert ok.status_code == 302
    page2 = designer.client.get(ok["Location"])
    assert "Avez-vous entendu parler" in page2.content.decode()
    # The follow-up on the same page waits hidden, as the respondent's page has it.
    assert re.search(r'id="q-meaning" data-show-on="aware"[^>]* hidden>', page2.content.decode())
    assert "js/respond.js" in page2.content.decode()
    # "never" hides the actions page (section relevance): page 2 is then the last one.
    done = designer.client.post(
        preview + "?lang=fr&page=2", {"aware": "never", "important": "4", "values__health": "5"}
    )
    assert done.status_code == 200
    assert "Merci ! Plantez des espèces locales." in done.content.decode()

    response = designer.client.post(designer.url("publish"), follow=True)
    assert "is published" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert len(version.content_hash) == 64


def test_the_choice_filter_offers_only_matching_choices_in_the_preview(designer):
    build_full_survey(designer)
    preview = designer.url("preview")
    designer.client.get(preview + "?restart=1")
    page = designer.client.post(
        preview + "?page=1", {"age": "30", "region": "highlands", "district": "mombasa"}
    )
    assert "Choose one of the options offered." in page.content.decode()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST])
def test_viewers_and_analysts_cannot_change_a_survey(role, designer, agency, member_factory, login):
    build_full_survey(designer)
    question = designer.version.questions.get(code="age")
    client = login(member_factory(role, agency=agency))
    assert client.get(designer.url("version")).status_code == 200
    attempts = [
        client.get(designer.url("question_edit", question.pk)),
        client.post(designer.url("question_delete", question.pk)),
        client.post(designer.url("publish")),
        client.post(designer.url("section_add"), {"code": "x"}),
        client.post(designer.url("choice_list_add"), {"preset-preset": "yes_no"}),
    ]
    assert {r.status_code for r in attempts} == {403}
    assert designer.version.questions.filter(code="age").exists()
    assert designer.version.status == VersionStatus.DRAFT


def test_a_user_of_another_agency_gets_404_everywhere(
    designer, other_agency, member_factory, login
):
    build_full_survey(designer)
    question = designer.version.questions.get(code="age")
    client = login(member_factory(Role.MANAGER, agency=other_agency))
    for url in [
        designer.url("version"),
        designer.url("preview"),
        designer.url("question_edit", question.pk),
        reverse("survey:list", args=[designer.agency.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(designer.url("question_delete", question.pk)).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_editing_a_published_version_makes_a_new_draft(designer):
    build_full_survey(designer)
    designer.client.post(designer.url("publish"))
    published = designer.version
    response = designer.client.post(designer.url("new_draft"))
    draft = SurveyVersion.objects.get(survey=designer.survey, status=VersionStatus.DRAFT)
    assert response["Location"] == reverse("survey:version", args=[designer.survey.pk, draft.pk])
    assert draft.number == 2 and draft.based_on == published
    assert draft.questions.count() == published.questions.count()


def test_a_survey_can_be_duplicated(designer):
    build_full_survey(designer)
    designer.client.post(designer.url("duplicate"), {"name": "Follow-up 2027"})
    copy = Survey.objects.get(name="Follow-up 2027")
    assert copy.duplicated_from == designer.survey
    assert copy.versions.get().questions.count() == designer.version.questions.count()
