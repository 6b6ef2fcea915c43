"""The question bank: standard modules that keep countries comparable.

The Aichi Target 1 module asks what decision XII/2 asks countries to measure:
awareness of biodiversity, of its values, and of the steps people can take.
Wording follows public surveys (the Biodiversity Barometer, the Eurobarometer
on attitudes towards biodiversity) in our own words. Codes are stable: the
standard indicators key on them, so they never change between releases.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from survey.i18n import un_texts
from survey.presets import preset_choices
from survey.serialization import blank_question

UN = tuple(un_texts("", "", "", "", "", ""))  # the six UN languages
_t = un_texts


def _c(code: str, label: dict[str, str], **flags: bool) -> dict[str, Any]:
    return {
        "code": code,
        "label": label,
        "exclusive": flags.get("exclusive", False),
        "anchored": flags.get("anchored", False),
        "properties": {},
    }


def _q(code: str, qtype: str, text: dict[str, str], **extra: Any) -> dict[str, Any]:
    return blank_question(code, qtype, text=text, standard=True, **extra)


DONT_KNOW = _t("Don't know", "Je ne sais pas", "No sé", "Затрудняюсь ответить", "لا أعرف", "不知道")
NO_ANSWER = _t(
    "Prefer not to say",
    "Je préfère ne pas répondre",
    "Prefiero no decirlo",
    "Предпочитаю не отвечать",
    "أفضّل عدم الإجابة",
    "不愿透露",
)
NONE_OF_THESE = _t(
    "None of these",
    "Aucun de ceux-ci",
    "Ninguno de estos",
    "Ничего из перечисленного",
    "لا شيء مما سبق",
    "以上都不是",
)


def _scale(*items: tuple[str, dict[str, str]]) -> list[dict[str, Any]]:
    return [_c(code, label) for code, label in items] + [_c("dont_know", DONT_KNOW, anchored=True)]


AICHI_LISTS: list[dict[str, Any]] = [
    {
        "name": "bio_heard",
        "choices": [
            _c(
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
            _c(
                "heard_not_know",
                _t(
                    "I have heard of it but I do not know what it means",
                    "J'en ai entendu parler mais je ne sais pas ce que c'est",
                    "He oído hablar de ella pero no sé lo que significa",
                    "Слышал(а), но не знаю, что это такое",
                    "سمعت به لكنني لا أعرف معناه",
                    "听说过，但不知道它的含义",
                ),
            ),
            _c(
                "never_heard",
                _t(
                    "I have never heard of it",
                    "Je n'en ai jamais entendu parler",
                    "Nunca he oído hablar de ella",
                    "Никогда не слышал(а)",
                    "لم أسمع به قط",
                    "从未听说过",
                ),
            ),
            _c("dont_know", DONT_KNOW, anchored=True),
        ],
    },
    {
        "name": "bio_meaning_code",
        "choices": [
            _c(
                "correct",
                _t(
                    "Correct: variety of living things, species, ecosystems or genes",
                    "Correcte : diversité du vivant, des espèces, des écosystèmes ou des gènes",
                    "Correcta: variedad de seres vivos, especies, ecosistemas o genes",
                    "Верно: разнообразие живых организмов, видов, экосистем или генов",
                    "صحيح: تنوع الكائنات الحية أو الأنواع أو النظم الإيكولوجية أو الجينات",
                    "正确：生物、物种、生态系统或基因的多样性",
                ),
            ),
            _c(
                "partial",
                _t(
                    "Partly correct: nature or environment in general",
                    "Partiellement correcte : la nature ou l'environnement en général",
                    "Parcialmente correcta: la naturaleza o el medio ambiente en general",
                    "Частично верно: природа или окружающая среда в целом",
                    "صحيح جزئياً: الطبيعة أو البيئة عموماً",
                    "部分正确：泛指自然或环境",
                ),
            ),
            _c(
                "incorrect",
                _t(
                    "Incorrect or unrelated",
                    "Incorrecte ou sans rapport",
                    "Incorrecta o sin relación",
                    "Неверно или не по теме",
                    "غير صحيح أو لا صلة له",
                    "不正确或无关",
                ),
            ),
        ],
    },
    {
        "name": "bio_importance",
        "choices": _scale(
            (
                "very_important",
                _t(
                    "Very important",
                    "Très important",
                    "Muy importante",
                    "Очень важно",
                    "مهم جداً",
                    "非常重要",
                ),
            ),
            (
                "fairly_important",
                _t(
                    "Fairly important",
                    "Plutôt important",
                    "Bastante importante",
                    "Довольно важно",
                    "مهم إلى حد ما",
                    "比较重要",
                ),
            ),
            (
                "not_very_important",
                _t(
                    "Not very important",
                    "Pas très important",
                    "No muy importante",
                    "Не очень важно",
                    "غير مهم كثيراً",
                    "不太重要",
                ),
            ),
            (
                "not_at_all_important",
                _t(
                    "Not at all important",
                    "Pas du tout important",
                    "Nada importante",
                    "Совсем не важно",
                    "غير مهم على الإطلاق",
                    "完全不重要",
                ),
            ),
        ),
    },
    {
        "name": "agree5",
        "choices": [
            _c(
                c["code"],
                {k: v for k, v in c["label"].items() if k in UN},
                anchored=c.get("anchored", False),
            )
            for c in preset_choices("agree5")
        ],
    },
    {
        "name": "bio_value_rows",
        "choices": [
            _c(
                "health",
                _t(
                    "Biodiversity is essential for people's health and well-being",
                    "La biodiversité est essentielle à la santé et au bien-être des personnes",
                    "La biodiversidad es esencial para la salud y el bienestar de las personas",
                    "Биоразнообразие необходимо для здоровья и благополучия людей",
                    "التنوع البيولوجي ضروري لصحة الناس ورفاههم",
                    "生物多样性对人类的健康和福祉至关重要",
                ),
            ),
            _c(
                "economy",
                _t(
                    "Biodiversity is important for the economy and for people's livelihoods",
                    "La biodiversité est importante pour l'économie et les moyens de subsistance",
                    "La biodiversidad es importante para la economía y los medios de vida",
                    "Биоразнообразие важно для экономики и средств к существованию людей",
                    "التنوع البيولوجي مهم للاقتصاد ولسبل عيش الناس",
                    "生物多样性对经济和人们的生计很重要",
                ),
            ),
            _c(
                "intrinsic",
                _t(
                    "Nature has a value of its own, whatever its use to people",
                    "La nature a une valeur en soi, quelle que soit son utilité pour l'homme",
                    "La naturaleza tiene un valor propio, más allá de su utilidad para las personas",
                    "Природа ценна сама по себе, независимо от её пользы для людей",
                    "للطبيعة قيمة في ذاتها، بغض النظر عن فائدتها للناس",
                    "无论对人是否有用，自然本身都有价值",
                ),
            ),
            _c(
                "culture",
                _t(
                    "Nature is part of our culture, traditions and identity",
                    "La nature fait partie de notre culture, de nos traditions et de notre identité",
                    "La naturaleza forma parte de nuestra cultura, tradiciones e identidad",
                    "Природа — часть нашей культуры, традиций и самобытности",
                    "الطبيعة جزء من ثقافتنا وتقاليدنا وهويتنا",
                    "自然是我们文化、传统和身份认同的一部分",
                ),
            ),
        ],
    },
    {
        "name": "bio_informed",
        "choices": _scale(
            (
                "very_well",
                _t(
                    "Very well informed",
                    "Très bien informé(e)",
                    "Muy bien informado/a",
                    "Очень хорошо осведомлён(а)",
                    "مطّلع جيداً جداً",
                    "非常了解",
                ),
            ),
            (
                "fairly_well",
                _t(
                    "Fairly well informed",
                    "Plutôt bien informé(e)",
                    "Bastante bien informado/a",
                    "Достаточно осведомлён(а)",
                    "مطّلع إلى حد ما",
                    "比较了解",
                ),
            ),
            (
                "not_very_well",
                _t(
                    "Not very well informed",
                    "Pas très bien informé(e)",
                    "No muy bien informado/a",
                    "Не очень осведомлён(а)",
                    "غير مطّلع كثيراً",
                    "不太了解",
                ),
            ),
            (
                "not_at_all",
                _t(
                    "Not informed at all",
                    "Pas du tout informé(e)",
                    "Nada informado/a",
                    "Совсем не осведомлён(а)",
                    "غير مطّلع على الإطلاق",
                    "完全不了解",
                ),
            ),
        ),
    },
    {
        "name": "bio_steps",
        "choices": [
            _c(
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
            _c(
                "save_water_energy",
                _t(
                    "Save water and energy",
                    "Économiser l'eau et l'énergie",
                    "Ahorrar agua y energía",
                    "Экономлю воду и энергию",
                    "أوفّر المياه والطاقة",
                    "节约用水和能源",
                ),
            ),
            _c(
                "buy_sustainable",
                _t(
                    "Buy products that respect nature (eco-labelled, sustainably sourced)",
                    "Acheter des produits respectueux de la nature (écolabels, sources durables)",
                    "Comprar productos que respetan la naturaleza (con ecoetiqueta, de origen sostenible)",
                    "Покупаю товары, бережные к природе (с экомаркировкой, из устойчивых источников)",
                    "أشتري منتجات تحترم الطبيعة (تحمل علامة بيئية أو من مصادر مستدامة)",
                    "购买尊重自然的产品（生态标签、可持续来源）",
                ),
            ),
            _c(
                "eat_local",
                _t(
                    "Eat local and seasonal food",
                    "Manger local et de saison",
                    "Comer alimentos locales y de temporada",
                    "Ем местные и сезонные продукты",
                    "أتناول أطعمة محلية وموسمية",
                    "吃本地的应季食物",
                ),
            ),
            _c(
                "plant_native",
                _t(
                    "Plant native species or make space for wildlife",
                    "Planter des espèces locales ou laisser de la place à la faune",
                    "Plantar especies nativas o dejar espacio a la vida silvestre",
                    "Сажаю местные растения или оставляю место для диких животных",
                    "أزرع أنواعاً محلية أو أترك مساحة للحياة البرية",
                    "种植本地物种或为野生动物留出空间",
                ),
            ),
            _c(
                "avoid_pesticides",
                _t(
                    "Avoid pesticides and chemicals",
                    "Éviter les pesticides et les produits chimiques",
                    "Evitar plaguicidas y productos químicos",
                    "Избегаю пестицидов и химикатов",
                    "أتجنب المبيدات والمواد الكيميائية",
                    "避免使用农药和化学品",
                ),
            ),
            _c(
                "volunteer",
                _t(
                    "Volunteer or donate for nature",
                    "Faire du bénévolat ou des dons pour la nature",
                    "Hacer voluntariado o donar por la naturaleza",
                    "Участвую в волонтёрстве или жертвую на охрану природы",
                    "أتطوع أو أتبرع من أجل الطبيعة",
                    "为保护自然做志愿者或捐款",
                ),
            ),
            _c(
                "talk_others",
                _t(
                    "Talk with others about protecting nature",
                    "Parler avec d'autres de la protection de la nature",
                    "Hablar con otras personas sobre proteger la naturaleza",
                    "Обсуждаю с другими защиту природы",
                    "أتحدث مع الآخرين عن حماية الطبيعة",
                    "与他人谈论保护自然",
                ),
            ),
            _c("none", NONE_OF_THESE, exclusive=True, anchored=True),
        ],
    },
    {
        "name": "bio_willing",
        "choices": _scale(
            (
                "very_willing",
                _t(
                    "Very willing",
                    "Tout à fait prêt(e)",
                    "Muy dispuesto/a",
                    "Полностью готов(а)",
                    "مستعد جداً",
                    "非常愿意",
                ),
            ),
            (
                "fairly_willing",
                _t(
                    "Fairly willing",
                    "Plutôt prêt(e)",
                    "Bastante dispuesto/a",
                    "Скорее готов(а)",
                    "مستعد إلى حد ما",
                    "比较愿意",
                ),
            ),
            (
                "not_very_willing",
                _t(
                    "Not very willing",
                    "Pas vraiment prêt(e)",
                    "Poco dispuesto/a",
                    "Скорее не готов(а)",
                    "غير مستعد كثيراً",
                    "不太愿意",
                ),
            ),
            (
                "not_at_all_willing",
                _t(
                    "Not willing at all",
                    "Pas du tout prêt(e)",
                    "Nada dispuesto/a",
                    "Совсем не готов(а)",
                    "غير مستعد على الإطلاق",
                    "完全不愿意",
                ),
            ),
        ),
    },
    {
        "name": "bio_sources",
        "choices": [
            _c(
                "tv_radio",
                _t(
                    "Television or radio",
                    "Télévision ou radio",
                    "Televisión o radio",
                    "Телевидение или радио",
                    "التلفزيون أو الإذاعة",
                    "电视或广播",
                ),
            ),
            _c(
                "press",
                _t(
                    "Newspapers and magazines",
                    "Journaux et magazines",
                    "Periódicos y revistas",
                    "Газеты и журналы",
                    "الصحف والمجلات",
                    "报纸和杂志",
                ),
            ),
            _c(
                "internet",
                _t(
                    "News websites",
                    "Sites d'information",
                    "Sitios web de noticias",
                    "Новостные сайты",
                    "المواقع الإخبارية",
                    "新闻网站",
                ),
            ),
            _c(
                "social_media",
                _t(
                    "Social media",
                    "Réseaux sociaux",
                    "Redes sociales",
                    "Социальные сети",
                    "وسائل التواصل الاجتماعي",
                    "社交媒体",
                ),
            ),
            _c(
                "school",
                _t(
                    "School, university or training",
                    "École, université ou formation",
                    "Escuela, universidad o formación",
                    "Школа, университет или обучение",
                    "المدرسة أو الجامعة أو التدريب",
                    "学校、大学或培训",
                ),
            ),
            _c(
                "ngo",
                _t(
                    "Environmental organisations",
                    "Associations de protection de l'environnement",
                    "Organizaciones ambientales",
                    "Природоохранные организации",
                    "المنظمات البيئية",
                    "环保组织",
                ),
            ),
            _c(
                "government",
                _t(
                    "Government or local authorities",
                    "Pouvoirs publics ou collectivités locales",
                    "Gobierno o autoridades locales",
                    "Государственные или местные органы власти",
                    "الحكومة أو السلطات المحلية",
                    "政府或地方当局",
                ),
            ),
            _c(
                "community",
                _t(
                    "Family, friends or community leaders",
                    "Famille, amis ou responsables communautaires",
                    "Familia, amistades o líderes comunitarios",
                    "Семья, друзья или лидеры общины",
                    "الأسرة أو الأصدقاء أو قادة المجتمع",
                    "家人、朋友或社区领袖",
                ),
            ),
            _c("none", NONE_OF_THESE, exclusive=True, anchored=True),
        ],
    },
    {
        "name": "age_group",
        "choices": [
            _c("15_24", _t("15–24", "15–24 ans", "15–24", "15–24", "15–24", "15–24 岁")),
            _c("25_39", _t("25–39", "25–39 ans", "25–39", "25–39", "25–39", "25–39 岁")),
            _c("40_54", _t("40–54", "40–54 ans", "40–54", "40–54", "40–54", "40–54 岁")),
            _c("55_64", _t("55–64", "55–64 ans", "55–64", "55–64", "55–64", "55–64 岁")),
            _c(
                "65_plus",
                _t(
                    "65 or older",
                    "65 ans ou plus",
                    "65 o más",
                    "65 и старше",
                    "65 أو أكثر",
                    "65 岁及以上",
                ),
            ),
            _c("no_answer", NO_ANSWER, anchored=True),
        ],
    },
    {
        "name": "sex",
        "choices": [
            _c("female", _t("Woman", "Femme", "Mujer", "Женщина", "امرأة", "女")),
            _c("male", _t("Man", "Homme", "Hombre", "Мужчина", "رجل", "男")),
            _c(
                "other",
                _t(
                    "Another identity",
                    "Autre identité",
                    "Otra identidad",
                    "Другое",
                    "هوية أخرى",
                    "其他",
                ),
            ),
            _c("no_answer", NO_ANSWER, anchored=True),
        ],
    },
    {
        "name": "region",
        "choices": [
            _c(
                "capital",
                _t(
                    "Capital region",
                    "Région de la capitale",
                    "Región de la capital",
                    "Столичный регион",
                    "منطقة العاصمة",
                    "首都地区",
                ),
            ),
            _c(
                "other_regions",
                _t(
                    "Other regions",
                    "Autres régions",
                    "Otras regiones",
                    "Другие регионы",
                    "مناطق أخرى",
                    "其他地区",
                ),
            ),
        ],
    },
    {
        "name": "education",
        "choices": [
            _c(
                "primary_or_less",
                _t(
                    "Primary school or less",
                    "École primaire ou moins",
                    "Primaria o menos",
                    "Начальное или ниже",
                    "التعليم الابتدائي أو أقل",
                    "小学及以下",
                ),
            ),
            _c(
                "secondary",
                _t(
                    "Secondary school",
                    "École secondaire",
                    "Secundaria",
                    "Среднее",
                    "التعليم الثانوي",
                    "中学",
                ),
            ),
            _c(
                "tertiary",
                _t(
                    "University or higher",
                    "Université ou plus",
                    "Universidad o superior",
                    "Высшее",
                    "التعليم الجامعي أو أعلى",
                    "大学及以上",
                ),
            ),
            _c("no_answer", NO_ANSWER, anchored=True),
        ],
    },
    {
        "name": "residence",
        "choices": [
            _c(
                "urban",
                _t(
                    "In a city or town",
                    "En ville",
                    "En una ciudad o pueblo grande",
                    "В городе",
                    "في مدينة أو بلدة",
                    "城镇",
                ),
            ),
            _c(
                "rural",
                _t(
                    "In a rural area or village",
                    "À la campagne ou dans un village",
                    "En una zona rural o aldea",
                    "В сельской местности",
                    "في منطقة ريفية أو قرية",
                    "农村或村庄",
                ),
            ),
        ],
    },
    {
        "name": "target_group",
        "choices": [
            _c(
                "youth",
                _t(
                    "Young person (15–24) or student",
                    "Jeune (15–24 ans) ou étudiant(e)",
                    "Joven (15–24) o estudiante",
                    "Молодёжь (15–24) или учащиеся",
                    "شاب (15–24) أو طالب",
                    "青年（15–24 岁）或学生",
                ),
            ),
            _c(
                "indigenous_local",
                _t(
                    "Member of an indigenous people or local community",
                    "Membre d'un peuple autochtone ou d'une communauté locale",
                    "Miembro de un pueblo indígena o comunidad local",
                    "Представитель коренного народа или местной общины",
                    "فرد من شعب أصلي أو مجتمع محلي",
                    "土著人民或地方社区成员",
                ),
            ),
            _c(
                "business",
                _t(
                    "Working in business",
                    "Travaille en entreprise",
                    "Trabaja en una empresa",
                    "Работаю в бизнесе",
                    "أعمل في قطاع الأعمال",
                    "在企业工作",
                ),
            ),
            _c(
                "local_authority",
                _t(
                    "Working for a local or subnational authority",
                    "Travaille pour une collectivité locale ou régionale",
                    "Trabaja para una autoridad local o subnacional",
                    "Работаю в местных или региональных органах власти",
                    "أعمل لدى سلطة محلية أو دون وطنية",
                    "在地方或次国家政府工作",
                ),
            ),
            _c(
                "educator",
                _t(
                    "Teacher or educator",
                    "Enseignant(e) ou éducateur/éducatrice",
                    "Docente o educador/a",
                    "Учитель или педагог",
                    "معلم أو مربٍّ",
                    "教师或教育工作者",
                ),
            ),
            _c(
                "media",
                _t(
                    "Working in the media",
                    "Travaille dans les médias",
                    "Trabaja en medios de comunicación",
                    "Работаю в СМИ",
                    "أعمل في وسائل الإعلام",
                    "在媒体工作",
                ),
            ),
            _c("none", NONE_OF_THESE, exclusive=True, anchored=True),
        ],
    },
]

AICHI_SECTIONS: list[dict[str, Any]] = [
    {
        "code": "aichi_awareness",
        "title": _t(
            "Biodiversity and you",
            "La biodiversité et vous",
            "La biodiversidad y usted",
            "Биоразнообразие и вы",
            "التنوع البيولوجي وأنت",
            "生物多样性与您",
        ),
        "relevance": "",
        "questions": [
            _q(
                "bio_heard",
                "single",
                _t(
                    "Have you ever heard of the word “biodiversity”?",
                    "Avez-vous déjà entendu le mot « biodiversité » ?",
                    "¿Ha oído alguna vez la palabra «biodiversidad»?",
                    "Слышали ли вы когда-нибудь слово «биоразнообразие»?",
                    "هل سمعت من قبل بكلمة «التنوع البيولوجي»؟",
                    "您听说过“生物多样性”这个词吗？",
                ),
                choice_list="bio_heard",
                required=True,
            ),
            _q(
                "bio_meaning",
                "long_text",
                _t(
                    "In your own words, what does biodiversity mean to you?",
                    "Avec vos propres mots, que signifie pour vous la biodiversité ?",
                    "Con sus propias palabras, ¿qué significa para usted la biodiversidad?",
                    "Своими словами: что для вас означает биоразнообразие?",
                    "بكلماتك الخاصة، ماذا يعني لك التنوع البيولوجي؟",
                    "请用您自己的话说说，生物多样性对您意味着什么？",
                ),
                relevance="${bio_heard} = 'heard_know' or ${bio_heard} = 'heard_not_know'",
                settings={"max_length": 1000, "coding_frame": "bio_meaning_code"},
            ),
            _q(
                "bio_importance",
                "single",
                _t(
                    "How important to you personally is halting the loss of biodiversity?",
                    "Dans quelle mesure est-il important pour vous, personnellement, d'enrayer la perte de biodiversité ?",
                    "¿Qué importancia tiene para usted personalmente detener la pérdida de biodiversidad?",
                    "Насколько лично для вас важно остановить утрату биоразнообразия?",
                    "ما مدى أهمية وقف فقدان التنوع البيولوجي بالنسبة لك شخصياً؟",
                    "遏制生物多样性丧失对您个人来说有多重要？",
                ),
                choice_list="bio_importance",
            ),
        ],
    },
    {
        "code": "aichi_values",
        "title": _t(
            "What nature means",
            "Ce que la nature représente",
            "Lo que significa la naturaleza",
            "Что значит природа",
            "ماذا تعني الطبيعة",
            "自然的意义",
        ),
        "relevance": "",
        "questions": [
            _q(
                "bio_values",
                "matrix",
                _t(
                    "How much do you agree or disagree with each statement?",
                    "Dans quelle mesure êtes-vous d'accord avec chacune de ces affirmations ?",
                    "¿En qué medida está de acuerdo o en desacuerdo con cada afirmación?",
                    "Насколько вы согласны или не согласны с каждым утверждением?",
                    "إلى أي مدى توافق أو لا توافق على كل عبارة؟",
                    "您在多大程度上同意或不同意以下每种说法？",
                ),
                choice_list="agree5",
                rows_list="bio_value_rows",
            ),
            _q(
                "bio_informed",
                "single",
                _t(
                    "How well informed do you feel about the loss of biodiversity?",
                    "Vous sentez-vous informé(e) sur la perte de biodiversité ?",
                    "¿Qué tan informado/a se siente sobre la pérdida de biodiversidad?",
                    "Насколько хорошо вы осведомлены об утрате биоразнообразия?",
                    "إلى أي مدى تشعر بأنك مطّلع على فقدان التنوع البيولوجي؟",
                    "您觉得自己对生物多样性丧失的情况了解多少？",
                ),
                choice_list="bio_informed",
            ),
        ],
    },
    {
        "code": "aichi_action",
        "title": _t(
            "What you do",
            "Ce que vous faites",
            "Lo que hace",
            "Что вы делаете",
            "ما تفعله",
            "您的行动",
        ),
        "relevance": "",
        "questions": [
            _q(
                "bio_steps",
                "multiple",
                _t(
                    "Which of these do you do, or would you do, to protect biodiversity?",
                    "Lesquelles de ces actions faites-vous, ou feriez-vous, pour protéger la biodiversité ?",
                    "¿Cuáles de estas cosas hace, o haría, para proteger la biodiversidad?",
                    "Что из этого вы делаете или готовы делать для защиты биоразнообразия?",
                    "أيٌّ مما يلي تفعله أو قد تفعله لحماية التنوع البيولوجي؟",
                    "为了保护生物多样性，您做了或愿意做以下哪些事？",
                ),
                choice_list="bio_steps",
                settings={"other": True},
            ),
            _q(
                "bio_willing",
                "single",
                _t(
                    "How willing are you to do more to protect biodiversity?",
                    "Dans quelle mesure êtes-vous prêt(e) à en faire plus pour protéger la biodiversité ?",
                    "¿Qué tan dispuesto/a está a hacer más para proteger la biodiversidad?",
                    "Насколько вы готовы делать больше для защиты биоразнообразия?",
                    "ما مدى استعدادك لبذل المزيد لحماية التنوع البيولوجي؟",
                    "您在多大程度上愿意为保护生物多样性做更多的事？",
                ),
                choice_list="bio_willing",
            ),
            _q(
                "bio_sources",
                "multiple",
                _t(
                    "Where do you mainly get information about nature and biodiversity?",
                    "Où trouvez-vous principalement des informations sur la nature et la biodiversité ?",
                    "¿Dónde obtiene principalmente información sobre la naturaleza y la biodiversidad?",
                    "Откуда вы в основном получаете информацию о природе и биоразнообразии?",
                    "من أين تحصل أساساً على المعلومات عن الطبيعة والتنوع البيولوجي؟",
                    "您主要从哪里获取有关自然和生物多样性的信息？",
                ),
                choice_list="bio_sources",
            ),
        ],
    },
    {
        "code": "aichi_profile",
        "title": _t("About you", "À propos de vous", "Sobre usted", "О вас", "عنك", "关于您"),
        "relevance": "",
        "questions": [
            _q(
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
            _q(
                "sex",
                "single",
                _t("Are you…", "Vous êtes…", "Usted es…", "Вы…", "هل أنت…", "您是……"),
                choice_list="sex",
            ),
            _q(
                "region",
                "single",
                _t(
                    "In which region do you live?",
                    "Dans quelle région vivez-vous ?",
                    "¿En qué región vive?",
                    "В каком регионе вы живёте?",
                    "في أي منطقة تعيش؟",
                    "您住在哪个地区？",
                ),
                choice_list="region",
                hint=_t(
                    "Your agency replaces these with the country's regions.",
                    "Votre organisme remplace ces choix par les régions du pays.",
                    "Su organismo sustituye estas opciones por las regiones del país.",
                    "Ваше ведомство заменяет эти варианты регионами страны.",
                    "تستبدل هيئتك هذه الخيارات بمناطق البلد.",
                    "贵机构会将这些选项替换为本国的地区。",
                ),
            ),
            _q(
                "education",
                "single",
                _t(
                    "What is the highest level of education you have completed?",
                    "Quel est le plus haut niveau d'études que vous avez terminé ?",
                    "¿Cuál es el nivel de estudios más alto que ha completado?",
                    "Какой у вас самый высокий законченный уровень образования?",
                    "ما أعلى مستوى تعليمي أكملته؟",
                    "您完成的最高教育程度是？",
                ),
                choice_list="education",
            ),
            _q(
                "residence",
                "single",
                _t(
                    "Do you live…",
                    "Vous vivez…",
                    "Usted vive…",
                    "Вы живёте…",
                    "هل تعيش…",
                    "您住在……",
                ),
                choice_list="residence",
            ),
            _q(
                "target_group",
                "multiple",
                _t(
                    "Do any of these describe you?",
                    "L'une de ces descriptions vous correspond-elle ?",
                    "¿Alguna de estas descripciones le corresponde?",
                    "Относится ли к вам что-либо из перечисленного?",
                    "هل ينطبق عليك أيٌّ مما يلي؟",
                    "以下哪些描述符合您的情况？",
                ),
                choice_list="target_group",
            ),
        ],
    },
]

MODULES = {
    "aichi_t1": {
        "name": _("Aichi Biodiversity Target 1: awareness, values and action"),
        "description": _(
            "The standard module of decision XII/2: awareness of biodiversity, of its values "
            "and of the steps people can take, with a profile block for weighting. "
            "Translated into the six UN languages."
        ),
        "sections": AICHI_SECTIONS,
        "lists": AICHI_LISTS,
    }
}


def module(name: str) -> dict[str, Any]:
    return MODULES[name]


def standard_question(code: str) -> dict[str, Any] | None:
    """The bank's version of a standard question, to spot edited wording."""
    for definition in MODULES.values():
        for section in definition["sections"]:
            for question in section["questions"]:
                if question["code"] == code:
                    return question
    return None
