"""A designer works in a real browser: builds a question with live logic checks, previews, publishes."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from accounts.models import Role
from survey import fieldwork, invitations, services
from survey.models import Response, SurveyVersion, VersionStatus
from survey.serialization import survey_from_dict
from tests.browser.helpers import serious_violations, sign_in
from tests.survey.factories import every_feature, in_wolof_and_french

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _a_round_of(agency, member_factory):
    """A designer of the agency, their published survey that uses every feature, its open round."""
    designer = member_factory(Role.DESIGNER, agency=agency)
    published = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=designer), by=designer
    )
    return designer, published, fieldwork.round_create(version=published, label="Baseline")


def test_a_designer_creates_a_survey_adds_a_question_previews_and_publishes(
    desktop, agency, member_factory, password
):
    designer = member_factory(Role.DESIGNER, agency=agency)
    page = desktop
    sign_in(page, designer, password)
    page.goto(f"/en/agencies/{agency.pk}/surveys/new/")
    page.fill("input[name=name]", "Browser survey")
    page.fill("input[name=title]", "Nature and you")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Create the survey").click()
    page.wait_for_url(re.compile(r".*/versions/\d+/$"))
    assert "Survey created" in page.content()

    page.get_by_role("link", name="Add a question to this page").click()
    page.select_option("select[name=type]", "integer")
    # Only the settings of the chosen type are shown (once the deferred script has run).
    expect(page.locator("input[name=minimum]")).to_be_visible()
    expect(page.locator("select[name=rows_list]")).to_be_hidden()
    page.fill("input[name=code]", "age")
    page.fill("textarea[name=text__en]", "How old are you?")
    page.fill("input[name=constraint]", ". >= ")
    status = page.locator('.logic-status[data-for="id_constraint"]')
    status.filter(has_text="character").wait_for()
    page.fill("input[name=constraint]", ". >= 16")
    status.filter(has_text="Looks right").wait_for()
    page.fill("input[name=constraint_message__en]", "You must be 16 or older.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*#question-\d+$"))

    page.get_by_role("link", name="Preview").click()
    page.fill("input[name=age]", "12")
    page.get_by_role("button", name="Send my answers").click()
    assert page.locator(".error-summary").inner_text().count("You must be 16 or older.") == 1
    assert serious_violations(page) == []
    page.fill("input[name=age]", "30")
    page.get_by_role("button", name="Send my answers").click()
    page.locator("pre.answers").filter(has_text='"age": 30').wait_for()

    page.get_by_role("link", name="Back to the designer").click()
    page.get_by_role("button", name="Publish this version").click()
    page.get_by_text("Version 1 is published.").wait_for()
    assert (
        SurveyVersion.objects.get(survey__name="Browser survey").status == VersionStatus.PUBLISHED
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_designer_and_preview_pages_pass_axe(desktop, agency, member_factory, password, lang):
    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(every_feature(), agency=agency, by=designer)
    sign_in(desktop, designer, password, lang)
    desktop.goto(f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/")
    assert desktop.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert serious_violations(desktop) == []
    question = version.questions.get(code="age")
    desktop.goto(
        f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/questions/{question.pk}/"
    )
    assert serious_violations(desktop) == []
    for page in (1, 2, 3):
        desktop.goto(
            f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/preview/?lang=fr&page={page}"
        )
        assert serious_violations(desktop) == [], page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_thank_you_links_and_invitation_reminders_pass_axe(
    desktop, agency, member_factory, password, lang
):
    designer = member_factory(Role.DESIGNER, agency=agency)
    draft = survey_from_dict(every_feature(), agency=agency, by=designer)
    sign_in(desktop, designer, password, lang)
    desktop.goto(f"/{lang}/surveys/{draft.survey_id}/versions/{draft.pk}/settings/")
    assert serious_violations(desktop) == []
    # A link that is not a web address: the error summary, the field marked, the text kept.
    desktop.fill("input[name=link_2_url]", "javascript:alert(1)")
    desktop.fill("input[name=link_2_label__en]", "Act now")
    desktop.locator("form button[type=submit]").last.click()
    expect(desktop.locator("#error-summary")).to_be_visible()
    expect(desktop.locator("input[name=link_2_url]")).to_have_attribute("aria-invalid", "true")
    expect(desktop.locator("input[name=link_2_label__en]")).to_have_value("Act now")
    assert serious_violations(desktop) == []

    published = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=designer), by=designer
    )
    round_ = fieldwork.round_create(version=published, label="Baseline")
    mailing = fieldwork.collector_create(round_=round_, name="Schools", kind="email")
    invitations.invitations_send(
        collector=mailing,
        addresses=["ana@example.org"],
        link_for=lambda token: f"/i/{token}/",
        keep_for_reminders=True,
    )
    for number, status in enumerate(["complete", "in_progress"]):  # for the day and page tables
        Response.objects.create(
            round=round_,
            version=published,
            collector=mailing,
            start_nonce=f"n{number}",
            language="en",
            status=status,
            page=2,
            answers={"age": 30},
            submitted_at=timezone.now() if status == "complete" else None,
            receipt_code=f"R{number}",
        )
    desktop.goto(f"/{lang}/surveys/{published.survey_id}/rounds/{round_.pk}/")
    # Rename, pause, remind, erase the addresses, write the invitation, invite.
    expect(desktop.locator(f"#collector-{mailing.pk} form")).to_have_count(6)
    expect(desktop.locator("table.by-day meter")).to_have_count(1)
    expect(desktop.locator("#stops")).to_be_visible()
    assert serious_violations(desktop) == []
    # Erasing the kept addresses cannot be undone: it asks first.
    erase = desktop.locator(f"#collector-{mailing.pk} details.confirm")
    expect(erase.locator("button.danger")).to_be_hidden()
    erase.locator("summary").click()
    expect(erase.locator("button.danger")).to_be_visible()
    assert "1" in erase.locator(".confirm-box p").inner_text()
    assert serious_violations(desktop) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_designer_copies_the_public_link_and_the_embed_snippet(
    browser, live_server, agency, member_factory, password, lang
):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    designer, published, round_ = _a_round_of(agency, member_factory)
    collector = round_.collectors.get()
    sign_in(page, designer, password, lang)
    page.goto(f"/{lang}/surveys/{published.survey_id}/rounds/{round_.pk}/")
    link = page.locator(f"#link-{collector.pk}").input_value()
    assert link.endswith(f"/r/{collector.token}/")
    page.locator(f'button[data-copy="link-{collector.pk}"]').click()
    expect(page.locator(f'.copy-status[data-for="link-{collector.pk}"]')).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.locator(f'button[data-copy="embed-{collector.pk}"]').click()
    assert page.evaluate("navigator.clipboard.readText()").startswith(f'<iframe src="{link}"')
    assert serious_violations(page) == []
    context.close()


def test_without_javascript_the_copy_buttons_stay_hidden(
    browser, live_server, agency, member_factory, password
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    designer, published, round_ = _a_round_of(agency, member_factory)
    sign_in(page, designer, password)
    page.goto(f"/en/surveys/{published.survey_id}/rounds/{round_.pk}/")
    expect(page.locator("button[data-copy]").first).to_be_hidden()
    expect(page.locator("input[readonly]").first).to_be_visible()  # still there to select
    context.close()


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_on_a_phone_wide_tables_scroll_by_keyboard_and_pass_axe(
    phone, agency, member_factory, password, lang
):
    # A choice list shows one column per language: wider than a phone. A keyboard user
    # reaches the table with Tab and scrolls it with the arrow keys.
    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(every_feature(), agency=agency, by=designer)
    choice_list = version.choice_lists.order_by("pk").first()
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/lists/{choice_list.pk}/")
    region = phone.locator(".table-scroll")
    expect(region).to_have_role("region")
    expect(region).to_have_accessible_name(re.compile(r"\S"))
    assert phone.evaluate("document.querySelector('.table-scroll').scrollWidth > innerWidth")
    for _stop in range(60):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
    else:
        pytest.fail("Tab never reaches the table")
    phone.keyboard.press("ArrowLeft" if lang == "ar" else "ArrowRight")
    expect(region).not_to_have_js_property("scrollLeft", 0)
    assert serious_violations(phone) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_deleting_a_page_or_a_question_asks_first(phone, agency, member_factory, password, lang):
    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(every_feature(), agency=agency, by=designer)
    section = version.sections.order_by("order").first()
    questions = section.questions.count()
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/")
    block = phone.locator(f"#section-{section.pk}")
    delete_page = block.locator("details.confirm").first
    confirm = delete_page.locator("button.danger")
    expect(confirm).to_be_hidden()
    delete_page.locator("summary").click()  # one tap only opens the question
    expect(confirm).to_be_visible()
    assert str(questions) in delete_page.locator(".confirm-box p").inner_text()
    assert serious_violations(phone) == []
    assert version.sections.filter(pk=section.pk).exists()
    question = section.questions.order_by("order").last()
    item = phone.locator(f"#question-{question.pk} details.confirm")
    item.locator("summary").click()
    item.locator("button.danger").click()
    phone.wait_for_url(re.compile(r".*/versions/\d+/$"))
    assert not version.questions.filter(pk=question.pk).exists()
    assert version.sections.get(pk=section.pk).questions.count() == questions - 1


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_a_designer_writes_the_platforms_words_in_wolof_and_a_respondent_reads_them(
    phone, agency, member_factory, password, lang
):
    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(in_wolof_and_french(every_feature()), agency=agency, by=designer)
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{version.survey_id}/versions/{version.pk}/translations/")
    phone.locator("#platform-heading ~ ul a").first.click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    # The field for "Next" is labelled with what respondents read today, in French.
    next_field = phone.get_by_label("Suivant", exact=True)
    expect(next_field).to_have_attribute("lang", "wo")
    next_field.fill("Ci kanam")
    phone.get_by_label("Page %(page)s sur %(total)s", exact=True).fill("Xët %(page)s")
    phone.locator("form.interface-texts button[type=submit]").click()
    # The missing value is refused; what was typed is still there.
    expect(phone.locator("#error-summary")).to_be_visible()
    expect(next_field).to_have_value("Ci kanam")
    assert serious_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    phone.get_by_label("Page %(page)s sur %(total)s", exact=True).fill("Xët %(page)s/%(total)s")
    phone.locator("form.interface-texts button[type=submit]").click()
    expect(phone.locator(".message-success")).to_be_visible()

    published = services.survey_publish(version=version, by=designer)
    collector = fieldwork.round_create(version=published, label="Dakar").collectors.get()
    phone.goto(f"/r/{collector.token}/?lang=wo")
    phone.locator("input[name=consent]").check()
    phone.locator("form button[type=submit]").click()
    expect(phone.locator(".progress-text")).to_contain_text("Xët 1/")
    expect(phone.locator("button[name=next-page]")).to_have_text("Ci kanam")
    assert serious_violations(phone) == []


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_on_a_phone_the_designer_sends_and_cancels_waiting_invitations(
    phone, agency, member_factory, password, lang, settings
):
    settings.INVITATION_SEND_SECONDS = 0  # each request has time for one email
    designer, published, round_ = _a_round_of(agency, member_factory)
    mailing = fieldwork.collector_create(round_=round_, name="Schools", kind="email")
    invitations.invitations_queue(
        collector=mailing, addresses=[f"t{n}@example.org" for n in range(4)]
    )
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{published.survey_id}/rounds/{round_.pk}/")
    card = phone.locator(f"#collector-{mailing.pk}")
    expect(card).to_contain_text("4")
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert serious_violations(phone) == []
    # The emails, read before sending: long links wrap instead of widening the page.
    card.locator(".email-preview").first.locator("xpath=ancestor::details/summary").click()
    expect(card.locator(".email-preview")).to_have_count(2)
    expect(card.locator(".email-preview").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert serious_violations(phone) == []

    card.locator("form[action$='/send/'] button").click()
    expect(phone.locator(".message-warning")).to_contain_text("3")
    assert mailing.invitations.filter(sent_at__isnull=False).count() == 1
    assert serious_violations(phone) == []

    cancel = phone.locator(f"#collector-{mailing.pk} details.confirm")
    expect(cancel.locator("button.danger")).to_be_hidden()
    cancel.locator("summary").click()
    expect(cancel.locator(".confirm-box p")).to_contain_text("3")
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    cancel.locator("button.danger").click()
    expect(phone.locator(".message-success")).to_contain_text("3")
    expect(phone.locator(f"#collector-{mailing.pk} form[action$='/send/']")).to_have_count(0)
    assert mailing.invitations.count() == 1


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_on_a_phone_the_designer_writes_the_invitation_and_corrects_it(
    phone, agency, member_factory, password, lang
):
    designer, published, round_ = _a_round_of(agency, member_factory)
    mailing = fieldwork.collector_create(round_=round_, name="Schools", kind="email")
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{published.survey_id}/rounds/{round_.pk}/")
    card = phone.locator(f"#collector-{mailing.pk}")
    card.locator("form[action$='/emails/']").locator("xpath=ancestor::details/summary").click()
    phone.fill(f"input[name=text-{mailing.pk}-invitation_subject]", "Nature and you")
    phone.fill(f"textarea[name=text-{mailing.pk}-invitation_body]", "Dear teacher, please answer.")
    card.locator("form[action$='/emails/'] button[type=submit]").first.click()
    # No {link}: refused, the summary leads to the field, and what was typed is kept.
    expect(phone.locator("#error-summary")).to_be_visible()
    body = phone.locator(f"textarea[name=text-{mailing.pk}-invitation_body]")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_value("Dear teacher, please answer.")
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert serious_violations(phone) == []
    body.fill("Dear teacher, please answer: {link}")
    phone.locator("form[action$='/emails/'] button[type=submit]").first.click()
    expect(phone.locator(".message-success")).to_be_visible()
    mailing.refresh_from_db()
    assert mailing.invitation_body == "Dear teacher, please answer: {link}"
    assert serious_violations(phone) == []


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_before_launch_a_designer_deletes_the_teams_tries_on_a_phone(
    phone, agency, member_factory, password, lang
):
    designer, published, round_ = _a_round_of(agency, member_factory)
    tries = fieldwork.collector_create(round_=round_, name="Tries", kind="test")
    Response.objects.create(
        round=round_, version=published, collector=tries, start_nonce="t", language="en"
    )
    sign_in(phone, designer, password, lang)
    phone.goto(f"/{lang}/surveys/{published.survey_id}/rounds/{round_.pk}/")
    delete = phone.locator(f"#collector-{tries.pk} details.confirm")
    expect(delete.locator("button.danger")).to_be_hidden()  # it asks first
    delete.locator("summary").click()
    expect(delete.locator("button.danger")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert serious_violations(phone) == []
    delete.locator("button.danger").click()
    with translation.override(lang):
        said = ngettext(
            "%(count)d response of the test link deleted.",
            "%(count)d responses of the test link deleted.",
            1,
        ) % {"count": 1}
    expect(phone.get_by_text(said)).to_be_visible()
    assert not Response.objects.filter(collector=tries).exists()
    assert serious_violations(phone) == []
