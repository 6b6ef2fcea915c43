"""A whole version as one plain dict (JSON-ready), and back.

This is the exchange format for import, export, duplication, the question bank
and the answering flow's cached copy of a published version.
`survey_to_dict(survey_from_dict(d)) == d` for any dict this module produced.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from survey.exceptions import SurveyError
from survey.interface_texts import clean_texts, text_problem
from survey.links import links_from
from survey.models import (
    Choice,
    ChoiceList,
    Question,
    QuestionType,
    Section,
    Survey,
    SurveyVersion,
    VersionStatus,
)

FORMAT = "cepa-survey/1"

QUESTION_FIELDS = (
    "code",
    "type",
    "text",
    "hint",
    "required",
    "required_message",
    "relevance",
    "constraint",
    "constraint_message",
    "choice_filter",
    "calculation",
    "default",
    "appearance",
    "choice_list",
    "rows_list",
    "settings",
    "standard",
)
_QUESTION_DEFAULTS: dict[str, Any] = {
    "text": {},
    "hint": {},
    "required": False,
    "required_message": {},
    "relevance": "",
    "constraint": "",
    "constraint_message": {},
    "choice_filter": "",
    "calculation": "",
    "default": "",
    "appearance": "",
    "choice_list": None,
    "rows_list": None,
    "settings": {},
    "standard": False,
}


def blank_question(code: str, qtype: str, **fields: Any) -> dict[str, Any]:
    """A question in the canonical dict form, every key present with its default."""
    return {"code": code, "type": qtype, **copy.deepcopy(_QUESTION_DEFAULTS), **fields}


def survey_to_dict(version: SurveyVersion) -> dict[str, Any]:
    """The canonical dict of one version: every key present, lists in display order."""
    lists = list(version.choice_lists.order_by("pk").prefetch_related("choices"))
    list_names = {cl.pk: cl.name for cl in lists}
    sections = list(version.sections.order_by("order", "pk"))
    questions_by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for question in version.questions.order_by("order", "pk"):
        questions_by_section[question.section_id].append(question)
    return {
        "format": FORMAT,
        "title": dict(version.title),
        "intro": dict(version.intro),
        "thank_you": dict(version.thank_you),
        "thank_you_links": [
            {"url": link["url"], "label": dict(link["label"])} for link in version.thank_you_links
        ],
        "languages": list(version.languages),
        "default_language": version.default_language,
        "interface_texts": {
            language: dict(sorted(texts.items()))
            for language, texts in sorted(version.interface_texts.items())
            if language in version.languages  # a language taken off the survey takes its texts
        },
        "choice_lists": [
            {
                "name": cl.name,
                "choices": [
                    {
                        "code": c.code,
                        "label": dict(c.label),
                        "exclusive": c.exclusive,
                        "anchored": c.anchored,
                        "properties": dict(c.properties),
                    }
                    for c in sorted(cl.choices.all(), key=lambda c: (c.order, c.pk))
                ],
            }
            for cl in lists
        ],
        "sections": [
            {
                "code": section.code,
                "title": dict(section.title),
                "relevance": section.relevance,
                "questions": [
                    _question_dict(q, list_names) for q in questions_by_section[section.pk]
                ],
            }
            for section in sections
        ],
    }


def _question_dict(question: Question, list_names: dict[int, str]) -> dict[str, Any]:
    data = {field: getattr(question, field) for field in QUESTION_FIELDS}
    data["choice_list"] = list_names.get(question.choice_list_id)
    data["rows_list"] = list_names.get(question.rows_list_id)
    for key in ("text", "hint", "required_message", "constraint_message", "settings"):
        data[key] = dict(data[key])
    return data


def _require(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise SurveyError(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
    value = data[key]
    if not isinstance(value, kind):
        raise SurveyError(
            _("%(where)s: “%(key)s” has the wrong type.") % {"where": where, "key": key}
        )
    return value


def _links(data: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return links_from(data.get("thank_you_links"))
    except ValueError as error:
        raise SurveyError(str(error)) from None


def _interface_texts(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The platform's texts in national languages; absent from dicts made before they existed."""
    found = data.get("interface_texts") or {}
    if not isinstance(found, dict) or not all(isinstance(t, dict) for t in found.values()):
        raise SurveyError(
            _("%(where)s: “%(key)s” has the wrong type.")
            % {"where": _("survey"), "key": "interface_texts"}
        )
    cleaned = {str(language): clean_texts(texts) for language, texts in found.items()}
    for language, texts in cleaned.items():
        for msgid, text in texts.items():
            problem = text_problem(msgid, text)
            if problem:
                raise SurveyError(
                    _("Platform text in %(language)s, “%(text)s”: %(problem)s")
                    % {"language": language, "text": msgid, "problem": problem}
                )
    return {language: texts for language, texts in cleaned.items() if texts}


