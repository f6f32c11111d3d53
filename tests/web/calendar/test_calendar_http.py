"""The compliance calendar over HTTP: the dashboards' panel for officers and reviewers, the
calendar page, the agency's feed address and the .ics feed it serves (two parsers, ETag)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import vobject
from sqlalchemy import select

from pia.store import ConditionInput, get_assessment, ical, record_decision, take_up
from pia.store.ical import feed_digest
from pia.store.models import AuditEvent, User
from pia.store.public_models import STAGE_COMMENT, STAGE_FINAL, Publication

TODAY = date.today()
WA = "wa_rcw_43_386"
FEED = re.compile(r'value="(http://localhost/calendar/feeds/[A-Za-z0-9_-]{43}\.ics)"')


def decide(db, people, aid: int, *, condition_due: date) -> None:
    assessment = get_assessment(db, aid)
    reviewer = db.get(User, people["reviewer_a"].id)
    take_up(db, assessment, reviewer, revision=1)
    record_decision(
        db,
        assessment,
        reviewer,
        revision=1,
        outcome="approved_with_conditions",
        rationale="Proportionate.",
        meeting_on=TODAY,
        review_due_on=TODAY + timedelta(days=730),
        conditions=[ConditionInput("Publish the audit log.", "Records", condition_due)],
    )


def publish(db, aid: int, stage: str, on: date, closes: date | None = None) -> None:
    assessment = get_assessment(db, aid)
    db.add(
        Publication(
            assessment_id=aid,
            agency_id=assessment.agency_id,
            revision_number=1,
            stage=stage,
            comment_opens_on=on if stage == STAGE_COMMENT else None,
            comment_closes_on=closes,
            public_data={},
            fingerprint="0" * 64,
            published_at=datetime(on.year, on.month, on.day, 10, tzinfo=UTC),
        )
    )
    db.commit()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def decided_and_published(make_assessment, submit_assessment, complete_answers, db, people) -> int:
    aid = make_assessment(profiles=[WA, "ccops_local"], answers=complete_answers)
    submit_assessment(aid)
    decide(db, people, aid, condition_due=TODAY + timedelta(days=6))
    publish(db, aid, STAGE_COMMENT, TODAY - timedelta(days=40), TODAY - timedelta(days=10))
    publish(db, aid, STAGE_FINAL, TODAY - timedelta(days=2))
    return aid


def test_the_panel_shows_due_and_coming_dates_on_both_dashboards(
    client, auth, make_assessment, submit_assessment, complete_answers, db, people
) -> None:
    decided_and_published(make_assessment, submit_assessment, complete_answers, db, people)
    auth.login()
    panel = text_of(client.get("/"))
    assert "Compliance dates" in panel
    assert "Due in 6 days" in panel and "Condition due: Publish the audit log." in panel
    earliest = (TODAY + timedelta(days=88)).isoformat()  # final report 2 days ago, + 90
    assert f"{earliest}" in panel and "Earliest operational use" in panel
    assert "Passed" in panel and "Public comment period ends" in panel
    auth.logout()
    auth.login("reviewer_a")
    panel = text_of(client.get("/review"))
    assert "Condition due: Publish the audit log." in panel
    auth.logout()
    auth.login("officer_b")  # another agency: none of these dates
    panel = text_of(client.get("/"))
    assert "Publish the audit log" not in panel and "No dates are due" in panel


def test_the_calendar_page_lists_every_date_with_its_source(
    client, auth, make_assessment, submit_assessment, complete_answers, db, people
) -> None:
    decided_and_published(make_assessment, submit_assessment, complete_answers, db, people)
    auth.login()
    page = text_of(client.get("/calendar"))
    assert "Washington RCW 43.386 (facial recognition), RCW 43.386.020(4)" in page
    assert "Update the accountability report" in page
    assert "Annual surveillance report" in page  # the CCOPS profile, counted from the decision
    assert (TODAY + timedelta(days=730)).isoformat() in page  # the review date
    assert "Make a feed address" in page
    auth.logout()
    auth.login("reviewer_a")
    page = text_of(client.get("/calendar"))
    assert "Annual surveillance report" in page and "Make a feed address" not in page
    assert auth.post("/calendar/feed").status_code == 403
    auth.logout()
    assert client.get("/calendar").status_code == 302


def test_the_feed_address_serves_the_agencys_ics_without_sign_in(
    client, auth, make_assessment, submit_assessment, complete_answers, db, people, monkeypatch
) -> None:
    aid = decided_and_published(make_assessment, submit_assessment, complete_answers, db, people)
    auth.login()
    made = auth.post("/calendar/feed")
    assert made.status_code == 200
    [address] = FEED.findall(made.get_data(as_text=True))
    assert "Copy it now" in made.get_data(as_text=True)
    # Shown once: the page does not show it again.
    assert not FEED.findall(client.get("/calendar").get_data(as_text=True))
    auth.logout()
    path = address.removeprefix("http://localhost")
    digests: list[str] = []

    def counted_digest(*args: object) -> str:
        digests.append(feed_digest(*args))
        return digests[-1]

    monkeypatch.setattr(ical, "feed_digest", counted_digest)
    response = client.get(path)
    assert response.status_code == 200
    assert digests == [response.headers["ETag"].strip('"')]  # computed once per request
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # nothing to remember of a calendar app
    data = response.data
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    other = vobject.readOne(data.decode("utf-8")).vevent_list
    assert len(events) == len(other) >= 6
    uids = {str(e["UID"]) for e in events}
    assert uids == {e.uid.value for e in other}
    assert f"pia-a{aid}-review@pia.invalid" in uids
    assert f"pia-a{aid}-{WA}-earliest_operational_use@pia.invalid" in uids
    assert all(type(e.dtstart.value) is date for e in other)  # all-day
    titles = {e.summary.value for e in other}
    assert "Condition due: Publish the audit log. – Face search pilot" in titles
    # A calendar app polling again gets 304 until something changes.
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # A new address retires the old one.
    auth.login()
    auth.post("/calendar/feed")
    auth.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendar/feeds/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/feeds/short.ics").status_code == 404
    actions = db.scalars(select(AuditEvent.action)).all()
    assert actions.count("calendar.feed_reset") == 2


def test_another_agencys_feed_holds_none_of_these_dates(
    client, auth, make_assessment, submit_assessment, complete_answers, db, people
) -> None:
    decided_and_published(make_assessment, submit_assessment, complete_answers, db, people)
    auth.login("officer_b")
    [address] = FEED.findall(auth.post("/calendar/feed").get_data(as_text=True))
    auth.logout()
    data = client.get(address.removeprefix("http://localhost")).data
    assert list(icalendar.Calendar.from_ical(data).walk("VEVENT")) == []
    assert b"Agency B" in data


def test_the_address_uses_the_installations_public_root(client, auth, monkeypatch) -> None:
    monkeypatch.setenv("PIA_BASE_URL", "https://pia.example.gov")
    auth.login()
    page = auth.post("/calendar/feed").get_data(as_text=True)
    [address] = re.findall(r'value="(https://pia\.example\.gov/calendar/feeds/[^"]+\.ics)"', page)
    auth.logout()
    response = client.get(address.removeprefix("https://pia.example.gov"))
    assert response.status_code == 200
    assert b"X-WR-CALNAME:Agency A: compliance dates (pia)" in response.data
