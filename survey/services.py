"""Writes for questionnaires. Every change to a version's content goes through here.

Each service checks that the version is still a draft (the models check again),
so a published version, which responses point at, never changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from survey.checks import check_survey
from survey.exceptions import InUse, PublishRefused, SurveyError, VersionLocked
from survey.i18n import interface_has
from survey.interface_texts import clean_texts, text_problem
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
from survey.presets import preset_choices
from survey.serialization import QUESTION_FIELDS as SERIALIZED_QUESTION_FIELDS
from survey.serialization import survey_to_dict, version_from_dict


def _ensure_draft(version: SurveyVersion) -> None:
    if not SurveyVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT).exists():
        raise VersionLocked


# ---------------------------------------------------------------- surveys


@transaction.atomic
def survey_create(
    *,
    agency: Agency,
    name: str,
    title: str,
    default_language: str,
    languages: list[str],
    by: User | None,
) -> Survey:
    """A new survey with a first draft version holding one empty page."""
    survey = Survey.objects.create(agency=agency, name=name.strip(), created_by=by)
    languages = list(dict.fromkeys([default_language, *languages]))
    version = SurveyVersion.objects.create(
        survey=survey,
        number=1,
        title={default_language: title.strip()},
        languages=languages,
        default_language=default_language,
        created_by=by,
    )
    Section.objects.create(version=version, code="page_1", order=0)
    return survey


@transaction.atomic
def survey_duplicate(*, version: SurveyVersion, name: str, by: User | None) -> Survey:
    """A new survey of the same agency, starting as a draft copy of `version`."""
    source = version.survey
    survey = Survey.objects.create(
        agency=source.agency, name=name.strip(), created_by=by, duplicated_from=source
    )
    version_from_dict(survey_to_dict(version), survey=survey, by=by, based_on=version)
    return survey


def survey_current_draft(*, survey: Survey) -> SurveyVersion | None:
    return survey.versions.filter(status=VersionStatus.DRAFT).first()


@transaction.atomic
def version_new_draft(*, version: SurveyVersion, by: User | None) -> SurveyVersion:
    """ "Edit" on a published version: a draft copy (or the draft that already exists)."""
    Survey.objects.select_for_update().get(pk=version.survey_id)
    existing = survey_current_draft(survey=version.survey)
    if existing is not None:
        return existing
    return version_from_dict(
        survey_to_dict(version), survey=version.survey, by=by, based_on=version
    )


@transaction.atomic
def version_update(
    *,
    version: SurveyVersion,
    title: dict[str, str],
    intro: dict[str, str],
    thank_you: dict[str, str],
    thank_you_links: list[dict[str, Any]],
    languages: list[str],
    default_language: str,
) -> SurveyVersion:
    _ensure_draft(version)
    version.title = _clean_texts(title)
    version.intro = _clean_texts(intro)
    version.thank_you = _clean_texts(thank_you)
    version.thank_you_links = [
        {"url": link["url"], "label": _clean_texts(link["label"])} for link in thank_you_links
    ]
    version.languages = list(dict.fromkeys([default_language, *languages]))
    version.default_language = default_language
    version.save()
    return version


@transaction.atomic
def version_set_interface_texts(
    *, version: SurveyVersion, language: str, texts: dict[str, str]
) -> SurveyVersion:
    """The platform's words for respondents in one national language of a draft."""
    _ensure_draft(version)
    if language not in version.languages or interface_has(language):
        raise SurveyError(_("Platform texts are written only for the survey's national languages."))
    stored = dict(version.interface_texts)
    cleaned = clean_texts(texts)
    for msgid, text in cleaned.items():
        problem = text_problem(msgid, text)
        if problem:  # the form says so field by field; this guards every other caller
            raise SurveyError(problem)
    if cleaned:
        stored[language] = cleaned
    else:
        stored.pop(language, None)
    version.interface_texts = stored
    version.save(update_fields=["interface_texts"])
    return version


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


