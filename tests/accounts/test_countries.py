"""Every ISO 3166-1 country is there, from pycountry, with its UN M49 region."""

from __future__ import annotations

import pycountry
import pytest

from accounts.models import Country

pytestmark = pytest.mark.django_db


def test_all_iso_countries_are_loaded_with_their_codes():
    assert Country.objects.count() == len(pycountry.countries)
    kenya = Country.objects.get(alpha2="KE")
    assert (kenya.alpha3, kenya.numeric, kenya.name) == ("KEN", "404", "Kenya")
    assert (kenya.m49_region, kenya.m49_subregion) == ("Africa", "Eastern Africa")


def test_every_country_but_antarctica_has_an_m49_region():
    missing = Country.objects.filter(m49_region="").values_list("alpha3", flat=True)
    assert list(missing) == []
    assert set(Country.objects.values_list("m49_region", flat=True)) == {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Antarctica",
    }


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Kenya"),
        ("ar", "كينيا"),
        ("zh-hans", "肯尼亚"),
        ("fr", "Kenya"),
        ("ru", "Кения"),
        ("es", "Kenia"),
    ],
)
def test_country_names_follow_the_interface_language(lang, name):
    assert Country.objects.get(alpha3="KEN").localized_name(lang) == name
