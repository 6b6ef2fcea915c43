"""The demo questionnaire: short, published, in the six UN languages.

Survey content is data, so its six translations live here, not in locale/.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction

from accounts.models import Agency, User
from survey import services
from survey.models import Survey
from survey.presets import preset_choices
from survey.serialization import FORMAT, survey_from_dict

DEMO_SURVEY_NAME = "Biodiversity awareness (demo)"
LANGS = ["en", "fr", "es", "ru", "ar", "zh-Hans"]


def _t(en: str, fr: str, es: str, ru: str, ar: str, zh: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es, "ru": ru, "ar": ar, "zh-Hans": zh}


def _choice(code: str, label: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "label": label,
        "exclusive": False,
        "anchored": False,
        "properties": {},
        **extra,
    }


def _question(code: str, qtype: str, text: dict[str, str], **extra: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "type": qtype,
        "text": text,
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
    base.update(extra)
    return base


def demo_survey_dict() -> dict[str, Any]:
    aware = [
        _choice(
            "heard_know",
            _t(
                "I have heard of it and I know what it means",
                "J'en ai entendu parler et je sais ce que c'est",
                "He oído hablar de ella y sé lo que significa",
                "Слышал(а) и знаю, что это такое",
                "سمعت به وأعرف معناه",
                "听说过，并且知道它的含义",
            ),
        ),
        _choice(
            "heard_only",
            _t(
                "I have heard of it but I do not know what it means",
                "J'en ai entendu parler mais je ne sais pas ce que c'est",
                "He oído hablar de ella pero no sé lo que significa",
                "Слышал(а), но не знаю, что это такое",
                "سمعت به لكنني لا أعرف معناه",
                "听说过，但不知道它的含义",
            ),
        ),
        _choice(
            "never",
            _t(
                "I have never heard of it",
                "Je n'en ai jamais entendu parler",
                "Nunca he oído hablar de ella",
                "Никогда не слышал(а)",
                "لم أسمع به قط",
                "从未听说过",
            ),
        ),
        _choice(
            "dont_know",
            _t(
                "Don't know", "Je ne sais pas", "No sé", "Затрудняюсь ответить", "لا أعرف", "不知道"
            ),
            anchored=True,
        ),
    ]
    steps = [
        _choice(
            "reduce_waste",
            _t(
                "Reduce waste and recycle",
                "Réduire mes déchets et recycler",
                "Reducir residuos y reciclar",
                "Сокращаю отходы и сдаю их на переработку",
                "أقلل النفايات وأعيد التدوير",
                "减少浪费并回收利用",
            ),
        ),
        _choice(
            "buy_sustainable",
            _t(
                "Buy products that respect nature",
                "Acheter des produits respectueux de la nature",
                "Comprar productos que respetan la naturaleza",
                "Покупаю товары, бережные к природе",
                "أشتري منتجات تحترم الطبيعة",
                "购买尊重自然的产品",
            ),
        ),
        _choice(
            "plant_native",
            _t(
                "Plant native species",
                "Planter des espèces locales",
                "Plantar especies nativas",
                "Сажаю местные виды растений",
                "أزرع أنواعاً محلية",
                "种植本地物种",
            ),
        ),
        _choice(
            "volunteer",
            _t(
                "Volunteer for nature",
                "Faire du bénévolat pour la nature",
                "Hacer voluntariado por la naturaleza",
                "Участвую в волонтёрстве ради природы",
                "أتطوع من أجل الطبيعة",
                "参加自然保护志愿活动",
            ),
        ),
        _choice(
            "none",
            _t(
                "None of these",
                "Aucune de ces actions",
                "Ninguna de estas",
                "Ничего из перечисленного",
                "لا شيء مما سبق",
                "以上都没有",
            ),
            exclusive=True,
            anchored=True,
        ),
    ]
    age = [
        _choice("15_24", _t("15–24", "15–24", "15–24", "15–24", "15–24", "15–24")),
        _choice("25_39", _t("25–39", "25–39", "25–39", "25–39", "25–39", "25–39")),
        _choice("40_54", _t("40–54", "40–54", "40–54", "40–54", "40–54", "40–54")),
        _choice(
            "55_plus",
            _t(
                "55 or older",
                "55 ans ou plus",
                "55 o más",
                "55 лет и старше",
                "55 أو أكثر",
                "55 岁及以上",
            ),
        ),
    ]
    agree = [
        dict(
            c,
            label={k: v for k, v in c["label"].items() if k in LANGS},
            exclusive=False,
            properties={},
            anchored=c.get("anchored", False),
        )
        for c in preset_choices("agree5")
    ]
    yes_no = [
        dict(
            c,
            label={k: v for k, v in c["label"].items() if k in LANGS},
            exclusive=False,
            properties={},
            anchored=False,
        )
        for c in preset_choices("yes_no")
    ]
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
        "languages": LANGS,
        "default_language": "en",
        "choice_lists": [
            {"name": "aware", "choices": aware},
            {"name": "steps", "choices": steps},
            {"name": "age_group", "choices": age},
            {"name": "agree5", "choices": agree},
            {"name": "yes_no", "choices": yes_no},
        ],
        "sections": [
            {
                "code": "awareness",
                "title": _t(
                    "What you know",
                    "Ce que vous savez",
                    "Lo que sabe",
                    "Что вы знаете",
                    "ما تعرفه",
                    "您的了解",
                ),
                "relevance": "",
                "questions": [
                    _question(
                        "aware_biodiversity",
                        "single",
                        _t(
                            "Have you heard of the term “biodiversity”?",
                            "Avez-vous déjà entendu le terme « biodiversité » ?",
                            "¿Ha oído hablar del término «biodiversidad»?",
                            "Слышали ли вы термин «биоразнообразие»?",
                            "هل سمعت بمصطلح «التنوع البيولوجي»؟",
                            "您听说过“生物多样性”这个词吗？",
                        ),
                        choice_list="aware",
                        required=True,
                    ),
                    _question(
                        "meaning",
                        "long_text",
                        _t(
                            "In your own words, what does biodiversity mean?",
                            "Avec vos propres mots, que signifie la biodiversité ?",
                            "Con sus propias palabras, ¿qué significa biodiversidad?",
                            "Своими словами: что такое биоразнообразие?",
                            "بكلماتك الخاصة، ما معنى التنوع البيولوجي؟",
                            "请用您自己的话说说，生物多样性是什么意思？",
                        ),
                        relevance="${aware_biodiversity} = 'heard_know'",
                        settings={"max_length": 2000},
                    ),
                    _question(
                        "informed",
                        "yes_no",
                        _t(
                            "Do you feel informed about the loss of biodiversity?",
                            "Vous sentez-vous informé(e) sur la perte de biodiversité ?",
                            "¿Se siente informado sobre la pérdida de biodiversidad?",
                            "Считаете ли вы, что достаточно знаете об утрате биоразнообразия?",
                            "هل تشعر بأنك مطّلع على فقدان التنوع البيولوجي؟",
                            "您觉得自己了解生物多样性丧失的情况吗？",
                        ),
                        choice_list="yes_no",
                    ),
                ],
            },
            {
                "code": "values",
                "title": _t(
                    "What you think",
                    "Ce que vous pensez",
                    "Lo que piensa",
                    "Что вы думаете",
                    "ما تفكر فيه",
                    "您的看法",
                ),
                "relevance": "",
                "questions": [
                    _question(
                        "important",
                        "likert",
                        _t(
                            "Protecting biodiversity is important to me.",
                            "Protéger la biodiversité est important pour moi.",
                            "Proteger la biodiversidad es importante para mí.",
                            "Для меня важно сохранять биоразнообразие.",
                            "حماية التنوع البيولوجي أمر مهم بالنسبة لي.",
                            "保护生物多样性对我很重要。",
                        ),
                        choice_list="agree5",
                    ),
                    _question(
                        "steps",
                        "multiple",
                        _t(
                            "Which of these do you do for nature?",
                            "Lesquelles de ces actions faites-vous pour la nature ?",
                            "¿Cuáles de estas cosas hace por la naturaleza?",
                            "Что из этого вы делаете для природы?",
                            "أيٌّ مما يلي تفعله من أجل الطبيعة؟",
                            "您为保护自然做了以下哪些事？",
                        ),
                        choice_list="steps",
                        settings={"other": True},
                    ),
                ],
            },
            {
                "code": "profile",
                "title": _t(
                    "About you", "À propos de vous", "Sobre usted", "О вас", "عنك", "关于您"
                ),
                "relevance": "",
                "questions": [
                    _question(
                        "age_group",
                        "single",
                        _t(
                            "How old are you?",
                            "Quel âge avez-vous ?",
                            "¿Cuántos años tiene?",
                            "Сколько вам лет?",
                            "كم عمرك؟",
                            "您的年龄是？",
                        ),
                        choice_list="age_group",
                        required=True,
                    ),
                ],
            },
        ],
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
