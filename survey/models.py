"""Questionnaires: a survey, its versions, and each version's sections, questions and choices.

Survey content in many languages is data: every text field is a JSON object
`{language: text}` read through `survey.i18n.text_for`. Interface text is gettext.

A published version is frozen. The services refuse to change it, and the
models below refuse too, whatever path a write takes (save, delete, queryset
update or delete, bulk create, the admin), so that responses always point at
exactly the questions they answered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Agency
from survey.exceptions import VersionLocked

CODE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
code_validator = RegexValidator(
    CODE_PATTERN,
    _(
        "Use a letter or _ first, then letters, digits or _ (at most 64 characters), "
        "for example aware_biodiversity."
    ),
    code="invalid_code",
)


# Choice codes may start with a digit (Likert points 1..5), as XLSForm allows.
CHOICE_CODE_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"
choice_code_validator = RegexValidator(
    CHOICE_CODE_PATTERN,
    _("Use letters, digits, _, . or - only (at most 64 characters)."),
    code="invalid_code",
)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT = "likert", _("Agreement scale (Likert)")
    RATING = "rating", _("Rating 0–10")
    YES_NO = "yes_no", _("Yes / no")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    DATE = "date", _("Date")
    RANKING = "ranking", _("Ranking")
    MATRIX = "matrix", _("Matrix (rows sharing one scale)")
    NOTE = "note", _("Note (display only)")
    CALCULATE = "calculate", _("Calculated value")
    HIDDEN = "hidden", _("Hidden value")


CHOICE_TYPES = {
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.LIKERT,
    QuestionType.YES_NO,
    QuestionType.RANKING,
    QuestionType.MATRIX,
}
NUMBER_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING}
TEXT_TYPES = {QuestionType.TEXT, QuestionType.LONG_TEXT}
NO_ANSWER_TYPES = {QuestionType.NOTE}
COMPUTED_TYPES = {QuestionType.CALCULATE, QuestionType.HIDDEN}
# The types whose "other" setting offers "Other, please specify".
OTHER_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}


# ----------------------------------------------------------------- frozen guard


def _locked_versions(version_ids: set[int]) -> bool:
    return (
        SurveyVersion.objects.filter(pk__in=version_ids)
        .exclude(status=VersionStatus.DRAFT)
        .exists()
    )


class VersionContentQuerySet(models.QuerySet):
    """Refuses bulk writes that would touch a published or retired version."""

    version_path = "version"

    def _touches_locked(self) -> bool:
        return (
            self.exclude(**{f"{self.version_path}__status": VersionStatus.DRAFT})
            .values("pk")
            .exists()
        )

    def update(self, **kwargs: Any) -> int:
        if self._touches_locked():
            raise VersionLocked
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_locked():
            raise VersionLocked
        return super().delete()

    def _version_ids(self, objs: list[Any]) -> set[int]:
        return {obj.version_id for obj in objs}

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        if _locked_versions(self._version_ids(objs)):
            raise VersionLocked
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        if _locked_versions(self._version_ids(objs)):
            raise VersionLocked
        return super().bulk_update(objs, *args, **kwargs)


class ChoiceQuerySet(VersionContentQuerySet):
    version_path = "choice_list__version"

    def _version_ids(self, objs: list[Any]) -> set[int]:
        list_ids = {obj.choice_list_id for obj in objs}
        return set(ChoiceList.objects.filter(pk__in=list_ids).values_list("version_id", flat=True))


class VersionContent(models.Model):
    """Anything that belongs to a version: writable only while the version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._guard()
        return super().delete(*args, **kwargs)

    @property
    def owning_version_id(self) -> int:
        return self.version_id  # type: ignore[attr-defined]

    def _guard(self) -> None:
        if _locked_versions({self.owning_version_id}):
            raise VersionLocked


# ----------------------------------------------------------------------- models


