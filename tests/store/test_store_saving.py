"""Creating assessments and saving answers with optimistic locking, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.store import (
    Assessment,
    AuditEvent,
    InvalidInput,
    NotAllowed,
    StaleVersion,
    create_assessment,
    get_assessment,
    make_session_factory,
    save_answers,
)

COMPLETE_ANSWERS = {"product_name": "FaceFind", "mode": "search", "threshold": 80}


def new(session: Session, bank: Bank, cast: Any, **kwargs: object) -> Assessment:
    fields = {"title": "Face search pilot", "vendor": "Example Inc.", "profiles": ["wa"]}
    fields.update(kwargs)
    return create_assessment(session, bank, cast.officer, **fields)  # type: ignore[arg-type]


def actions(session: Session, assessment: Assessment) -> list[str]:
    query = (
        select(AuditEvent.action)
        .where(AuditEvent.assessment_id == assessment.id)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(query))


def test_create_records_the_bank_and_the_officers_agency(session, bank, cast) -> None:
    assessment = new(session, bank, cast, title="  Face   search <b>pilot</b> ")
    stored = get_assessment(session, assessment.id)
    assert stored is not None
    assert (stored.bank_id, stored.bank_version) == ("store-test", "0.1")
    assert stored.agency_id == cast.own.id
    assert stored.title == "Face search <b>pilot</b>"  # whitespace tidied, text kept as given
    assert stored.status == "draft" and stored.lock_version == 0
    assert stored.overall_level == "Not yet rated" and stored.progress_percent == 0
    assert stored.profiles == ["wa"]
    assert actions(session, stored) == ["assessment.created"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"profiles": ["wash"]}, "profiles"),
        ({"vendor": "v" * 201}, "vendor"),
    ],
)
def test_create_refuses_bad_fields(session, bank, cast, fields, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        new(session, bank, cast, **fields)
    assert caught.value.field == field
    assert session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_unknown_profile_suggests_the_close_one(session, bank, cast) -> None:
    with pytest.raises(InvalidInput, match="did you mean 'wa'"):
        new(session, bank, cast, profiles=["wa_"])


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_only_officers_create(session, bank, cast, who) -> None:
    with pytest.raises(NotAllowed):
        create_assessment(session, bank, getattr(cast, who), title="x")


def test_save_merges_answers_and_notes_and_updates_the_cached_evaluation(
    session, bank, cast
) -> None:
    assessment = new(session, bank, cast)
    evaluation = save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": "FaceFind", "threshold": 80},
        notes={"threshold": "From the vendor's data sheet."},
        expected_version=0,
    )
    assert evaluation.overall.level == "High"
    save_answers(
        session, bank, assessment, cast.officer, values={"mode": "search"}, expected_version=1
    )
    session.expire_all()
    stored = get_assessment(session, assessment.id)
    assert stored.answers == {"product_name": "FaceFind", "threshold": 80, "mode": "search"}
    assert stored.notes == {"threshold": "From the vendor's data sheet."}
    assert stored.lock_version == 2
    assert stored.overall_level == "High" and stored.progress_percent == 75
    assert actions(session, stored) == ["assessment.created", "answers.saved", "answers.saved"]


def test_empty_values_clear_and_blank_notes_remove(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": "FaceFind", "threshold": 80, "mode": "search"},
        notes={"mode": "a note"},
        expected_version=0,
    )
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"product_name": ""},
        notes={"mode": "  "},
        clear=["threshold"],
        expected_version=1,
    )
    session.expire_all()
    stored = get_assessment(session, assessment.id)
    assert stored.answers == {"mode": "search"}
    assert stored.notes == {}


def test_a_save_that_changes_nothing_writes_nothing(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    live = {"mode": "live"}
    save_answers(session, bank, assessment, cast.officer, values=live, expected_version=0)
    save_answers(session, bank, assessment, cast.officer, values=live, expected_version=1)
    session.expire_all()
    assert get_assessment(session, assessment.id).lock_version == 1
    assert actions(session, assessment).count("answers.saved") == 1


def test_hidden_answers_are_kept(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"mode": "live", "warrant": True},
        expected_version=0,
    )
    evaluation = save_answers(
        session, bank, assessment, cast.officer, values={"mode": "search"}, expected_version=1
    )
    assert "warrant" in evaluation.hidden_answers
    session.expire_all()
    assert get_assessment(session, assessment.id).answers["warrant"] is True


@pytest.mark.parametrize(
    ("values", "notes"),
    [
        ({"no_such_question": 1}, {}),
        ({}, {"no_such_question": "x"}),
        ({"threshold": float("nan")}, {}),
        ({"threshold": object()}, {}),
        ({}, {"mode": "n" * 20_001}),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_saved(session, bank, cast, values, notes) -> None:
    assessment = new(session, bank, cast)
    with pytest.raises(InvalidInput):
        save_answers(
            session, bank, assessment, cast.officer, values=values, notes=notes, expected_version=0
        )
    session.expire_all()
    stored = get_assessment(session, assessment.id)
    assert stored.answers == {} and stored.notes == {} and stored.lock_version == 0


def test_others_may_not_save(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    for actor in (cast.other_officer, cast.reviewer, cast.admin):
        with pytest.raises(NotAllowed):
            save_answers(session, bank, assessment, actor, values={"mode": "x"}, expected_version=0)


def test_two_sessions_saving_the_same_version_the_second_is_stale(engine, bank, cast) -> None:
    factory = make_session_factory(engine)
    with factory() as first_tab:
        assessment_id = new(first_tab, bank, cast).id
    with factory() as first_tab, factory() as second_tab:
        mine = get_assessment(first_tab, assessment_id)
        theirs = get_assessment(second_tab, assessment_id)
        officer_1 = first_tab.merge(cast.officer)
        officer_2 = second_tab.merge(cast.officer)
        save_answers(
            first_tab,
            bank,
            mine,
            officer_1,
            values={"threshold": 80},
            notes={"threshold": "first tab"},
            expected_version=0,
        )
        with pytest.raises(StaleVersion) as caught:
            save_answers(
                second_tab, bank, theirs, officer_2, values={"threshold": 99}, expected_version=0
            )
        assert caught.value.current_version == 1
        assert caught.value.current_answers == {"threshold": 80}
        assert caught.value.current_notes == {"threshold": "first tab"}
        # The second tab can save on top of what it has now seen.
        save_answers(
            second_tab, bank, theirs, officer_2, values={"threshold": 99}, expected_version=1
        )
    with factory() as check:
        stored = get_assessment(check, assessment_id)
        assert stored.answers == {"threshold": 99}
        assert stored.notes == {"threshold": "first tab"}
        assert stored.lock_version == 2


def test_a_save_racing_between_read_and_write_is_stale(engine, bank, cast) -> None:
    """Another session commits after this save read the row and before it writes."""
    factory = make_session_factory(engine)
    with factory() as setup:
        assessment_id = new(setup, bank, cast).id
    raced = []

    def race(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE ASSESSMENTS") and not raced:
            raced.append(True)
            with factory() as other:
                save_answers(
                    other,
                    bank,
                    get_assessment(other, assessment_id),
                    other.merge(cast.officer),
                    values={"mode": "live"},
                    expected_version=0,
                )

    with factory() as mine:
        assessment = get_assessment(mine, assessment_id)
        officer = mine.merge(cast.officer)
        event.listen(engine, "before_cursor_execute", race)
        try:
            with pytest.raises(StaleVersion) as caught:
                save_answers(
                    mine, bank, assessment, officer, values={"mode": "search"}, expected_version=0
                )
        finally:
            event.remove(engine, "before_cursor_execute", race)
    assert raced and caught.value.current_answers == {"mode": "live"}
    assert caught.value.current_version == 1
    with factory() as check:
        assert get_assessment(check, assessment_id).answers == {"mode": "live"}


@pytest.mark.parametrize("version", ["0", True, None, 0.0])
def test_a_tampered_version_is_invalid_input_not_a_conflict(session, bank, cast, version) -> None:
    assessment = new(session, bank, cast)
    with pytest.raises(InvalidInput) as caught:
        save_answers(
            session, bank, assessment, cast.officer, values={"mode": "x"}, expected_version=version
        )
    assert caught.value.field == "lock_version"


def test_a_single_profile_given_as_text_is_one_profile(session, bank, cast) -> None:
    assert new(session, bank, cast, profiles="wa").profiles == ["wa"]
