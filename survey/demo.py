"""The demo questionnaire: the Aichi Target 1 module, published, in the six UN languages.

Survey content is data, so its translations live here and in survey/bank.py, not in locale/.
"""

from __future__ import annotations

import copy
import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from survey import fieldwork, services
from survey.answering import compiled_for, straight_lined
from survey.bank import AICHI_LISTS, AICHI_SECTIONS, UN
from survey.i18n import un_texts
from survey.logic import CompiledSurvey
from survey.models import (
    Collector,
    CollectorKind,
    Response,
    ResponseStatus,
    Round,
    Survey,
    TargetGroup,
)
from survey.serialization import FORMAT, survey_from_dict
from survey.signals import responses_changed

DEMO_SURVEY_NAME = "Biodiversity awareness (demo)"
LANGS = list(UN)
_t = un_texts


def demo_survey_dict() -> dict[str, Any]:
    """The Aichi Target 1 module of the question bank, as a whole published survey."""
    return {
        "format": FORMAT,
        "title": _t(
            "Biodiversity and you",
            "La biodiversité et vous",
            "La biodiversidad y usted",
            "Биоразнообразие и вы",
            "التنوع البيولوجي وأنت",
            "生物多样性与您",
        ),
        "intro": _t(
            "This short survey asks what you know and think about biodiversity. It is anonymous and takes about five minutes.",
            "Cette courte enquête porte sur ce que vous savez et pensez de la biodiversité. Elle est anonyme et prend environ cinq minutes.",
            "Esta breve encuesta pregunta qué sabe y qué piensa sobre la biodiversidad. Es anónima y dura unos cinco minutos.",
            "Этот короткий опрос о том, что вы знаете и думаете о биоразнообразии. Он анонимный и займёт около пяти минут.",
            "يسألك هذا الاستبيان القصير عمّا تعرفه وتفكر فيه بشأن التنوع البيولوجي. وهو مجهول الهوية ويستغرق نحو خمس دقائق.",
            "这份简短的调查了解您对生物多样性的认识和看法。调查是匿名的，大约需要五分钟。",
        ),
        "thank_you": _t(
            "Thank you! Every small step counts: plant native species, reduce waste and share what you know about nature.",
            "Merci ! Chaque petit geste compte : plantez des espèces locales, réduisez vos déchets et partagez ce que vous savez de la nature.",
            "¡Gracias! Cada pequeño paso cuenta: plante especies nativas, reduzca residuos y comparta lo que sabe de la naturaleza.",
            "Спасибо! Важен каждый шаг: сажайте местные растения, сокращайте отходы и делитесь знаниями о природе.",
            "شكراً لك! كل خطوة صغيرة مهمة: ازرع الأنواع المحلية، وقلّل النفايات، وشارك ما تعرفه عن الطبيعة.",
            "谢谢！每一小步都很重要：种植本地物种、减少浪费，并分享您对自然的了解。",
        ),
        "thank_you_links": [
            {
                "url": "https://www.cbd.int/gbf",
                "label": _t(
                    "What countries agreed to do for nature by 2030",
                    "Ce que les pays ont décidé de faire pour la nature d'ici 2030",
                    "Lo que los países acordaron hacer por la naturaleza para 2030",
                    "Что страны договорились сделать для природы к 2030 году",
                    "ما اتفقت عليه البلدان من أجل الطبيعة بحلول عام 2030",
                    "各国承诺到2030年为自然采取的行动",
                ),
            },
            {
                "url": "https://www.inaturalist.org/",
                "label": _t(
                    "Record the plants and animals around you",
                    "Signalez les plantes et les animaux qui vous entourent",
                    "Registre las plantas y los animales que le rodean",
                    "Отмечайте растения и животных вокруг вас",
                    "سجّل النباتات والحيوانات من حولك",
                    "记录您身边的植物和动物",
                ),
            },
        ],
        "languages": LANGS,
        "default_language": "en",
        "choice_lists": copy.deepcopy(AICHI_LISTS),
        "sections": copy.deepcopy(AICHI_SECTIONS),
    }


@transaction.atomic
def demo_survey_load(*, agency: Agency) -> Survey:
    """The published demo survey of `agency`, created once (a second call changes nothing)."""
    existing = Survey.objects.filter(agency=agency, name=DEMO_SURVEY_NAME).first()
    if existing is not None:
        return existing
    designer = User.objects.filter(memberships__agency=agency, memberships__role="designer").first()
    version = survey_from_dict(
        copy.deepcopy(demo_survey_dict()), agency=agency, by=designer, name=DEMO_SURVEY_NAME
    )
    services.survey_publish(version=version, by=designer)
    return version.survey


DEMO_ROUND_LABEL = "Baseline (demo)"
# Sample responses (by number, 0 the newest) sent in under a minute or so.
DEMO_SPEEDERS = frozenset({3, 41, 118, 207})
DEMO_TEST_LINK_NAME = "Tries by the communication team"
DEMO_COLLECTOR_TOKEN = "demo-public-link"  # noqa: S105 (a public link, printed by make run)


# Beside the public link (70% of the sample responses): name, kind, target group, share,
# and response limit (the schools' QR code kept from outweighing the other channels).
DEMO_CHANNELS = [
    ("Schools in the coastal region", CollectorKind.QR, TargetGroup.YOUTH, 0.2, 150),
    ("Business association newsletter", CollectorKind.EMBED, TargetGroup.BUSINESS, 0.1, None),
]


