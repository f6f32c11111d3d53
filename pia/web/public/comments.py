"""Public comments, no sign-in, on the public site's blueprint `public`.

- GET /public/publications/<id>/comments: the comment period, the form while it is open, and the
  approved comments with the agency's responses. The form has a page of its own: it carries the
  visitor's CSRF token, so it is never cached, while the publication page is (it shows the
  approved comments and responses through views.PAGE_CONTEXT, its ETag changes with them: the
  page's validator, pia.store.public_listing.publication_head, counts them and names the newest
  moderation reconsidered or response corrected).
- POST the same address: a comment. Refusals change nothing: the period not open -> 409, a missing
  or over-long comment or a malformed email -> 400 with the form as typed and the error beside the
  field, more comments from one client address than the rate limit allows -> 429 (Retry-After).
  A filled honeypot field is answered exactly like an accepted comment and stored nowhere.

The client address is the connection's, or the one the trusted proxy gives
(PIA_TRUSTED_PROXIES, pia.web.shared.security). The rate limit is PIA_PUBLIC_COMMENT_RATE_MAX
comments per PIA_PUBLIC_COMMENT_RATE_WINDOW_SECONDS per address (pia.web.shared.config).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session, undefer
from werkzeug.exceptions import TooManyRequests

from pia.store.comment_record import public_thread
from pia.store.errors import InvalidInput
from pia.store.models import Agency
from pia.store.public_comments import (
    COMMENT_MAX_CHARS,
    PERIOD_CLOSED,
    PERIOD_NOT_YET,
    PERIOD_OPEN,
    CommentPeriodClosed,
    CommentRateExceeded,
    RateLimit,
    is_superseded,
    period_on,
    submit_public_comment,
)
from pia.store.public_listing import PageVersion, PublicListing, date_in_zone
from pia.store.public_models import Publication
from pia.web.public.comment_forms import HONEYPOT_FIELD, PublicCommentForm, as_sentence
from pia.web.public.views import PAGE_CONTEXT, _publication_or_404, bp
from pia.web.shared.db import get_session

THANKS = (
    "Thank you: your comment was received. It will appear on this page once the agency has "
    "moderated it."
)


def rate_limit() -> RateLimit:
    config = current_app.config
    return RateLimit(
        max_comments=int(config["PIA_PUBLIC_COMMENT_RATE_MAX"]),
        window=timedelta(seconds=float(config["PIA_PUBLIC_COMMENT_RATE_WINDOW_SECONDS"])),
    )


def publication_title(publication: Publication) -> str:
    return publication.title or f"Publication {publication.id}"


def comments_page(
    publication: Publication,
    *,
    form: PublicCommentForm | None = None,
    problem: str = "",
    status: int = 200,
) -> tuple[str, int]:
    session = get_session()
    # The agency once, with its time zone: the period's dates and the thread's are the agency's.
    agency = session.get(Agency, publication.agency_id, options=[undefer(Agency.time_zone)])
    time_zone = agency.time_zone if agency is not None else ""
    superseded = is_superseded(session, publication)
    period = period_on(publication, date_in_zone(time_zone), superseded=superseded)
    page = render_template(
        "public/comment_form.html",
        publication=publication,
        title=publication_title(publication),
        agency=agency,
        period=period,
        is_open=period == PERIOD_OPEN,
        not_yet=period == PERIOD_NOT_YET,
        closed=period == PERIOD_CLOSED,
        thread=public_thread(session, publication.assessment_id, time_zone),
        form=form or PublicCommentForm(formdata=None),
        problem=problem,
        max_chars=COMMENT_MAX_CHARS,
    )
    return page, status


@bp.get("/publications/<int:publication_id>/comments")
def comment_form(publication_id: int) -> Any:
    return comments_page(_publication_or_404(publication_id))


@bp.post("/publications/<int:publication_id>/comments")
def submit_comment(publication_id: int) -> Any:
    publication = _publication_or_404(publication_id)
    form = PublicCommentForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, "The form expired; reload the page and try again.")
        return comments_page(publication, form=form, status=400)
    done = url_for("public.comment_form", publication_id=publication.id) + "#comment-form"
    if request.form.get(HONEYPOT_FIELD, "").strip():
        # A bot filled the field people never see: answer as if accepted, store nothing.
        flash(THANKS, "success")
        return redirect(done, 303)
    try:
        submit_public_comment(
            get_session(),
            publication,
            body=form.body.data or "",
            name=form.name.data or "",
            email=form.email.data or "",
            client_address=request.remote_addr or "unknown",
            limit=rate_limit(),
        )
    except CommentPeriodClosed as closed:
        return comments_page(publication, problem=as_sentence(str(closed)), status=409)
    except InvalidInput as refused:
        field = getattr(form, refused.field, form.body)
        field.errors = [*field.errors, as_sentence(str(refused))]
        return comments_page(publication, form=form, status=400)
    except CommentRateExceeded as limited:
        error = TooManyRequests(
            description=as_sentence(str(limited)), retry_after=limited.retry_after
        )
        error.title = "Too many comments"  # type: ignore[attr-defined]
        raise error from None
    flash(THANKS, "success")
    return redirect(done, 303)


def publication_page_comments(
    session: Session, publication: Publication, head: PublicListing, version: PageVersion
) -> dict[str, Any]:
    """The publication page's part: approved comments, responses, and whether it takes comments
    (the agency's time zone and the assessment's newest publication from the page's validator)."""
    superseded = version.newest != publication.id
    return {
        "comment_thread": public_thread(session, publication.assessment_id, head.time_zone),
        "comment_period_state": period_on(publication, head.agency_today(), superseded=superseded),
    }


PAGE_CONTEXT.append(publication_page_comments)
