"""Helpers for the public comment tests: an assessment taken through review, the board's
permission and publication for comment with the store's own operations (the publication tests
walk the same steps over HTTP), a comment posted as a member of the public would, and the SQL
statements a request runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from pia.engine.bank.model import Bank
from pia.store.models import Assessment, User
from pia.store.public_models import Publication

TODAY = datetime.now(UTC).date()
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    from pia.web.shared.db import ENGINE_KEY

    engine = app.extensions[ENGINE_KEY]
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def user(db: Session, email: str) -> User:
    return db.scalars(select(User).where(User.email == email)).one()


def decide_and_allow(db: Session, assessment_id: int) -> Assessment:
    """Takes revision 1 up, approves it and allows its publication (as reviewer_a)."""
    from pia.store.publication import allow_publication
    from pia.store.review import record_decision, take_up

    reviewer = user(db, "reviewer_a@example.gov")
    db.expire_all()
    assessment = db.get(Assessment, assessment_id)
    take_up(db, assessment, reviewer, revision=1)
    record_decision(
        db,
        assessment,
        reviewer,
        revision=1,
        outcome="approved",
        rationale="Proportionate with the safeguards described.",
        meeting_on=TODAY,
        votes_for=5,
    )
    allow_publication(db, assessment, reviewer, revision=1)
    return assessment


def publish_for_comment_now(
    db: Session, bank: Bank, assessment_id: int, *, days: int = 30
) -> Publication:
    """Publishes revision 1 for comment from today for `days` days (as officer_a)."""
    from pia.store.publication import publish_for_comment

    assessment = decide_and_allow(db, assessment_id)
    return publish_for_comment(
        db,
        bank,
        assessment,
        user(db, "officer_a@example.gov"),
        opens_on=TODAY,
        closes_on=TODAY + timedelta(days=days),
    )


def set_period(db: Session, publication_id: int, opens_on: date, closes_on: date) -> None:
    """Moves a publication's comment period (the store refuses periods in the past)."""
    db.expire_all()
    publication = db.get(Publication, publication_id)
    publication.comment_opens_on = opens_on
    publication.comment_closes_on = closes_on
    db.commit()


def form_token(client: FlaskClient, publication_id: int) -> str:
    page = client.get(f"/public/publications/{publication_id}/comments")
    assert page.status_code == 200, page.get_data(as_text=True)
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    assert match, "the comment page has no form"
    return match.group(1)


def post_comment(
    client: FlaskClient, publication_id: int, body: str, **fields: Any
) -> TestResponse:
    """POSTs the comment form as a browser would (CSRF token from the page, honeypot empty)."""
    environ = fields.pop("environ_base", {})
    headers = fields.pop("headers", {})
    data = {"name": "", "email": "", "website": "", "body": body, **fields}
    if "csrf_token" not in data:
        data["csrf_token"] = form_token(client, publication_id)
    return client.post(
        f"/public/publications/{publication_id}/comments",
        data=data,
        environ_base=environ,
        headers=headers,
    )
