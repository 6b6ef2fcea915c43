"""Writes the XLSForm test files of this folder. Run: python tests/data/xlsform/build.py

Each file is a small, hand-written form for one import story; the expected
outcome of each is asserted in tests/survey/test_xlsform.py.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def write(name: str, sheets: dict[str, list[list[object]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(HERE / name)


EN, FR, AR = "English (en)", "French (fr)", "Arabic (ar)"

write(
    "multilingual.xlsx",
    {
        "survey": [
            [
                "type",
                "name",
                f"label::{EN}",
                f"label::{FR}",
                f"label::{AR}",
                f"hint::{EN}",
                f"hint::{FR}",
                f"hint::{AR}",
                "required",
                "relevant",
                "constraint",
                f"constraint_message::{EN}",
                f"constraint_message::{FR}",
                f"constraint_message::{AR}",
                "choice_filter",
            ],
            [
                "begin group",
                "about",
                "About you",
                "Vous",
                "عنك",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "integer",
                "age",
                "How old are you?",
                "Quel âge avez-vous ?",
                "كم عمرك؟",
                "In years",
                "En années",
                "بالسنوات",
                "yes",
                "",
                ". >= 15 and . <= 120",
                "Between 15 and 120",
                "Entre 15 et 120",
                "بين 15 و120",
                "",
            ],
            [
                "select_one region",
                "region",
                "Region?",
                "Région ?",
                "المنطقة؟",
                "",
                "",
                "",
                "yes",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one district",
                "district",
                "District?",
                "District ?",
                "المقاطعة؟",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "region = ${region}",
            ],
            ["end group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            [
                "begin group",
                "views",
                "Your views",
                "Vos opinions",
                "آراؤك",
                "",
                "",
                "",
                "",
                "${age} >= 18",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one aware",
                "aware",
                "Heard of biodiversity?",
                "Entendu parler de la biodiversité ?",
                "هل سمعت بالتنوع البيولوجي؟",
                "",
                "",
                "",
                "yes",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "text",
                "meaning",
                "What does it mean?",
                "Qu'est-ce que cela veut dire ?",
                "ماذا يعني؟",
                "",
                "",
                "",
                "",
                "${aware} = 'yes'",
                "",
                "",
                "",
                "",
                "",
            ],
            ["end group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        ],
        "choices": [
            ["list_name", "name", f"label::{EN}", f"label::{FR}", f"label::{AR}", "region"],
            ["region", "coast", "Coast", "Côte", "الساحل", ""],
            ["region", "hills", "Hills", "Collines", "التلال", ""],
            ["district", "kilifi", "Kilifi", "Kilifi", "كيليفي", "coast"],
            ["district", "nyeri", "Nyeri", "Nyeri", "نييري", "hills"],
            ["aware", "yes", "Yes", "Oui", "نعم", ""],
            ["aware", "no", "No", "Non", "لا", ""],
        ],
        "settings": [
            ["form_title", "form_id", "default_language", "version"],
            ["Biodiversity and you", "bio_you", EN, "2026110101"],
        ],
    },
)

write(
    "every_type.xlsx",
    {
        "survey": [
            [
                "type",
                "name",
                "label",
                "required",
                "calculation",
                "default",
                "parameters",
                "appearance",
            ],
            ["note", "welcome", "Welcome", "", "", "", "", ""],
            ["select_one yn", "consent", "Do you agree?", "yes", "", "", "", ""],
            [
                "select_multiple steps or_other",
                "steps",
                "What do you do?",
                "",
                "",
                "",
                "randomize=true",
                "",
            ],
            ["integer", "age", "Age", "", "", "", "", ""],
            ["decimal", "spend", "Amount", "", "", "", "", ""],
            ["text", "comment", "Comment", "", "", "", "", "multiline"],
            ["date", "day", "Date", "", "", "", "", ""],
            ["rank sources", "sources", "Rank the sources", "", "", "", "", ""],
            ["range", "concern", "How worried are you?", "", "", "", "start=0 end=10 step=1", ""],
            ["calculate", "n_steps", "", "", "count-selected(${steps})", "", "", ""],
            ["hidden", "channel", "", "", "", "web", "", ""],
            ["acknowledge", "ready", "Ready to start?", "", "", "", "", ""],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["yn", "yes", "Yes"],
            ["yn", "no", "No"],
            ["steps", "recycle", "Recycle"],
            ["steps", "plant", "Plant"],
            ["sources", "tv", "TV"],
            ["sources", "school", "School"],
        ],
        "settings": [["form_title", "default_language"], ["Every type", "English (en)"]],
    },
)

write(
    "mixed_case_headers.xlsx",
    {
        "Survey": [
            ["Type", "Name", "Label::English (en)", "Label::Français (fr)", "REQUIRED", "Relevant"],
            ["select_one yn", "informed", "Informed?", "Informé ?", "TRUE", ""],
            ["text", "why", "Why?", "Pourquoi ?", "", "${informed} = 'no'"],
        ],
        "Choices": [
            ["List_Name", "Name", "Label::English (en)", "Label::Français (fr)"],
            ["yn", "yes", "Yes", "Oui"],
            ["yn", "no", "No", "Non"],
        ],
        "Settings": [["Form_Title", "Default_Language"], ["Mixed case", "English (en)"]],
    },
)

write(
    "nested_groups.xlsx",
    {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["integer", "age", "Age", ""],
            ["begin group", "outer", "Outer page", "${age} > 10"],
            ["text", "a", "A", ""],
            ["begin group", "inner", "Inner block", "${age} > 20"],
            ["text", "b", "B", "${a} != ''"],
            ["end group", "", "", ""],
            ["end group", "", "", ""],
        ],
    },
)

write(
    "unsupported_type.xlsx",
    {
        "survey": [
            ["type", "name", "label"],
            ["text", "name_q", "Name"],
            ["integer", "age", "Age"],
            ["geopoint", "where", "Where are you?"],
        ],
    },
)

write(
    "repeat.xlsx",
    {
        "survey": [
            ["type", "name", "label"],
            ["begin repeat", "children", "Children"],
            ["text", "child", "Name"],
            ["end repeat", "", ""],
        ],
    },
)

write(
    "broken_expression.xlsx",
    {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["integer", "age", "Age", ""],
            ["text", "why", "Why?", "${age} >"],
        ],
    },
)

write(
    "duplicate_name.xlsx",
    {
        "survey": [
            ["type", "name", "label"],
            ["integer", "age", "Age"],
            ["text", "comment", "Comment"],
            ["integer", "age", "Age again"],
        ],
    },
)

write(
    "missing_list.xlsx",
    {
        "survey": [["type", "name", "label"], ["select_one nowhere", "q", "Q"]],
        "choices": [["list_name", "name", "label"], ["other_list", "a", "A"]],
    },
)
