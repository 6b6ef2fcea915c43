"""Admin for superusers: drafts are editable, published versions are read-only everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from survey.models import Choice, ChoiceList, Question, Section, Survey, SurveyVersion


def _is_draft(obj: Any) -> bool:
    if obj is None:
        return True
    version = obj if isinstance(obj, SurveyVersion) else getattr(obj, "version", None)
    if version is None and isinstance(obj, Choice):
        version = obj.choice_list.version
    return version is None or version.is_draft


class FrozenWhenPublished(admin.ModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _is_draft(obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "created_at"]
    list_filter = ["agency__country"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a survey would delete published versions; retire them instead.
        if obj is not None and obj.versions.exclude(status="draft").exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SurveyVersion)
class SurveyVersionAdmin(FrozenWhenPublished):
    list_display = ["survey", "number", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["content_hash", "published_at", "published_by", "retired_at"]


@admin.register(Section)
class SectionAdmin(FrozenWhenPublished):
    list_display = ["code", "version", "order"]


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublished):
    list_display = ["code", "type", "version", "section"]
    list_filter = ["type"]
    search_fields = ["code"]


@admin.register(ChoiceList)
class ChoiceListAdmin(FrozenWhenPublished):
    list_display = ["name", "version"]


@admin.register(Choice)
class ChoiceAdmin(FrozenWhenPublished):
    list_display = ["code", "choice_list", "order"]