@transaction.atomic
def survey_publish(*, version: SurveyVersion, by: User | None) -> SurveyVersion:
    """Freeze a draft so rounds can use it; refused with the full list of problems."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_draft(version)
    data = survey_to_dict(version)
    problems = check_survey(data)
    if problems:
        raise PublishRefused(problems)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.content_hash = content_hash(data)
    version.save()
    return version


def version_retire(*, version: SurveyVersion) -> SurveyVersion:
    if version.status != VersionStatus.PUBLISHED:
        raise SurveyError
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at"])
    return version


# --------------------------------------------------------------- sections


def _next_order(queryset: Any) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def section_save(
    *,
    version: SurveyVersion,
    section: Section | None,
    code: str,
    title: dict[str, str],
    relevance: str,
) -> Section:
    _ensure_draft(version)
    if section is None:
        section = Section(version=version, order=_next_order(version.sections.all()))
    section.code = code
    section.title = _clean_texts(title)
    section.relevance = relevance.strip()
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    _ensure_draft(section.version)
    if section.version.sections.count() <= 1:
        raise SurveyError(_("A survey keeps at least one page."))
    section.questions.all().delete()
    section.delete()


@transaction.atomic
def section_move(*, section: Section, direction: int) -> None:
    _ensure_draft(section.version)
    siblings = list(section.version.sections.order_by("order", "pk"))
    _swap(siblings, section, direction)


# -------------------------------------------------------------- questions

# Every field of a question but the "standard" mark, which only the question bank sets.
QUESTION_FIELDS = tuple(f for f in SERIALIZED_QUESTION_FIELDS if f != "standard")
_TEXT_FIELDS = {"text", "hint", "required_message", "constraint_message"}


@transaction.atomic
def question_save(
    *,
    version: SurveyVersion,
    question: Question | None,
    section: Section,
    **fields: Any,
) -> Question:
    """Create or change a question. Yes/no and Likert questions get a ready list if none."""
    _ensure_draft(version)
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    if question is None:
        question = Question(version=version, order=_next_order(section.questions.all()))
    elif question.section_id != section.pk:
        question.order = _next_order(section.questions.all())
    question.section = section
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            value = _clean_texts(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(question, name, value)
    if question.choice_list is None and question.type in {QuestionType.YES_NO, QuestionType.LIKERT}:
        preset = "yes_no" if question.type == QuestionType.YES_NO else "agree5"
        question.choice_list = choice_list_from_preset(version=version, preset=preset)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _ensure_draft(question.version)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: int) -> None:
    _ensure_draft(question.version)
    siblings = list(question.section.questions.order_by("order", "pk"))
    _swap(siblings, question, direction)


def _swap(siblings: list[Any], item: Any, direction: int) -> None:
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])


# ------------------------------------------------------------ choice lists


@transaction.atomic
def choice_list_save(
    *, version: SurveyVersion, choice_list: ChoiceList | None, name: str
) -> ChoiceList:
    _ensure_draft(version)
    if choice_list is None:
        choice_list = ChoiceList(version=version)
    choice_list.name = name.strip()
    choice_list.save()
    return choice_list


@transaction.atomic
def choice_list_from_preset(*, version: SurveyVersion, preset: str) -> ChoiceList:
    """A ready-made list (agreement scale, yes/no, ...), labelled in the survey's languages."""
    _ensure_draft(version)
    base = preset
    name = base
    number = 1
    while version.choice_lists.filter(name=name).exists():
        number += 1
        name = f"{base}_{number}"
    choice_list = ChoiceList.objects.create(version=version, name=name)
    Choice.objects.bulk_create(
        [
            Choice(
                choice_list=choice_list,
                order=position,
                code=choice["code"],
                label={k: v for k, v in choice["label"].items() if k in version.languages},
                anchored=choice.get("anchored", False),
                exclusive=choice.get("exclusive", False),
            )
            for position, choice in enumerate(preset_choices(preset))
        ]
    )
    return choice_list


