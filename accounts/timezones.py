"""The time zone an agency's round dates are read and shown in.

A designer in Nairobi types "09:00" for 09:00 in Nairobi: the server's own time
zone (UTC) would open the round three hours late. Each agency has one; until a
manager picks it, it is its country's, from the IANA database that the tzdata
package ships (zone.tab).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

if TYPE_CHECKING:
    from accounts.models import Agency

# zone.tab lists a country's zones by region, not by size: where the first is not
# the capital's, the capital's is the better guess.
_CAPITALS = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, name, *_comment = line.split("\t")
        zones.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in zones.items()}


def country_time_zones(alpha2: str) -> list[str]:
    """The country's zones, the likeliest first."""
    zones = list(_zones_by_country().get(alpha2.upper(), ()))
    capital = _CAPITALS.get(alpha2.upper())
    if capital in zones:
        zones.remove(capital)
        zones.insert(0, capital)
    return zones


def time_zone_choices(alpha2: str, current: str = "") -> list[str]:
    """What an agency may pick: its country's zones, UTC, and the one it has."""
    choices = [*country_time_zones(alpha2), "UTC"]
    if current and current not in choices:
        choices.append(current)
    return choices


def is_time_zone(name: str) -> bool:
    return name == "UTC" or name in _all_zones()


@lru_cache(maxsize=1)
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def agency_time_zone(agency: Agency) -> str:
    """The agency's chosen zone, else its country's likeliest, else UTC."""
    if agency.time_zone:
        return agency.time_zone
    zones = country_time_zones(agency.country.alpha2)
    return zones[0] if zones else "UTC"
