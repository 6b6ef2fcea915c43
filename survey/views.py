"""The questionnaire designer. Each view: permission, form, one service, render or redirect."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import Action
from accounts.selectors import agency_access
from survey import expressions as ex
from survey import fieldwork, invitations, review, selectors, services
from survey.checks import answer_keys, check_survey
from survey.exceptions import PublishRefused, SurveyError
from survey.forms import (
    ChoiceForm,
    ChoiceListForm,
    CollectorForm,
    CollectorLimitForm,
    CollectorNameForm,
    DuplicateForm,
    EmailTextsForm,
    InterfaceTextsForm,
    InvitationsForm,
    PresetForm,
    QuestionForm,
    ResponseFilterForm,
    ReviewAllForm,
    ReviewForm,
    RoundChangeForm,
    RoundForm,
    SectionForm,
    SurveyCreateForm,
    TranslationSheetForm,
    VersionSettingsForm,
    XLSFormUploadForm,
)
from survey.i18n import (
    choose_language,
    is_rtl,
    language_label,
    normalize_language,
)
from survey.interface_texts import (
    interface_progress,
    national_languages,
    survey_interface,
)
from survey.links import MAX_LINKS
from survey.logic import BACK_BUTTON, NEXT_BUTTON, compile_survey
from survey.models import Collector, CollectorKind, Round, RoundStatus, SurveyVersion
from survey.serialization import survey_to_dict
from survey.translation_sheet import (
    TranslationSheetRefused,
    export_sheet,
    text_slots,
    translation_completeness,
)
from survey.xlsform import XLSFormRefused, metadata_left_out


def _editor_url(version: SurveyVersion, anchor: str = "") -> str:
    url = reverse("survey:version", args=[version.survey_id, version.pk])
    return f"{url}#{anchor}" if anchor else url


def _for_design(request: HttpRequest, survey_id: int, version_id: int) -> tuple[Any, SurveyVersion]:
    """The survey and version for a designer's change; 404/403 as the selectors decide."""
    survey, access = selectors.survey_for(
        user=request.user, survey_id=survey_id, action=Action.DESIGN
    )
    return access, selectors.version_of(survey=survey, version_id=version_id)


def _for_reading(
    request: HttpRequest, survey_id: int, version_id: int
) -> tuple[Any, Any, SurveyVersion, bool]:
    """Survey, access and version for a page any member may read; whether they may edit it."""
    survey, access = selectors.survey_for(user=request.user, survey_id=survey_id)
    version = selectors.version_of(survey=survey, version_id=version_id)
    return survey, access, version, access.can(Action.DESIGN) and version.is_draft


def _direction(request: HttpRequest) -> int:
    return 1 if request.POST.get("direction") == "down" else -1


def _refuse(request: HttpRequest, error: SurveyError, version: SurveyVersion) -> HttpResponse:
    messages.error(request, str(error.message))
    return redirect(_editor_url(version))


def _change(
    request: HttpRequest, change: Callable[[], object], *, to: str, done: str = ""
) -> HttpResponse:
    """Run one designer change (a service call) and go back to `to`; a refusal is a message."""
    try:
        change()
    except SurveyError as error:
        messages.error(request, str(error.message))
    else:
        if done:
            messages.success(request, done)
    return redirect(to)


# ------------------------------------------------------------------ surveys