@transaction.atomic
def choice_list_delete(*, choice_list: ChoiceList) -> None:
    _ensure_draft(choice_list.version)
    if choice_list.questions.exists() or choice_list.matrix_questions.exists():
        raise InUse
    choice_list.choices.all().delete()
    choice_list.delete()


@transaction.atomic
def choice_save(
    *,
    choice_list: ChoiceList,
    choice: Choice | None,
    code: str,
    label: dict[str, str],
    exclusive: bool = False,
    anchored: bool = False,
    properties: dict[str, str] | None = None,
) -> Choice:
    _ensure_draft(choice_list.version)
    if choice is None:
        choice = Choice(choice_list=choice_list, order=_next_order(choice_list.choices.all()))
    choice.code = code.strip()
    choice.label = _clean_texts(label)
    choice.exclusive = exclusive
    choice.anchored = anchored
    choice.properties = dict(properties or {})
    choice.save()
    return choice


@transaction.atomic
def choice_delete(*, choice: Choice) -> None:
    _ensure_draft(choice.choice_list.version)
    choice.delete()


@transaction.atomic
def choice_move(*, choice: Choice, direction: int) -> None:
    _ensure_draft(choice.choice_list.version)
    siblings = list(choice.choice_list.choices.order_by("order", "pk"))
    _swap(siblings, choice, direction)


def _clean_texts(texts: dict[str, str] | None) -> dict[str, str]:
    return {lang: text.strip() for lang, text in (texts or {}).items() if text and text.strip()}


# ------------------------------------------------------------ XLSForm


@transaction.atomic
def survey_import_xlsform(
    *,
    data: bytes,
    agency: Agency,
    by: User | None,
    name: str = "",
    left_out: list[str] | None = None,
) -> SurveyVersion:
    """A new survey (draft version 1) from an XLSForm; refused whole, nothing half-imported.

    The names of the metadata rows not imported (start, end...) go into `left_out`.
    """
    from survey.serialization import survey_from_dict
    from survey.xlsform import parse_xlsform

    survey_dict = parse_xlsform(data, left_out=left_out)
    return survey_from_dict(survey_dict, agency=agency, by=by, name=name or None)


def version_export_xlsform(*, version: SurveyVersion) -> bytes:
    from survey.xlsform import dict_to_xlsform

    return dict_to_xlsform(survey_to_dict(version))


# ------------------------------------------------------------ translations


@transaction.atomic
def version_import_translations(
    *, version: SurveyVersion, raw: bytes
) -> tuple[list[Any], list[str]]:
    """Apply a translator's sheet to a draft: only the texts that differ change.

    Returns (changed cells, ignored language columns); raises
    TranslationSheetRefused for another survey's sheet or unknown keys.
    """
    from survey.translation_sheet import plan_changes, platform_slots, read_sheet

    _ensure_draft(version)
    reading = read_sheet(raw)
    data = survey_to_dict(version)
    changes, ignored = plan_changes(data, reading, survey_id=version.survey_id)
    platform = {slot.key: slot.msgid for slot in platform_slots(data)}
    for change in changes:
        if change.key in platform:
            texts = version.interface_texts.setdefault(change.language, {})
            texts[platform[change.key]] = change.new
        else:
            _apply_text(version, change.key, change.language, change.new)
    if any(change.key in platform for change in changes):
        version.save(update_fields=["interface_texts"])
    return changes, ignored


