"""ISO 3166-1 countries from maintained packages, never typed by hand.

pycountry gives the ISO codes and names (and their translations); the UN M49
regions come from country_converter's data table, read as a plain TSV so that
loading countries does not import pandas.
"""

from __future__ import annotations

import csv
import gettext
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
from django.utils import translation

# Our language codes -> pycountry's gettext catalogue names.
_PYCOUNTRY_LOCALE = {"zh-hans": "zh_CN", "zh-hant": "zh_TW"}

# UN M49 sub-region -> region (the M49 hierarchy's two upper levels).
_M49_REGION_OF_SUBREGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}


@dataclass(frozen=True)
class CountryRow:
    alpha2: str
    alpha3: str
    numeric: str
    name: str
    official_name: str
    m49_region: str
    m49_subregion: str


def _coco_table() -> Path | None:
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    return path if path.exists() else None


def _subregions() -> dict[str, str]:
    path = _coco_table()
    if path is None:
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            # ISO2 holds regular expressions for some rows (^GB$|^UK$); ISO3 is plain.
            row["ISO3"]: row["UNregion"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row.get("ISO3") and row.get("UNregion")
        }


def iso_countries() -> list[CountryRow]:
    """Every ISO 3166-1 country with its M49 region where the UN assigns one."""
    subregions = _subregions()
    rows = []
    for country in pycountry.countries:
        subregion = subregions.get(country.alpha_3, "")
        rows.append(
            CountryRow(
                alpha2=country.alpha_2,
                alpha3=country.alpha_3,
                numeric=country.numeric,
                name=getattr(country, "common_name", None) or country.name,
                official_name=getattr(country, "official_name", ""),
                m49_region=_M49_REGION_OF_SUBREGION.get(subregion, ""),
                m49_subregion=subregion,
            )
        )
    return rows


@lru_cache(maxsize=64)
def pycountry_catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's translations of one ISO standard ("iso3166-1" countries, "iso639-3"
    languages) into an interface language; English names pass through unchanged."""
    code = _PYCOUNTRY_LOCALE.get(language, language.replace("-", "_"))
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[code], fallback=True)


def localized_country_name(alpha2: str, english_name: str, language: str | None = None) -> str:
    """The country's name in the interface language, falling back to English."""
    language = language or translation.get_language() or "en"
    if language.startswith("en"):
        return english_name
    return pycountry_catalogue("iso3166-1", language).gettext(english_name)
