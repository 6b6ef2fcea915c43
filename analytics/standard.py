"""The standard Aichi Target 1 indicators, keyed on the question bank's codes.

Names and descriptions are data in the six UN languages (like survey content),
so releases and the secretariat's dashboard show them in the reader's language.
"""

from __future__ import annotations

from typing import Any

from survey.i18n import un_texts as _t

AGREE = "{q} = '4' or {q} = '5'"

STANDARD_INDICATORS: list[dict[str, Any]] = [
    {
        "code": "awareness_term",
        "name": _t(
            "Heard of biodiversity",
            "A entendu parler de la biodiversité",
            "Ha oído hablar de la biodiversidad",
            "Слышали о биоразнообразии",
            "سمعوا بالتنوع البيولوجي",
            "听说过生物多样性",
        ),
        "numerator": "${bio_heard} = 'heard_know' or ${bio_heard} = 'heard_not_know'",
        "denominator": "${bio_heard} != ''",
        "requires": ["bio_heard"],
    },
    {
        "code": "understanding_self",
        "name": _t(
            "Say they know what biodiversity means",
            "Disent savoir ce qu'est la biodiversité",
            "Dicen saber qué es la biodiversidad",
            "Говорят, что знают, что такое биоразнообразие",
            "يقولون إنهم يعرفون معنى التنوع البيولوجي",
            "自称知道生物多样性的含义",
        ),
        "numerator": "${bio_heard} = 'heard_know'",
        "denominator": "${bio_heard} != ''",
        "requires": ["bio_heard"],
    },
    {
        "code": "understanding_verified",
        "name": _t(
            "Define biodiversity correctly",
            "Définissent correctement la biodiversité",
            "Definen correctamente la biodiversidad",
            "Правильно определяют биоразнообразие",
            "يعرّفون التنوع البيولوجي تعريفاً صحيحاً",
            "能正确定义生物多样性",
        ),
        "numerator": "${bio_meaning_code} = 'correct'",
        "denominator": "${bio_meaning_code} != ''",
        "requires": ["bio_meaning"],
    },
    {
        "code": "values_awareness",
        "name": _t(
            "Recognise the values of biodiversity",
            "Reconnaissent les valeurs de la biodiversité",
            "Reconocen los valores de la biodiversidad",
            "Признают ценность биоразнообразия",
            "يدركون قيم التنوع البيولوجي",
            "认识到生物多样性的价值",
        ),
        "numerator": " + ".join(
            f"({AGREE.format(q='${bio_values_' + row + '}')})"
            for row in ("health", "economy", "intrinsic", "culture")
        )
        + " >= 3",
        "denominator": "${bio_values_health} != ''",
        "requires": ["bio_values"],
    },
    {
        "code": "steps_knowledge",
        "name": _t(
            "Name steps they take for biodiversity",
            "Citent des gestes qu'ils font pour la biodiversité",
            "Mencionan acciones que realizan por la biodiversidad",
            "Называют шаги, которые они делают для биоразнообразия",
            "يذكرون خطوات يتخذونها من أجل التنوع البيولوجي",
            "能说出自己为生物多样性采取的行动",
        ),
        "numerator": "count-selected(${bio_steps}) >= 1 and not(selected(${bio_steps}, 'none'))",
        "denominator": "count-selected(${bio_steps}) >= 1",
        "requires": ["bio_steps"],
    },
    {
        "code": "willingness",
        "name": _t(
            "Willing to do more for biodiversity",
            "Prêts à en faire plus pour la biodiversité",
            "Dispuestos a hacer más por la biodiversidad",
            "Готовы делать больше для биоразнообразия",
            "مستعدون لبذل المزيد من أجل التنوع البيولوجي",
            "愿意为生物多样性做更多",
        ),
        "numerator": "${bio_willing} = 'very_willing' or ${bio_willing} = 'fairly_willing'",
        "denominator": "${bio_willing} != ''",
        "requires": ["bio_willing"],
    },
    {
        "code": "feeling_informed",
        "name": _t(
            "Feel informed about biodiversity loss",
            "Se sentent informés sur la perte de biodiversité",
            "Se sienten informados sobre la pérdida de biodiversidad",
            "Считают себя осведомлёнными об утрате биоразнообразия",
            "يشعرون بأنهم مطّلعون على فقدان التنوع البيولوجي",
            "觉得了解生物多样性丧失",
        ),
        "numerator": "${bio_informed} = 'very_well' or ${bio_informed} = 'fairly_well'",
        "denominator": "${bio_informed} != ''",
        "requires": ["bio_informed"],
    },
]


def indicators_load(*, using: str = "default", **_signal_kwargs: object) -> int:
    """Create or update the standard indicators (after migrate, like the country list).

    Skipped while the table does not exist yet: `migrate <other app> <migration>`
    on a new database sends this signal before analytics is migrated.
    """
    from django.db import connections

    from analytics.models import Indicator

    if Indicator._meta.db_table not in connections[using].introspection.table_names():
        return 0
    for order, definition in enumerate(STANDARD_INDICATORS):
        Indicator.objects.using(using).update_or_create(
            agency=None,
            code=definition["code"],
            defaults={
                "name": definition["name"],
                "numerator": definition["numerator"],
                "denominator": definition["denominator"],
                "requires": definition["requires"],
                "order": order,
            },
        )
    return len(STANDARD_INDICATORS)