def _apply_text(version: SurveyVersion, key: str, language: str, text: str) -> None:
    kind, rest = key.split(".", 1)
    if kind == "survey":
        getattr(version, rest)[language] = text
        version.save(update_fields=[rest])
        return
    if kind == "link":  # link.<number>.label
        number = int(rest.split(".", 1)[0])
        version.thank_you_links[number - 1]["label"][language] = text
        version.save(update_fields=["thank_you_links"])
        return
    owner, field_name = rest.rsplit(".", 1)
    target: Any
    if kind == "page":
        target = version.sections.get(code=owner)
    elif kind == "question":
        target = version.questions.get(code=owner)
        if field_name in {"low_label", "high_label"}:
            target.settings.setdefault(field_name, {})[language] = text
            target.save(update_fields=["settings"])
            return
    else:
        list_name, choice_code = owner.split(".", 1)
        target = Choice.objects.get(
            choice_list__version=version, choice_list__name=list_name, code=choice_code
        )
    texts = getattr(target, field_name)
    texts[language] = text
    target.save(update_fields=[field_name])


# ------------------------------------------------------------ question bank


@transaction.atomic
def bank_insert(*, version: SurveyVersion, module_name: str) -> list[Section]:
    """Append a standard module to a draft, keeping its codes and marking its questions standard.

    Refused, with the clashing codes named, when the draft already uses one of
    the module's question codes or has a different list under one of its names.
    """
    from survey.bank import module

    _ensure_draft(version)
    definition = module(module_name)
    taken = set(version.questions.values_list("code", flat=True)) | set(
        version.sections.values_list("code", flat=True)
    )
    wanted = {q["code"] for s in definition["sections"] for q in s["questions"]} | {
        s["code"] for s in definition["sections"]
    }
    clashes = sorted(taken & wanted)
    if clashes:
        raise SurveyError(
            _("This survey already uses the codes %(codes)s; the module was not added.")
            % {"codes": ", ".join(clashes)}
        )
    lists: dict[str, ChoiceList] = {}
    for list_data in definition["lists"]:
        existing = version.choice_lists.filter(name=list_data["name"]).first()
        codes = [c["code"] for c in list_data["choices"]]
        if existing is not None:
            if (
                list(existing.choices.order_by("order", "pk").values_list("code", flat=True))
                != codes
            ):
                raise SurveyError(
                    _("This survey has another list named %(name)s; rename it first.")
                    % {"name": list_data["name"]}
                )
            lists[list_data["name"]] = existing
            continue
        choice_list = ChoiceList.objects.create(version=version, name=list_data["name"])
        Choice.objects.bulk_create(
            [
                Choice(
                    choice_list=choice_list,
                    order=position,
                    code=c["code"],
                    label=_only(c["label"], version.languages),
                    exclusive=c["exclusive"],
                    anchored=c["anchored"],
                    properties=dict(c["properties"]),
                )
                for position, c in enumerate(list_data["choices"])
            ]
        )
        lists[list_data["name"]] = choice_list
    order = _next_order(version.sections.all())
    sections = []
    for offset, section_data in enumerate(definition["sections"]):
        section = Section.objects.create(
            version=version,
            code=section_data["code"],
            order=order + offset,
            title=_only(section_data["title"], version.languages),
            relevance=section_data["relevance"],
        )
        Question.objects.bulk_create(
            [
                Question(
                    version=version,
                    section=section,
                    order=position,
                    **{
                        **q,
                        "text": _only(q["text"], version.languages),
                        "hint": _only(q["hint"], version.languages),
                        "choice_list": lists.get(q["choice_list"]) if q["choice_list"] else None,
                        "rows_list": lists.get(q["rows_list"]) if q["rows_list"] else None,
                        "settings": dict(q["settings"]),
                        "standard": True,
                    },
                )
                for position, q in enumerate(section_data["questions"])
            ]
        )
        sections.append(section)
    return sections


def _only(texts: dict[str, str], languages: list[str]) -> dict[str, str]:
    return {lang: text for lang, text in texts.items() if lang in languages}


def standard_wording_changed(*, question: Question) -> bool:
    """True when a standard question no longer says what the bank says (in any language)."""
    from survey.bank import standard_question

    if not question.standard:
        return False
    reference = standard_question(question.code)
    if reference is None:
        return False
    return any(
        question.text.get(lang) != text
        for lang, text in reference["text"].items()
        if lang in question.version.languages
    )
