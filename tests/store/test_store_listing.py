"""The dashboard and the reviewer's list: scoped, ordered, paginated, and two queries a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from pia.store import (
    Assessment,
    NotAllowed,
    list_assessments,
    list_submitted,
    make_session_factory,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


def add_rows(session: Session, agency_id: int, count: int, *, submitted_every: int = 0) -> None:
    """Plain rows, quickly: the list reads only what an assessment row holds."""
    rows = []
    for number in range(count):
        submitted = bool(submitted_every) and number % submitted_every == 0
        rows.append(
            Assessment(
                agency_id=agency_id,
                title=f"Assessment {agency_id}-{number:04d}",
                profiles=[],
                bank_id="store-test",
                bank_version="0.1",
                status="submitted" if submitted else "draft",
                answers={"product_name": "FaceFind", "threshold": number},
                notes={},
                overall_level="High",
                progress_percent=number % 101,
                revision_count=1 if submitted else 0,
                submitted_at=START + timedelta(hours=number) if submitted else None,
                submitted_level="High" if submitted else "",
                created_at=START,
                updated_at=START + timedelta(minutes=number),
            )
        )
    session.add_all(rows)
    session.commit()


@contextmanager
def counting_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_dashboard_lists_the_officers_agency_newest_change_first(session, cast) -> None:
    add_rows(session, cast.own.id, 30)
    add_rows(session, cast.other.id, 5)
    first = list_assessments(session, cast.officer, page=1, per_page=25)
    assert (first.total, first.pages, first.page) == (30, 2, 1)
    assert first.has_next and not first.has_previous
    assert [item.title for item in first.items[:2]] == ["Assessment 1-0029", "Assessment 1-0028"]
    assert all(item.agency_name == "Own Agency" for item in first.items)
    second = list_assessments(session, cast.officer, page=2, per_page=25)
    assert [item.title for item in second.items][-1] == "Assessment 1-0000"
    assert len(second.items) == 5 and not second.has_next
    beyond = list_assessments(session, cast.officer, page=99, per_page=25)
    assert beyond.page == 2  # clamped to the last page
    assert list_assessments(session, cast.officer, page=-3).page == 1
    other = list_assessments(session, cast.other_officer)
    assert other.total == 5


def test_the_reviewer_sees_only_submitted_assessments_in_remit(session, cast) -> None:
    add_rows(session, cast.own.id, 10, submitted_every=3)  # 0, 3, 6, 9
    add_rows(session, cast.other.id, 10, submitted_every=1)
    page = list_submitted(session, cast.reviewer)
    assert page.total == 4
    assert [item.title for item in page.items] == [
        "Assessment 1-0009",
        "Assessment 1-0006",
        "Assessment 1-0003",
        "Assessment 1-0000",
    ]
    assert all(item.revision_count == 1 for item in page.items)


@pytest.mark.parametrize(
    ("who", "listing"),
    [("reviewer", list_assessments), ("admin", list_assessments), ("officer", list_submitted)],
)
def test_lists_belong_to_their_roles(session, cast, who, listing) -> None:
    with pytest.raises(NotAllowed):
        listing(session, getattr(cast, who))


@pytest.mark.parametrize("listing", ["dashboard", "review"])
def test_queries_per_page_do_not_grow_with_rows(engine, cast, listing) -> None:
    factory = make_session_factory(engine)
    counts = []
    for rows in (10, 200):
        with factory() as session:
            session.query(Assessment).delete()
            session.commit()
            add_rows(session, cast.own.id, rows, submitted_every=1)
        with factory() as session:
            user = session.merge(cast.officer if listing == "dashboard" else cast.reviewer)
            user.remit_ids  # noqa: B018 (loaded before counting, as a signed-in user would be)
            with counting_queries(engine) as statements:
                if listing == "dashboard":
                    page = list_assessments(session, user, page=1, per_page=25)
                else:
                    page = list_submitted(session, user, page=1, per_page=25)
                # Touch everything a page shows: no lazy load may fire.
                shown = [
                    (i.title, i.status, i.overall_level, i.updated_by_name, i.agency_name)
                    for i in page.items
                ]
            assert len(shown) == min(rows, 25)
            counts.append(len(statements))
    assert counts == [2, 2]  # one count and one page, whatever the number of rows


@pytest.mark.parametrize(("page", "per_page"), [("abc", "x"), (None, None), (float("inf"), 10**9)])
def test_junk_page_numbers_fall_back_to_sensible_pages(session, cast, page, per_page) -> None:
    add_rows(session, cast.own.id, 3)
    shown = list_assessments(session, cast.officer, page=page, per_page=per_page)
    assert shown.page == 1 and len(shown.items) == 3


def test_the_reviewer_list_follows_real_submissions(session, bank, cast) -> None:
    """The list filters on submitted_at, which only a submission sets, with the revision count."""
    from pia.store import create_assessment, save_answers, submit

    values = {"product_name": "FaceFind", "mode": "search"}
    never = create_assessment(session, bank, cast.officer, title="Never submitted")
    save_answers(session, bank, never, cast.officer, values=values, expected_version=0)
    once = create_assessment(session, bank, cast.officer, title="Submitted, then edited")
    save_answers(session, bank, once, cast.officer, values=values, expected_version=0)
    submit(session, bank, once, cast.officer, 1)
    save_answers(session, bank, once, cast.officer, values={"threshold": 80}, expected_version=2)
    listed = list_submitted(session, cast.reviewer)
    assert [(i.title, i.status, i.revision_count) for i in listed.items] == [
        ("Submitted, then edited", "draft", 1)
    ]