class Survey(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("agency")
    )
    name = models.CharField(
        _("working name"),
        max_length=200,
        help_text=_("Seen by your agency only, for example “Awareness baseline 2026”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="versions", verbose_name=_("survey")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    thank_you = models.JSONField(_("thank-you message"), default=dict, blank=True)
    # [{"url": ..., "label": {language: text}}]: see survey.links.
    thank_you_links = models.JSONField(_("thank-you links"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    default_language = models.CharField(_("default language"), max_length=35)
    # {language: {msgid: text}}: the platform's words for respondents in a language
    # the interface is not translated into (survey.interface_texts).
    interface_texts = models.JSONField(_("platform texts"), default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    # Fields that may still change once a version is published.
    LIFECYCLE_FIELDS = frozenset({"status", "retired_at"})

    class Meta:
        ordering = ["survey", "-number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["survey"],
                condition=models.Q(status="draft"),
                name="version_one_draft_per_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = SurveyVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
            stored_status = stored.first()
            if stored_status is not None and stored_status != VersionStatus.DRAFT:
                fields = kwargs.get("update_fields")
                if fields is None or not set(fields) <= self.LIFECYCLE_FIELDS:
                    raise VersionLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if not self.is_draft:
            raise VersionLocked
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Section(VersionContent):
    """A page of the questionnaire."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    order = models.PositiveIntegerField(default=0)
    title = models.JSONField(_("title"), default=dict, blank=True)
    relevance = models.TextField(_("show this page only when"), blank=True)

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="section_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class ChoiceList(VersionContent):
    """A list of answer options, shared by any number of questions (as in XLSForm)."""

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="choice_lists"
    )
    name = models.CharField(_("list name"), max_length=64, validators=[code_validator])

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "name"]
        verbose_name = _("choice list")
        verbose_name_plural = _("choice lists")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="choicelist_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Choice(VersionContent):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=64, validators=[choice_code_validator])
    order = models.PositiveIntegerField(default=0)
    label = models.JSONField(_("label"), default=dict, blank=True)
    exclusive = models.BooleanField(
        _("exclusive"),
        default=False,
        help_text=_("“None of these”: cannot be combined with other answers."),
    )
    anchored = models.BooleanField(
        _("keep in place"),
        default=False,
        help_text=_("Keeps its position when the order is randomised, like “Don't know”."),
    )
    properties = models.JSONField(
        _("filter columns"),
        default=dict,
        blank=True,
        help_text=_("Values that choice filters can test, such as region=north."),
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["choice_list", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["choice_list", "code"], name="choice_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def owning_version_id(self) -> int:
        return ChoiceList.objects.values_list("version_id", flat=True).get(pk=self.choice_list_id)


class Question(VersionContent):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=64, validators=[code_validator])
    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    order = models.PositiveIntegerField(default=0)
    text = models.JSONField(_("question text"), default=dict, blank=True)
    hint = models.JSONField(_("hint"), default=dict, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    required_message = models.JSONField(_("message when not answered"), default=dict, blank=True)
    relevance = models.TextField(_("show this question only when"), blank=True)
    constraint = models.TextField(_("accept the answer only when"), blank=True)
    constraint_message = models.JSONField(_("message when not accepted"), default=dict, blank=True)
    choice_filter = models.TextField(_("offer only the choices where"), blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    default = models.CharField(_("default value"), max_length=200, blank=True)
    appearance = models.CharField(_("appearance"), max_length=100, blank=True)
    choice_list = models.ForeignKey(
        ChoiceList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("choices"),
    )
    rows_list = models.ForeignKey(
        ChoiceList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matrix_questions",
        verbose_name=_("matrix rows"),
    )
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    standard = models.BooleanField(
        _("standard question"),
        default=False,
        help_text=_("From the question bank: changing its wording breaks comparability."),
    )

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "section__order", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=models.Q(type__in=QuestionType.values), name="question_valid_type"
            ),
        ]

    def __str__(self) -> str:
        return self.code


# ------------------------------------------------------------------ fieldwork


class SampleType(models.TextChoices):
    PROBABILITY = "probability", _("Probability sample")
    QUOTA = "quota", _("Quota sample")
    OPEN = "open", _("Open web (opt-in)")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class TargetGroup(models.TextChoices):
    GENERAL = "general_public", _("General public")
    YOUTH = "youth", _("Youth")
    WOMEN = "women", _("Women")
    INDIGENOUS = "indigenous_local", _("Indigenous peoples and local communities")
    BUSINESS = "business", _("Business")
    AUTHORITIES = "local_authorities", _("Local and subnational authorities")
    EDUCATORS = "educators", _("Educators")
    MEDIA = "media", _("Media")


class Round(models.Model):
    """A fieldwork period of one published version."""

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("version")
    )
    label = models.CharField(_("label"), max_length=200)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    sample_type = models.CharField(
        _("sample"), max_length=12, choices=SampleType.choices, default=SampleType.OPEN
    )
    target_responses = models.PositiveIntegerField(
        _("target number of responses"), null=True, blank=True
    )
    # Once the round has its target of completed responses, its links take no new starts.
    stop_at_target = models.BooleanField(_("stop new starts at the target"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace period (minutes)"),
        default=120,
        help_text=_("People already answering may finish this long after a pause or the close."),
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.label


class CollectorKind(models.TextChoices):
    LINK = "link", _("Public link")
    QR = "qr", _("QR code")
    EMBED = "embed", _("Embedded on a website")
    EMAIL = "email", _("Email invitations")
    # For the agency's own tries: open before the round and while it is paused,
    # and whatever is sent through it is left out of the results as a test.
    TEST = "test", _("Staff test link")


class Collector(models.Model):
    """One way people reach a round: a link, a QR code, an embed, or email invitations."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="collectors")
    kind = models.CharField(
        _("kind"), max_length=8, choices=CollectorKind.choices, default=CollectorKind.LINK
    )
    name = models.CharField(_("name"), max_length=200)
    token = models.CharField(max_length=43, unique=True, editable=False)
    preset_target_group = models.CharField(
        _("target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )
    preset_language = models.CharField(_("language"), max_length=35, blank=True)
    active = models.BooleanField(_("active"), default=True)
    challenge = models.BooleanField(
        _("ask a simple question to keep robots out"),
        default=False,
        help_text=_("A small sum on the welcome page; no outside service is involved."),
    )
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Completed responses after which the link takes no new starts (None: no limit).
    response_limit = models.PositiveIntegerField(
        _("response limit"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # An email collector's own invitation and reminder, in its language; empty: the platform's.
    invitation_subject = models.CharField(max_length=200, blank=True)
    invitation_body = models.TextField(blank=True)
    reminder_subject = models.CharField(max_length=200, blank=True)
    reminder_body = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("collector")
        verbose_name_plural = _("collectors")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A single-use link sent to one address. Only hashes are kept, unless reminders are on."""

    collector = models.ForeignKey(Collector, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    email_hash = models.CharField(max_length=64)
    email = models.EmailField(
        blank=True,
        help_text=_(
            "Kept until the email is sent, and after only when the agency chose reminders."
        ),
    )
    keep_address = models.BooleanField(default=False)  # for reminders, once sent
    sent_at = models.DateTimeField(null=True, blank=True)  # None: waiting to be sent
    used_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    declined_at = models.DateTimeField(null=True, blank=True)  # asked for no more emails

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collector", "email_hash"], name="invitation_once_per_address"
            ),
        ]
        # The invitations waiting to be sent: few at any time, looked for every few minutes.
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sent_at__isnull=True), name="invitation_waiting"
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.collector} · {self.email_hash[:8]}"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    # Left unfinished when the round ended: the answers are erased (nothing could use
    # them, and nobody could ask for their deletion: the receipt comes at the end),
    # the row stays, so the round still counts it as started, and where it stopped.
    ERASED = "erased", _("Unfinished, answers erased")


class Response(models.Model):
    """One respondent: answers keyed by question code, saved page by page."""

    # No index of their own for round and collector: the indexes and the unique
    # constraint below begin with them, and every start pays for each index.
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    collector = models.ForeignKey(
        Collector, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    start_nonce = models.CharField(max_length=32, editable=False)
    language = models.CharField(max_length=35)
    target_group = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    answers = models.JSONField(default=dict)
    page = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    quality_flags = models.JSONField(default=list, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a
    # second (LIKE) index that no query uses and every start would pay for.
    receipt_code = models.CharField(max_length=16)
    # NULL, not "", until set: the partial indexes below leave out rows without a
    # value, so a start touches neither, and an equality lookup can use them on
    # SQLite as on PostgreSQL (a value compared with = is known not to be NULL).
    resume_hash = models.CharField(max_length=64, null=True, blank=True, default=None)
    # Keyed hash of (ip hash, answers) set on completion: finds likely duplicates
    # through an index instead of comparing answers documents.
    fingerprint = models.CharField(
        max_length=64, null=True, blank=True, default=None, editable=False
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["collector", "start_nonce"], name="response_start_once"
            ),
            models.UniqueConstraint(fields=["receipt_code"], name="response_receipt_once"),
        ]
        indexes = [
            # Complete responses of a round, newest first (quality flags, analytics).
            models.Index(fields=["round", "status", "submitted_at"]),
            models.Index(
                fields=["round", "fingerprint"],
                name="response_fingerprint",
                condition=models.Q(fingerprint__isnull=False),
            ),
            models.Index(
                fields=["resume_hash"],
                name="response_resume",
                condition=models.Q(resume_hash__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_code


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep in the results")
    LEAVE_OUT = "leave_out", _("Leave out of the results")


class Reviewed(models.Model):
    """Why, by whom and when a decision on a response was taken: in force, or in its history."""

    note = models.TextField(_("reason"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        abstract = True


class ResponseReview(Reviewed):
    """An analyst's decision on one complete response, with who took it, when and why.

    A row of its own, not fields of Response: few responses are ever reviewed,
    and every start of a response would otherwise write the empty fields too.
    A response left out stays stored (its person can still have it deleted);
    analytics reads complete responses less those left out, and counts a
    response kept after review as no longer flagged.
    """

    response = models.OneToOneField(
        Response,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="review",
        verbose_name=_("response"),
    )
    decision = models.CharField(_("decision"), max_length=12, choices=ReviewDecision.choices)

    class Meta:
        verbose_name = _("response review")
        verbose_name_plural = _("response reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values), name="review_valid_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.decision}"


class ReviewEventKind(models.TextChoices):
    # Said of one response in its history (the list's filters speak of many).
    KEEP = "keep", pgettext_lazy("a decision in one response's history", "Kept after review")
    LEAVE_OUT = (
        "leave_out",
        pgettext_lazy("a decision in one response's history", "Left out of the results"),
    )
    UNDO = "undo", pgettext_lazy("a decision in one response's history", "Decision undone")


class ReviewEvent(Reviewed):
    """Each decision taken on a response, kept when a later one replaces it.

    ResponseReview holds the decision in force, which analytics reads; a
    decision for many (survey.review.responses_review_all) can replace earlier
    ones taken one by one, and their reasons must stay readable: whoever asks
    later why a response was left out, then counted again, gets the whole story.
    Deleted with the response (its person's right to have it erased).
    """

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="review_events",
        verbose_name=_("response"),
    )
    decision = models.CharField(_("decision"), max_length=12, choices=ReviewEventKind.choices)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [
            models.Index(fields=["response", "reviewed_at"], name="review_event_response_at")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ReviewEventKind.values),
                name="review_event_valid_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.decision} · {self.reviewed_at:%Y-%m-%d %H:%M}"
