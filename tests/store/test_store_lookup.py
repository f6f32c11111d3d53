"""Reading for a page: the user, the assessment and its evidence in one statement, and the
read-only sessions GET requests use. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.store import add_evidence, create_agency, create_assessment, update_user
from pia.store.db import ReadOnlySessionError, make_read_session_factory
from pia.store.lookup import load_user_and_assessment
from pia.store.models import Agency, Assessment, User


def new_assessment(session: Session, bank: Bank, officer: User) -> Assessment:
    return create_assessment(
        session,
        bank,
        officer,
        title="Face search pilot",
        technology="face recognition",
        vendor="Acme",
        product="FaceFind",
        product_version="4.2",
        profiles=[],
    )


def statements_during(engine: Engine, action: Any) -> tuple[Any, list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def test_user_assessment_and_evidence_come_in_one_statement(
    engine: Engine, session: Session, bank: Bank, cast: Any
) -> None:
    assessment = new_assessment(session, bank, cast.officer)
    for name, question in [("b.txt", "threshold"), ("a.txt", "mode"), ("c.txt", "threshold")]:
        add_evidence(
            session,
            assessment,
            cast.officer,
            question_id=question,
            filename=name,
            data=name.encode(),
            max_bytes=1000,
        )
    officer_id, assessment_id = cast.officer.id, assessment.id
    session.expunge_all()

    loaded, seen = statements_during(
        engine,
        lambda: load_user_and_assessment(session, officer_id, assessment_id, with_evidence=True),
    )
    assert len(seen) == 1
    assert loaded.user.email == cast.officer.email
    assert loaded.user.agency.name == "Own Agency"  # loaded with the user, no further query
    assert loaded.assessment.title == "Face search pilot"
    # by question, then upload time
    assert [(e.question_id, e.filename) for e in loaded.evidence] == [
        ("mode", "a.txt"),
        ("threshold", "b.txt"),
        ("threshold", "c.txt"),
    ]
    # the files' bytes are not read with the list
    assert "data" not in loaded.evidence[0].__dict__

    without, seen = statements_during(
        engine, lambda: load_user_and_assessment(session, officer_id, assessment_id)
    )
    assert len(seen) == 1 and without.evidence == () and without.assessment is loaded.assessment


def test_missing_assessment_missing_user_and_ids_out_of_range(
    session: Session, bank: Bank, cast: Any
) -> None:
    assessment = new_assessment(session, bank, cast.officer)
    no_assessment = load_user_and_assessment(
        session, cast.officer.id, assessment.id + 1000, with_evidence=True
    )
    assert no_assessment.user is cast.officer and no_assessment.assessment is None
    assert no_assessment.evidence == ()
    nobody = load_user_and_assessment(session, cast.officer.id + 1000, assessment.id)
    assert nobody.user is None and nobody.assessment is None
    for bad in (0, -1, 2**63, True):
        assert load_user_and_assessment(session, bad, assessment.id).user is None
        out_of_range = load_user_and_assessment(session, cast.officer.id, bad)
        assert out_of_range.user is cast.officer and out_of_range.assessment is None


def test_an_inactive_user_is_returned_as_stored(session: Session, cast: Any) -> None:
    # the caller (the web layer) turns an inactive account away; the lookup does not hide it
    update_user(
        session,
        cast.officer,
        cast.admin,
        name=cast.officer.name,
        role=cast.officer.role,
        agency=cast.officer.agency,
        remit=(),
        active=False,
    )
    loaded = load_user_and_assessment(session, cast.officer.id, 1)
    assert loaded.user is cast.officer and loaded.user.active is False


def test_read_only_sessions_read_but_refuse_every_write(engine: Engine, cast: Any) -> None:
    factory = make_read_session_factory(engine)
    with factory() as reader:
        assert reader.get(Agency, cast.own.id).name == "Own Agency"
        assert reader.scalars(select(Agency.name).order_by(Agency.name)).all() == [
            "Other Agency",
            "Own Agency",
        ]
        reader.add(Agency(name="Sneaked in"))
        with pytest.raises(ReadOnlySessionError):
            reader.flush()
        reader.rollback()
        agency = reader.get(Agency, cast.own.id)
        agency.name = "Renamed"
        with pytest.raises(ReadOnlySessionError):
            reader.commit()
        reader.rollback()
        with pytest.raises(ReadOnlySessionError):
            reader.execute(update(Agency).values(name="Renamed"))
    with factory() as reader:
        names = reader.scalars(select(Agency.name).order_by(Agency.name)).all()
    assert names == ["Other Agency", "Own Agency"]


def test_connections_go_back_to_the_pool_transactional(engine: Engine, session: Session) -> None:
    # the read-only factory shares the engine's pool: a connection it used must come back in
    # its ordinary mode, or a later flush would commit at once and a rollback undo nothing
    factory = make_read_session_factory(engine)
    for _ in range(3):
        with factory() as reader:
            reader.scalars(select(Agency)).all()
    session.add(Agency(name="Not kept"))
    session.flush()
    session.rollback()
    create_agency(session, "Kept")
    with factory() as reader:
        assert reader.scalars(select(Agency.name)).all() == ["Kept"]
