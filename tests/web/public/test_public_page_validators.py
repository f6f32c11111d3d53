"""A publication page's validator over HTTP, on SQLite and PostgreSQL: one SQL statement per
revalidation, and an ETag that changes with everything the page shows of the database (an
approved comment, a response, the period opening or closing, a newer publication) and with
nothing else (a pending or rejected comment). The public list, the page, the open-data index and
the comment form agree on "open for comment" by the agency's date, not UTC's."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from comment_setup import (
    TODAY,
    counted_statements,
    form_token,
    post_comment,
    publish_for_comment_now,
    set_period,
    user,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store.accounts import set_agency_time_zone
from pia.store.models import Agency, Assessment
from pia.store.public_listing import date_in_zone
from pia.store.public_models import Publication, PublicComment
from pia.web.public.caching import clear_caches


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    """The page caches live in the process: a test on the other database, publishing in the
    same second, would otherwise find its list under the same validators."""
    clear_caches()


class Page:
    """The publication page as a client that keeps its last ETag sees it."""

    def __init__(self, client: FlaskClient, publication_id: int) -> None:
        self.client, self.url = client, f"/public/publications/{publication_id}"
        self.etag = self.client.get(self.url).headers["ETag"]

    def unchanged(self) -> bool:
        response = self.client.get(self.url, headers={"If-None-Match": self.etag})
        return response.status_code == 304

    def changed_to(self) -> str:
        """The page as it is now, after asserting the client's copy is no longer current."""
        response = self.client.get(self.url, headers={"If-None-Match": self.etag})
        assert response.status_code == 200, "a changed page was answered 304"
        self.etag = response.headers["ETag"]
        return response.get_data(as_text=True)


def comments(db: Session) -> list[PublicComment]:
    db.expire_all()
    return list(db.scalars(select(PublicComment).order_by(PublicComment.id)))


def test_revalidating_a_page_is_one_statement(
    app: Flask, client: FlaskClient, db: Session, bank, submitted: int
) -> None:
    publication = publish_for_comment_now(db, bank, submitted)
    page = Page(client, publication.id)
    with counted_statements(app) as statements:
        assert page.unchanged()
    assert len(statements) == 1, statements


def test_a_cache_miss_asks_nothing_the_validator_read(
    app: Flask, client: FlaskClient, db: Session, bank, submitted: int
) -> None:
    """The agency's time zone and the assessment's newest publication come from the validator's
    statement, not from statements of their own."""
    publication = publish_for_comment_now(db, bank, submitted)
    with counted_statements(app) as statements:
        page = client.get(f"/public/publications/{publication.id}")  # the caches are empty
    assert page.status_code == 200 and "Open for comment" in page.get_data(as_text=True)
    validator, *rendering = statements
    assert "time_zone" in validator
    assert [s for s in rendering if "time_zone" in s or "FROM agencies" in s] == []
    assert [s for s in rendering if "publications.id >" in s] == []  # "is it superseded?"


def test_a_new_bank_version_serves_the_page_and_files_afresh(
    client: FlaskClient, db: Session, bank, submitted: int, second_app
) -> None:
    """The report is rendered, and its answers withheld, by the bank the server runs: after an
    upgrade to a new bank version, no client keeps the page, PDF or JSON served by the old one;
    servers on the same version agree on the page's and the JSON's ETag."""
    publication = publish_for_comment_now(db, bank, submitted)
    urls = [
        f"/public/publications/{publication.id}",
        f"/public/publications/{publication.id}/report.pdf",
        f"/public/publications/{publication.id}/report.json",
    ]
    old = {url: client.get(url).headers["ETag"] for url in urls}
    same = second_app().test_client()
    upgraded = second_app(PIA_BANK_OBJECT=dataclasses.replace(bank, version=bank.version + "+1"))
    for url, etag in old.items():
        if not url.endswith(".pdf"):  # a PDF is signed with its installation's own certificate
            assert same.get(url, headers={"If-None-Match": etag}).status_code == 304, url
        response = upgraded.test_client().get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200, url
        assert response.headers["ETag"] != etag, url


