"""XLSForm files from KoboToolbox/ODK come in, our surveys go out, and nothing is lost."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape
from pyxform.xls2xform import convert

from accounts.models import Role
from survey.models import QuestionType, Survey
from survey.serialization import survey_from_dict, survey_to_dict
from survey.services import survey_import_xlsform, version_export_xlsform
from survey.xlsform import XLSFormRefused, dict_to_xlsform, metadata_left_out, parse_xlsform
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "xlsform"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_a_multilingual_form_with_groups_relevance_constraints_and_a_choice_filter():
    data = parse_xlsform(read("multilingual.xlsx"))
    assert data["languages"] == ["en", "fr", "ar"]
    assert data["default_language"] == "en"
    assert data["title"] == {"en": "Biodiversity and you"}
    assert [s["code"] for s in data["sections"]] == ["about", "views"]
    assert data["sections"][0]["title"] == {"en": "About you", "fr": "Vous", "ar": "عنك"}
    assert data["sections"][1]["relevance"] == "${age} >= 18"
    age, _region, district = data["sections"][0]["questions"]
    assert age["hint"] == {"en": "In years", "fr": "En années", "ar": "بالسنوات"}
    assert age["required"] is True
    assert age["constraint"] == ". >= 15 and . <= 120"
    assert age["constraint_message"]["ar"] == "بين 15 و120"
    assert district["choice_filter"] == "region = ${region}"
    districts = next(cl for cl in data["choice_lists"] if cl["name"] == "district")
    assert districts["choices"][0]["properties"] == {"region": "coast"}
    assert data["sections"][1]["questions"][1]["relevance"] == "${aware} = 'yes'"


def test_every_supported_type_is_imported():
    data = parse_xlsform(read("every_type.xlsx"))
    types = {q["code"]: q["type"] for s in data["sections"] for q in s["questions"]}
    assert types == {
        "welcome": QuestionType.NOTE,
        "consent": QuestionType.SINGLE,
        "steps": QuestionType.MULTIPLE,
        "age": QuestionType.INTEGER,
        "spend": QuestionType.DECIMAL,
        "comment": QuestionType.LONG_TEXT,
        "day": QuestionType.DATE,
        "sources": QuestionType.RANKING,
        "concern": QuestionType.RATING,
        "n_steps": QuestionType.CALCULATE,
        "channel": QuestionType.HIDDEN,
        "ready": QuestionType.SINGLE,
    }
    questions = {q["code"]: q for s in data["sections"] for q in s["questions"]}
    assert questions["steps"]["settings"] == {"other": True, "randomize": True}
    assert questions["concern"]["settings"] == {"min": 0, "max": 10}
    assert questions["n_steps"]["calculation"] == "count-selected(${steps})"
    assert questions["channel"]["default"] == "web"


def test_mixed_case_headers_and_sheet_names_are_read():
    data = parse_xlsform(read("mixed_case_headers.xlsx"))
    informed, why = data["sections"][0]["questions"]
    assert informed["text"] == {"en": "Informed?", "fr": "Informé ?"}
    assert informed["required"] is True
    assert why["relevance"] == "${informed} = 'no'"
    assert data["languages"] == ["en", "fr"]


def test_nested_groups_pass_their_relevance_to_their_questions():
    data = parse_xlsform(read("nested_groups.xlsx"))
    assert [s["code"] for s in data["sections"]] == ["page_1", "outer"]
    assert data["sections"][1]["relevance"] == "${age} > 10"
    b = data["sections"][1]["questions"][1]
    assert b["relevance"] == "${age} > 20 and (${a} != '')"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unsupported_type.xlsx",
            ["survey sheet, row 4: the type “geopoint” is not supported here."],
        ),
        (
            "repeat.xlsx",
            [
                "survey sheet, row 2: the type “begin repeat” is not supported here.",
                "survey sheet, row 4: the type “end repeat” is not supported here.",
            ],
        ),
        (
            "broken_expression.xlsx",
            ["survey sheet, row 3: relevant: The expression ends too early. (at character 9)"],
        ),
        ("duplicate_name.xlsx", ["survey sheet, row 4: the name “age” is already used in row 2."]),
        (
            "missing_list.xlsx",
            ["survey sheet, row 2: the choice list “nowhere” is not in the choices sheet."],
        ),
    ],
)
def test_refused_forms_name_the_sheet_and_row(name, expected, agency):
    with pytest.raises(XLSFormRefused) as refused:
        survey_import_xlsform(data=read(name), agency=agency, by=None)
    assert [str(p) for p in refused.value.problems] == expected
    assert not Survey.objects.exists()  # nothing half-imported


def test_export_then_import_gives_an_equal_survey(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    exported = version_export_xlsform(version=version)
    imported = survey_import_xlsform(data=exported, agency=agency, by=None)
    assert survey_to_dict(imported) == survey_to_dict(version)


def test_texts_that_start_like_formulas_are_exported_as_texts_and_come_back(agency):
    # openpyxl would write "=…" as a formula: a spreadsheet would run it, and our own
    # importer refuses formulas, so the exported form would not come back in.
    data = every_feature()
    question = data["sections"][0]["questions"][0]
    question["text"] = dict.fromkeys(data["languages"], "=HYPERLINK(1)")
    data["choice_lists"][0]["choices"][0]["label"]["en"] = "=5 or more"
    version = survey_from_dict(data, agency=agency, by=None)
    exported = version_export_xlsform(version=version)
    book = openpyxl.load_workbook(io.BytesIO(exported))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "=5 or more" in [c.value for c in cells]
    imported = survey_import_xlsform(data=exported, agency=agency, by=None)
    assert survey_to_dict(imported) == survey_to_dict(version)


@pytest.mark.parametrize(
    "name", ["multilingual.xlsx", "every_type.xlsx", "mixed_case_headers.xlsx"]
)
def test_imported_forms_survive_export_and_reimport(name, agency):
    first = survey_import_xlsform(data=read(name), agency=agency, by=None)
    again = survey_import_xlsform(
        data=version_export_xlsform(version=first), agency=agency, by=None
    )
    assert survey_to_dict(again) == survey_to_dict(first)


def test_an_exported_form_converts_with_pyxform_without_errors():
    warnings: list[str] = []
    result = convert(
        xlsform=io.BytesIO(dict_to_xlsform(every_feature())), file_type=".xlsx", warnings=warnings
    )
    assert "<h:html" in result.xform
    assert 'ref="/data/views/aware"' in result.xform
    assert "jr:itext" in result.xform  # the translations are in the XForm


def test_the_commands_import_and_export(tmp_path, agency, capsys):
    call_command("import_xlsform", str(DATA / "multilingual.xlsx"), "--agency", str(agency.pk))
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    survey = Survey.objects.get(pk=summary["survey"])
    assert summary == {
        "survey": survey.pk,
        "version": survey.versions.get().pk,
        "questions": 5,
        "languages": ["en", "fr", "ar"],
        "left_out": [],
    }
    out = tmp_path / "out.xlsx"
    call_command("export_xlsform", str(summary["version"]), str(out))
    assert parse_xlsform(out.read_bytes())["languages"] == ["en", "fr", "ar"]


def test_the_import_command_exits_1_with_the_problems(agency, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_xlsform", str(DATA / "unsupported_type.xlsx"), "--agency", str(agency.pk)
        )
    assert exit_.value.code == 1
    assert "row 4" in capsys.readouterr().err


# ----------------------------------------------------------- bad files


def _workbook(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


def _no_survey_sheet(workbook):
    workbook.active.title = "choices"
    workbook.active.append(["list_name", "name", "label"])


def _empty_rows(workbook):
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for row in range(2, 10_002):
        sheet.cell(row=row, column=1, value=" ")


def _formula(workbook):
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["integer", "age", '=CONCAT("Ag", "e")'])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 this is a pdf", "not an Excel .xlsx file"),
        (_zip_not_xlsx(), "not an Excel workbook"),
        (_workbook(_no_survey_sheet), "no “survey” sheet"),
        (_workbook(_empty_rows), "more than 5000 rows"),
        (_workbook(_formula), "cell C2 holds a formula"),
        (b"\0" * (50 * 1024 * 1024), "the limit is 10.0 MB"),
    ],
    ids=["not-a-zip", "zip-not-xlsx", "no-survey-sheet", "10000-empty-rows", "formula", "50MB"],
)
def test_bad_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(data)
    assert message in str(refused.value.problems[0])


def test_the_upload_limit_is_configurable(settings):
    settings.XLSFORM_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(read("multilingual.xlsx"))
    assert "the limit is 0.0 MB" in str(refused.value.problems[0])


def test_a_designer_uploads_a_form_in_the_browser(client, agency, member_factory, login):
    from django.urls import reverse

    login(member_factory(Role.DESIGNER, agency=agency))
    upload = reverse("survey:import", args=[agency.pk])
    with (DATA / "multilingual.xlsx").open("rb") as handle:
        response = client.post(upload, {"file": handle, "name": "From Kobo"})
    assert response.status_code == 302
    survey = Survey.objects.get(name="From Kobo")
    assert survey.versions.get().questions.count() == 5
    with (DATA / "unsupported_type.xlsx").open("rb") as handle:
        refused = client.post(upload, {"file": handle, "name": "Bad"})
    assert refused.status_code == 200
    assert "row 4" in refused.content.decode()
    assert not Survey.objects.filter(name="Bad").exists()
    download = client.get(
        reverse("survey:export_xlsform", args=[survey.pk, survey.versions.get().pk])
    )
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert parse_xlsform(
        b"".join(download.streaming_content) if download.streaming else download.content
    )


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    client, agency, member_factory, login, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.XLSFORM_MAX_UPLOAD_BYTES = 1024 * 1024
    login(member_factory(Role.DESIGNER, agency=agency))
    big = SimpleUploadedFile("big.xlsx", b"\0" * (2 * 1024 * 1024))
    response = client.post(reverse("survey:import", args=[agency.pk]), {"file": big})
    assert response.status_code == 200
    assert "the limit is 1.0 MB" in response.content.decode()
    assert not Survey.objects.exists()


def _too_long(workbook):
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "appearance", "default"])
    survey.append(["select_one " + "l" * 65, "q1", "Q?", "a" * 101, ""])
    survey.append(["integer", "q2", "N?", "", "9" * 201])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["l" * 65, "yes please", "Yes"])
    choices.append(["l" * 65, "c" * 300, "No"])


def test_codes_and_settings_longer_than_the_database_keeps_are_refused():
    # PostgreSQL refused them with a server error; SQLite kept a list name of any length.
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(_workbook(_too_long))
    assert [str(p) for p in refused.value.problems] == [
        f"choices sheet: “{'l' * 65}” is not a valid code.",
        "choices sheet: “yes please” is not a valid code.",
        f"choices sheet: “{'c' * 69}…” is not a valid code.",
        "survey sheet, row 2: q1: the appearance is longer than 100 characters.",
        "survey sheet, row 3: q2: the default value is longer than 200 characters.",
    ]
    with translation.override("ru"), pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(_workbook(_too_long))
    assert "q1: оформление длиннее 100 символов." in str(refused.value.problems[3])


def _from_kobo(workbook):
    # KoboToolbox's form builder puts start and end in every form; many add more.
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "calculation"])
    for metadata in ("start", "end", "today", "deviceid", "username", "audit"):
        survey.append([metadata, metadata, "", ""])
    survey.append(["integer", "age", "How old are you?", ""])
    survey.append(["calculate", "__version__", "", "'vGk8Qm'"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "version"])
    settings.append(["Biodiversity and you", "vGk8Qm"])


def test_a_form_from_kobo_comes_in_without_the_rows_the_phone_fills_in(
    client, agency, member_factory, login
):
    left_out: list[str] = []
    data = parse_xlsform(_workbook(_from_kobo), left_out=left_out)
    assert [q["code"] for s in data["sections"] for q in s["questions"]] == ["age", "__version__"]
    assert left_out == ["start", "end", "today", "deviceid", "username", "audit"]
    # The designer is told what was left out, and why nothing is lost, in their language.
    from django.urls import reverse

    login(member_factory(Role.DESIGNER, agency=agency))
    upload = SimpleUploadedFile("kobo.xlsx", _workbook(_from_kobo))
    imported = client.post(
        reverse("survey:import", args=[agency.pk]).replace("/en/", "/fr/"),
        {"file": upload, "name": "Kobo"},
        follow=True,
    )
    said = imported.content.decode()
    assert Survey.objects.get(name="Kobo").versions.get().questions.count() == 2
    assert "start, end, today, deviceid, username, audit" in said
    with translation.override("fr"):
        assert escape(metadata_left_out(left_out)) in said
    assert "Non importé" in said


def _kobo_rating(workbook):
    # KoboToolbox's "Rating" question as its form builder exports it (French and English).
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label::English (en)",
            "label::French (fr)",
            "required",
            "relevant",
            "kobo--score-choices",
        ]
    )
    survey.append(["start", "start", "", "", "", "", ""])
    survey.append(
        ["select_one yes_no", "heard", "Heard of biodiversity?", "Entendu ?", "true", "", ""]
    )
    survey.append(
        [
            "begin_score",
            "attitudes",
            "How much do you agree?",
            "Êtes-vous d'accord ?",
            "true",
            "${heard} = 'yes'",
            "agree",
        ]
    )
    survey.append(
        ["score__row", "nature_matters", "Nature matters", "La nature compte", "", "", ""]
    )
    survey.append(["score__row", "act_now", "We must act now", "Il faut agir", "", "", ""])
    survey.append(["end_score", "", "", "", "", "", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::French (fr)"])
    choices.append(["yes_no", "yes", "Yes", "Oui"])
    choices.append(["yes_no", "no", "No", "Non"])
    for code, en, fr in (("1", "Disagree", "Pas d'accord"), ("2", "Agree", "D'accord")):
        choices.append(["agree", code, en, fr])


def test_a_kobo_rating_comes_in_as_a_matrix_that_answers_and_exports(agency):
    version = survey_import_xlsform(data=_workbook(_kobo_rating), agency=agency, by=None)
    data = survey_to_dict(version)
    _heard, attitudes = data["sections"][0]["questions"]
    assert attitudes["type"] == QuestionType.MATRIX and attitudes["required"] is True
    assert attitudes["text"] == {"en": "How much do you agree?", "fr": "Êtes-vous d'accord ?"}
    assert attitudes["relevance"] == "${heard} = 'yes'"
    assert attitudes["choice_list"] == "agree"
    rows = next(cl for cl in data["choice_lists"] if cl["name"] == attitudes["rows_list"])
    assert [(r["code"], r["label"]["fr"]) for r in rows["choices"]] == [
        ("nature_matters", "La nature compte"),
        ("act_now", "Il faut agir"),
    ]
    # As any matrix: one answer per statement, and out again as standard XLSForm.
    from survey.checks import answer_keys

    assert {"attitudes_nature_matters", "attitudes_act_now"} <= set(answer_keys(data))
    again = survey_import_xlsform(
        data=version_export_xlsform(version=version), agency=agency, by=None
    )
    assert survey_to_dict(again) == data
    convert(xlsform=io.BytesIO(version_export_xlsform(version=version)), file_type=".xlsx")


def _rating(*, scale: str, closed: bool):
    def build(workbook):
        survey = workbook.active
        survey.title = "survey"
        survey.append(["type", "name", "label", "kobo--score-choices"])
        survey.append(["begin_score", "attitudes", "Agree?", scale])
        survey.append(["score__row", "a", "A", ""])
        if closed:
            survey.append(["end_score", "", "", ""])
        choices = workbook.create_sheet("choices")
        choices.append(["list_name", "name", "label"])
        choices.append(["agree", "1", "Agree"])

    return build


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (_rating(scale="agree", closed=False), "row 2: a “begin_score” is never closed."),
        (
            _rating(scale="", closed=True),
            "row 2: a rating needs the list of its scale in the column “kobo--score-choices”.",
        ),
        (
            _rating(scale="agreement", closed=True),
            "row 2: the choice list “agreement” is not in the choices sheet.",
        ),
    ],
)
def test_a_kobo_rating_without_its_scale_or_its_end_is_refused_with_the_row(build, problem):
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(_workbook(build))
    assert [str(p) for p in refused.value.problems] == [f"survey sheet, {problem}"]


def _kobo_rating_unnamed(workbook):
    # As KoboToolbox's form builder keeps a rating until it deploys the form: no names.
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "kobo--score-choices"])
    survey.append(["begin_score", "", "Do you agree?", "agree"])
    for label in ("Forests matter", "Écoles vertes", "الطبيعة مهمة", "Forests matter"):
        survey.append(["score__row", "", label, ""])
    survey.append(["end_score", "", "", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["agree", "1", "Agree"])


def test_a_kobo_rating_left_unnamed_gets_codes_from_its_labels():
    data = parse_xlsform(_workbook(_kobo_rating_unnamed))
    (rating,) = data["sections"][0]["questions"]
    assert rating["code"] == "rating_2"
    rows = next(cl for cl in data["choice_lists"] if cl["name"] == "rating_2_rows")
    assert [row["code"] for row in rows["choices"]] == [
        "forests_matter",
        "ecoles_vertes",
        "row_3",
        "forests_matter_4",
    ]
