"""The audit trail is one hash chain: appends from many threads stay one unbroken chain, and
`pia audit verify` names the first event edited, deleted or reordered with raw SQL."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import Engine, select, text

from pia.cli import main
from pia.store import AuditEvent, create_assessment, make_session_factory, record_event
from pia.store.audit import add_event
from pia.store.audit_chain import GENESIS, verify_chain
from pia.store.models import AuditChainHead

THREADS = 4
EVENTS_PER_THREAD = 10


def _append(session, count: int, prefix: str = "test.event") -> None:
    for number in range(count):
        record_event(session, f"{prefix}", detail={"n": number, "text": "Grüße, ✓"})


def _verify(engine: Engine):
    with make_session_factory(engine)() as session:
        return verify_chain(session)


def _seq_of(engine: Engine, n: int) -> int:
    """The id of the event numbered n in the chain."""
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT id FROM audit_events WHERE seq = :n"), {"n": n}
        ).scalar_one()


def test_events_are_numbered_and_linked_in_order(session, engine) -> None:
    _append(session, 5)
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert len({e.hash for e in events}) == 5
    head = session.get(AuditChainHead, 1)
    assert (head.seq, head.hash) == (5, events[-1].hash)
    report = _verify(engine)
    assert report.intact and report.events == 5
    assert str(report) == "audit trail intact: 5 event(s), hash chain unbroken"


def test_a_rolled_back_change_appends_nothing(session, engine, bank, cast) -> None:
    before = _verify(engine).events
    add_event(session, "test.rolled_back", actor=cast.officer)
    session.rollback()
    create_assessment(session, bank, cast.officer, title="After")
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert "test.rolled_back" not in {e.action for e in events}
    assert [e.seq for e in events] == list(range(1, before + 2))
    assert _verify(engine).intact


def test_concurrent_appends_from_threads_make_one_unbroken_chain(engine) -> None:
    factory = make_session_factory(engine)
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(worker: int) -> None:
        try:
            with factory() as session:
                start.wait()
                _append(session, EVENTS_PER_THREAD, prefix=f"test.worker{worker}")
        except BaseException as error:  # reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = _verify(engine)
    assert report.intact, report
    assert report.events == THREADS * EVENTS_PER_THREAD
    with engine.connect() as connection:
        seqs = connection.execute(text("SELECT seq FROM audit_events ORDER BY seq")).scalars()
        assert list(seqs) == list(range(1, THREADS * EVENTS_PER_THREAD + 1))


def test_an_edited_event_is_named(session, engine) -> None:
    _append(session, 5)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'test.innocent' WHERE seq = 3"))
    report = _verify(engine)
    assert not report.intact
    assert report.problem.startswith(f"event #3 (id {_seq_of(engine, 3)}, test.innocent at ")
    assert report.problem.endswith("was edited: its fields no longer match its hash")


def test_an_edited_detail_is_named(session, engine) -> None:
    _append(session, 3)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET detail = :d WHERE seq = 2"), {"d": '{"n": 99}'}
        )
    assert "event #2 " in _verify(engine).problem
    assert "was edited" in _verify(engine).problem


def test_a_deleted_event_is_named(session, engine) -> None:
    _append(session, 5)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    report = _verify(engine)
    assert not report.intact and report.events == 2
    assert report.problem.startswith("an event between event #2 ")
    assert "and event #4 " in report.problem and "was deleted" in report.problem


def test_deleting_the_newest_events_is_noticed(session, engine) -> None:
    _append(session, 5)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq >= 4"))
    report = _verify(engine)
    assert report.problem.startswith("the newest 2 event(s) after event #3 ")
    assert report.problem.endswith("were deleted (the chain records 5 events)")


def test_a_reordered_event_is_named(session, engine) -> None:
    _append(session, 5)
    with engine.begin() as connection:  # swap the places of events 2 and 3
        connection.execute(text("UPDATE audit_events SET seq = -1 WHERE seq = 2"))
        connection.execute(text("UPDATE audit_events SET seq = 2 WHERE seq = 3"))
        connection.execute(text("UPDATE audit_events SET seq = 3 WHERE seq = -1"))
    report = _verify(engine)
    assert not report.intact and report.events == 1
    assert report.problem.startswith("event #2 ")
    assert "was reordered: it was written right after event #3 " in report.problem
    assert "but now follows event #1 " in report.problem


def test_an_event_inserted_directly_is_named(session, engine) -> None:
    _append(session, 2)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (at, action, detail) "
                "VALUES (CURRENT_TIMESTAMP, 'test.forged', '{}')"
            )
        )
    problem = _verify(engine).problem
    assert "(test.forged) is not in the chain: it was added to the database directly" in problem


TAMPERING = {
    "none": ((), "audit trail intact: 3 event(s), hash chain unbroken"),
    "edit": (
        ("UPDATE audit_events SET detail = '{\"n\": 7}' WHERE seq = 1",),
        "audit trail broken: event #1 ",
    ),
    "delete": (("DELETE FROM audit_events WHERE seq = 2",), "audit trail broken: an event between"),
    "reorder": (
        (
            "UPDATE audit_events SET seq = -1 WHERE seq = 1",
            "UPDATE audit_events SET seq = 1 WHERE seq = 2",
            "UPDATE audit_events SET seq = 2 WHERE seq = -1",
        ),
        "audit trail broken: event #1 ",
    ),
}
EXPECTED_WORDS = {"none": "", "edit": "was edited", "delete": "was deleted", "reorder": "reordered"}


@pytest.mark.parametrize("tamper", list(TAMPERING))
def test_pia_audit_verify_command(session, engine, db_url, monkeypatch, capsys, tamper) -> None:
    _append(session, 3)
    statements, start = TAMPERING[tamper]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    monkeypatch.setenv("PIA_DATABASE_URL", db_url)
    status = main(["audit", "verify"])
    out = capsys.readouterr().out
    assert status == (0 if tamper == "none" else 1)
    assert out.startswith(start) and EXPECTED_WORDS[tamper] in out
