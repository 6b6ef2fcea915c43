"""Surveys as plain dicts (the serialization format), for checks and round trips."""

from __future__ import annotations

import copy
from typing import Any

from survey.serialization import FORMAT, blank_question


def q(code: str, qtype: str = "text", **fields: Any) -> dict[str, Any]:
    text = {"en": f"Question {code}", "fr": f"Question {code} (fr)"}
    return blank_question(code, qtype, **{"text": text, **fields})


def choice(code: str, **fields: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "label": {"en": code.title(), "fr": f"{code.title()} (fr)"},
        "exclusive": False,
        "anchored": False,
        "properties": {},
    }
    base.update(fields)
    return base


def survey_dict(
    *questions: dict[str, Any], lists: list | None = None, pages: list | None = None
) -> dict[str, Any]:
    """A valid two-language survey; pass questions for one page or `pages` for several."""
    return {
        "format": FORMAT,
        "title": {"en": "Biodiversity and you", "fr": "La biodiversité et vous"},
        "intro": {},
        "thank_you": {},
        "thank_you_links": [],
        "languages": ["en", "fr"],
        "default_language": "en",
        "interface_texts": {},
        "choice_lists": lists
        if lists is not None
        else [
            {"name": "yes_no", "choices": [choice("yes"), choice("no")]},
            {
                "name": "steps",
                "choices": [choice("recycle"), choice("plant"), choice("none", exclusive=True)],
            },
        ],
        "sections": pages
        if pages is not None
        else [{"code": "page_1", "title": {}, "relevance": "", "questions": list(questions)}],
    }


def every_feature() -> dict[str, Any]:
    """A survey using every question type, setting and kind of logic."""
    lists = [
        {
            "name": "aware",
            "choices": [
                choice("heard_know"),
                choice("heard_only"),
                choice("never"),
                choice("dont_know", anchored=True),
            ],
        },
        {
            "name": "steps",
            "choices": [
                choice("recycle"),
                choice("plant"),
                choice("none", exclusive=True, anchored=True),
            ],
        },
        {"name": "agree5", "choices": [choice(str(i)) for i in range(1, 6)]},
        {"name": "rows", "choices": [choice("health"), choice("economy")]},
        {"name": "yes_no", "choices": [choice("yes"), choice("no")]},
        {"name": "regions", "choices": [choice("coast"), choice("hills")]},
        {
            "name": "districts",
            "choices": [
                choice("kilifi", properties={"region": "coast"}),
                choice("nyeri", properties={"region": "hills"}),
            ],
        },
    ]
    page_1 = [
        q("note_1", "note"),
        q(
            "age",
            "integer",
            required=True,
            constraint=". >= 16",
            constraint_message={"en": "16+", "fr": "16 ans et plus"},
            settings={"min": 0, "max": 120},
            required_message={"en": "Please answer", "fr": "Merci de répondre"},
            hint={"en": "In years", "fr": "En années"},
        ),
        q("region", "single", choice_list="regions"),
        q("district", "single", choice_list="districts", choice_filter="region = ${region}"),
        q("day", "date", settings={"min": "2020-01-01", "max": "2030-12-31"}),
        q("ref", "hidden", text={}, default="web"),
    ]
    page_2 = [
        q(
            "aware",
            "single",
            choice_list="aware",
            settings={"randomize": True, "other": True},
            appearance="minimal",
        ),
        q(
            "meaning",
            "long_text",
            relevance="${aware} = 'heard_know'",
            settings={"max_length": 2000},
        ),
        q("important", "likert", choice_list="agree5"),
        q(
            "concern",
            "rating",
            settings={
                "min": 0,
                "max": 10,
                "low_label": {"en": "Low", "fr": "Bas"},
                "high_label": {"en": "High", "fr": "Haut"},
            },
        ),
        q("values", "matrix", choice_list="agree5", rows_list="rows"),
        q("informed", "yes_no", choice_list="yes_no", standard=True),
    ]
    page_3 = [
        q("steps", "multiple", choice_list="steps", settings={"other": True}),
        q("n_steps", "calculate", text={}, calculation="count-selected(${steps})"),
        q("sources", "ranking", choice_list="aware"),
        q("spend", "decimal", settings={"min": 0}),
        q("comment", "text", settings={"max_length": 200}),
    ]
    data = survey_dict(
        lists=lists,
        pages=[
            {
                "code": "about",
                "title": {"en": "About you", "fr": "Vous"},
                "relevance": "",
                "questions": page_1,
            },
            {"code": "views", "title": {}, "relevance": "", "questions": page_2},
            {
                "code": "actions",
                "title": {},
                "relevance": "${aware} != 'never' and ${age} >= 18",
                "questions": page_3,
            },
        ],
    )
    data["intro"] = {"en": "Ten minutes.", "fr": "Dix minutes."}
    data["thank_you"] = {"en": "Thank you.", "fr": "Merci."}
    data["thank_you_links"] = [
        {
            "url": "https://www.cbd.int/gbf",
            "label": {"en": "What countries agreed", "fr": "Ce que les pays ont décidé"},
        }
    ]
    return copy.deepcopy(data)


def in_wolof_and_french(data: dict[str, Any]) -> dict[str, Any]:
    """The survey with Wolof beside French, French its default: as in Senegal."""

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"en", "fr"}:
                return {"fr": node["fr"], "wo": f"{node['fr']} (wo)"}
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    data = walk(data)
    data.update(languages=["fr", "wo"], default_language="fr")
    return data


def completed_responses(
    collector: Any, count: int, *, tag: str, duration_seconds: int = 600, ip_hash: str = ""
) -> list[Any]:
    """`count` complete responses through `collector`, answers {"age": i}, as the flow
    stores them (with an address hash, the fingerprint the duplicate check reads)."""
    from survey.answering import answers_fingerprint
    from survey.models import Response, ResponseStatus

    round_ = collector.round
    return Response.objects.bulk_create(
        Response(
            round=round_,
            version=round_.version,
            collector=collector,
            start_nonce=f"{tag}{i}",
            language="en",
            status=ResponseStatus.COMPLETE,
            answers={"age": i},
            receipt_code=f"{tag}{i:08d}",
            duration_seconds=duration_seconds,
            ip_hash=ip_hash,
            fingerprint=answers_fingerprint(ip_hash, {"age": i}) if ip_hash else None,
        )
        for i in range(count)
    )
