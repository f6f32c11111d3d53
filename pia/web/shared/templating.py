"""What every template can use: the signed-in user, the bank, and a few display filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app, g, url_for

from pia.engine import NOT_RATED
from pia.report.times import DEFAULT_ZONE, format_moment
from pia.store.policy import status_label
from pia.web.shared.access import current_user
from pia.web.shared.config import get_bank


def when(value: datetime | str | None) -> str:
    """A moment for people, as everywhere in pia: "30 Nov 2026, 14:05 CET" (stored times are
    UTC), in the time zone of the agency the page is about, else the signed-in officer's."""
    return format_moment(value, page_time_zone())


def page_time_zone() -> str:
    zone = g.get("pia_time_zone")  # set when the page loaded an assessment
    if zone:
        return str(zone)
    user = current_user()
    if user is not None and user.agency is not None:
        return user.agency.time_zone
    return DEFAULT_ZONE


def is_past(value: date | None) -> bool:
    """True for a date before today (UTC): an overdue review date or condition."""
    return value is not None and value < datetime.now(UTC).date()


def level_class(level: str | None) -> str:
    """A CSS class for a risk level: "level-very-high", "level-prohibited", "level-none".

    An assessment not yet rated (nothing answered) has no level, so it reads like one.
    """
    if not level or level == NOT_RATED:
        return "level-none"
    return "level-" + re.sub(r"[^a-z0-9]+", "-", level.lower()).strip("-")


def section_url(assessment_id: int, section_id: str) -> str:
    """The wizard page of a section (the wizard's blueprint owns the route)."""
    return url_for("dashboard.overview", assessment_id=assessment_id) + f"/sections/{section_id}"


def has_endpoint(name: str) -> bool:
    """True when a view of that name is registered (links to optional features check first)."""
    return name in current_app.view_functions


def _globals() -> dict[str, Any]:
    return {"current_user": current_user(), "bank": get_bank()}


def init_app(app: Flask) -> None:
    app.context_processor(_globals)
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["level_class"] = level_class
    app.jinja_env.filters["status_label"] = status_label
    app.jinja_env.filters["is_past"] = is_past
    app.jinja_env.globals["section_url"] = section_url
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
