"""Compliance calendar pages and the .ics feed.

- GET  /calendar: every date of the assessments the user may see (an officer's agency; a
  reviewer's remit, assessments submitted at least once), and for officers the agency's feed.
- POST /calendar/feed: an officer makes a new secret feed address (the old one stops working);
  the page shows it once.
- GET  /calendar/feeds/<token>.ics: the agency's feed, no sign-in (calendar apps cannot sign in).
  Its ETag is the digest of the dates it is built from, so an app polling an unchanged feed gets
  304 without the .ics being built. A wrong or retired token is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_wtf import FlaskForm

from pia.report.times import zone_for
from pia.store.config import base_url
from pia.store.models import OFFICER, REVIEWER, User, utcnow
from pia.web.shared.access import current_user, signin_redirect
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session

bp = Blueprint("calendar", __name__, template_folder="templates")


def today_for(user: User | None) -> date:
    """Today in the officer's agency's time zone (UTC for reviewers, whose remit may span zones)."""
    agency = user.agency if user is not None else None
    return utcnow().astimezone(zone_for(agency.time_zone if agency else None)).date()


class FeedForm(FlaskForm):
    """Only the CSRF token: making a new address takes no input."""


def entries_for(user: User, today: date) -> list[Any]:
    """The dates the user may see: an officer's agency, a reviewer's remit (submitted only)."""
    from pia.store.calendar import calendar_entries

    if user.role == OFFICER and user.agency_id is not None:
        return calendar_entries(get_session(), get_bank(), [user.agency_id], today=today)
    if user.role == REVIEWER:  # only submitted assessments have dates: all a reviewer may see
        return calendar_entries(get_session(), get_bank(), user.remit_ids, today=today)
    return []


@bp.app_template_global("calendar_panel")
def calendar_panel() -> dict[str, Any]:
    """What the dashboards' panel shows: overdue dates first, then the coming ones."""
    from pia.store.calendar import upcoming_and_overdue

    user = current_user()
    today = today_for(user)
    if user is None:
        return {"entries": [], "today": today}
    return {"entries": upcoming_and_overdue(entries_for(user, today), today), "today": today}


def _signed_in() -> User:
    user = current_user()
    if user is None:
        signin_redirect()
    if user.role not in (OFFICER, REVIEWER):
        abort(403)
    return user


def _page(user: User, *, new_address: str = "") -> str:
    from pia.store.calendar_feed import feed_of, may_manage_feed

    today = today_for(user)
    manages = user.agency_id is not None and may_manage_feed(user, user.agency_id)
    feed = feed_of(get_session(), user.agency_id) if manages and user.agency_id else None
    return render_template(
        "calendar/calendar.html",
        entries=entries_for(user, today),
        today=today,
        manages_feed=manages,
        feed=feed,
        new_address=new_address,
        form=FeedForm(),
    )


@bp.get("/calendar")
def calendar_page() -> Any:
    return _page(_signed_in())


@bp.post("/calendar/feed")
def new_feed() -> Any:
    from pia.store.calendar_feed import may_manage_feed, reset_feed

    user = _signed_in()
    if user.agency_id is None or not may_manage_feed(user, user.agency_id):
        abort(403)
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    token = reset_feed(get_session(), user, user.agency_id)
    path = url_for("calendar.feed", token=token)
    # The address calendar apps will reach: this installation's public root when it is set.
    address = (
        base_url() + path if base_url() else url_for("calendar.feed", token=token, _external=True)
    )
    return _page(user, new_address=address)


@bp.get("/calendar/feeds/<token>.ics")
def feed(token: str) -> Response:
    from pia.store.calendar import calendar_entries
    from pia.store.calendar_feed import agency_for_token
    from pia.store.ical import cached_feed, feed_digest

    session = get_session()
    agency = agency_for_token(session, token)
    if agency is None:
        abort(404)
    entries = calendar_entries(session, get_bank(), [agency.id])
    digest = feed_digest(agency.name, entries)
    if digest in request.if_none_match:  # unchanged: not even built
        response = Response(status=304)
        response.set_etag(digest)
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    body = cached_feed(agency.name, entries, digest)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers.set("Content-Disposition", "inline", filename="compliance-calendar.ics")
    # The address is a secret: no shared cache may keep it, but the app may revalidate cheaply.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.set_etag(digest)
    return response
