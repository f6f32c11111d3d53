"""The compliance calendar: dates from the decision, the publications, the conditions and the
profiles' declared rules; the .ics feed read back by two independent parsers; feed addresses;
reminder mail for dates due soon."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from accountability_setup import (
    STAGE_COMMENT,
    STAGE_FINAL,
    accountability_bank,
    decided_assessment,
    publish,
)
from sqlalchemy import event, select

from pia.engine import Bank
from pia.engine.bank.model import CalendarRule
from pia.store import NotAllowed, create_assessment, mark_condition_met, verify_condition
from pia.store.calendar import (
    CONDITION_DUE,
    OVERDUE,
    PASSED,
    PROFILE_DATE,
    CalendarEntry,
    add_months,
    calendar_entries,
    dates_due_soon,
    rule_dates,
    upcoming_and_overdue,
)
from pia.store.calendar_feed import agency_for_token, feed_of, reset_feed
from pia.store.ical import cached_feed, feed_bytes, feed_digest
from pia.store.models import AuditEvent
from pia.store.notifications import DUE_DATE_SOURCES, queue_due_reminders
from pia.store.review_models import Condition, ReviewDecision

TODAY = date.today()


@pytest.fixture(scope="module")
def calendar_bank(bank_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return accountability_bank(bank_dir, tmp_path_factory.mktemp("calendar_bank"))


def test_months_are_calendar_months() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 14) == date(2029, 1, 15)
    rule = CalendarRule("r", "R", "c", "decision", months=1, every_months=1)
    # Counted from the anchor each time: the 31st comes back after a short month.
    assert rule_dates(rule, date(2027, 1, 31), date(2027, 4, 30)) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    once = CalendarRule("o", "O", "c", "decision", days=-10)
    assert rule_dates(once, date(2027, 1, 31), date(2000, 1, 1)) == [date(2027, 1, 21)]


def test_dates_come_from_the_decision_publications_conditions_and_profile(
    session, calendar_bank, cast
) -> None:
    decided_on = TODAY - timedelta(days=400)
    a = decided_assessment(
        session,
        calendar_bank,
        cast.officer,
        cast.reviewer,
        meeting_on=TODAY,
        condition_due=TODAY + timedelta(days=5),
        review_due_on=TODAY + timedelta(days=700),
    )
    # The board met 400 days ago (set in the row: the store refuses only future meeting dates).
    decision = session.scalars(
        select(ReviewDecision).where(ReviewDecision.assessment_id == a.id)
    ).one()
    decision.meeting_on = decided_on
    session.commit()
    closes = TODAY - timedelta(days=20)
    publish(
        session, a, stage=STAGE_COMMENT, published_on=TODAY - timedelta(days=60), closes_on=closes
    )
    final_on = TODAY - timedelta(days=3)
    publish(session, a, stage=STAGE_FINAL, published_on=final_on)
    entries = calendar_entries(session, calendar_bank, [cast.own.id], today=TODAY)
    by_key = {e.key: e for e in entries}
    prefix = f"a{a.id}-"
    assert by_key[prefix + "comment-period-end"].due == closes
    assert by_key[prefix + "comment-period-end"].status(TODAY) == PASSED
    assert by_key[prefix + "review"].due == TODAY + timedelta(days=700)
    [condition] = [e for e in entries if e.kind == CONDITION_DUE]
    assert (
        condition.due == TODAY + timedelta(days=5) and "Publish the audit log." in condition.title
    )
    assert by_key[prefix + "wa-final_report_due"].due == closes + timedelta(days=30)
    assert by_key[prefix + "wa-earliest_use"].due == final_on + timedelta(days=90)
    annual = sorted(e.due for e in entries if e.key.startswith(prefix + "wa-annual_report-"))
    assert annual[0] == add_months(decided_on, 12)
    assert annual[1] == add_months(decided_on, 24)
    assert annual[-1] <= add_months(TODAY, 36) < add_months(annual[-1], 12)
    assert all(
        e.cite.startswith("Washington RCW 43.386, ") for e in entries if e.kind == PROFILE_DATE
    )
    assert [e.due for e in entries] == sorted(e.due for e in entries)
    # The first annual report is past and pia does not record it: it passed, it is not overdue.
    assert by_key[prefix + "wa-annual_report-1"].status(TODAY) == PASSED


def test_dates_wait_for_their_event_and_a_rejection_starts_none(
    session, calendar_bank, cast
) -> None:
    rejected = decided_assessment(
        session, calendar_bank, cast.officer, cast.reviewer, meeting_on=TODAY, outcome="rejected"
    )
    draft = create_assessment(session, calendar_bank, cast.officer, title="Draft", profiles=["wa"])
    entries = calendar_entries(session, calendar_bank, [cast.own.id], today=TODAY)
    assert [e for e in entries if e.assessment_id in (rejected.id, draft.id)] == []


def test_conditions_leave_the_calendar_when_verified_and_are_overdue_when_late(
    session, calendar_bank, cast
) -> None:
    a = decided_assessment(
        session,
        calendar_bank,
        cast.officer,
        cast.reviewer,
        meeting_on=TODAY,
        condition_due=TODAY + timedelta(days=1),
    )
    [entry] = [
        e
        for e in calendar_entries(session, calendar_bank, [cast.own.id])
        if e.kind == CONDITION_DUE
    ]
    assert entry.status(TODAY + timedelta(days=2)) == OVERDUE
    assert upcoming_and_overdue([entry], TODAY + timedelta(days=400))[0] is entry  # overdue stays
    condition = session.scalars(select(Condition).where(Condition.assessment_id == a.id)).one()
    mark_condition_met(session, a, cast.officer, condition.id, note="Published.")
    verify_condition(session, a, cast.reviewer, condition.id, accept=True)
    kinds = {e.kind for e in calendar_entries(session, calendar_bank, [cast.own.id])}
    assert CONDITION_DUE not in kinds


def test_other_agencies_dates_are_not_included(session, calendar_bank, cast) -> None:
    decided_assessment(session, calendar_bank, cast.officer, cast.reviewer, meeting_on=TODAY)
    assert calendar_entries(session, calendar_bank, [cast.other.id]) == []
    assert calendar_entries(session, calendar_bank, []) == []


def parse_both(data: bytes) -> tuple[list[icalendar.Event], list[object]]:
    calendar = icalendar.Calendar.from_ical(data)
    first = list(calendar.walk("VEVENT"))
    second = list(vobject.readOne(data.decode("utf-8")).vevent_list)
    return first, second


def test_the_feed_reads_the_same_in_two_parsers_with_stable_uids(
    session, calendar_bank, cast, monkeypatch
) -> None:
    monkeypatch.setenv("PIA_BASE_URL", "https://pia.example.gov")
    a = decided_assessment(
        session, calendar_bank, cast.officer, cast.reviewer, meeting_on=TODAY, title="Pilot; A, B"
    )
    publish(session, a, stage=STAGE_COMMENT, published_on=TODAY, closes_on=TODAY + timedelta(10))
    entries = calendar_entries(session, calendar_bank, [cast.own.id])
    data = feed_bytes("Own Agency", entries)
    first, second = parse_both(data)
    assert len(first) == len(second) == len(entries) >= 4
    text = data.decode("utf-8")
    assert text.count("DTSTART;VALUE=DATE:") == text.count("DTEND;VALUE=DATE:") == len(entries)
    assert "\r\n" in text  # RFC 5545 line endings
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "Own Agency" in str(calendar["X-WR-CALNAME"])
    for entry, one, other in zip(entries, first, second, strict=True):
        uid = f"pia-{entry.key}@pia.example.gov"
        assert str(one["UID"]) == other.uid.value == uid
        # All-day: DATE values, not date-times, in both parsers.
        assert one.decoded("DTSTART") == other.dtstart.value == entry.due
        assert type(other.dtstart.value) is date
        assert one.decoded("DTEND") == other.dtend.value == entry.due + timedelta(days=1)
        stamp = other.dtstamp.value
        assert stamp.utcoffset() == timedelta(0)
        expected = entry.changed_at.replace(tzinfo=entry.changed_at.tzinfo or UTC)
        assert stamp == expected.replace(microsecond=0)
        assert one.decoded("DTSTAMP") == stamp
        assert other.summary.value == f"{entry.title} – Pilot; A, B"
        assert str(one["SUMMARY"]) == other.summary.value
        assert other.url.value == f"https://pia.example.gov/assessments/{a.id}"
    # Built again later, the same: calendar apps see no change until a date changes.
    assert feed_bytes("Own Agency", calendar_entries(session, calendar_bank, [cast.own.id])) == data
    # A date moves: same UID, new date.
    a.review_due_on = TODAY + timedelta(days=999)
    session.commit()
    moved = feed_bytes("Own Agency", calendar_entries(session, calendar_bank, [cast.own.id]))
    review = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(moved).walk("VEVENT")}
    assert review[f"pia-a{a.id}-review@pia.example.gov"].decoded("DTSTART") == TODAY + timedelta(
        999
    )


def test_feed_addresses_are_secret_hashed_and_retired_when_renewed(session, cast) -> None:
    first = reset_feed(session, cast.officer, cast.own.id)
    assert agency_for_token(session, first).id == cast.own.id  # type: ignore[union-attr]
    stored = feed_of(session, cast.own.id)
    assert stored is not None and first not in stored.token_sha256
    second = reset_feed(session, cast.officer, cast.own.id)
    assert agency_for_token(session, first) is None
    assert agency_for_token(session, second).id == cast.own.id  # type: ignore[union-attr]
    for wrong in ("", "x" * 43, second[:-1], second + "A", "../" * 15):
        assert agency_for_token(session, wrong) is None
    for outsider in (cast.other_officer, cast.reviewer, cast.admin):
        with pytest.raises(NotAllowed):
            reset_feed(session, outsider, cast.own.id)
    assert agency_for_token(session, second) is not None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.agency_id == cast.own.id)
    ).all()
    assert actions.count("calendar.feed_reset") == 2


def test_dates_due_soon_are_registered_for_reminder_mail(
    session, calendar_bank, cast, monkeypatch
) -> None:
    assert dates_due_soon in DUE_DATE_SOURCES
    monkeypatch.setenv("PIA_SMTP_URL", "smtp://127.0.0.1:1")  # queued, never sent here
    a = decided_assessment(
        session,
        calendar_bank,
        cast.officer,
        cast.reviewer,
        meeting_on=TODAY,
        condition_due=TODAY + timedelta(days=3),
        review_due_on=TODAY + timedelta(days=300),
    )
    publish(
        session, a, stage=STAGE_COMMENT, published_on=TODAY, closes_on=TODAY + timedelta(days=4)
    )
    items = dates_due_soon(session, TODAY, calendar_bank)
    # The condition due in 3 days has a reminder of its own (pia.store.due_dates): not twice.
    assert [(i.assessment_id, i.due) for i in items] == [(a.id, TODAY + timedelta(days=4))]

    def source(s, today):  # the registered source, with this test's bank
        return dates_due_soon(s, today, calendar_bank)

    assert queue_due_reminders(session, TODAY, [source]) == 1
    assert queue_due_reminders(session, TODAY, [source]) == 0  # once per date


def review_entry(**changes: object) -> CalendarEntry:
    """One review date of assessment 1, with `changes` to its fields."""
    fields: dict[str, Any] = {
        "key": "a1-review",
        "kind": "review_date",
        "due": date(2027, 5, 1),
        "title": "Review",
        "assessment_id": 1,
        "assessment_title": "T",
        "agency_id": 1,
        "changed_at": datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
    }
    return CalendarEntry(**{**fields, **changes})


def test_a_naive_datetime_counts_as_utc() -> None:
    entry = review_entry(changed_at=datetime(2026, 11, 30, 12, 0, 0, 123456))
    [event], [other] = parse_both(feed_bytes("Agency", [entry]))
    assert other.dtstamp.value == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == other.dtstamp.value


def test_the_calendar_name_is_escaped_text_and_its_refresh_a_duration() -> None:
    data = feed_bytes("Police, Fire; Rescue", [review_entry()])
    calendar = vobject.readOne(data.decode("utf-8"))
    name = "Police, Fire; Rescue: compliance dates (pia)"
    assert calendar.contents["name"][0].value == calendar.x_wr_calname.value == name
    lines = data.decode("utf-8").split("\r\n")
    assert "NAME:Police\\, Fire\\; Rescue: compliance dates (pia)" in lines
    # Outlook reads how often to poll from X-PUBLISHED-TTL, which must be a DURATION.
    assert "X-PUBLISHED-TTL:PT6H" in lines and "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines


def count_statements(engine, run) -> int:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Not the transaction's own BEGIN (SQLite's driver setup sends one).
    return len([s for s in statements if not s.strip().upper().startswith("BEGIN")])


def test_the_number_of_queries_does_not_grow_with_assessments(
    session, engine, calendar_bank, cast
) -> None:
    own = cast.own.id
    create_assessment(session, calendar_bank, cast.officer, title="Draft", profiles=["wa"])
    session.expire_all()
    assert count_statements(engine, lambda: calendar_entries(session, calendar_bank, [own])) == 1
    for number in range(3):
        decided_assessment(
            session,
            calendar_bank,
            cast.officer,
            cast.reviewer,
            meeting_on=TODAY,
            title=f"A{number}",
        )
    session.expire_all()
    few = count_statements(engine, lambda: calendar_entries(session, calendar_bank, [own]))
    for number in range(3, 8):
        a = decided_assessment(
            session,
            calendar_bank,
            cast.officer,
            cast.reviewer,
            meeting_on=TODAY,
            title=f"A{number}",
        )
        publish(session, a, stage=STAGE_FINAL, published_on=TODAY)
    session.expire_all()
    entries: list[object] = []
    many = count_statements(
        engine, lambda: entries.extend(calendar_entries(session, calendar_bank, [own]))
    )
    assert few == many == 4
    assert len({e.assessment_id for e in entries}) == 8  # type: ignore[attr-defined]


def test_a_built_feed_is_kept_by_the_digest_of_its_dates(session, calendar_bank, cast) -> None:
    a = decided_assessment(session, calendar_bank, cast.officer, cast.reviewer, meeting_on=TODAY)
    entries = calendar_entries(session, calendar_bank, [cast.own.id])
    digest = feed_digest("Own Agency", entries)
    data = cached_feed("Own Agency", entries, digest)
    assert data == feed_bytes("Own Agency", entries)
    again = calendar_entries(session, calendar_bank, [cast.own.id])
    assert feed_digest("Own Agency", again) == digest
    assert cached_feed("Own Agency", again, digest) is data  # kept, not built again
    assert feed_digest("Renamed Agency", entries) != digest
    a.review_due_on = TODAY + timedelta(days=123)
    session.commit()
    moved = calendar_entries(session, calendar_bank, [cast.own.id])
    changed = feed_digest("Own Agency", moved)
    fresh = cached_feed("Own Agency", moved, changed)
    assert changed != digest
    assert (TODAY + timedelta(days=123)).strftime("%Y%m%d").encode() in fresh


def test_repeats_more_than_a_year_past_are_left_out_and_keep_their_numbers(
    session, calendar_bank, cast
) -> None:
    a = decided_assessment(session, calendar_bank, cast.officer, cast.reviewer, meeting_on=TODAY)
    decision = session.scalars(
        select(ReviewDecision).where(ReviewDecision.assessment_id == a.id)
    ).one()
    decision.meeting_on = add_months(TODAY, -60) + timedelta(days=10)  # five years ago
    session.commit()
    annual = [
        e
        for e in calendar_entries(session, calendar_bank, [cast.own.id], today=TODAY)
        if "-wa-annual_report-" in e.key
    ]
    assert annual[0].key.endswith("-annual_report-4")  # the fourth report, months ago
    assert annual[0].due >= add_months(TODAY, -12)
    assert [e.key[-2:] for e in annual[:3]] == ["-4", "-5", "-6"]


def test_a_bank_that_does_not_load_sends_no_calendar_reminder_and_says_so(
    session, calendar_bank, cast, tmp_path: Path, monkeypatch, caplog
) -> None:
    decided_assessment(
        session,
        calendar_bank,
        cast.officer,
        cast.reviewer,
        meeting_on=TODAY,
        condition_due=TODAY + timedelta(days=2),
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bank.yaml").write_text("id: [not, an, id\n", encoding="utf-8")
    monkeypatch.setenv("PIA_BANK", str(broken))
    with caplog.at_level("WARNING", logger="pia.store.calendar"):
        assert dates_due_soon(session, TODAY) == []
    assert "calendar reminders skipped" in caplog.text


def test_an_archived_assessment_leaves_the_calendar_and_the_reminders(
    session, calendar_bank, cast
) -> None:
    from pia.store.details import set_archived
    from pia.store.due_dates import conditions_due_soon, reviews_due_soon

    a = decided_assessment(
        session,
        calendar_bank,
        cast.officer,
        cast.reviewer,
        meeting_on=TODAY,
        condition_due=TODAY + timedelta(days=3),
        review_due_on=TODAY + timedelta(days=5),
    )
    publish(
        session, a, stage=STAGE_COMMENT, published_on=TODAY, closes_on=TODAY + timedelta(days=4)
    )

    def due() -> list[tuple[str, date]]:
        items = [
            *conditions_due_soon(session, TODAY),
            *reviews_due_soon(session, TODAY),
            *dates_due_soon(session, TODAY, calendar_bank),
        ]
        return sorted((item.key.split(":")[0], item.due) for item in items)

    everything = [
        ("calendar", TODAY + timedelta(days=4)),
        ("condition", TODAY + timedelta(days=3)),
        ("review", TODAY + timedelta(days=5)),
    ]
    assert due() == everything
    assert calendar_entries(session, calendar_bank, [cast.own.id], today=TODAY)

    assert set_archived(session, a, cast.officer, archived=True)
    assert due() == []
    assert calendar_entries(session, calendar_bank, [cast.own.id], today=TODAY) == []

    assert set_archived(session, a, cast.officer, archived=False)
    assert due() == everything