# Profile answers drawn with realistic shares (an online sample leans young and urban).
PROFILE_SHARES = {
    "sex": {"female": 0.49, "male": 0.49, "other": 0.01, "no_answer": 0.01},
    "age_group": {
        "15_24": 0.35,
        "25_39": 0.35,
        "40_54": 0.18,
        "55_64": 0.07,
        "65_plus": 0.04,
        "no_answer": 0.01,
    },
    "residence": {"urban": 0.6, "rural": 0.4},
    "bio_heard": {"heard_know": 0.45, "heard_not_know": 0.3, "never_heard": 0.2, "dont_know": 0.05},
}


@transaction.atomic
def demo_round_load(*, survey: Survey, sample_responses: int = 300) -> Collector:
    """An open round of the demo survey with a public link, two collectors for target
    groups, a staff test link and sample responses (once); returns the public link."""
    version = survey.versions.get(status="published")
    collector = Collector.objects.filter(token=DEMO_COLLECTOR_TOKEN).first()
    if collector is not None:
        return collector
    # Opened four days ago: the sample responses below come from the last three.
    round_ = Round.objects.create(
        version=version,
        label=DEMO_ROUND_LABEL,
        target_responses=1000,
        opens_at=timezone.now() - timedelta(days=4),
    )
    collector = Collector.objects.create(
        round=round_, name="Public link", token=DEMO_COLLECTOR_TOKEN
    )
    # One collector per channel or target group, as agencies run them: the round page
    # shows progress by each, and the indicators break down by target group.
    channels = [(collector, 0.7)] + [
        (
            fieldwork.collector_create(
                round_=round_,
                name=name,
                kind=kind,
                preset_target_group=group,
                response_limit=limit,
            ),
            share,
        )
        for name, kind, group, share, limit in DEMO_CHANNELS
    ]
    # And the link the agency's staff try the pages through (no sample responses:
    # what is sent through it is left out of the results as a test).
    fieldwork.collector_create(round_=round_, name=DEMO_TEST_LINK_NAME, kind=CollectorKind.TEST)
    compiled = compiled_for(version)
    rng = random.Random(2026)  # noqa: S311 - sample data, not security
    # Channels drawn apart from the answers: the sample's answers stay those of a
    # single public link.
    channel_rng = random.Random(522)  # noqa: S311
    now = timezone.now()
    responses = []

    def in_round(**fields: Any) -> Response:
        (through,) = channel_rng.choices(
            [each for each, _share in channels], weights=[share for _each, share in channels]
        )
        return Response(
            round=round_,
            version=version,
            collector=through,
            target_group=through.preset_target_group,
            **fields,
        )

    for number in range(sample_responses):
        answers = _sample_answers(compiled, rng)
        duration = rng.randint(180, 900)
        # A few sent far too fast, and any that chance straight-lined, flagged as the
        # answering flow flags them: the review queue has something in it.
        flags = []
        if number in DEMO_SPEEDERS:
            duration = 35 + number % 40
            flags.append("speeder")
        if straight_lined(compiled, answers):
            flags.append("straight_lining")
        responses.append(
            in_round(
                start_nonce=f"demo-{number}",
                language=rng.choice(LANGS),
                status=ResponseStatus.COMPLETE,
                answers=answers,
                started_at=now - timedelta(seconds=duration + number * 600),
                submitted_at=now - timedelta(seconds=number * 600),
                updated_at=now - timedelta(seconds=number * 600),
                duration_seconds=duration,
                quality_flags=flags,
                receipt_code=f"DEMO{number:06d}",
            )
        )
    # Some people stop on the way, most on the long page of statements: the round
    # page shows where.
    pages = compiled.pageable
    for number in range(sample_responses // 8):
        page = rng.choices(range(1, len(pages) + 1), weights=[2, 5, 2, 1][: len(pages)])[0]
        kept = {key for section in pages[: page - 1] for key in section.answer_keys}
        answers = {k: v for k, v in _sample_answers(compiled, rng).items() if k in kept}
        idle = timedelta(minutes=rng.randint(2, 72 * 60))
        responses.append(
            in_round(
                start_nonce=f"demo-unfinished-{number}",
                language=rng.choice(LANGS),
                status=ResponseStatus.IN_PROGRESS,
                answers=compiled.settle(answers),
                page=page,
                started_at=now - idle - timedelta(minutes=page * 2),
                updated_at=now - idle,
                receipt_code=f"DEMOU{number:05d}",
            )
        )
    Response.objects.bulk_create(responses)
    responses_changed(round_.pk)
    return collector


def _sample_answers(compiled: CompiledSurvey, rng: random.Random) -> dict[str, Any]:
    """Plausible answers to every question, with the demo's profile shares."""
    answers: dict[str, Any] = {}
    for question in compiled.questions.values():
        options = [o.code for o in question.options]
        if question.type == "single" and options:
            shares = PROFILE_SHARES.get(question.code)
            answers[question.code] = (
                rng.choices(list(shares), weights=list(shares.values()))[0]
                if shares
                else rng.choice(options)
            )
        elif question.type == "multiple" and options:
            picked = [o for o in options if o != "none" and rng.random() < 0.35]
            answers[question.code] = picked or ["none"]
        elif question.type == "matrix":
            for row in question.rows:
                answers[f"{question.code}_{row.code}"] = rng.choice(options)
        elif question.type == "long_text":
            answers[question.code] = rng.choice(
                [
                    "The variety of life on Earth",
                    "Nature and animals",
                    "Forests",
                    "Plants and species",
                ]
            )
    return compiled.settle(answers)
