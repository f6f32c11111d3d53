"""Several threads (as several app processes would) saving at once: no lost update, no error.

Each worker has its own session, as each request has. On SQLite this exercises WAL mode and the
busy timeout; on PostgreSQL, row locking under READ COMMITTED.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from pia.store import (
    StaleVersion,
    create_assessment,
    get_assessment,
    make_session_factory,
    save_answers,
)

WORKERS = 4
SAVES = 15


def test_parallel_saves_to_different_assessments_all_succeed(engine, bank, cast) -> None:
    factory = make_session_factory(engine)
    with factory() as setup:
        made = [create_assessment(setup, bank, cast.officer, title=f"A{n}") for n in range(WORKERS)]
        ids = [assessment.id for assessment in made]
    errors: list[BaseException] = []

    def work(assessment_id: int) -> None:
        try:
            with factory() as session:
                officer = session.merge(cast.officer)
                for number in range(SAVES):
                    assessment = get_assessment(session, assessment_id)
                    save_answers(
                        session,
                        bank,
                        assessment,
                        officer,
                        values={"threshold": number},
                        expected_version=assessment.lock_version,
                    )
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory() as check:
        for assessment_id in ids:
            stored = get_assessment(check, assessment_id)
            assert stored.lock_version == SAVES
            assert stored.answers == {"threshold": SAVES - 1}


def test_parallel_saves_to_one_assessment_lose_nothing(engine, bank, cast) -> None:
    """Every worker adds its own answer, retrying on StaleVersion as the 409 page lets people do."""
    factory = make_session_factory(engine)
    with factory() as setup:
        assessment_id = create_assessment(setup, bank, cast.officer, title="Shared").id
    values = {
        "product_name": "FaceFind",
        "mode": "live",
        "threshold": 99,
        "tested_on": "2025-01-02",
    }
    questions = list(values)
    errors: list[BaseException] = []
    conflicts: list[int] = []

    def work(question: str) -> None:
        try:
            with factory() as session:
                officer = session.merge(cast.officer)
                version = get_assessment(session, assessment_id).lock_version
                while True:
                    try:
                        save(session, officer, question, version)
                        return
                    except StaleVersion as stale:
                        conflicts.append(stale.current_version)
                        version = stale.current_version
        except BaseException as error:
            errors.append(error)

    def save(session: Session, officer, question: str, version: int) -> None:
        assessment = get_assessment(session, assessment_id)
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values={question: values[question]},
            expected_version=version,
        )

    threads = [threading.Thread(target=work, args=(q,)) for q in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory() as check:
        stored = get_assessment(check, assessment_id)
        assert stored.answers == values
        assert stored.lock_version == len(questions)
