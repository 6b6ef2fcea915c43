"""Designer forms. Multilingual content gets one field per survey language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms import AccessibleForm
from survey import expressions as ex
from survey.checks import answer_keys
from survey.exceptions import SurveyError
from survey.fieldwork import QUALITY_FLAGS, ROUND_CHANGEABLE
from survey.i18n import (
    UN_LANGUAGES,
    is_rtl,
    language_error,
    language_name,
    normalize_language,
)
from survey.interface_texts import MAX_LENGTH as INTERFACE_TEXT_MAX
from survey.interface_texts import (
    as_the_interface_words_it,
    interface_field_name,
    respondent_texts,
    text_problem,
)
from survey.invitations import (
    EMAIL_FIELDS,
    email_language,
    email_text_problems,
    parse_addresses,
)
from survey.links import LABEL_MAX, MAX_LINKS, URL_MAX, link_problem
from survey.models import (
    CHOICE_TYPES,
    CODE_PATTERN,
    ChoiceList,
    Collector,
    CollectorKind,
    Question,
    QuestionType,
    ReviewDecision,
    Round,
    SampleType,
    Section,
    SurveyVersion,
    TargetGroup,
    choice_code_validator,
)
from survey.presets import PRESET_NAMES
from survey.review import ANY_FLAG as REVIEW_ANY_FLAG
from survey.review import DECISIONS_FOR_ALL as REVIEW_DECISIONS_FOR_ALL
from survey.review import NOT_FLAGGED as REVIEW_NOT_FLAGGED
from survey.review import NOTE_MAX_LENGTH as REVIEW_NOTE_MAX_LENGTH
from survey.review import NOTE_NEEDED as REVIEW_NOTE_NEEDED
from survey.review import ORDERS as REVIEW_ORDERS
from survey.review import SHOW_ALL as REVIEW_SHOW_ALL
from survey.review import SHOWS as REVIEW_SHOWS
from survey.serialization import survey_to_dict

TEXT_MAX = 2000
code_field_kwargs = {
    "max_length": 64,
    "validators": [Question._meta.get_field("code").validators[0]],
}


def _language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in UN_LANGUAGES]


def parse_languages(raw: str) -> tuple[list[str], list[str]]:
    """'sw, pt-br' -> (['sw', 'pt-BR'], errors)."""
    codes, errors = [], []
    for part in raw.replace(";", ",").split(","):
        if not part.strip():
            continue
        code = normalize_language(part)
        error = language_error(code)
        if error:
            errors.append(error)
        else:
            codes.append(code)
    return codes, errors


class LanguagesMixin:
    """The six UN languages as tick boxes, any other BCP 47 code typed in."""

    def add_language_fields(self, initial: list[str] | None = None, default: str = "") -> None:
        initial = initial or []
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Languages of the questionnaire"),
            choices=_language_choices(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[c for c in initial if c in UN_LANGUAGES],
        )
        self.fields["other_languages"] = forms.CharField(
            label=_("Other languages"),
            help_text=_("Language codes separated by commas, for example sw, pt-BR, qu."),
            required=False,
            max_length=200,
            initial=", ".join(c for c in initial if c not in UN_LANGUAGES),
        )
        self.fields["default_language"] = forms.CharField(
            label=_("Default language"),
            help_text=_("Shown when a text is missing in the respondent's language."),
            max_length=35,
            initial=default or "en",
        )

    def clean_languages_fields(self, cleaned: dict[str, Any]) -> None:
        others, errors = parse_languages(cleaned.get("other_languages") or "")
        for error in errors:
            self.add_error("other_languages", error)
        default = normalize_language(cleaned.get("default_language") or "")
        error = language_error(default)
        if error:
            self.add_error("default_language", error)
        languages = list(dict.fromkeys([default, *cleaned.get("languages", []), *others]))
        cleaned["language_list"] = languages
        cleaned["default_language"] = default


def add_text_fields(
    form: forms.Form,
    base: str,
    label: Any,
    languages: list[str],
    *,
    initial: dict[str, str] | None = None,
    multiline: bool = False,
    help_text: Any = "",
    max_length: int = TEXT_MAX,
) -> None:
    initial = initial or {}
    for code in languages:
        attrs = {"lang": code, "dir": "rtl" if is_rtl(code) else "ltr"}
        widget = forms.Textarea(attrs={**attrs, "rows": 3}) if multiline else forms.TextInput(attrs)
        form.fields[f"{base}__{code}"] = forms.CharField(
            label=f"{label} ({language_name(code)})",
            required=False,
            max_length=max_length,
            widget=widget,
            initial=initial.get(code, ""),
            help_text=help_text if code == languages[0] else "",
        )


def texts_from(cleaned: dict[str, Any], base: str, languages: list[str]) -> dict[str, str]:
    return {code: cleaned.get(f"{base}__{code}") or "" for code in languages}


def validate_expression(
    form: forms.Form, name: str, version: SurveyVersion, *, allow_current: bool = False
) -> str:
    """Parse and check the codes of one logic field; errors go next to the field."""
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        return ""
    try:
        node = ex.parse(text)
    except ex.ExpressionError as error:
        raise forms.ValidationError(
            _("%(error)s (at character %(position)d)"),
            code="syntax",
            params={"error": error.message, "position": error.position + 1},
        ) from None
    known = answer_keys(survey_to_dict(version))
    unknown = sorted(ex.references(node) - set(known))
    if unknown:
        raise forms.ValidationError(
            _("No question has the code %(codes)s."),
            code="unknown_code",
            params={"codes": ", ".join(unknown)},
        )
    if ex.uses_current(node) and not allow_current:
        raise forms.ValidationError(
            _("“.” means the answer being checked; use it only in a constraint."),
            code="current",
        )
    return text


class SurveyCreateForm(LanguagesMixin, AccessibleForm):
    name = forms.CharField(
        label=_("Working name"),
        max_length=200,
        help_text=_("Seen by your agency only, for example “Awareness baseline 2026”."),
    )
    title = forms.CharField(
        label=_("Title shown to respondents"),
        max_length=TEXT_MAX,
        help_text=_("In the default language; add the other languages afterwards."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_language_fields(initial=["en"], default="en")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_languages_fields(cleaned)
        return cleaned


class DuplicateForm(AccessibleForm):
    name = forms.CharField(label=_("Working name of the copy"), max_length=200)


class VersionSettingsForm(LanguagesMixin, AccessibleForm):
    TEXTS = ("title", "intro", "thank_you")

    def __init__(self, *args: Any, version: SurveyVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        langs = version.languages
        add_text_fields(self, "title", _("Title"), langs, initial=version.title)
        add_text_fields(
            self, "intro", _("Introduction"), langs, initial=version.intro, multiline=True
        )
        add_text_fields(
            self,
            "thank_you",
            _("Thank-you message"),
            langs,
            initial=version.thank_you,
            multiline=True,
            help_text=_("Shown after the last page: say what people can do for biodiversity."),
        )
        self._add_link_fields(version.thank_you_links, langs)
        self.add_language_fields(initial=langs, default=version.default_language)

    def _add_link_fields(self, links: list[dict[str, Any]], langs: list[str]) -> None:
        """The stored links and two empty rows (up to MAX_LINKS): it works without JavaScript."""
        self.link_rows = min(MAX_LINKS, len(links) + 2)
        for number in range(1, self.link_rows + 1):
            link = links[number - 1] if number <= len(links) else {"url": "", "label": {}}
            self.fields[f"link_{number}_url"] = forms.CharField(
                label=_("Link %(number)d: web address") % {"number": number},
                required=False,
                max_length=URL_MAX,
                initial=link["url"],
                widget=forms.URLInput(attrs={"dir": "ltr", "spellcheck": "false"}),
                help_text=_("For example https://www.cbd.int/ or your ministry's page.")
                if number == 1
                else "",
            )
            add_text_fields(
                self,
                f"link_{number}_label",
                _("Link %(number)d: text") % {"number": number},
                langs,
                initial=link["label"],
                max_length=LABEL_MAX,
            )

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.split("__")[0] in self.TEXTS]

    @property
    def link_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        """(number, its fields): each link is one fieldset on the page."""
        return [
            (n, [self[name] for name in self.fields if name.startswith(f"link_{n}_")])
            for n in range(1, self.link_rows + 1)
        ]

    @property
    def language_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("languages", "other_languages", "default_language")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_languages_fields(cleaned)
        langs = self.version.languages
        for base in self.TEXTS:
            cleaned[base] = texts_from(cleaned, base, langs)
        cleaned["thank_you_links"] = self._clean_links(cleaned, langs)
        return cleaned

    def _clean_links(self, cleaned: dict[str, Any], langs: list[str]) -> list[dict[str, Any]]:
        """Rows with an address become links; an empty row is no link, a text alone an error."""
        default = self.version.default_language
        links = []
        for number in range(1, self.link_rows + 1):
            url_field = f"link_{number}_url"
            url = (cleaned.get(url_field) or "").strip()
            label = texts_from(cleaned, f"link_{number}_label", langs)
            if not url:
                if any(text.strip() for text in label.values()):
                    self.add_error(
                        url_field,
                        _("Give the address of this link, or clear its texts to remove it."),
                    )
                continue
            problem = link_problem(url)
            if problem:
                self.add_error(url_field, problem)
                continue
            if not label.get(default, "").strip():
                self.add_error(
                    f"link_{number}_label__{default}",
                    _("Give the text of this link in %(language)s.")
                    % {"language": language_name(default)},
                )
                continue
            links.append({"url": url, "label": label})
        return links


class SectionForm(AccessibleForm):
    code = forms.CharField(label=_("Code"), **code_field_kwargs)
    relevance = forms.CharField(
        label=_("Show this page only when"),
        required=False,
        max_length=ex.MAX_LENGTH,
        help_text=_("An expression, for example ${aware} = 'yes'. Leave empty to always show."),
        widget=forms.TextInput(attrs={"class": "logic", "dir": "ltr", "spellcheck": "false"}),
    )

    def __init__(
        self, *args: Any, version: SurveyVersion, section: Section | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.section = section
        add_text_fields(
            self,
            "title",
            _("Page title"),
            version.languages,
            initial=section.title if section else {},
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = self.version.sections.filter(code=code)
        if self.section is not None:
            clash = clash.exclude(pk=self.section.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another page already has this code."), code="duplicate")
        return code

    def clean_relevance(self) -> str:
        return validate_expression(self, "relevance", self.version)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["title"] = texts_from(cleaned, "title", self.version.languages)
        return cleaned


def _logic_field(label: str, help_text: str) -> forms.CharField:
    """An optional expression field, typed left to right and checked as it is typed."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=ex.MAX_LENGTH,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "logic", "dir": "ltr", "spellcheck": "false"}),
    )