@transaction.atomic
def version_from_dict(
    data: dict[str, Any],
    *,
    survey: Survey,
    by: User | None,
    based_on: SurveyVersion | None = None,
) -> SurveyVersion:
    """Create a new draft version of `survey` holding exactly `data`."""
    if data.get("format") != FORMAT:
        raise SurveyError(_("Not a survey in the %(format)s format.") % {"format": FORMAT})
    number = (survey.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SurveyVersion.objects.create(
        survey=survey,
        number=number,
        status=VersionStatus.DRAFT,
        title=_require(data, "title", dict, _("survey")),
        intro=_require(data, "intro", dict, _("survey")),
        thank_you=_require(data, "thank_you", dict, _("survey")),
        thank_you_links=_links(data),
        languages=_require(data, "languages", list, _("survey")),
        default_language=_require(data, "default_language", str, _("survey")),
        interface_texts=_interface_texts(data),
        based_on=based_on,
        created_by=by,
    )
    lists: dict[str, ChoiceList] = {}
    for list_data in _require(data, "choice_lists", list, _("survey")):
        name = _require(list_data, "name", str, _("choice list"))
        if name in lists:
            raise SurveyError(_("Choice list %(name)s: the name is used twice.") % {"name": name})
        choice_list = ChoiceList.objects.create(version=version, name=name)
        lists[name] = choice_list
        Choice.objects.bulk_create(
            [
                Choice(
                    choice_list=choice_list,
                    code=_require(c, "code", str, _("choice list %(name)s") % {"name": name}),
                    order=position,
                    label=_require(
                        c, "label", dict, _("choice %(code)s") % {"code": c.get("code")}
                    ),
                    exclusive=bool(c.get("exclusive", False)),
                    anchored=bool(c.get("anchored", False)),
                    properties=dict(c.get("properties") or {}),
                )
                for position, c in enumerate(_require(list_data, "choices", list, name))
            ]
        )
    questions: list[Question] = []
    for position, section_data in enumerate(_require(data, "sections", list, _("survey"))):
        section = Section.objects.create(
            version=version,
            code=_require(section_data, "code", str, _("section")),
            order=position,
            title=dict(section_data.get("title") or {}),
            relevance=section_data.get("relevance") or "",
        )
        for q_position, q_data in enumerate(
            _require(
                section_data, "questions", list, _("section %(code)s") % {"code": section.code}
            )
        ):
            questions.append(_question_from_dict(q_data, version, section, q_position, lists))
    Question.objects.bulk_create(questions)
    return version


def _question_from_dict(
    data: dict[str, Any],
    version: SurveyVersion,
    section: Section,
    position: int,
    lists: dict[str, ChoiceList],
) -> Question:
    code = _require(data, "code", str, _("question"))
    qtype = _require(data, "type", str, _("question %(code)s") % {"code": code})
    if qtype not in QuestionType.values:
        raise SurveyError(
            _("Question %(code)s: unknown type “%(type)s”.") % {"code": code, "type": qtype}
        )
    values = {**_QUESTION_DEFAULTS, **{k: v for k, v in data.items() if k in QUESTION_FIELDS}}
    for key in ("choice_list", "rows_list"):
        name = values[key]
        if name is not None and name not in lists:
            raise SurveyError(
                _("Question %(code)s: there is no choice list named “%(name)s”.")
                % {"code": code, "name": name}
            )
        values[key] = lists[name] if name is not None else None
    return Question(version=version, section=section, order=position, **values)


@transaction.atomic
def survey_from_dict(
    data: dict[str, Any], *, agency: Agency, by: User | None, name: str | None = None
) -> SurveyVersion:
    """Create a new survey with one draft version holding `data`; returns the version."""
    title = data.get("title") or {}
    working_name = name or title.get(data.get("default_language", ""), "") or "Survey"
    survey = Survey.objects.create(agency=agency, name=working_name[:200], created_by=by)
    return version_from_dict(data, survey=survey, by=by)
