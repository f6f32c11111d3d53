"""Submitting: immutable, fingerprinted revisions; new drafts after a submission."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pia.engine import Bank, fingerprint
from pia.store import (
    AlreadySubmitted,
    Assessment,
    AuditEvent,
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


@pytest.mark.parametrize("bad", [0, -1, 2**70, "1", None, True])
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