def _in_agency_time(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Dates (of rounds, of publication) typed and shown in the agency's time zone.

    Not the server's: a designer in Nairobi who types 09:00 means 09:00 in Nairobi.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, survey_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(selectors.time_zone_of(survey_id=survey_id)):
            return view(request, survey_id, *args, **kwargs)

    return wrapped


@login_required
def survey_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(user=request.user, agency_id=agency_id)
    surveys = selectors.surveys_of_agency(access=access)
    return render(
        request,
        "survey/survey_list.html",
        {
            "access": access,
            "agency": access.agency,
            "surveys": surveys,
            "can_design": access.can(Action.DESIGN),
        },
    )


@login_required
def survey_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(user=request.user, agency_id=agency_id, action=Action.DESIGN)
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = services.survey_create(
            agency=access.agency,
            name=data["name"],
            title=data["title"],
            default_language=data["default_language"],
            languages=data["language_list"],
            by=request.user,
        )
        version = survey.versions.get()
        messages.success(request, _("Survey created. Add your questions."))
        return redirect(_editor_url(version))
    return render(request, "survey/survey_create.html", {"agency": access.agency, "form": form})


@login_required
@_in_agency_time
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey, access = selectors.survey_for(user=request.user, survey_id=survey_id)
    draft = services.survey_current_draft(survey=survey)
    latest = draft or survey.versions.order_by("-number").first()
    if latest is not None and request.GET.get("history") is None:
        return redirect(_editor_url(latest))
    return render(
        request,
        "survey/survey_history.html",
        {
            "survey": survey,
            "access": access,
            "versions": survey.versions.order_by("-number"),
            "can_design": access.can(Action.DESIGN),
            "duplicate_form": DuplicateForm(
                initial={"name": _("Copy of %(name)s") % {"name": survey.name}}
            ),
        },
    )


@login_required
@require_POST
def survey_duplicate(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the copy a working name."))
        return redirect(_editor_url(version))
    copy = services.survey_duplicate(
        version=version, name=form.cleaned_data["name"], by=request.user
    )
    messages.success(request, _("Copy created."))
    return redirect(_editor_url(copy.versions.get()))


@login_required
def survey_import(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = agency_access(user=request.user, agency_id=agency_id, action=Action.DESIGN)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        left_out: list[str] = []
        try:
            version = services.survey_import_xlsform(
                data=form.cleaned_data["file"],
                agency=access.agency,
                by=request.user,
                name=form.cleaned_data["name"],
                left_out=left_out,
            )
        except XLSFormRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, _("Form imported as a draft. Check it, then publish."))
            if left_out:
                messages.info(request, metadata_left_out(left_out))
            return redirect(_editor_url(version))
    return render(
        request,
        "survey/survey_import.html",
        {"agency": access.agency, "form": form, "problems": problems},
    )


@login_required
def export_xlsform(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    survey, _access = selectors.survey_for(user=request.user, survey_id=survey_id)
    version = selectors.version_of(survey=survey, version_id=version_id)
    response = HttpResponse(
        services.version_export_xlsform(version=version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"survey-{survey.pk}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------ versions


@login_required
@_in_agency_time
def version_editor(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    survey, access, version, can_edit = _for_reading(request, survey_id, version_id)
    problems = check_survey(survey_to_dict(version)) if can_edit else []
    context = {
        "survey": survey,
        "version": version,
        "access": access,
        "can_design": access.can(Action.DESIGN),
        "can_edit": can_edit,
        "structure": selectors.version_structure(version=version),
        "choice_lists": selectors.choice_lists_of(version=version),
        "versions": survey.versions.order_by("-number"),
        "problems": problems,
        "draft": services.survey_current_draft(survey=survey),
        "duplicate_form": DuplicateForm(
            initial={"name": _("Copy of %(name)s") % {"name": survey.name}}
        ),
        "languages": [(code, *language_label(code)) for code in version.languages],
        "rounds": fieldwork.survey_rounds(survey_id=survey.pk),
    }
    return render(request, "survey/version_editor.html", context)


@login_required
def version_settings(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    if not version.is_draft:
        return _refuse(request, services.VersionLocked(), version)
    form = VersionSettingsForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.version_update(
            version=version,
            title=data["title"],
            intro=data["intro"],
            thank_you=data["thank_you"],
            thank_you_links=data["thank_you_links"],
            languages=data["language_list"],
            default_language=data["default_language"],
        )
        messages.success(request, _("Saved."))
        return redirect(_editor_url(version))
    return render(
        request,
        "survey/version_settings.html",
        {"version": version, "survey": version.survey, "form": form, "max_links": MAX_LINKS},
    )


@login_required
@require_POST
def version_publish(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    try:
        services.survey_publish(version=version, by=request.user)
    except PublishRefused as refused:
        messages.error(
            request,
            ngettext(
                "Not published: %(count)d problem to solve first, listed below.",
                "Not published: %(count)d problems to solve first, listed below.",
                len(refused.problems),
            )
            % {"count": len(refused.problems)},
        )
        return redirect(_editor_url(version, "problems"))
    except SurveyError as error:
        return _refuse(request, error, version)
    messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
    behind = fieldwork.rounds_behind(version=version)
    if behind:
        messages.info(
            request,
            ngettext(
                "%(count)d round still runs on an earlier version: its page can move it to "
                "this one.",
                "%(count)d rounds still run on earlier versions: their pages can move them to "
                "this one.",
                behind,
            )
            % {"count": behind},
        )
    return redirect(_editor_url(version))


@login_required
@require_POST
def version_new_draft(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    draft = services.version_new_draft(version=version, by=request.user)
    messages.success(
        request, _("You are editing draft version %(number)d.") % {"number": draft.number}
    )
    return redirect(_editor_url(draft))


# ------------------------------------------------------------------ sections


@login_required
def section_edit(
    request: HttpRequest, survey_id: int, version_id: int, section_id: int | None = None
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    section = selectors.section_of(version=version, section_id=section_id) if section_id else None
    initial = (
        {"code": section.code, "relevance": section.relevance}
        if section
        else {"code": f"page_{version.sections.count() + 1}"}
    )
    form = SectionForm(request.POST or None, version=version, section=section, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.section_save(
                version=version,
                section=section,
                **{k: form.cleaned_data[k] for k in ("code", "title", "relevance")},
            )
        except SurveyError as error:
            return _refuse(request, error, version)
        messages.success(request, _("Page saved."))
        return redirect(_editor_url(version, f"section-{saved.pk}"))
    return render(
        request,
        "survey/section_form.html",
        {"version": version, "survey": version.survey, "form": form, "section": section},
    )


@login_required
@require_POST
def section_delete(
    request: HttpRequest, survey_id: int, version_id: int, section_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    section = selectors.section_of(version=version, section_id=section_id)
    return _change(
        request,
        lambda: services.section_delete(section=section),
        to=_editor_url(version),
        done=_("Page deleted."),
    )


@login_required
@require_POST
def section_move(
    request: HttpRequest, survey_id: int, version_id: int, section_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    section = selectors.section_of(version=version, section_id=section_id)
    return _change(
        request,
        lambda: services.section_move(section=section, direction=_direction(request)),
        to=_editor_url(version, f"section-{section.pk}"),
    )


# ------------------------------------------------------------------ questions


@login_required
def question_edit(
    request: HttpRequest, survey_id: int, version_id: int, question_id: int | None = None
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    question = (
        selectors.question_of(version=version, question_id=question_id) if question_id else None
    )
    initial = None
    if question is None:
        section_param = request.GET.get("section")
        initial = {
            "section": section_param if section_param and section_param.isdigit() else None,
            "type": request.GET.get("type", "single"),
        }
    form = QuestionForm(request.POST or None, version=version, question=question, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.question_save(
                version=version,
                question=question,
                section=form.cleaned_data["section"],
                **form.service_fields(),
            )
        except SurveyError as error:
            return _refuse(request, error, version)
        messages.success(request, _("Question %(code)s saved.") % {"code": saved.code})
        if services.standard_wording_changed(question=saved):
            messages.warning(
                request,
                _(
                    "%(code)s is a standard question and its wording now differs from the "
                    "question bank: results may no longer compare with other countries."
                )
                % {"code": saved.code},
            )
        if "save_add" in request.POST:
            return redirect(
                f"{reverse('survey:question_add', args=[survey_id, version.pk])}?section={saved.section_id}&type={saved.type}"
            )
        return redirect(_editor_url(version, f"question-{saved.pk}"))
    return render(
        request,
        "survey/question_form.html",
        {
            "version": version,
            "survey": version.survey,
            "form": form,
            "question": question,
            "languages": version.languages,
            "standard_warning": bool(question and question.standard),
        },
    )


@login_required
@require_POST
def question_delete(
    request: HttpRequest, survey_id: int, version_id: int, question_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    question = selectors.question_of(version=version, question_id=question_id)
    return _change(
        request,
        lambda: services.question_delete(question=question),
        to=_editor_url(version),
        done=_("Question %(code)s deleted.") % {"code": question.code},
    )


@login_required
@require_POST
def question_move(
    request: HttpRequest, survey_id: int, version_id: int, question_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    question = selectors.question_of(version=version, question_id=question_id)
    return _change(
        request,
        lambda: services.question_move(question=question, direction=_direction(request)),
        to=_editor_url(version, f"question-{question.pk}"),
    )


# ------------------------------------------------------------------ choice lists


@login_required
def choice_list_add(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    form = ChoiceListForm(request.POST or None, version=version, prefix="list")
    preset_form = PresetForm(request.POST or None, prefix="preset")
    if request.method == "POST":
        try:
            if "preset-preset" in request.POST and preset_form.is_valid():
                choice_list = services.choice_list_from_preset(
                    version=version, preset=preset_form.cleaned_data["preset"]
                )
                messages.success(request, _("List %(name)s added.") % {"name": choice_list.name})
                return redirect("survey:choice_list", survey_id, version.pk, choice_list.pk)
            if "list-name" in request.POST and form.is_valid():
                choice_list = services.choice_list_save(
                    version=version, choice_list=None, name=form.cleaned_data["name"]
                )
                messages.success(request, _("List %(name)s added.") % {"name": choice_list.name})
                return redirect("survey:choice_list", survey_id, version.pk, choice_list.pk)
        except SurveyError as error:
            return _refuse(request, error, version)
    return render(
        request,
        "survey/choice_list_add.html",
        {"version": version, "survey": version.survey, "form": form, "preset_form": preset_form},
    )


@login_required
def choice_list_detail(
    request: HttpRequest, survey_id: int, version_id: int, list_id: int
) -> HttpResponse:
    survey, _access, version, can_edit = _for_reading(request, survey_id, version_id)
    choice_list = selectors.choice_list_of(version=version, list_id=list_id)
    rename_form = ChoiceListForm(
        initial={"name": choice_list.name}, version=version, choice_list=choice_list, prefix="list"
    )
    choice_form = ChoiceForm(choice_list=choice_list, prefix="choice")
    if request.method == "POST":
        if not can_edit:
            _access, version = _for_design(
                request, survey_id, version_id
            )  # 403 for roles that may not design
            return _refuse(request, services.VersionLocked(), version)
        try:
            if "list-name" in request.POST:
                rename_form = ChoiceListForm(
                    request.POST, version=version, choice_list=choice_list, prefix="list"
                )
                if rename_form.is_valid():
                    services.choice_list_save(
                        version=version,
                        choice_list=choice_list,
                        name=rename_form.cleaned_data["name"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect("survey:choice_list", survey_id, version.pk, choice_list.pk)
            else:
                choice_form = ChoiceForm(request.POST, choice_list=choice_list, prefix="choice")
                if choice_form.is_valid():
                    services.choice_save(
                        choice_list=choice_list, choice=None, **choice_form.service_fields()
                    )
                    messages.success(request, _("Choice added."))
                    return redirect(
                        reverse("survey:choice_list", args=[survey_id, version.pk, choice_list.pk])
                        + "#add-choice"
                    )
        except SurveyError as error:
            return _refuse(request, error, version)
    return render(
        request,
        "survey/choice_list.html",
        {
            "version": version,
            "survey": survey,
            "choice_list": choice_list,
            "choices": choice_list.choices.order_by("order", "pk"),
            "can_edit": can_edit,
            "rename_form": rename_form,
            "choice_form": choice_form,
            "languages": version.languages,
            "used_by": list(choice_list.questions.values_list("code", flat=True))
            + list(choice_list.matrix_questions.values_list("code", flat=True)),
        },
    )


@login_required
@require_POST
def choice_list_delete(
    request: HttpRequest, survey_id: int, version_id: int, list_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    choice_list = selectors.choice_list_of(version=version, list_id=list_id)
    try:
        services.choice_list_delete(choice_list=choice_list)
    except SurveyError as error:
        messages.error(request, str(error.message))
        return redirect("survey:choice_list", survey_id, version.pk, choice_list.pk)
    messages.success(request, _("List %(name)s deleted.") % {"name": choice_list.name})
    return redirect(_editor_url(version, "choice-lists"))


@login_required
def choice_edit(
    request: HttpRequest, survey_id: int, version_id: int, list_id: int, choice_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    choice_list = selectors.choice_list_of(version=version, list_id=list_id)
    choice = selectors.choice_of(choice_list=choice_list, choice_id=choice_id)
    form = ChoiceForm(request.POST or None, choice_list=choice_list, choice=choice)
    if request.method == "POST" and form.is_valid():
        try:
            services.choice_save(choice_list=choice_list, choice=choice, **form.service_fields())
        except SurveyError as error:
            return _refuse(request, error, version)
        messages.success(request, _("Saved."))
        return redirect("survey:choice_list", survey_id, version.pk, choice_list.pk)
    return render(
        request,
        "survey/choice_form.html",
        {
            "version": version,
            "survey": version.survey,
            "choice_list": choice_list,
            "choice": choice,
            "form": form,
        },
    )


@login_required
@require_POST
def choice_delete(
    request: HttpRequest, survey_id: int, version_id: int, list_id: int, choice_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    choice_list = selectors.choice_list_of(version=version, list_id=list_id)
    choice = selectors.choice_of(choice_list=choice_list, choice_id=choice_id)
    return _change(
        request,
        lambda: services.choice_delete(choice=choice),
        to=reverse("survey:choice_list", args=[survey_id, version.pk, choice_list.pk]),
    )


@login_required
@require_POST
def choice_move(
    request: HttpRequest, survey_id: int, version_id: int, list_id: int, choice_id: int
) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    choice_list = selectors.choice_list_of(version=version, list_id=list_id)
    choice = selectors.choice_of(choice_list=choice_list, choice_id=choice_id)
    return _change(
        request,
        lambda: services.choice_move(choice=choice, direction=_direction(request)),
        to=reverse("survey:choice_list", args=[survey_id, version.pk, choice_list.pk]),
    )


# ------------------------------------------------------------------ logic check and preview


@login_required
@require_POST
def check_expression(request: HttpRequest, survey_id: int, version_id: int) -> JsonResponse:
    """Live check for the logic fields: parse errors and unknown codes, as JSON."""
    survey, _access = selectors.survey_for(
        user=request.user, survey_id=survey_id, action=Action.DESIGN
    )
    version = selectors.version_of(survey=survey, version_id=version_id)
    text = request.POST.get("expression", "")[: ex.MAX_LENGTH + 1]
    if not text.strip():
        return JsonResponse({"ok": True, "message": ""})
    try:
        node = ex.parse(text)
    except ex.ExpressionError as error:
        return JsonResponse(
            {
                "ok": False,
                "message": _("%(error)s (at character %(position)d)")
                % {"error": error.message, "position": error.position + 1},
                "position": error.position,
            }
        )
    unknown = sorted(ex.references(node) - set(answer_keys(survey_to_dict(version))))
    if unknown:
        return JsonResponse(
            {
                "ok": False,
                "message": _("No question has the code %(codes)s.") % {"codes": ", ".join(unknown)},
            }
        )
    return JsonResponse({"ok": True, "message": _("Looks right.")})


@login_required
def preview(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    """The survey as a respondent sees it, any page, any language; answers stay in the session."""
    survey, _access = selectors.survey_for(user=request.user, survey_id=survey_id)
    version = selectors.version_of(survey=survey, version_id=version_id)
    compiled = compile_survey(survey_to_dict(version))
    language = normalize_language(request.GET.get("lang") or "")
    if language not in compiled.languages:
        language = choose_language(
            compiled.languages,
            accept_language=request.headers.get("Accept-Language", ""),
            default=compiled.default_language,
        )
    session_key = f"preview:{version.pk}"
    answers: dict[str, Any] = request.session.get(session_key, {})
    if request.GET.get("restart") is not None:
        answers = {}
    pages = compiled.visible_sections(answers)
    try:
        page_number = max(1, min(int(request.GET.get("page", "1")), len(pages) or 1))
    except ValueError:
        page_number = 1
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    if request.method == "POST" and pages:
        # Worded as the respondent would read them, like the preview's buttons.
        with survey_interface(compiled, language):
            step = compiled.submit_page(
                answers, page_number, request.POST, language, going_back=BACK_BUTTON in request.POST
            )
        answers, errors, raw = step.answers, step.errors, step.raw
        request.session[session_key] = answers
        if step.finished:
            return render(
                request,
                "survey/preview_done.html",
                _preview_context(version, compiled, language, answers),
            )
        if not errors:
            return redirect(
                f"{reverse('survey:preview', args=[survey.pk, version.pk])}"
                f"?lang={language}&page={step.page}"
            )
        pages = compiled.visible_sections(answers)
    request.session[session_key] = answers
    context = _preview_context(version, compiled, language, answers)
    section = pages[page_number - 1] if pages else None
    context.update(
        {
            "section": section,
            "page_number": page_number,
            "page_count": len(pages),
            "page": compiled.page_questions(section, answers) if section else None,
            "errors": errors,
            "raw": raw,
            "seed": request.session.session_key or "preview",
            "next_button": NEXT_BUTTON,
            "back_button": BACK_BUTTON,
        }
    )
    return render(request, "survey/preview.html", context)


def _preview_context(
    version: SurveyVersion, compiled: Any, language: str, answers: dict[str, Any]
) -> dict[str, Any]:
    return {
        "version": version,
        "survey": version.survey,
        "compiled": compiled,
        "language": language,
        "content_dir": "rtl" if is_rtl(language) else "ltr",
        "content_languages": [(code, *language_label(code)) for code in compiled.languages],
        "answers": answers,
        "answers_json": json.dumps(answers, ensure_ascii=False, indent=1),
    }


# ------------------------------------------------------------------ translations and bank


@login_required
def translations(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    """Completeness per language, the translator's spreadsheet out and back in."""
    survey, _access, version, can_edit = _for_reading(request, survey_id, version_id)
    form = TranslationSheetForm(request.POST or None, request.FILES or None)
    report: dict[str, Any] = {}
    if request.method == "POST":
        _access, version = _for_design(request, survey_id, version_id)
        if not version.is_draft:
            return _refuse(request, services.VersionLocked(), version)
        if form.is_valid():
            try:
                changes, ignored = services.version_import_translations(
                    version=version, raw=form.cleaned_data["file"]
                )
            except TranslationSheetRefused as refused:
                report = {"refused": refused.message, "unknown": refused.unknown}
            else:
                report = {"changes": changes, "ignored": ignored}
    data = survey_to_dict(version)
    context = {
        "survey": survey,
        "version": version,
        "can_edit": can_edit,
        "completeness": translation_completeness(data),
        "form": form,
        "report": report,
        "slot_count": sum(1 for _slot in text_slots(data)),
        "edit_links": _edit_links(version),
        "national": [
            interface_progress(
                language=language,
                default_language=version.default_language,
                national_texts=version.interface_texts,
            )
            for language in national_languages(version.languages)
        ],
    }
    return render(request, "survey/translations.html", context)


@login_required
def interface_texts(
    request: HttpRequest, survey_id: int, version_id: int, language: str
) -> HttpResponse:
    """The platform's words ("Next", errors) in one of the survey's national languages."""
    survey, _access, version, can_edit = _for_reading(request, survey_id, version_id)
    if language not in national_languages(version.languages):
        raise Http404
    if request.method == "POST" and not can_edit:
        _access, version = _for_design(request, survey_id, version_id)  # 403 when not a designer
        return _refuse(request, services.VersionLocked(), version)
    progress = interface_progress(
        language=language,
        default_language=version.default_language,
        national_texts=version.interface_texts,
    )
    form = InterfaceTextsForm(
        request.POST or None,
        saved=version.interface_texts.get(language, {}),
        language=language,
        fallback_language=progress.fallback,
    )
    if request.method == "POST" and form.is_valid():
        services.version_set_interface_texts(
            version=version, language=language, texts=form.translations()
        )
        messages.success(request, _("The platform texts are saved."))
        return redirect("survey:interface_texts", survey.pk, version.pk, language)
    context = {
        "survey": survey,
        "version": version,
        "language": language,
        "can_edit": can_edit,
        "form": form,
        "progress": progress,
    }
    return render(request, "survey/interface_texts.html", context)


def _edit_links(version: SurveyVersion) -> dict[str, str]:
    """Where to fill each text: question, page, choice or survey settings pages."""
    base = (version.survey_id, version.pk)
    links = {"survey": reverse("survey:version_settings", args=base)}
    for number in range(1, len(version.thank_you_links) + 1):
        links[f"link.{number}"] = links["survey"]
    for section in version.sections.all():
        links[f"page.{section.code}"] = reverse("survey:section_edit", args=[*base, section.pk])
    for question in version.questions.all():
        links[f"question.{question.code}"] = reverse(
            "survey:question_edit", args=[*base, question.pk]
        )
    for choice_list in version.choice_lists.prefetch_related("choices"):
        for choice in choice_list.choices.all():
            links[f"choice.{choice_list.name}.{choice.code}"] = reverse(
                "survey:choice_edit", args=[*base, choice_list.pk, choice.pk]
            )
    return links


@login_required
def translations_sheet(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    survey, _access = selectors.survey_for(user=request.user, survey_id=survey_id)
    version = selectors.version_of(survey=survey, version_id=version_id)
    content = export_sheet(
        survey_to_dict(version), survey_id=survey.pk, version_number=version.number
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.pk}-v{version.number}-texts.xlsx"'
    )
    return response


@login_required
def question_bank(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    from survey.bank import MODULES

    _access, version = _for_design(request, survey_id, version_id)
    if request.method == "POST":
        name = request.POST.get("module", "")
        if name not in MODULES:
            messages.error(request, _("Choose one of the modules listed."))
        else:
            try:
                services.bank_insert(version=version, module_name=name)
            except SurveyError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("Module added. Its questions keep their standard codes."),
                )
                return redirect(_editor_url(version))
    return render(
        request,
        "survey/question_bank.html",
        {"version": version, "survey": version.survey, "modules": MODULES},
    )


# ------------------------------------------------------------------ fieldwork


def _round(
    request: HttpRequest, survey_id: int, round_id: int, action: Action = Action.VIEW
) -> tuple[Any, Round]:
    survey, access = selectors.survey_for(user=request.user, survey_id=survey_id, action=action)
    found = (
        Round.objects.select_related("version").filter(pk=round_id, version__survey=survey).first()
    )
    if found is None:
        raise Http404
    return access, found


@login_required
@_in_agency_time
def round_create(request: HttpRequest, survey_id: int, version_id: int) -> HttpResponse:
    _access, version = _for_design(request, survey_id, version_id)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            round_ = fieldwork.round_create(version=version, **data)
        except SurveyError as error:
            return _refuse(request, error, version)
        messages.success(request, _("Round opened with a public link."))
        return redirect("survey:round", survey_id, round_.pk)
    return render(
        request,
        "survey/round_form.html",
        {"version": version, "survey": version.survey, "form": form},
    )


@login_required
@_in_agency_time
def round_detail(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    access, round_ = _round(request, survey_id, round_id)
    return _round_page(
        request,
        round_,
        can_design=access.can(Action.DESIGN),
        can_analyse=access.can(Action.ANALYSE),
    )


def _round_page(
    request: HttpRequest,
    round_: Round,
    *,
    can_design: bool,
    can_analyse: bool | None = None,
    collector_form: CollectorForm | None = None,
    invite: tuple[int, InvitationsForm] | None = None,
    rename: tuple[int, CollectorNameForm] | None = None,
    limit: tuple[int, CollectorLimitForm] | None = None,
    text: tuple[int, EmailTextsForm] | None = None,
    change_form: RoundChangeForm | None = None,
) -> HttpResponse:
    """The round page; with a form sent back with its errors (and what was typed) when given.

    Each invitation form has its collector's prefix: two email collectors on
    one page must not share field ids, or a label would name the wrong field.
    """
    if can_analyse is None:  # a form sent back with its errors, by a designer or a manager
        can_analyse = agency_access(
            user=request.user, agency_id=round_.version.survey.agency_id
        ).can(Action.ANALYSE)
    progress = fieldwork.round_progress(round_=round_)
    rows = fieldwork.collector_rows(
        round_=round_,
        link_for=_entry_link(request),
        invitation_link_for=_invitation_link(request),
        progress=progress,
    )

    def on_card(sent: tuple[int, Any] | None, pk: int) -> Any:
        """The form sent back with its errors when it is this collector's card's (a form is true)."""
        return sent[1] if sent is not None and sent[0] == pk else None

    cards = []
    for row in rows:
        c = row.collector
        text_form = None
        if row.emails:
            text_form = on_card(text, c.pk) or EmailTextsForm(collector=c)
        cards.append(
            (
                row,
                on_card(invite, c.pk) or InvitationsForm(prefix=InvitationsForm.prefix_for(c.pk)),
                on_card(rename, c.pk)
                or CollectorNameForm(
                    prefix=CollectorNameForm.prefix_for(c.pk), initial={"name": c.name}
                ),
                text_form,
                on_card(limit, c.pk)
                or CollectorLimitForm(
                    prefix=CollectorLimitForm.prefix_for(c.pk),
                    initial={"response_limit": c.response_limit},
                ),
            )
        )
    sent_back = any(
        f is not None for f in (collector_form, invite, rename, limit, text, change_form)
    )
    return render(
        request,
        "survey/round_detail.html",
        {
            "round": round_,
            "survey": round_.version.survey,
            "version": round_.version,
            "collectors": cards,
            "progress": progress,
            "days": fieldwork.round_days(round_=round_, zone=timezone.get_current_timezone_name()),
            "stops": fieldwork.round_stops(round_=round_),
            "stopped_after_hours": int(fieldwork.STOPPED_AFTER.total_seconds() // 3600),
            "can_design": can_design,
            "review": review.review_counts(round_=round_) if can_analyse else None,
            "state": fieldwork.round_state(round_=round_, completed=progress["toward_target"]),
            "change_form": change_form or RoundChangeForm.for_round(round_),
            "collector_form": collector_form or CollectorForm(languages=round_.version.languages),
            "move": fieldwork.round_version_move(round_=round_) if can_design else None,
            "reminder_gap_days": invitations.REMINDER_GAP.days,
            "max_reminders": invitations.MAX_REMINDERS,
        },
        status=400 if sent_back else 200,
    )


@login_required
@require_POST
@_in_agency_time
def round_update(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    _access, round_ = _round(request, survey_id, round_id, Action.DESIGN)
    form = RoundChangeForm.for_round(round_, request.POST)
    if not form.is_valid():  # the dates' order is checked here, next to the fields
        return _round_page(request, round_, can_design=True, change_form=form)
    try:
        fieldwork.round_update(round_=round_, **form.cleaned_data)
    except SurveyError as error:  # closed meanwhile: the page no longer offers the form
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The round is changed."))
    return redirect("survey:round", survey_id, round_.pk)


@login_required
@require_POST
def round_move(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    """Fieldwork goes on with a newer version through the same links (a mended page)."""
    _access, round_ = _round(request, survey_id, round_id, Action.DESIGN)
    try:
        version = fieldwork.round_move_to_version(
            round_=round_, version_id=request.POST.get("version")
        )
    except SurveyError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _(
                "New respondents now answer version %(number)d; whoever had begun finishes "
                "the version they started."
            )
            % {"number": version.number},
        )
    return redirect("survey:round", survey_id, round_.pk)


@login_required
@require_POST
def round_status(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    _access, round_ = _round(request, survey_id, round_id, Action.DESIGN)
    status = request.POST.get("status", "")
    if status == RoundStatus.CLOSED:  # never in one click: it cannot be undone
        return redirect("survey:round_close", survey_id, round_.pk)
    try:
        fieldwork.round_set_status(round_=round_, status=status)
    except SurveyError as error:
        messages.error(request, str(error.message))
    return redirect("survey:round", survey_id, round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
@_in_agency_time
def round_close(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    """Closing asks first, saying what it ends: a closed round cannot be opened again."""
    _access, round_ = _round(request, survey_id, round_id, Action.DESIGN)
    if round_.status == RoundStatus.CLOSED:
        messages.error(request, _("A closed round stays closed; open a new round instead."))
        return redirect("survey:round", survey_id, round_.pk)
    if request.method == "POST":
        fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
        messages.success(request, _("The round is closed."))
        return redirect("survey:round", survey_id, round_.pk)
    return render(
        request,
        "survey/round_close.html",
        {
            "round": round_,
            "survey": round_.version.survey,
            "effects": fieldwork.round_closing_effects(round_=round_),
            # isolated, so a Latin label reads whole in an Arabic sentence
            "label_html": format_html("<bdi>{}</bdi>", round_.label),
        },
    )


@login_required
@require_POST
@_in_agency_time
def collector_add(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    _access, round_ = _round(request, survey_id, round_id, Action.DESIGN)
    form = CollectorForm(request.POST, languages=round_.version.languages)
    if not form.is_valid():
        return _round_page(request, round_, can_design=True, collector_form=form)
    fieldwork.collector_create(round_=round_, **form.cleaned_data)
    messages.success(request, _("Collector added."))
    return redirect("survey:round", survey_id, round_.pk)


def _collector(
    request: HttpRequest,
    survey_id: int,
    round_id: int,
    collector_id: int,
    action: Action = Action.VIEW,
) -> tuple[Round, Collector]:
    """The round and one of its collectors, if this user may `action` the survey."""
    _access, round_ = _round(request, survey_id, round_id, action)
    found = round_.collectors.filter(pk=collector_id).first()
    if found is None:
        raise Http404
    return round_, found


def _on_collector(
    view: Callable[[HttpRequest, Round, Collector], HttpResponse | None],
) -> Callable[..., HttpResponse]:
    """A designer's POST on one collector: checked, then back to that collector's card.

    The view receives the round and the collector this user may design. When it
    returns nothing (its messages said what happened), the round page opens
    again at the collector's card; a form with errors returns the page itself.
    """

    @login_required
    @require_POST
    @_in_agency_time
    @wraps(view)
    def wrapped(
        request: HttpRequest, survey_id: int, round_id: int, collector_id: int
    ) -> HttpResponse:
        round_, collector = _collector(request, survey_id, round_id, collector_id, Action.DESIGN)
        answer = view(request, round_, collector)
        if answer is not None:
            return answer
        return redirect(
            reverse("survey:round", args=[survey_id, round_.pk]) + f"#collector-{collector.pk}"
        )

    return wrapped


@_on_collector
def collector_rename(
    request: HttpRequest, round_: Round, collector: Collector
) -> HttpResponse | None:
    form = CollectorNameForm(request.POST, prefix=CollectorNameForm.prefix_for(collector.pk))
    if not form.is_valid():
        return _round_page(request, round_, can_design=True, rename=(collector.pk, form))
    try:
        fieldwork.collector_rename(collector=collector, name=form.cleaned_data["name"])
    except SurveyError as error:
        form.add_error("name", error.message)
        return _round_page(request, round_, can_design=True, rename=(collector.pk, form))
    messages.success(request, _("The collector is renamed. Its link stays the same."))
    return None


@_on_collector
def collector_limit(
    request: HttpRequest, round_: Round, collector: Collector
) -> HttpResponse | None:
    form = CollectorLimitForm(request.POST, prefix=CollectorLimitForm.prefix_for(collector.pk))
    if not form.is_valid():
        return _round_page(request, round_, can_design=True, limit=(collector.pk, form))
    limit = form.cleaned_data["response_limit"]
    fieldwork.collector_set_limit(collector=collector, limit=limit)
    if limit is None:
        messages.success(request, _("The collector has no limit now."))
    else:
        messages.success(
            request,
            ngettext(
                "The collector stops new starts after %(count)d completed response.",
                "The collector stops new starts after %(count)d completed responses.",
                limit,
            )
            % {"count": limit},
        )
    return None


@_on_collector
def collector_toggle(request: HttpRequest, round_: Round, collector: Collector) -> None:
    fieldwork.collector_set_active(collector=collector, active=not collector.active)


@login_required
def collector_qr(
    request: HttpRequest, survey_id: int, round_id: int, collector_id: int, kind: str
) -> HttpResponse:
    round_, collector = _collector(request, survey_id, round_id, collector_id)
    if kind not in {"svg", "png"} or collector.kind == CollectorKind.EMAIL:
        raise Http404  # an email collector's address answers only its invitations
    content, content_type = fieldwork.qr_code(_entry_link(request)(collector.token), kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=fieldwork.qr_filename(round_, collector, kind)
    )
    return response


@_on_collector
def collector_remind(request: HttpRequest, round_: Round, collector: Collector) -> None:
    try:
        reminded = invitations.invitations_remind(
            collector=collector,
            link_for=_invitation_link(request),
            seconds=settings.INVITATION_SEND_SECONDS,
        )
    except SurveyError as error:
        messages.error(request, str(error.message))
        return
    messages.success(request, _("Reminders sent: %(count)d.") % {"count": reminded.sent})
    if reminded.left:
        messages.warning(
            request,
            _(
                "Still due: %(count)d. A request may only last so long: press “Send "
                "reminders” again to send more."
            )
            % {"count": reminded.left},
        )


@_on_collector
def collector_emails(
    request: HttpRequest, round_: Round, collector: Collector
) -> HttpResponse | None:
    if collector.kind != CollectorKind.EMAIL:
        raise Http404
    if "reset" in request.POST:
        invitations.collector_set_emails(collector=collector)
        messages.success(request, _("Invitations and reminders use the platform's texts again."))
        return None
    form = EmailTextsForm(request.POST, collector=collector)
    if not form.is_valid():
        return _round_page(request, round_, can_design=True, text=(collector.pk, form))
    invitations.collector_set_emails(collector=collector, **form.cleaned_data)
    messages.success(request, _("The emails are saved: read them below before sending."))
    return None


@_on_collector
def collector_send_waiting(request: HttpRequest, round_: Round, collector: Collector) -> None:
    try:
        sent = invitations.invitations_send_waiting(
            link_for=_invitation_link(request),
            collector=collector,
            seconds=settings.INVITATION_SEND_SECONDS,
        )
    except SurveyError as error:
        messages.error(request, str(error.message))
        return
    messages.success(request, _("Invitations sent: %(count)d.") % {"count": sent.sent})
    _tell_waiting(request, sent.left)


def _tell_waiting(request: HttpRequest, waiting: int) -> None:
    if waiting:
        messages.warning(
            request,
            _(
                "Waiting to be sent: %(count)d. A request may only last so long: press “Send "
                "the waiting invitations” to send more."
            )
            % {"count": waiting},
        )


@_on_collector
def collector_cancel_waiting(request: HttpRequest, round_: Round, collector: Collector) -> None:
    cancelled = invitations.invitations_cancel_waiting(collector=collector)
    messages.success(request, _("Invitations cancelled: %(count)d.") % {"count": cancelled})


@_on_collector
def collector_forget_addresses(request: HttpRequest, round_: Round, collector: Collector) -> None:
    erased = invitations.invitations_forget_addresses(collector=collector)
    messages.success(request, _("Addresses erased: %(count)d.") % {"count": erased})


@_on_collector
def collector_delete_tries(request: HttpRequest, round_: Round, collector: Collector) -> None:
    try:
        deleted = fieldwork.collector_delete_tries(collector=collector)
    except SurveyError as error:  # not a test link: the page offers no such button
        messages.error(request, str(error.message))
        return
    messages.success(
        request,
        ngettext(
            "%(count)d response of the test link deleted.",
            "%(count)d responses of the test link deleted.",
            deleted,
        )
        % {"count": deleted},
    )


INVALID_SHOWN = 20  # invalid addresses named after sending invitations


def _invitation_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("respond:invitation", args=[token]))


def _entry_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("respond:entry", args=[token]))


@_on_collector
def collector_invite(
    request: HttpRequest, round_: Round, collector: Collector
) -> HttpResponse | None:
    form = InvitationsForm(
        request.POST, request.FILES, prefix=InvitationsForm.prefix_for(collector.pk)
    )
    if not form.is_valid():
        return _round_page(request, round_, can_design=True, invite=(collector.pk, form))
    invalid = form.cleaned_data["invalid"]
    try:
        sent = invitations.invitations_send(
            collector=collector,
            addresses=form.cleaned_data["valid"],
            link_for=_invitation_link(request),
            keep_for_reminders=form.cleaned_data.get("keep_for_reminders", False),
            seconds=settings.INVITATION_SEND_SECONDS,
        )
    except SurveyError as error:  # the mail server failed: the rest of the list waits
        messages.error(request, str(error.message))
    else:
        messages.success(request, invitations.sent_summary(sent, len(invalid)))
        _tell_waiting(request, sent.left)
    if invalid:
        # Named, so that they can be corrected and sent again.
        shown = ", ".join(invalid[:INVALID_SHOWN]) + ("…" if len(invalid) > INVALID_SHOWN else "")
        messages.warning(request, _("Not valid: %(addresses)s") % {"addresses": shown})
    return None


# ------------------------------------------------------------------ reviewing responses


def _with_query(address: str, query: str) -> str:
    return f"{address}?{query}" if query else address


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_in_agency_time
def round_responses(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    """The list; a POST decides for every response it shows (the filters stay in the address)."""
    _access, round_ = _round(request, survey_id, round_id, Action.ANALYSE)
    listed = ResponseFilterForm(request.GET, round_=round_)
    filters = listed.filters()
    query = request.GET.copy()
    query.pop("page", None)
    for_all = ReviewAllForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if listed.errors:  # never decide for a list other than the one the reviewer saw
            messages.error(request, _("Nothing was decided: correct the filters first."))
        elif for_all.is_valid():
            decision = for_all.cleaned_data["decision"]
            try:
                count = review.responses_review_all(
                    decision=decision,
                    note=for_all.cleaned_data["note"],
                    by=request.user,
                    state=for_all.cleaned_data["state"],
                    **filters,
                )
            except SurveyError as error:
                for_all.add_error(None, error.message)
            else:
                messages.success(request, review.decision_for_all_message(decision, count))
                address = reverse("survey:responses", args=[survey_id, round_id])
                return redirect(_with_query(address, query.urlencode()))
    return render(
        request,
        "survey/round_responses.html",
        {
            "round": round_,
            "survey": round_.version.survey,
            "form": listed,
            "page": review.round_responses(
                order=listed.ordering(), page=request.GET.get("page", 1), **filters
            ),
            "query": query.urlencode(),
            "counts": review.review_counts(round_=round_),
            "flag_labels": fieldwork.QUALITY_FLAGS,
            "decided": review.DECIDED,
            "narrow_first": review.NARROW_FIRST,
            # The template writes the list's state as it is now: a form sent back
            # confirms the list the reviewer sees then.
            "selection": review.selection(**filters),
            "for_all": for_all,
        },
        status=400 if listed.errors or for_all.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
@_in_agency_time
def round_responses_csv(request: HttpRequest, survey_id: int, round_id: int) -> HttpResponse:
    """The list as the filters leave it, every page, as a CSV file (streamed: a round can be large)."""
    _access, round_ = _round(request, survey_id, round_id, Action.ANALYSE)
    listed = ResponseFilterForm(request.GET, round_=round_)
    if not listed.is_valid():  # the list's page says what is wrong, with its error summary
        return round_responses(request, survey_id, round_id)
    lines = review.responses_csv(
        zone=timezone.get_current_timezone_name(), order=listed.ordering(), **listed.filters()
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=review.csv_filename(round_, timezone.localdate())
    )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_in_agency_time
def response_review(
    request: HttpRequest, survey_id: int, round_id: int, response_id: int
) -> HttpResponse:
    _access, round_ = _round(request, survey_id, round_id, Action.ANALYSE)
    response = review.response_to_review(round_=round_, response_id=response_id)
    # The list the reviewer came from, in the address: the way back keeps its filters,
    # and the next response awaiting review is the next in it.
    query = request.GET.urlencode()
    listed = ResponseFilterForm(request.GET, round_=round_).filters()
    here = _with_query(reverse("survey:response", args=[survey_id, round_id, response.pk]), query)
    current = getattr(response, "review", None)
    # The reason starts empty: it belongs to the decision it was given for (shown
    # above the form, and in the history), not to the next one.
    initial = {"decision": current.decision} if current else {}
    # Bound on every POST: an empty one is an error to show, not a fresh form.
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if "undo" in request.POST:
            review.response_review_clear(response=response, by=request.user)
            messages.success(request, _("The decision is undone: the response counts as before."))
            return redirect(here)
        if form.is_valid():
            try:
                review.response_review_set(
                    response=response,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except SurveyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, review.decision_message(form.cleaned_data["decision"]))
                return redirect(here)
    return render(
        request,
        "survey/response_review.html",
        {
            "round": round_,
            "survey": round_.version.survey,
            "response": response,
            "current": current,
            "form": form,
            "page": review.review_page(response=response, language=get_language(), listed=listed),
            "query": query,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
