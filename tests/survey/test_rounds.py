"""Designers open rounds, add collectors, print QR codes, invite people and follow progress."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import Role
from survey import fieldwork, invitations, services
from survey.models import Collector, Invitation, Response, Round, RoundStatus
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    return services.survey_publish(version=version, by=None)


@pytest.fixture
def designer_client(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    return client


def test_a_designer_opens_a_round_with_a_public_link(designer_client, published):
    url = reverse("survey:round_create", args=[published.survey_id, published.pk])
    response = designer_client.post(
        url, {"label": "Baseline 2026", "sample_type": "open", "target_responses": "500"}
    )
    round_ = Round.objects.get()
    assert response["Location"] == reverse("survey:round", args=[published.survey_id, round_.pk])
    page = designer_client.get(response["Location"]).content.decode()
    collector = round_.collectors.get()
    assert f"/r/{collector.token}/" in page
    assert "&lt;iframe src=" in page  # the embed snippet, ready to copy
    # The frame is named for the public by the survey's title, not the agency's label.
    assert f"title=&quot;{published.title['en']}&quot;" in page
    assert len(collector.token) >= 20
    # Its name says what it is: the kind is not said twice ("Public link · Public link").
    assert re.search(r"<h3>Public link <span class=\"muted\"></span></h3>", page)


def test_the_embed_snippet_names_the_frame_in_the_collectors_language(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="Baseline")
    fieldwork.collector_create(round_=round_, name="Site du ministère", preset_language="fr")
    page = designer_client.get(
        reverse("survey:round", args=[published.survey_id, round_.pk])
    ).content.decode()
    assert f"title=&quot;{escape(published.title['fr'])}&quot;" in page
    assert "title=&quot;Site du ministère&quot;" not in page


def test_the_embed_snippet_brings_the_script_that_fits_the_frame(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="Baseline")
    page = designer_client.get(
        reverse("survey:round", args=[published.survey_id, round_.pk])
    ).content.decode()
    # From the survey's own site, at an address that stays when the script changes.
    assert "&lt;script src=&quot;http://testserver/r/embed.js&quot; async&gt;" in page
    script = Client().get("/r/embed.js")
    assert script.status_code == 302
    assert script["Location"].endswith(".js") and "/static/" in script["Location"]
    assert "max-age=86400" in script["Cache-Control"]


def test_a_draft_cannot_be_fielded(designer_client, agency):
    draft = survey_from_dict(every_feature(), agency=agency, by=None)
    response = designer_client.post(
        reverse("survey:round_create", args=[draft.survey_id, draft.pk]),
        {"label": "x", "sample_type": "open"},
        follow=True,
    )
    assert "Only a published version can be fielded." in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("kind", "content_type", "signature"),
    [("svg", "image/svg+xml", b"<svg"), ("png", "image/png", b"\x89PNG")],
)
def test_qr_codes_download_as_svg_and_png(
    designer_client, published, kind, content_type, signature
):
    round_ = fieldwork.round_create(version=published, label="R")
    collector = round_.collectors.get()
    response = designer_client.get(
        reverse("survey:collector_qr", args=[published.survey_id, round_.pk, collector.pk, kind])
    )
    assert response["Content-Type"] == content_type
    assert signature in response.content[:200]
    assert response["Content-Disposition"] == f'attachment; filename="qr-r-public-link.{kind}"'
    if kind == "png":  # big enough to print: width and height from the PNG header
        width, height = struct.unpack(">II", response.content[16:24])
        assert width == height >= 1000


def test_a_qr_code_scans_from_print_with_the_standard_quiet_zone_and_a_readable_name(
    designer_client, published
):
    round_ = fieldwork.round_create(version=published, label="Référence 2026")
    collector = fieldwork.collector_create(round_=round_, name="Écoles, région X")
    url = reverse("survey:collector_qr", args=[published.survey_id, round_.pk, collector.pk, "svg"])
    response = designer_client.get(url)
    assert (
        "filename*=utf-8''qr-r%C3%A9f%C3%A9rence-2026-%C3%A9coles-r%C3%A9gion-x.svg"
        in (response["Content-Disposition"])
    )
    # Four modules of white on every side: the drawing starts four modules in.
    svg = response.content.decode()
    size = len(segno.make(f"http://testserver/r/{collector.token}/", error="m").matrix)
    assert f'width="{(size + 2 * 4) * 8}"' in svg
    assert 'd="M4 4.5h' in svg


def test_collectors_are_added_paused_and_the_round_closed(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    base = (published.survey_id, round_.pk)
    designer_client.post(
        reverse("survey:collector_add", args=base),
        {
            "name": "Schools in Coast",
            "kind": "qr",
            "preset_target_group": "youth",
            "preset_language": "fr",
        },
    )
    schools = Collector.objects.get(name="Schools in Coast")
    assert (schools.preset_target_group, schools.preset_language) == ("youth", "fr")
    round_page = designer_client.get(reverse("survey:round", args=base)).content.decode()
    assert '<span lang="fr">Français</span>' in round_page  # its name, not its code
    designer_client.post(reverse("survey:collector_toggle", args=[*base, schools.pk]))
    schools.refresh_from_db()
    assert not schools.active and schools.paused_at is not None
    designer_client.post(reverse("survey:round_close", args=base))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    designer_client.post(reverse("survey:round_status", args=base), {"status": "open"})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED  # a closed round stays closed


def test_closing_a_round_asks_first_and_says_what_it_ends(designer_client, published, mailoutbox):
    round_ = fieldwork.round_create(version=published, label="Baseline")
    base = (published.survey_id, round_.pk)
    link = round_.collectors.get()
    _responses(round_, [(link, "in_progress", None), (link, "in_progress", None)])
    _responses(round_, [(link, "complete", 300)], first=2)
    mailing = fieldwork.collector_create(round_=round_, name="Schools", kind="email")
    invitations.invitations_send(
        collector=mailing,
        addresses=["ana@example.org", "li@example.org", "omar@example.org"],
        link_for=lambda token: f"/i/{token}/",
        keep_for_reminders=True,
    )
    round_page = designer_client.get(reverse("survey:round", args=base)).content.decode()
    assert reverse("survey:round_close", args=base) in round_page

    # The round page's button, or an old page's form, leads to the question, not the close.
    asked = designer_client.post(reverse("survey:round_status", args=base), {"status": "closed"})
    assert asked["Location"] == reverse("survey:round_close", args=base)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    page = designer_client.get(asked["Location"]).content.decode()
    assert "Closing cannot be undone" in page
    assert "2 people have started and not finished" in page
    assert "grace period of 120 minutes" in page
    assert "3 invitations have not been answered" in page
    assert "3 email addresses kept for reminders are erased now" in page
    assert Invitation.objects.exclude(email="").count() == 3  # asking changed nothing

    done = designer_client.post(reverse("survey:round_close", args=base), follow=True)
    assert "The round is closed." in done.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert Invitation.objects.exclude(email="").count() == 0
    again = designer_client.get(reverse("survey:round_close", args=base), follow=True)
    assert "A closed round stays closed" in again.content.decode()


def test_the_closing_question_is_asked_in_arabic_with_its_plural(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="Baseline")
    _responses(round_, [(round_.collectors.get(), "in_progress", None)])
    with translation.override("ar"):
        url = reverse("survey:round_close", args=[published.survey_id, round_.pk])
    page = designer_client.get(url).content.decode()
    assert 'dir="rtl"' in page
    assert "إغلاق الجولة «Baseline»؟" in page
    assert "بدأ شخص واحد (1) ولم ينهِ" in page  # Arabic's own form for one
    assert "مهلة الإنهاء البالغة 120 دقيقة" in page


def invite(collector, **fields):
    """The invitation form's fields, under its collector's prefix."""
    return {f"invite-{collector.pk}-{name}": value for name, value in fields.items()}


def test_invitations_from_pasted_text_and_a_csv(designer_client, published, mailoutbox):
    round_ = fieldwork.round_create(version=published, label="R")
    email = fieldwork.collector_create(round_=round_, name="Mailing", kind="email")
    url = reverse("survey:collector_invite", args=[published.survey_id, round_.pk, email.pk])
    # An export from a spreadsheet: names and headings beside the addresses.
    csv_file = SimpleUploadedFile(
        "list.csv", b"name,email\nJane,b@example.org\nJoe,not-an@address\n"
    )
    response = designer_client.post(
        url,
        invite(email, addresses="a@example.org, A@example.org, jane.example.org", file=csv_file),
        follow=True,
    )
    html = response.content.decode()
    assert "2 invitations sent, 2 addresses not valid." in html
    assert "Not valid: not-an@address, jane.example.org" in html  # named, to correct
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    again = designer_client.post(url, invite(email, addresses="a@example.org"), follow=True)
    assert "0 invitations sent, 1 address already invited." in again.content.decode()
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}


@pytest.mark.parametrize(
    "pasted",
    [
        # From a mail program's To line, a quoted name holding a comma.
        'Amina Yusuf <a@example.org>; "Li, Bo" <b@example.org>; Tom',
        "ａ＠example.org，b@example.org、Tom",  # a Chinese keyboard in full width
        "a@example.org، b@example.org، Tom",  # Arabic commas
        "a@example.org b@example.org\nTom",  # one line, by spaces
    ],
)
def test_addresses_pasted_from_a_mail_program_or_typed_on_any_keyboard_are_read(
    designer_client, published, mailoutbox, pasted
):
    round_ = fieldwork.round_create(version=published, label="R")
    email = fieldwork.collector_create(round_=round_, name="Mailing", kind="email")
    url = reverse("survey:collector_invite", args=[published.survey_id, round_.pk, email.pk])
    page = designer_client.post(url, invite(email, addresses=pasted), follow=True)
    html = page.content.decode()
    assert "2 invitations sent, 1 address not valid." in html
    assert "Not valid: Tom" in html  # a name without its address is still reported
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]


def test_address_lists_saved_as_unicode_text_or_xlsx_are_read(
    designer_client, published, mailoutbox
):
    round_ = fieldwork.round_create(version=published, label="R")
    email = fieldwork.collector_create(round_=round_, name="Mailing", kind="email")
    url = reverse("survey:collector_invite", args=[published.survey_id, round_.pk, email.pk])
    utf16 = SimpleUploadedFile(
        "list.txt",
        "email\tname\nc@example.org\tÉlodie\nｆ＠ｅｘａｍｐｌｅ.org\t王芳\n".encode("utf-16"),
    )
    designer_client.post(url, invite(email, file=utf16))
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email"])
    book.active.append(["Amina", "d@example.org"])
    handle = io.BytesIO()
    book.save(handle)
    designer_client.post(
        url, invite(email, file=SimpleUploadedFile("list.xlsx", handle.getvalue()))
    )
    assert [m.to[0] for m in mailoutbox] == ["c@example.org", "f@example.org", "d@example.org"]


def _zip_of_text() -> bytes:
    """A real zip file, renamed .xlsx: not a workbook."""
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w") as archive:
        archive.writestr("addresses.txt", "a@example.org")
    return handle.getvalue()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Paste email addresses or choose a file."),
        ({"addresses": "jane.example.org\nbob@"}, "No valid email address was found."),
        (
            {"file": ("list.xlsx", b"PK\x03\x04 not really a workbook")},
            "This is not an Excel .xlsx file.",
        ),
        ({"file": ("list.xlsx", _zip_of_text())}, "This zip file is not an Excel workbook."),
        ({"file": ("list.pdf", b"%PDF-1.7")}, "Choose a CSV or XLSX file."),
        ({"file": ("names.csv", b"name\nJane\nJoe\n")}, "No valid email address was found."),
        (
            {"file": ("big.csv", b"a@example.org\n" * 200_000)},
            "The file is larger than 2 MB",
        ),
    ],
)
def test_a_bad_address_list_is_refused_next_to_its_field_and_nothing_typed_is_lost(
    designer_client, published, mailoutbox, fields, message
):
    round_ = fieldwork.round_create(version=published, label="R")
    email = fieldwork.collector_create(round_=round_, name="Mailing", kind="email")
    url = reverse("survey:collector_invite", args=[published.survey_id, round_.pk, email.pk])
    if "file" in fields:
        fields = {**fields, "file": SimpleUploadedFile(*fields["file"])}
        fields.setdefault("addresses", "typed but not enough")
    page = designer_client.post(url, invite(email, keep_for_reminders="on", **fields))
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    assert 'id="error-summary"' in html
    assert "<details open>" in html  # the form stays open, with what was typed
    if fields.get("addresses"):
        assert escape(fields["addresses"]) in html
    assert re.search(rf'name="invite-{email.pk}-keep_for_reminders"[^>]* checked', html)
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_two_email_collectors_on_one_page_do_not_share_field_ids(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    first = fieldwork.collector_create(round_=round_, name="Teachers", kind="email")
    second = fieldwork.collector_create(round_=round_, name="Mayors", kind="email")
    page = designer_client.get(reverse("survey:round", args=[published.survey_id, round_.pk]))
    ids = re.findall(r' id="([^"]+)"', page.content.decode())
    assert len(ids) == len(set(ids))
    assert f'id="id_invite-{first.pk}-addresses"' in page.content.decode()
    assert f'id="id_invite-{second.pk}-addresses"' in page.content.decode()


def test_a_collector_without_a_name_is_refused_with_the_choices_kept(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    url = reverse("survey:collector_add", args=[published.survey_id, round_.pk])
    page = designer_client.post(
        url, {"name": "  ", "kind": "link", "preset_target_group": "educators"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "This field is required." in html
    assert re.search(r'<option value="educators" selected>', html)
    assert round_.collectors.count() == 1  # the public link only


def _responses(round_, rows, first: int = 0) -> None:
    for i, (collector, status, duration) in enumerate(rows, start=first):
        Response.objects.create(
            round=round_,
            version=round_.version,
            collector=collector,
            start_nonce=f"p{i}",
            language="en",
            status=status,
            duration_seconds=duration,
            target_group=collector.preset_target_group,
            receipt_code=f"P{i}",
        )


def test_progress_counts_per_collector_and_target_group(published):
    round_ = fieldwork.round_create(version=published, label="R", target_responses=10)
    link = round_.collectors.get()
    youth = fieldwork.collector_create(round_=round_, name="Youth", preset_target_group="youth")
    fieldwork.collector_create(round_=round_, name="Youth", preset_target_group="youth")
    fieldwork.collector_create(round_=round_, name="Schools", preset_target_group="educators")
    _responses(
        round_,
        [
            (link, "complete", 300),
            (link, "in_progress", None),
            (youth, "complete", 500),
            (youth, "complete", 700),
        ],
    )
    progress = fieldwork.round_progress(round_=round_)
    assert (progress["total"].started, progress["total"].completed, progress["total"].rate) == (
        4,
        3,
        75.0,
    )
    assert [(r.label, r.started, r.completed) for r in progress["collectors"]] == [
        ("Public link", 2, 1),
        ("Schools", 0, 0),  # nobody yet: the channel the agency must look at
        ("Youth", 2, 2),
        ("Youth", 0, 0),  # same name, another collector: counted apart
    ]
    assert [(r.label, r.completed) for r in progress["groups"]] == [
        ("No target group set", 1),
        ("Youth", 2),
    ]
    assert progress["median_seconds"] == 500
    assert progress["median_text"] == "8 min 20 s".replace(" ", "\N{NO-BREAK SPACE}")
    assert progress["target_share"] == 30.0


def test_the_round_page_names_target_groups_and_durations_in_the_readers_language(
    designer_client, published
):
    round_ = fieldwork.round_create(version=published, label="R")
    youth = fieldwork.collector_create(round_=round_, name="Jeunes", preset_target_group="youth")
    _responses(round_, [(round_.collectors.first(), "complete", 45), (youth, "complete", 45)])
    Response.objects.update(submitted_at=timezone.now())
    with translation.override("zh-hans"):
        url = reverse("survey:round", args=[published.survey_id, round_.pk])
    page = designer_client.get(url).content.decode()
    assert "<td>青年</td>" in page
    assert "<td>未设定目标群体</td>" in page
    assert "中位时长 45\N{NO-BREAK SPACE}秒" in page
    # The day of the per-day table in the Chinese order ("星期四 26 十一月" before).
    assert re.search(r"<td>\d{1,2}月\d{1,2}日 星期.</td>", page)
    with translation.override("ar"):
        assert fieldwork.duration_text(541) == "9 د 1 ث".replace(" ", "\N{NO-BREAK SPACE}")
        arabic = designer_client.get(url.replace("/zh-hans/", "/ar/")).content.decode()
    # Completion rates as each language writes a percentage.
    assert "<td>100.0%</td>" in page
    assert "<td>100,0٪</td>" in arabic


def test_a_collector_is_named_as_a_thing_in_chinese_and_russian(designer_client, published):
    # "Name" was one message for a person and a collector: "姓名" and "Имя" are a person's.
    round_ = fieldwork.round_create(version=published, label="R")
    for language, word in (("zh-hans", "名称"), ("ru", "Название")):
        with translation.override(language):
            url = reverse("survey:round", args=[published.survey_id, round_.pk])
        page = designer_client.get(url).content.decode()
        assert re.search(rf'<label for="id_name"[^>]*>{word}', page)
        assert "姓名" not in page and ">Имя" not in page


def test_the_round_page_writes_its_dates_in_arabic_order(designer_client, published):
    # Django has no Arabic date-and-time format: it used the English order with
    # Arabic words ("يونيو 5, 2027, 9:00 ص").
    round_ = fieldwork.round_create(version=published, label="R")
    round_.opens_at = datetime(2027, 6, 5, 9, 0, tzinfo=UTC)
    round_.save()
    with translation.override("ar"):
        url = reverse("survey:round", args=[published.survey_id, round_.pk])
    page = designer_client.get(url).content.decode()
    assert re.search(r"تُفتح 5 يونيو، 2027، \d{1,2}:00 [صم]", page)


def test_the_round_page_counts_responses_flagged_for_quality_per_collector(
    designer_client, published
):
    # A link shared on social media draws speeders and bots: the agency sees it while
    # there is time to act, and reaches the indicators without them.
    round_ = fieldwork.round_create(version=published, label="R")
    link = round_.collectors.get()
    social = fieldwork.collector_create(round_=round_, name="Social media")
    _responses(
        round_, [(link, "complete", 600), (social, "complete", 30), (social, "complete", 20)]
    )
    flags = {"p1": ["speeder", "duplicate"], "p2": ["speeder"]}
    for nonce, kinds in flags.items():
        Response.objects.filter(start_nonce=nonce).update(quality_flags=kinds)
    _responses(round_, [(social, "in_progress", None)], first=3)
    Response.objects.filter(start_nonce="p3").update(quality_flags=["speeder"])  # not complete

    progress = fieldwork.round_progress(round_=round_)
    assert progress["total"].flagged == 2
    assert [(row.label, row.flagged) for row in progress["collectors"]] == [
        ("Public link", 0),
        ("Social media", 2),
    ]
    assert [(str(label), n) for _code, label, n in progress["flags"]] == [
        ("too fast", 2),
        ("likely duplicate", 1),
    ]
    page = designer_client.get(reverse("survey:round", args=[published.survey_id, round_.pk]))
    html = page.content.decode()
    assert "2 completed responses are flagged for quality: too fast 2, likely duplicate 1." in html
    assert reverse("analytics:round_indicators", args=[round_.pk]) + "?exclude_flagged=1" in html


def test_viewers_see_progress_but_cannot_change_fieldwork(
    client, agency, member_factory, login, published
):
    round_ = fieldwork.round_create(version=published, label="R")
    login(member_factory(Role.VIEWER, agency=agency))
    base = (published.survey_id, round_.pk)
    assert client.get(reverse("survey:round", args=base)).status_code == 200
    assert (
        client.post(reverse("survey:round_status", args=base), {"status": "paused"}).status_code
        == 403
    )
    assert client.get(reverse("survey:round_close", args=base)).status_code == 403
    assert client.post(reverse("survey:round_close", args=base)).status_code == 403
    assert (
        client.post(
            reverse("survey:collector_add", args=base), {"name": "x", "kind": "link"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("survey:round_update", args=base), {"change-label": "x"}).status_code
        == 403
    )
    public = round_.collectors.get()
    rename = reverse("survey:collector_rename", args=[*base, public.pk])
    assert client.post(rename, {f"name-{public.pk}-name": "x"}).status_code == 403
    assert "Rename" not in client.get(reverse("survey:round", args=base)).content.decode()
    public.refresh_from_db()
    assert public.name == "Public link"


def test_another_agency_gets_404_for_rounds(client, other_agency, member_factory, login, published):
    round_ = fieldwork.round_create(version=published, label="R")
    login(member_factory(Role.MANAGER, agency=other_agency))
    assert (
        client.get(reverse("survey:round", args=[published.survey_id, round_.pk])).status_code
        == 404
    )
    public = round_.collectors.get()
    rename = reverse("survey:collector_rename", args=[published.survey_id, round_.pk, public.pk])
    assert client.post(rename, {f"name-{public.pk}-name": "Hijacked"}).status_code == 404
    public.refresh_from_db()
    assert public.name == "Public link"


def test_address_list_errors_are_in_the_designers_language(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    email = fieldwork.collector_create(round_=round_, name="Mailing", kind="email")
    with translation.override("ar"):
        url = reverse("survey:collector_invite", args=[published.survey_id, round_.pk, email.pk])
    bad = SimpleUploadedFile("list.xlsx", b"not a workbook")
    html = designer_client.post(url, invite(email, file=bad)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "هذا ليس ملف Excel بصيغة" in html


def test_a_designer_extends_fieldwork_and_the_link_opens_again(designer_client, published):
    now = timezone.now()
    round_ = fieldwork.round_create(
        version=published, label="R", opens_at=now - timedelta(days=30), closes_at=now
    )
    page_url = reverse("survey:round", args=[published.survey_id, round_.pk])
    assert "Ended on its closing date" in designer_client.get(page_url).content.decode()
    # The list of rounds on the version page says so too, not the stored "Open".
    version_page = reverse("survey:version", args=[published.survey_id, published.pk])
    listed = designer_client.get(version_page).content.decode()
    assert re.search(r"status-ended\">Ended on its closing date</span></li>", listed)
    link = reverse("respond:entry", args=[round_.collectors.get().token])
    assert "This survey is closed" in Client().get(link).content.decode()

    # Typed, and shown, in the Kenyan agency's time: Nairobi's.
    nairobi = ZoneInfo("Africa/Nairobi")
    later = (now + timedelta(days=14)).astimezone(nairobi)
    changed = designer_client.post(
        reverse("survey:round_update", args=[published.survey_id, round_.pk]),
        {
            "change-label": "R, extended",
            "change-opens_at": (now - timedelta(days=30))
            .astimezone(nairobi)
            .strftime("%Y-%m-%dT%H:%M"),
            "change-closes_at": later.strftime("%Y-%m-%dT%H:%M"),
            "change-target_responses": "800",
            "change-grace_minutes": "60",
        },
        follow=True,
    )
    html = changed.content.decode()
    assert "The round is changed." in html
    assert ">Open</span>" in html
    round_.refresh_from_db()
    assert (round_.label, round_.target_responses, round_.grace_minutes) == ("R, extended", 800, 60)
    assert round_.closes_at.replace(second=0, microsecond=0) == later.replace(
        second=0, microsecond=0
    )
    # The change form shows the stored dates in the browser's picker format.
    assert f'value="{later.strftime("%Y-%m-%dT%H:%M")}"' in html
    assert 'name="consent"' in Client().get(link).content.decode()


def test_a_round_cannot_close_before_it_opens_and_what_was_typed_stays(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    page = designer_client.post(
        reverse("survey:round_update", args=[published.survey_id, round_.pk]),
        {
            "change-label": "Renamed",
            "change-opens_at": "2027-03-10T09:30",
            "change-closes_at": "2027-03-01T09:30",
            "change-grace_minutes": "-5",
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "The round must close after it opens." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert 'value="2027-03-10T09:30"' in html and 'value="Renamed"' in html
    round_.refresh_from_db()
    assert round_.label == "R"


def test_a_closed_round_cannot_be_changed(designer_client, published):
    round_ = fieldwork.round_create(version=published, label="R")
    fieldwork.round_set_status(round_=round_, status=RoundStatus.CLOSED)
    url = reverse("survey:round_update", args=[published.survey_id, round_.pk])
    page = designer_client.get(reverse("survey:round", args=[published.survey_id, round_.pk]))
    assert url not in page.content.decode()
    refused = designer_client.post(
        url,
        {"change-label": "X", "change-opens_at": "2026-01-01T00:00", "change-grace_minutes": "0"},
    )
    assert refused.status_code == 302
    assert (
        "A closed round stays closed" in designer_client.get(refused["Location"]).content.decode()
    )
    round_.refresh_from_db()
    assert round_.label == "R"


def test_a_scheduled_round_says_so_with_its_dates_in_chinese(designer_client, published):
    opens = timezone.now() + timedelta(days=3)
    round_ = fieldwork.round_create(version=published, label="R", opens_at=opens)
    with translation.override("zh-hans"):
        html = designer_client.get(
            reverse("survey:round", args=[published.survey_id, round_.pk])
        ).content.decode()
    assert '<span class="status status-scheduled">尚未开启</span>' in html
    assert "无截止日期" in html
    assert "宽限期 120 分钟" in html
    assert "时间采用 Africa/Nairobi 时区。" in html  # the Kenyan agency's


def _unfinished(round_, page, answers, idle, number):
    response = Response.objects.create(
        round=round_,
        version=round_.version,
        collector=round_.collectors.get(),
        start_nonce=f"u{number}",
        language="en",
        answers=answers,
        page=page,
        receipt_code=f"U{number}",
    )
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now() - idle)


def test_the_round_page_shows_on_which_page_unfinished_responses_stop(designer_client, agency):
    data = every_feature()
    data["sections"][1]["relevance"] = "${age} >= 18"  # page 2 only for adults
    data["sections"][2]["relevance"] = ""
    version = services.survey_publish(
        version=survey_from_dict(data, agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(version=version, label="R")
    adult, minor = {"age": 30}, {"age": 16}
    _unfinished(round_, 1, {}, timedelta(minutes=5), 1)
    _unfinished(round_, 2, adult, timedelta(minutes=5), 2)
    _unfinished(round_, 2, adult, timedelta(days=2), 3)
    # A 16-year-old's second page is the questionnaire's third: counted there.
    _unfinished(round_, 2, minor, timedelta(days=3), 4)
    stops = fieldwork.round_stops(round_=round_)
    assert [(r.number, r.title, r.answering, r.stopped) for r in stops] == [
        (1, "About you", 1, 0),
        (2, "", 1, 1),
        (3, "", 0, 1),
    ]
    with translation.override("fr"):
        assert fieldwork.round_stops(round_=round_)[0].title == "Vous"
        url = reverse("survey:round", args=[version.survey_id, round_.pk])
    page = designer_client.get(url).content.decode()
    assert "Réponses inachevées, selon la page où elles en sont" in page
    assert '<td>1</td><td><bdi lang="fr">Vous</bdi></td><td>1</td><td>0</td>' in page
    assert "<td>3</td><td>—</td><td>0</td><td>1</td>" in page
    # Without relevance on any page, SQL counts by page number: the same figures.
    data["sections"][1]["relevance"] = ""
    plain = fieldwork.round_create(
        version=services.survey_publish(
            version=survey_from_dict(data, agency=agency, by=None), by=None
        ),
        label="Plain",
    )
    _unfinished(plain, 1, {}, timedelta(minutes=5), 5)
    _unfinished(plain, 2, adult, timedelta(minutes=5), 6)
    _unfinished(plain, 2, adult, timedelta(days=2), 7)
    _unfinished(plain, 3, minor, timedelta(days=3), 8)
    assert [(r.number, r.answering, r.stopped) for r in fieldwork.round_stops(round_=plain)] == [
        (1, 1, 0),
        (2, 1, 1),
        (3, 0, 1),
    ]
    with translation.override("ar"):
        arabic = designer_client.get(
            reverse("survey:round", args=[version.survey_id, round_.pk])
        ).content.decode()
    assert '<bdi lang="en">About you</bdi>' in arabic  # the survey has no Arabic title


def test_the_round_page_counts_completed_responses_day_by_day_in_the_agencys_time(
    designer_client, published
):
    round_ = fieldwork.round_create(version=published, label="R")
    link = round_.collectors.get()
    _responses(round_, [(link, "complete", 60)] * 4)
    nairobi = ZoneInfo("Africa/Nairobi")
    today = timezone.now().astimezone(nairobi).replace(hour=12, minute=0)
    for response, when in zip(
        Response.objects.order_by("pk"),
        [today, today, today - timedelta(days=3), today - timedelta(days=30)],
        strict=True,
    ):
        Response.objects.filter(pk=response.pk).update(submitted_at=when)
    days = fieldwork.round_days(round_=round_, zone="Africa/Nairobi", days=14)
    # From the first day with a response within the fortnight; days without one listed.
    assert [(row.day, row.completed) for row in days] == [
        ((today - timedelta(days=n)).date(), count) for n, count in [(3, 1), (2, 0), (1, 0), (0, 2)]
    ]
    assert {row.busiest for row in days} == {2}
    with translation.override("zh-hans"):
        url = reverse("survey:round", args=[published.survey_id, round_.pk])
    page = designer_client.get(url).content.decode()
    assert "最近 4 天每天完成的答卷" in page
    assert '<meter min="0" max="2" value="0" aria-hidden="true">' in page
    empty = fieldwork.round_create(version=published, label="Nobody yet")
    assert fieldwork.round_days(round_=empty, zone="UTC") == []
    assert fieldwork.round_stops(round_=empty) == []


@pytest.mark.parametrize(
    ("lang", "required"), [("en", "This field is required."), ("ar", "هذا الحقل مطلوب.")]
)
def test_a_designer_renames_a_mistyped_collector_and_its_link_stays(
    designer_client, published, lang, required
):
    round_ = fieldwork.round_create(version=published, label="R")
    mistyped = fieldwork.collector_create(round_=round_, name="Instagram campain")
    other = round_.collectors.exclude(pk=mistyped.pk).get()
    with translation.override(lang):
        rename = reverse(
            "survey:collector_rename", args=[published.survey_id, round_.pk, mistyped.pk]
        )
    # An empty name is refused next to its field, in the designer's language; nothing changes.
    refused = designer_client.post(rename, {f"name-{mistyped.pk}-name": "  "})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert required in html and f'id="id_name-{mistyped.pk}-name"' in html
    assert f'id="id_name-{other.pk}-name"' in html  # each card has its own field
    # Sent back in the agency's time, as the round page itself shows it.
    shown = designer_client.get(reverse("survey:round", args=[published.survey_id, round_.pk]))
    zone = re.search(r"\(([A-Za-z_]+/[A-Za-z_]+)\)", shown.content.decode()).group(1)
    assert f"({zone})" in html
    renamed = designer_client.post(rename, {f"name-{mistyped.pk}-name": " Instagram campaign "})
    assert renamed.status_code == 302 and renamed["Location"].endswith(f"#collector-{mistyped.pk}")
    token = mistyped.token
    mistyped.refresh_from_db()
    assert (mistyped.name, mistyped.token) == ("Instagram campaign", token)
    progress = fieldwork.round_progress(round_=round_)
    assert "Instagram campaign" in [row.label for row in progress["collectors"]]


@pytest.mark.parametrize("lang", ["en", "ar", "zh-hans"])
def test_completion_per_language_points_to_a_translation_that_loses_people(
    designer_client, published, lang
):
    # Russian speakers start as often as the others but stop: the agency sees the
    # lag in the language's own row, its name written in its own script.
    round_ = fieldwork.round_create(version=published, label="R")
    link = round_.collectors.get()
    _responses(round_, [(link, "complete", 300)] * 3 + [(link, "in_progress", None)])
    _responses(round_, [(link, "complete", 300)] + [(link, "in_progress", None)] * 3, first=4)
    Response.objects.filter(start_nonce__in=["p4", "p5", "p6", "p7"]).update(language="ru")

    progress = fieldwork.round_progress(round_=round_)
    assert [(row.label, row.started, row.completed, row.rate) for row in progress["languages"]] == [
        ("en", 4, 3, 75.0),
        ("ru", 4, 1, 25.0),
    ]
    with translation.override(lang):
        url = reverse("survey:round", args=[published.survey_id, round_.pk])
        caption = gettext("By language")
    html = designer_client.get(url).content.decode()
    assert f'<caption id="by-language">{caption}</caption>' in html
    assert re.search(r'<td><span lang="ru">Русский</span></td><td>4</td><td>1</td>', html)

    # A round answered in one language only has no such table.
    Response.objects.filter(language="ru").update(language="en")
    assert 'id="by-language"' not in designer_client.get(url).content.decode()