class QuestionForm(AccessibleForm):
    section = forms.ModelChoiceField(label=_("Page"), queryset=Section.objects.none())
    code = forms.CharField(
        label=_("Code"),
        help_text=_(
            "A stable name for answers, exports and indicators, such as aware_biodiversity."
        ),
        **code_field_kwargs,
    )
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    relevance = _logic_field(
        _("Show this question only when"),
        _("For example ${aware} != 'never_heard'. Leave empty to always show."),
    )
    constraint = _logic_field(
        _("Accept the answer only when"),
        _("Use . for the answer, for example . >= 16 and . <= 120."),
    )
    choice_filter = _logic_field(
        _("Offer only the choices where"),
        _("Compare a filter column of the choices with an answer: region = ${region}."),
    )
    calculation = _logic_field(
        _("Calculation"), _("For calculated values, for example count-selected(${steps}).")
    )
    default = forms.CharField(
        label=_("Default value"),
        required=False,
        max_length=200,
        help_text=_("For hidden values."),
    )
    appearance = forms.CharField(
        label=_("Appearance"),
        required=False,
        max_length=100,
        help_text=_(
            "As in XLSForm. For a single choice, minimal shows the options as a drop-down "
            "list: for long lists, such as districts or countries."
        ),
    )
    choice_list = forms.ModelChoiceField(
        label=_("Choices"),
        queryset=ChoiceList.objects.none(),
        required=False,
        help_text=_(
            "Yes/no and agreement-scale questions get a ready-made list if you leave this empty."
        ),
    )
    rows_list = forms.ModelChoiceField(
        label=_("Matrix rows"), queryset=ChoiceList.objects.none(), required=False
    )
    minimum = forms.DecimalField(
        label=_("Minimum"), required=False, max_digits=18, decimal_places=6
    )
    maximum = forms.DecimalField(
        label=_("Maximum"), required=False, max_digits=18, decimal_places=6
    )
    min_date = forms.DateField(label=_("Earliest date"), required=False)
    max_date = forms.DateField(label=_("Latest date"), required=False)
    max_length = forms.IntegerField(
        label=_("Maximum length in characters"), required=False, min_value=1, max_value=20000
    )
    other = forms.BooleanField(label=_("Add “Other, please specify”"), required=False)
    ranks = forms.IntegerField(
        label=_("How many to rank"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Leave empty to rank every option; 3 asks for the three put first."),
    )
    randomize = forms.BooleanField(
        label=_("Show the choices in random order"),
        required=False,
        help_text=_("Choices marked “keep in place”, such as “Don't know”, stay where they are."),
    )

    def __init__(
        self, *args: Any, version: SurveyVersion, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None and not kwargs.get("initial"):
            kwargs["initial"] = question_initial(question)
        super().__init__(*args, **kwargs)
        self.version = version
        self.question = question
        self.fields["section"].queryset = version.sections.order_by("order", "pk")
        lists = version.choice_lists.order_by("name")
        self.fields["choice_list"].queryset = lists
        self.fields["rows_list"].queryset = lists
        langs = version.languages
        initial = question or Question()
        add_text_fields(
            self, "text", _("Question text"), langs, initial=initial.text, multiline=True
        )
        add_text_fields(self, "hint", _("Hint"), langs, initial=initial.hint)
        add_text_fields(
            self,
            "required_message",
            _("Message when not answered"),
            langs,
            initial=initial.required_message,
        )
        add_text_fields(
            self,
            "constraint_message",
            _("Message when not accepted"),
            langs,
            initial=initial.constraint_message,
        )
        settings = initial.settings or {}
        add_text_fields(
            self,
            "low_label",
            _("Label of the lowest rating"),
            langs,
            initial=settings.get("low_label"),
        )
        add_text_fields(
            self,
            "high_label",
            _("Label of the highest rating"),
            langs,
            initial=settings.get("high_label"),
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = self.version.questions.filter(code=code)
        if self.question is not None:
            clash = clash.exclude(pk=self.question.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Another question already has this code."), code="duplicate"
            )
        return code

    def clean_relevance(self) -> str:
        return validate_expression(self, "relevance", self.version)

    def clean_constraint(self) -> str:
        return validate_expression(self, "constraint", self.version, allow_current=True)

    def clean_choice_filter(self) -> str:
        return validate_expression(self, "choice_filter", self.version)

    def clean_calculation(self) -> str:
        return validate_expression(self, "calculation", self.version)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        qtype = cleaned.get("type")
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum",
                forms.ValidationError(
                    _("The maximum must not be below the minimum."), code="range"
                ),
            )
        if qtype in {
            QuestionType.SINGLE,
            QuestionType.MULTIPLE,
            QuestionType.RANKING,
            QuestionType.MATRIX,
        } and not cleaned.get("choice_list"):
            self.add_error(
                "choice_list",
                forms.ValidationError(_("Choose the list of choices to offer."), code="required"),
            )
        if qtype == QuestionType.MATRIX and not cleaned.get("rows_list"):
            self.add_error(
                "rows_list", forms.ValidationError(_("Choose the list of rows."), code="required")
            )
        if qtype == QuestionType.CALCULATE and not cleaned.get("calculation"):
            self.add_error(
                "calculation",
                forms.ValidationError(
                    _("A calculated value needs a calculation."), code="required"
                ),
            )
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned form, shaped as `survey.services.question_save` takes it."""
        data = self.cleaned_data
        langs = self.version.languages
        qtype = data["type"]
        settings: dict[str, Any] = {}
        if qtype in {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING}:
            for key, name in (("min", "minimum"), ("max", "maximum")):
                if data.get(name) is not None:
                    value = data[name]
                    settings[key] = (
                        int(value) if value == value.to_integral_value() else float(value)
                    )
        if qtype == QuestionType.DATE:
            for key, name in (("min", "min_date"), ("max", "max_date")):
                if data.get(name):
                    settings[key] = data[name].isoformat()
        if qtype in {QuestionType.TEXT, QuestionType.LONG_TEXT} and data.get("max_length"):
            settings["max_length"] = data["max_length"]
        if qtype in {QuestionType.SINGLE, QuestionType.MULTIPLE} and data.get("other"):
            settings["other"] = True
        if qtype == QuestionType.RANKING and data.get("ranks"):
            settings["max"] = data["ranks"]
        if qtype in {
            QuestionType.SINGLE,
            QuestionType.MULTIPLE,
            QuestionType.RANKING,
            QuestionType.MATRIX,
        } and data.get("randomize"):
            settings["randomize"] = True
        if qtype == QuestionType.RATING:
            for key in ("low_label", "high_label"):
                texts = {k: v for k, v in texts_from(data, key, langs).items() if v.strip()}
                if texts:
                    settings[key] = texts
        uses_list = qtype in CHOICE_TYPES
        return {
            "code": data["code"],
            "type": qtype,
            "text": texts_from(data, "text", langs),
            "hint": texts_from(data, "hint", langs),
            "required": data.get("required", False),
            "required_message": texts_from(data, "required_message", langs),
            "relevance": data.get("relevance", ""),
            "constraint": data.get("constraint", ""),
            "constraint_message": texts_from(data, "constraint_message", langs),
            "choice_filter": data.get("choice_filter", "") if uses_list else "",
            "calculation": data.get("calculation", "") if qtype == QuestionType.CALCULATE else "",
            "default": data.get("default", "") if qtype == QuestionType.HIDDEN else "",
            "appearance": data.get("appearance", ""),
            "choice_list": data.get("choice_list") if uses_list else None,
            "rows_list": data.get("rows_list") if qtype == QuestionType.MATRIX else None,
            "settings": settings,
        }


def question_initial(question: Question) -> dict[str, Any]:
    settings = question.settings or {}
    initial = {
        "section": question.section_id,
        "code": question.code,
        "type": question.type,
        "required": question.required,
        "relevance": question.relevance,
        "constraint": question.constraint,
        "choice_filter": question.choice_filter,
        "calculation": question.calculation,
        "default": question.default,
        "appearance": question.appearance,
        "choice_list": question.choice_list_id,
        "rows_list": question.rows_list_id,
        "max_length": settings.get("max_length"),
        "other": settings.get("other", False),
        "randomize": settings.get("randomize", False),
    }
    if question.type == QuestionType.DATE:
        initial["min_date"], initial["max_date"] = settings.get("min"), settings.get("max")
    elif question.type == QuestionType.RANKING:
        initial["ranks"] = settings.get("max")
    else:
        initial["minimum"], initial["maximum"] = settings.get("min"), settings.get("max")
    return initial


class ChoiceListForm(AccessibleForm):
    name = forms.CharField(
        label=_("List name"),
        help_text=_("A code such as agree5 or regions."),
        max_length=64,
        validators=code_field_kwargs["validators"],
    )

    def __init__(
        self,
        *args: Any,
        version: SurveyVersion,
        choice_list: ChoiceList | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.choice_list = choice_list

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        clash = self.version.choice_lists.filter(name=name)
        if self.choice_list is not None:
            clash = clash.exclude(pk=self.choice_list.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another list already has this name."), code="duplicate")
        return name


class PresetForm(AccessibleForm):
    preset = forms.ChoiceField(label=_("Ready-made list"), choices=list(PRESET_NAMES.items()))


class ChoiceForm(AccessibleForm):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("Stored in the answers, for example heard_know or 1."),
        max_length=64,
        validators=[choice_code_validator],
    )
    exclusive = forms.BooleanField(label=_("Exclusive (“None of these”)"), required=False)
    anchored = forms.BooleanField(label=_("Keep in place when shuffled"), required=False)
    properties = forms.CharField(
        label=_("Filter columns"),
        required=False,
        max_length=1000,
        help_text=_("One per line, as column=value, for example region=north."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
    )

    def __init__(
        self, *args: Any, choice_list: ChoiceList, choice: Any = None, **kwargs: Any
    ) -> None:
        if choice is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "code": choice.code,
                "exclusive": choice.exclusive,
                "anchored": choice.anchored,
                "properties": "\n".join(f"{k}={v}" for k, v in choice.properties.items()),
            }
        super().__init__(*args, **kwargs)
        self.choice_list = choice_list
        self.choice = choice
        add_text_fields(
            self,
            "label",
            _("Label"),
            choice_list.version.languages,
            initial=choice.label if choice else {},
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = self.choice_list.choices.filter(code=code)
        if self.choice is not None:
            clash = clash.exclude(pk=self.choice.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Another choice in this list has this code."), code="duplicate"
            )
        return code

    def clean_properties(self) -> dict[str, str]:
        properties = {}
        for line in (self.cleaned_data.get("properties") or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            key = key.strip()
            if not sep or not re.match(CODE_PATTERN, key):
                raise forms.ValidationError(
                    _("Write each filter column as column=value (got “%(line)s”)."),
                    code="invalid",
                    params={"line": line.strip()[:50]},
                )
            properties[key] = value.strip()
        return properties

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "label": texts_from(data, "label", self.choice_list.version.languages),
            "exclusive": data.get("exclusive", False),
            "anchored": data.get("anchored", False),
            "properties": data.get("properties") or {},
        }


class XLSFormUploadForm(AccessibleForm):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_("Exported from KoboToolbox, ODK, SurveyCTO or Ona, or written in Excel."),
    )
    name = forms.CharField(
        label=_("Working name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form title."),
    )

    def clean_file(self) -> bytes:
        from survey.xlsform import max_upload_bytes

        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                code="too_large",
                params={
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": round(limit / 1024 / 1024, 1),
                },
            )
        return upload.read()


class TranslationSheetForm(AccessibleForm):
    file = forms.FileField(
        label=_("Translated sheet (.xlsx)"),
        help_text=_("Only the texts change. Empty cells leave the current text as it is."),
    )

    def clean_file(self) -> bytes:
        from survey.xlsform import max_upload_bytes

        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                code="too_large",
                params={
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": round(max_upload_bytes() / 1024 / 1024, 1),
                },
            )
        return upload.read()


def _moment(label: Any, *, required: bool) -> forms.DateTimeField:
    """A date and time in the browser's own picker.

    The picker reads and writes only "2026-05-22T09:00": in Django's default
    format (a space, seconds) the stored dates shown for changing a round
    would leave it empty.
    """
    picker = "%Y-%m-%dT%H:%M"
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=picker),
        input_formats=[picker, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class RoundForm(AccessibleForm):
    label = forms.CharField(
        label=_("Label"), max_length=200, help_text=_("For example “Baseline, May 2026”.")
    )
    opens_at = _moment(_("Opens"), required=False)
    closes_at = _moment(_("Closes"), required=False)
    sample_type = forms.ChoiceField(
        label=_("Sample"), choices=SampleType.choices, initial=SampleType.OPEN
    )
    target_responses = forms.IntegerField(
        label=_("Target number of responses"), required=False, min_value=1, max_value=10_000_000
    )
    stop_at_target = forms.BooleanField(
        label=_("Stop new starts once the target is reached"),
        required=False,
        help_text=_(
            "Those who already began can still finish, so the count can pass the target by a few."
        ),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"),
        required=False,  # left empty: the model's default
        initial=120,
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_("People already answering may finish this long after a pause or the close."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = _("Times are in the %(zone)s time zone.") % {"zone": get_current_timezone_name()}
        self.fields["opens_at"].help_text = zone
        self.fields["closes_at"].help_text = zone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at",
                forms.ValidationError(_("The round must close after it opens."), code="range"),
            )
        stops = cleaned.get("stop_at_target")
        if stops and not cleaned.get("target_responses") and "target_responses" not in self.errors:
            self.add_error(
                "target_responses",
                forms.ValidationError(
                    _("Set the target the round should stop at."), code="required"
                ),
            )
        return cleaned


class RoundChangeForm(RoundForm):
    """The same fields less the sample type, which the round's analysis already relies on."""

    opens_at = _moment(_("Opens"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["sample_type"]
        self.fields["grace_minutes"].required = True

    @classmethod
    def for_round(cls, round_: Round, data: Any = None) -> RoundChangeForm:
        return cls(
            data,
            prefix="change",
            initial={name: getattr(round_, name) for name in ROUND_CHANGEABLE},
        )


RESPONSE_LIMIT_MAX = 10_000_000


def response_limit_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Stop after this many completed responses"),
        min_value=1,
        max_value=RESPONSE_LIMIT_MAX,
        required=False,
        help_text=_(
            "Empty: no limit. For a quota sample, or to keep one channel from outweighing "
            "the others. People who have already begun can still finish, so the count can "
            "pass it by a few."
        ),
    )


class CollectorForm(AccessibleForm):
    name = forms.CharField(
        label=pgettext_lazy("the name of a thing, not a person", "Name"),
        max_length=200,
        help_text=_("For example “Instagram campaign” or “Schools in Region X”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CollectorKind.choices,
        help_text=_(
            "A staff test link works before the round opens and while it is paused; "
            "what is sent through it is left out of the results."
        ),
    )
    preset_target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", "—"), *TargetGroup.choices], required=False
    )
    preset_language = forms.ChoiceField(label=_("Language"), required=False)
    challenge = forms.BooleanField(label=_("Ask a simple sum to keep robots out"), required=False)
    response_limit = response_limit_field()

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset_language"].choices = [
            ("", "—"),
            *[(c, language_name(c)) for c in languages],
        ]


class CollectorLimitForm(AccessibleForm):
    response_limit = response_limit_field()

    @staticmethod
    def prefix_for(collector_id: int) -> str:
        return f"limit-{collector_id}"


class CollectorNameForm(AccessibleForm):
    name = forms.CharField(
        label=pgettext_lazy("the name of a thing, not a person", "Name"), max_length=200
    )

    @staticmethod
    def prefix_for(collector_id: int) -> str:
        return f"name-{collector_id}"


class EmailTextsForm(AccessibleForm):
    """An email collector's own invitation and reminder, in the language its emails go in."""

    invitation_subject = forms.CharField(
        label=_("Subject of the invitation"), max_length=200, required=False
    )
    invitation_body = forms.CharField(
        label=_("Text of the invitation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "{link} becomes each person's own link and {title} the survey's title. A line "
            "to ask for no more emails is added at the end of every email."
        ),
    )
    reminder_subject = forms.CharField(
        label=_("Subject of the reminder"), max_length=200, required=False
    )
    reminder_body = forms.CharField(
        label=_("Text of the reminder"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "{link} becomes the person's new link, which replaces the one in the earlier "
            "email: say so. Leave an email's two fields empty to use the platform's."
        ),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, collector: Collector) -> None:
        """The collector's saved texts, under its own prefix, in the language its emails go in."""
        super().__init__(
            data,
            prefix=f"text-{collector.pk}",
            initial={name: getattr(collector, name) for name in EMAIL_FIELDS},
        )
        language = email_language(collector)
        for field in self.fields.values():
            field.widget.attrs.update({"lang": language, "dir": "auto"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            for field, message in email_text_problems(**data).items():
                self.add_error(field, message)
        return data


class InvitationsForm(AccessibleForm):
    addresses = forms.CharField(
        label=_("Email addresses"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
        help_text=_("One per line, or separated by commas."),
    )
    file = forms.FileField(label=_("Or a CSV or XLSX file of addresses"), required=False)
    keep_for_reminders = forms.BooleanField(
        label=_("Keep the addresses to send reminders"),
        required=False,
        help_text=_(
            "Reminders go only to people who have not answered. An address is erased when "
            "its person answers, when the round closes or when you erase the kept addresses. "
            "Without this, only a hash of each address is kept once the email is sent."
        ),
    )

    MAX_FILE_BYTES = 2 * 1024 * 1024

    @staticmethod
    def prefix_for(collector_id: int) -> str:
        return f"invite-{collector_id}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > self.MAX_FILE_BYTES:
            self.add_error(
                "file",
                _("The file is larger than %(size)d MB: split it, or keep only the addresses.")
                % {"size": self.MAX_FILE_BYTES // (1024 * 1024)},
            )
        pasted = (data.get("addresses") or "").strip()
        if not pasted and upload is None and not self.errors:
            raise forms.ValidationError(_("Paste email addresses or choose a file."))
        if self.errors:
            return data
        try:
            data["valid"], data["invalid"] = parse_addresses(
                pasted, upload.read() if upload else None, upload.name if upload else ""
            )
        except SurveyError as error:
            self.add_error("file", error.message)
            return data
        if not data["valid"]:  # said next to what was given: the file when only a file was
            field = "file" if upload and not pasted else "addresses"
            self.add_error(field, _("No valid email address was found."))
        return data


class InterfaceTextsForm(AccessibleForm):
    """The platform's words for respondents in one national language, one field per text.

    Each field is labelled with what respondents read today (the interface
    language the survey falls back on), so a translator works from French in
    Senegal, not from English.
    """

    def __init__(
        self,
        *args: Any,
        saved: Mapping[str, str],
        language: str,
        fallback_language: str,
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {interface_field_name(msgid): text for msgid, text in saved.items()}
        super().__init__(*args, **kwargs)
        self.texts = {interface_field_name(text.msgid): text for text in respondent_texts()}
        shown = as_the_interface_words_it(fallback_language)
        english = as_the_interface_words_it("en")
        direction = "rtl" if is_rtl(language) else "ltr"
        for name, text in self.texts.items():
            long = "\n" in text.msgid or len(text.msgid) > 90
            widget = (
                forms.Textarea(attrs={"rows": 6 if "\n" in text.msgid else 3})
                if long
                else forms.TextInput()
            )
            widget.attrs.update({"lang": language, "dir": direction})
            help_parts = []
            if fallback_language != "en":
                help_parts.append(
                    format_html(
                        '{}: <span lang="en" dir="ltr">{}</span>',
                        language_name("en"),
                        english[text.msgid],
                    )
                )
            if text.plural:
                help_parts.append(str(_("One text for every number.")))
            self.fields[name] = forms.CharField(
                label=format_html(
                    '<span lang="{}" dir="{}" class="source-text">{}</span>',
                    fallback_language,
                    "rtl" if is_rtl(fallback_language) else "ltr",
                    shown[text.msgid],
                ),
                required=False,
                max_length=INTERFACE_TEXT_MAX,
                strip=True,
                widget=widget,
                help_text=mark_safe(" · ".join(str(part) for part in help_parts)),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, text in self.texts.items():
            value = cleaned.get(name) or ""
            if not value:
                continue
            problem = text_problem(text.msgid, value)
            if problem:
                self.add_error(name, forms.ValidationError(problem, code="placeholder"))
        return cleaned

    def translations(self) -> dict[str, str]:
        """{msgid: text} of the filled fields."""
        return {
            text.msgid: self.cleaned_data[name]
            for name, text in self.texts.items()
            if self.cleaned_data.get(name)
        }


class ReviewForm(AccessibleForm):
    """The agency's decision on one complete response (the rule itself: survey.review)."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=REVIEW_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to leave a response out. For example: “finished in 40 seconds, "
            "every answer the first option”."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == ReviewDecision.LEAVE_OUT and not data.get("note", "").strip():
            self.add_error(
                "note",
                forms.ValidationError(REVIEW_NOTE_NEEDED, code="required"),
            )
        return data


class ReviewAllForm(ReviewForm):
    """One decision for every response the list's filters leave (survey.review.responses_review_all)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=list(REVIEW_DECISIONS_FOR_ALL.items()),
        widget=forms.RadioSelect,
    )
    # survey.review.selection's state when the page was read; missing, the list counts as changed.
    state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _(
            "Required to leave responses out, and kept with each of them. For example: "
            "“sent by our staff testing the link before the launch”."
        )


NO_TARGET_GROUP = "none"  # a filter value: responses through no preset target group


class ResponseFilterForm(AccessibleForm):
    """Which of a round's complete responses to list; a value that is not offered is an error."""

    show = forms.ChoiceField(label=_("Show"), choices=list(REVIEW_SHOWS.items()), required=False)
    collector = forms.TypedChoiceField(
        label=_("Collector"), coerce=int, empty_value=None, required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    target_group = forms.ChoiceField(
        label=_("Target group"),
        choices=[
            ("", _("All target groups")),
            (NO_TARGET_GROUP, _("No target group set")),
            *TargetGroup.choices,
        ],
        required=False,
    )
    flag = forms.ChoiceField(
        label=_("Quality flag"),
        choices=[
            ("", _("Flagged or not")),
            (REVIEW_ANY_FLAG, _("Any flag")),
            *QUALITY_FLAGS.items(),
            (REVIEW_NOT_FLAGGED, _("Not flagged")),
        ],
        required=False,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[(name, label) for name, (label, _ordering) in REVIEW_ORDERS.items()],
        required=False,
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round_ = round_
        self.fields["collector"].choices = [
            ("", _("All collectors")),
            *[(c.pk, c.name) for c in round_.collectors.order_by("name", "pk")],
        ]
        self.fields["language"].choices = [
            ("", _("All languages")),
            *[(code, language_name(code)) for code in round_.version.languages],
        ]

    def _chosen(self, name: str) -> Any:
        """A value offered and chosen; None for one not offered, which is shown as an error
        while the list is still narrowed by the values that are valid."""
        self.is_valid()
        return None if name in self.errors else self.cleaned_data.get(name)

    def filters(self) -> dict[str, Any]:
        """The list's filters, the round's included (survey.review's `filters`)."""
        group = self._chosen("target_group") or None
        return {
            "round_": self.round_,
            "show": self._chosen("show") or REVIEW_SHOW_ALL,
            "collector_id": self._chosen("collector"),
            "language": self._chosen("language") or "",
            # None: every target group; "": the responses through none.
            "target_group": "" if group == NO_TARGET_GROUP else group,
            "flag": self._chosen("flag") or "",
        }

    def ordering(self) -> str:
        return self._chosen("order") or "newest"
