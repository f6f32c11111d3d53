"""One way to write a moment everywhere pia shows one: "30 Nov 2026, 14:05 CET", in the agency's
time zone, the zone always named. Stored times are UTC."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"


def zone_for(name: str | None) -> datetime.tzinfo:
    """The named IANA time zone; UTC for an empty or unknown name (a report never fails over
    a time zone)."""
    try:
        return ZoneInfo(name) if name else datetime.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def is_time_zone(name: str) -> bool:
    """`name` is an IANA time zone this system knows, e.g. "Europe/Berlin"."""
    return name == DEFAULT_ZONE or name in known_time_zones()


_ZONES: list[frozenset[str]] = []


def known_time_zones() -> frozenset[str]:
    if not _ZONES:
        _ZONES.append(frozenset(available_timezones()))
    return _ZONES[0]


def as_moment(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A timezone-aware datetime (naive ones are UTC), from a datetime or ISO 8601 text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def format_moment(value: datetime.datetime | str | None, zone: str | None = None) -> str:
    """ "30 Nov 2026, 14:05 CET"; "" for no moment. Text that is not ISO 8601 is returned as it
    is, a date alone as "2 Nov 2026"."""
    if isinstance(value, str) and _is_date_only(value):
        day = datetime.date.fromisoformat(value.strip())
        return f"{day.day} {day:%b %Y}"
    moment = as_moment(value)
    if moment is None:
        return value if isinstance(value, str) else ""
    local = moment.astimezone(zone_for(zone))
    return f"{local.day} {local:%b %Y, %H:%M} {local.tzname() or zone or DEFAULT_ZONE}"


def _is_date_only(text: str) -> bool:
    text = text.strip()
    if len(text) != 10:  # checked first: most moments are full timestamps, and pages show many
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
