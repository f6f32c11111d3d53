"""The migrations build the schema the models describe, on both backends."""

from __future__ import annotations

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


def test_upgrading_a_database_with_data_keeps_every_row(db_url: str, bank) -> None:
    """0003 rebuilds the assessments table on SQLite: nothing referring to it may be lost.

    The data is written by today's code, then the database goes down to 0002 and back up, so
    every migration since runs over existing rows (0006 chains the existing audit events)."""
    from alembic import command

    from pia.store import (
        add_evidence,
        create_agency,
        create_assessment,
        create_user,
        get_revision,
        make_session_factory,
        save_answers,
        submit,
        verify_revision,
    )
    from pia.store.audit_chain import verify_chain
    from pia.store.db import alembic_config

    assert upgrade(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            agency = create_agency(session, "Agency")
            officer = create_user(
                session,
                email="o@a.example",
                name="O",
                role="officer",
                password="a passphrase",
                agency=agency,
            )
            assessment = create_assessment(session, bank, officer, title="Before the upgrade")
            values = {"product_name": "FaceFind", "mode": "search"}
            save_answers(session, bank, assessment, officer, values=values, expected_version=0)
            submit(session, bank, assessment, officer, 1)
            add_evidence(
                session,
                assessment,
                officer,
                question_id="mode",
                filename="plan.txt",
                data=b"Deployment plan",
                max_bytes=1024,
            )
            assessment_id = assessment.id
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":  # as upgrade() does: a rebuilt table must not
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # cascade its drop
                connection.commit()
            with connection.begin():
                command.downgrade(alembic_config(connection), "0002")
        with engine.connect() as connection:
            before = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                for table in ("assessments", "revisions", "evidence", "audit_events", "users")
            }
        assert upgrade(db_url) == head_revision()
        with engine.connect() as connection:
            after = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                for table in before
            }
            linked = connection.exec_driver_sql(
                "SELECT count(*) FROM audit_events WHERE assessment_id IS NOT NULL"
            ).scalar()
        assert after == before and before["revisions"] == 1 and before["evidence"] == 1
        assert linked == 4  # created, saved, submitted, evidence added
        with make_session_factory(engine)() as session:
            from pia.store import get_assessment

            stored = get_assessment(session, assessment_id)
            assert stored.title == "Before the upgrade"
            assert verify_revision(get_revision(session, stored, 1))
            report = verify_chain(session)
            assert report.intact and report.events == before["audit_events"], report
    finally:
        engine.dispose()
