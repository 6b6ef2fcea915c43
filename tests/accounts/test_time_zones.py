"""Round dates are typed and read in the agency's own time zone, not the server's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Agency, Country, Role
from accounts.timezones import agency_time_zone, country_time_zones
from survey import fieldwork, services
from survey.models import Round
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


def test_an_agency_starts_in_its_countrys_time_zone(agency):
    assert agency_time_zone(agency) == "Africa/Nairobi"  # a Kenyan agency
    russia = Agency(country=Country.objects.get(alpha2="RU"), name="x")
    assert agency_time_zone(russia) == "Europe/Moscow"  # the capital's, of eleven
    assert "Asia/Vladivostok" in country_time_zones("RU")
    assert agency_time_zone(Agency(country=Country.objects.get(alpha2="SN"), name="x")) == (
        "Africa/Dakar"
    )


def test_a_designer_in_nairobi_types_nairobi_time(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    page = client.post(
        reverse("survey:round_create", args=[version.survey_id, version.pk]),
        {"label": "Launch", "sample_type": "open", "opens_at": "2027-06-05T09:00"},
        follow=True,
    )
    round_ = Round.objects.get()
    assert round_.opens_at == datetime(2027, 6, 5, 6, 0, tzinfo=UTC)  # 09:00 in Nairobi
    assert "Africa/Nairobi" in page.content.decode()
    assert 'value="2027-06-05T09:00"' in page.content.decode()  # shown as typed


def test_a_manager_changes_the_time_zone_and_dates_read_in_it(
    client, agency, member_factory, login
):
    manager = login(member_factory(Role.MANAGER, agency=agency))
    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(
        version=version, label="R", opens_at=datetime(2027, 6, 5, 6, 0, tzinfo=UTC)
    )
    agency_page = manager.get(reverse("accounts:agency_detail", args=[agency.pk])).content
    assert "Time zone: Africa/Nairobi" in agency_page.decode()
    assert '<option value="UTC">UTC</option>' in agency_page.decode()

    refused = manager.post(
        reverse("accounts:agency_time_zone", args=[agency.pk]),
        {"time_zone": "Mars/Olympus_Mons"},
        follow=True,
    )
    assert "Choose one of the listed time zones." in refused.content.decode()
    done = manager.post(
        reverse("accounts:agency_time_zone", args=[agency.pk]), {"time_zone": "UTC"}, follow=True
    )
    assert "The time zone is changed." in done.content.decode()
    agency.refresh_from_db()
    assert agency.time_zone == "UTC"
    round_page = manager.get(reverse("survey:round", args=[version.survey_id, round_.pk]))
    assert 'value="2027-06-05T06:00"' in round_page.content.decode()  # the same moment


def test_only_managers_change_the_time_zone(client, agency, member_factory, login):
    designer = login(member_factory(Role.DESIGNER, agency=agency))
    url = reverse("accounts:agency_time_zone", args=[agency.pk])
    assert designer.post(url, {"time_zone": "UTC"}).status_code == 403
    agency.refresh_from_db()
    assert agency.time_zone == ""


def test_the_agency_page_names_the_role_and_zone_in_arabic(client, agency, member_factory, login):
    login(member_factory(Role.MANAGER, agency=agency))
    with translation.override("ar"):
        page = client.get(reverse("accounts:agency_detail", args=[agency.pk]))
    html = page.content.decode()
    assert "دورك: مدير" in html  # not "Manager"
    assert "المنطقة الزمنية: Africa/Nairobi" in html


def test_publication_dates_read_in_the_agencys_time_zone(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    type(version).objects.filter(pk=version.pk).update(
        published_at=datetime(2027, 6, 5, 6, 0, tzinfo=UTC)
    )
    page = client.get(reverse("survey:version", args=[version.survey_id, version.pk]))
    assert "06/05/2027 9 a.m." in page.content.decode()  # 06:00 UTC is 09:00 in Nairobi