def test_the_page_changes_with_everything_it_shows(
    client: FlaskClient, db: Session, bank, submitted: int
) -> None:
    from pia.store.comment_moderation import (
        approve_public_comment,
        reject_public_comment,
        respond_to_public_comments,
    )

    publication = publish_for_comment_now(db, bank, submitted)
    publication_id = publication.id
    officer = user(db, "officer_a@example.gov")
    assessment = db.get(Assessment, publication.assessment_id)
    page = Page(client, publication_id)

    # A comment waiting for moderation, then rejected: nothing on the page changes.
    assert post_comment(client, publication_id, "Rejected words 41c7").status_code == 303
    assert post_comment(client, publication_id, "Approved words 8e02").status_code == 303
    first, second = (row.id for row in comments(db))
    assert page.unchanged()
    reject_public_comment(db, assessment, officer, first, "Off topic.")
    assert page.unchanged()

    approve_public_comment(db, assessment, officer, second)
    text = page.changed_to()
    assert "Approved words 8e02" in text and "Rejected words 41c7" not in text

    respond_to_public_comments(
        db, assessment, officer, comment_ids=[second], body="Our answer 7b3f."
    )
    assert "Our answer 7b3f." in page.changed_to()

    # The period closes (its last day was yesterday), then opens again.
    set_period(db, publication_id, TODAY - timedelta(days=20), TODAY - timedelta(days=1))
    assert "Comment period closed" in page.changed_to()
    set_period(db, publication_id, TODAY, TODAY + timedelta(days=10))
    assert "Open for comment" in page.changed_to()
    assert page.unchanged()


def zone_on_another_date() -> str:
    """A time zone whose date is not UTC's right now: UTC+14 from 10:00 UTC, else UTC-12."""
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        if date_in_zone(zone) != datetime.now(UTC).date():
            return zone
    raise AssertionError("every time zone has UTC's date")  # impossible: 26 hours apart


def test_open_for_comment_is_decided_by_the_agencys_date_everywhere(
    client: FlaskClient, db: Session, bank, submitted: int
) -> None:
    publication = publish_for_comment_now(db, bank, submitted)
    publication_id = publication.id
    zone = zone_on_another_date()
    agency = db.get(Agency, publication.agency_id)
    set_agency_time_zone(db, agency, zone)
    db.commit()
    agency_today = date_in_zone(zone)
    # The period is the agency's today only: open there, not yet open or already closed in UTC.
    set_period(db, publication_id, agency_today, agency_today)

    listed = client.get("/public/?status=open").get_data(as_text=True)
    assert f"/public/publications/{publication_id}" in listed
    assert "Open for comment" in listed
    page = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    assert "Open for comment" in page
    index = client.get("/public/index.json").get_json()
    [entry] = [row for row in index["publications"] if row["publication"] == publication_id]
    assert entry["open_for_comment"] is True
    token = form_token(client, publication_id)  # the form shows: open by the agency's date
    assert post_comment(client, publication_id, "On the agency's last day.").status_code == 303

    # A day earlier in the agency's calendar, it is closed everywhere, UTC's date notwithstanding.
    # (A published period never changes: moving it stands for the days passing, so the list's
    # copy, validated by the publications and the quarter hour, is dropped as a day would.)
    yesterday = agency_today - timedelta(days=1)
    set_period(db, publication_id, yesterday, yesterday)
    clear_caches()
    listed = client.get("/public/?status=open").get_data(as_text=True)
    assert f"/public/publications/{publication_id}" not in listed
    index = client.get("/public/index.json").get_json()
    [entry] = [row for row in index["publications"] if row["publication"] == publication_id]
    assert entry["open_for_comment"] is False
    assert post_comment(client, publication_id, "Too late.", csrf_token=token).status_code == 409
    db.expire_all()
    assert db.get(Publication, publication_id).comment_closes_on == yesterday


def meeting_fields(place: str) -> dict[str, str]:
    return {
        "held_on": (TODAY - timedelta(days=2)).isoformat(),
        "place": place,
        "attendance": "35",
        "summary": f"Residents asked about retention at {place}.",
        "materials_note": "",
    }


def test_the_page_lists_the_meetings_and_changes_with_them(
    client: FlaskClient, auth, db: Session, bank, submitted: int
) -> None:
    from pia.store.public_models import CommunityMeeting

    publication = publish_for_comment_now(db, bank, submitted)
    aid = publication.assessment_id
    page = Page(client, publication.id)
    assert 'id="community-meetings"' not in client.get(page.url).get_data(as_text=True)

    meetings = f"/assessments/{aid}/meetings"
    auth.login("officer_a")
    form = "multipart/form-data"
    assert auth.post(meetings, meeting_fields("Old hall"), content_type=form).status_code == 303
    text = page.changed_to()
    assert (
        'id="community-meetings"' in text and "Residents asked about retention at Old hall." in text
    )
    [meeting_id] = db.scalars(select(CommunityMeeting.id))
    edited = auth.post(
        f"{meetings}/{meeting_id}/edit", meeting_fields("New hall"), content_type=form
    )
    assert edited.status_code == 303
    text = page.changed_to()
    assert "New hall" in text and "Old hall" not in text
    assert auth.post(f"{meetings}/{meeting_id}/remove").status_code == 303
    assert 'id="community-meetings"' not in page.changed_to()
    assert page.unchanged()
