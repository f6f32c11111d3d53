"""Creating, saving (optimistic locking), submitting and reading assessments, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pia.engine import Bank, fingerprint
from pia.store import (
    AlreadySubmitted,
    Assessment,
    AuditEvent,
    InvalidInput,
    NotAllowed,
    NotReady,
    Revision,
    StaleVersion,
    create_assessment,
    get_assessment,
    get_revision,
    make_session_factory,
    revisions_for,
    save_answers,
    submit,
    verify_revision,
)
from pia.store.models import ImmutableRevision

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
    assert stored.overall_level == "Low" and stored.progress_percent == 0
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


def answer_all(session: Session, bank: Bank, cast: Any, assessment: Assessment) -> None:
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values=COMPLETE_ANSWERS,
        notes={"mode": "Only after an incident."},
        expected_version=assessment.lock_version,
    )


def test_submit_refuses_missing_and_invalid_answers(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    with pytest.raises(NotReady) as caught:
        submit(session, bank, assessment, cast.officer, 0)
    assert set(caught.value.missing) == {"product_name", "mode"}
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={**COMPLETE_ANSWERS, "threshold": 150},
        expected_version=0,
    )
    with pytest.raises(NotReady) as caught:
        submit(session, bank, assessment, cast.officer, 1)
    assert caught.value.missing == ()
    assert [issue.question for issue in caught.value.invalid] == ["threshold"]
    assert session.scalar(select(func.count()).select_from(Revision)) == 0
    session.expire_all()
    assert get_assessment(session, assessment.id).status == "draft"


def test_submit_makes_an_immutable_fingerprinted_revision(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    answer_all(session, bank, cast, assessment)
    revision = submit(session, bank, assessment, cast.officer, 1)
    assert revision.number == 1
    assert revision.answers == COMPLETE_ANSWERS
    assert revision.fingerprint == fingerprint(
        "store-test", "0.1", COMPLETE_ANSWERS, {"mode": "Only after an incident."}
    )
    assert verify_revision(revision)
    assert revision.evaluation["overall"]["level"] == "High"
    assert revision.meta["title"] == "Face search pilot"
    assert revision.meta["agency"] == "Own Agency"
    assert revision.profiles == ["wa"]
    session.expire_all()
    stored = get_assessment(session, assessment.id)
    assert stored.status == "submitted" and stored.revision_count == 1
    assert stored.submitted_level == "High" and stored.submitted_at is not None
    assert stored.lock_version == 2
    assert actions(session, stored)[-1] == "assessment.submitted"

    revision = get_revision(session, stored, 1)
    revision.answers = {"product_name": "tampered"}
    with pytest.raises(ImmutableRevision):
        session.commit()
    session.rollback()
    session.delete(get_revision(session, stored, 1))
    with pytest.raises(ImmutableRevision):
        session.commit()
    session.rollback()
    session.expire_all()
    assert get_revision(session, stored, 1).answers == COMPLETE_ANSWERS


def test_a_changed_revision_no_longer_verifies(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    answer_all(session, bank, cast, assessment)
    revision = submit(session, bank, assessment, cast.officer, 1)
    session.expunge(revision)
    revision.answers = {**revision.answers, "threshold": 99}  # detached: never written
    assert not verify_revision(revision)


def test_editing_after_submission_starts_a_new_draft_and_a_second_revision(
    session, bank, cast
) -> None:
    assessment = new(session, bank, cast)
    answer_all(session, bank, cast, assessment)
    submit(session, bank, assessment, cast.officer, 1)
    with pytest.raises(AlreadySubmitted):
        submit(session, bank, assessment, cast.officer, 2)
    with pytest.raises(StaleVersion):
        submit(session, bank, assessment, cast.officer, 1)
    save_answers(
        session, bank, assessment, cast.officer, values={"threshold": 99.5}, expected_version=2
    )
    session.expire_all()
    stored = get_assessment(session, assessment.id)
    assert stored.status == "draft" and stored.revision_count == 1
    second = submit(session, bank, stored, cast.officer, 3)
    assert second.number == 2
    assert second.evaluation["overall"]["level"] == "Low"
    numbers = [r.number for r in revisions_for(session, stored)]
    assert numbers == [2, 1]
    assert get_revision(session, stored, 1).answers["threshold"] == 80
    assert get_revision(session, stored, 3) is None


@pytest.mark.parametrize("bad", [0, -1, 2**70, "1", None])
def test_get_assessment_with_a_bad_id_is_none(session, bad) -> None:
    assert get_assessment(session, bad) is None


def test_sessions_of_the_same_engine_see_committed_saves(engine: Engine, bank, cast) -> None:
    factory = make_session_factory(engine)
    with factory() as writer:
        assessment = new(writer, bank, cast)
        answer_all(writer, bank, cast, assessment)
    with factory() as reader:
        assert get_assessment(reader, assessment.id).answers == COMPLETE_ANSWERS


def test_the_database_itself_refuses_to_change_a_revision(session, bank, cast) -> None:
    assessment = new(session, bank, cast)
    answer_all(session, bank, cast, assessment)
    revision = submit(session, bank, assessment, cast.officer, 1)
    statement = (
        update(Revision)
        .where(Revision.id == revision.id)
        .values(answers={"product_name": "tampered"})
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(DBAPIError, match="revisions are immutable"):
        session.execute(statement)
    session.rollback()
    assert verify_revision(get_revision(session, assessment, 1))
