"""Ready-made choice lists, with labels in the six UN languages (survey content, not UI text)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

PRESETS: dict[str, list[dict[str, Any]]] = {
    "agree5": [
        {
            "code": "1",
            "label": {
                "ar": "لا أوافق بشدة",
                "zh-Hans": "非常不同意",
                "en": "Strongly disagree",
                "fr": "Pas du tout d'accord",
                "ru": "Полностью не согласен",
                "es": "Muy en desacuerdo",
            },
        },
        {
            "code": "2",
            "label": {
                "ar": "لا أوافق",
                "zh-Hans": "不同意",
                "en": "Disagree",
                "fr": "Plutôt pas d'accord",
                "ru": "Скорее не согласен",
                "es": "En desacuerdo",
            },
        },
        {
            "code": "3",
            "label": {
                "ar": "لا أوافق ولا أعارض",
                "zh-Hans": "既不同意也不反对",
                "en": "Neither agree nor disagree",
                "fr": "Ni d'accord ni pas d'accord",
                "ru": "Ни да, ни нет",
                "es": "Ni de acuerdo ni en desacuerdo",
            },
        },
        {
            "code": "4",
            "label": {
                "ar": "أوافق",
                "zh-Hans": "同意",
                "en": "Agree",
                "fr": "Plutôt d'accord",
                "ru": "Скорее согласен",
                "es": "De acuerdo",
            },
        },
        {
            "code": "5",
            "label": {
                "ar": "أوافق بشدة",
                "zh-Hans": "非常同意",
                "en": "Strongly agree",
                "fr": "Tout à fait d'accord",
                "ru": "Полностью согласен",
                "es": "Muy de acuerdo",
            },
        },
        {
            "code": "dont_know",
            "anchored": True,
            "label": {
                "ar": "لا أعرف",
                "zh-Hans": "不知道",
                "en": "Don't know",
                "fr": "Je ne sais pas",
                "ru": "Затрудняюсь ответить",
                "es": "No sé",
            },
        },
    ],
    "yes_no": [
        {
            "code": "yes",
            "label": {
                "ar": "نعم",
                "zh-Hans": "是",
                "en": "Yes",
                "fr": "Oui",
                "ru": "Да",
                "es": "Sí",
            },
        },
        {
            "code": "no",
            "label": {
                "ar": "لا",
                "zh-Hans": "否",
                "en": "No",
                "fr": "Non",
                "ru": "Нет",
                "es": "No",
            },
        },
    ],
}
PRESET_NAMES = {
    "agree5": _("Agreement scale, 5 points and “Don't know”"),
    "yes_no": _("Yes / no"),
}


def preset_choices(name: str) -> list[dict[str, Any]]:
    return PRESETS[name]
