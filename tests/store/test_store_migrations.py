"""The migrations build the schema the models describe, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from pia.store.db import current_revision, head_revision, make_engine, ping, upgrade
from pia.store.models import Base


def test_upgrade_from_empty_reaches_head_and_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(db_url) == head_revision()
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    first = upgrade(db_url)
    assert upgrade(db_url) == first


def test_ping(engine) -> None:
    assert ping(engine) is True
    unreachable = make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    assert ping(unreachable) is False
    unreachable.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        engine.dispose()


def test_migrations_downgrade_to_nothing_and_back(db_url: str) -> None:
    from alembic import command

    from pia.store.db import alembic_config

    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert upgrade(db_url) == head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# Rows as an installation at migration 0002 holds them, written in SQL: the models describe the
# newest schema, so they cannot write an older one.
SEED_AT_0002 = [
    "INSERT INTO agencies (id, name, created_at) VALUES (1, 'Agency', '2026-01-01 00:00:00')",
    "INSERT INTO users (id, email, name, role, agency_id, password_hash, active, created_at) "
    "VALUES (1, 'o@a.example', 'O', 'officer', 1, 'x', TRUE, '2026-01-01 00:00:00')",
    "INSERT INTO assessments (id, agency_id, title, technology, vendor, product, "
    "product_version, profiles, bank_id, bank_version, status, lock_version, answers, notes, "
    "overall_level, progress_percent, revision_count, submitted_at, submitted_level, "
    "created_by_id, created_at, updated_at, updated_by_id) VALUES (1, 1, 'Before the upgrade', "
    "'', '', '', '', '[]', 'store-test', '0.1', 'submitted', 1, :answers, '{}', 'Low', 50, 1, "
    "'2026-01-02 00:00:00', 'Low', 1, '2026-01-01 00:00:00', '2026-01-02 00:00:00', 1)",
    "INSERT INTO revisions (id, assessment_id, number, answers, notes, evaluation, bank_id, "
    "bank_version, fingerprint, profiles, metadata, overall_level, submitted_by_id, "
    "submitted_at) VALUES (1, 1, 1, :answers, '{}', '{}', 'store-test', '0.1', :fingerprint, "
    "'[]', '{}', 'Low', 1, '2026-01-02 00:00:00')",
    "INSERT INTO evidence (id, assessment_id, question_id, filename, content_type, size, sha256, "
    "data, uploaded_by_id, uploaded_at) VALUES (1, 1, 'mode', 'plan.txt', 'text/plain', 15, "
    "'0', :data, 1, '2026-01-03 00:00:00')",
    "INSERT INTO audit_events (id, at, actor_id, agency_id, assessment_id, action, detail) "
    "VALUES (1, '2026-01-02 00:00:00', 1, 1, 1, 'assessment.submitted', '{}')",
]


def test_upgrading_a_database_with_data_keeps_every_row(db_url: str) -> None:
    """0003 and 0005 rebuild the assessments table on SQLite: nothing referring to it may be
    lost, the revision still verifies and stays immutable."""
    import json

    from sqlalchemy import text

    from pia.engine import fingerprint
    from pia.store import get_assessment, get_revision, make_session_factory, verify_revision
    from pia.store.audit_chain import verify_chain

    answers = {"product_name": "FaceFind", "mode": "search"}
    parameters = {
        "answers": json.dumps(answers),
        "fingerprint": fingerprint("store-test", "0.1", answers, {}),
        "data": b"Deployment plan",
    }
    assert upgrade(db_url, "0002") == "0002"
    engine = make_engine(db_url)
    tables = ("assessments", "revisions", "evidence", "audit_events", "users")
    try:
        with engine.begin() as connection:
            for statement in SEED_AT_0002:
                connection.execute(text(statement), parameters)
        assert upgrade(db_url) == head_revision()
        with engine.connect() as connection:
            after = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                for table in tables
            }
            linked = connection.exec_driver_sql(
                "SELECT count(*) FROM audit_events WHERE assessment_id IS NOT NULL"
            ).scalar()
        assert after == {table: 1 for table in tables} and linked == 1
        with make_session_factory(engine)() as session:
            stored = get_assessment(session, 1)
            assert stored.title == "Before the upgrade" and stored.status == "submitted"
            revision = get_revision(session, stored, 1)
            assert revision.evidence is None and verify_revision(revision)
            report = verify_chain(session)  # 0006 chained the event that was already there
            assert report.intact and report.events == 1, report
        with pytest.raises(Exception, match="immutable"), engine.begin() as connection:
            connection.exec_driver_sql("UPDATE revisions SET overall_level = 'High'")
    finally:
        engine.dispose()
