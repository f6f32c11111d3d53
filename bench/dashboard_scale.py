"""The officer's dashboard with 10,000 assessments in the database: time per page and queries.

For a fresh PostgreSQL schema (127.0.0.1:5432, database `test`, or PIA_BENCH_POSTGRES as a libpq
conninfo) and a fresh SQLite file: migrate, insert ROWS assessments of one agency (plus a tenth as
many in a second agency), vacuum and analyze as autovacuum would after a bulk load, then time
the officer's dashboard (`list_assessments`) and the reviewer's list (`list_submitted`, remit: both
agencies) for the first, a middle and the last page, each in a new session as a request would, and
print the median and p95 in ms and the SQL statements per page.
Goal: at most 50 ms per page, and the same number of statements for every page and row count.

    .venv/bin/python bench/dashboard_scale.py [--rows 10000] [--runs 50] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, event, insert

from pia.store import (
    create_agency,
    create_user,
    list_assessments,
    list_submitted,
    make_session_factory,
)
from pia.store.db import make_engine, upgrade
from pia.store.models import Assessment

POSTGRES = os.environ.get(
    "PIA_BENCH_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)
GOAL_MS = 50.0


def answers_for(number: int) -> dict[str, object]:
    """About forty answers, like a finished assessment, so rows have a realistic width."""
    answers: dict[str, object] = {
        f"question_{i:02d}": f"answer text {number} {i}" for i in range(30)
    }
    answers.update({f"number_{i}": number % (i + 7) for i in range(10)})
    answers["groups"] = {"women": 0.4, "men": 0.2, "darker": 0.9, "lighter": 0.1}
    return answers


def seed(engine: Engine, rows: int) -> tuple[int, int]:
    """Insert the assessments; returns the officer's and the reviewer's user ids."""
    os.environ.setdefault("PIA_ARGON2_PROFILE", "test")  # account creation is not what we measure
    factory = make_session_factory(engine)
    with factory() as session:
        own = create_agency(session, "Benchmark County")
        other = create_agency(session, "Elsewhere City")
        officer = create_user(
            session,
            email="officer@bench.example",
            name="Bench Officer",
            role="officer",
            password="benchmark passphrase",
            agency=own,
        )
        reviewer = create_user(
            session,
            email="reviewer@bench.example",
            name="Bench Reviewer",
            role="reviewer",
            password="benchmark passphrase",
            remit=[own, other],
        )
        officer_id, reviewer_id, own_id, other_id = officer.id, reviewer.id, own.id, other.id
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch: list[dict[str, object]] = []
    with engine.begin() as connection:
        for number in range(rows + rows // 10):
            agency_id = own_id if number < rows else other_id
            submitted = number % 3 == 0
            batch.append(
                {
                    "agency_id": agency_id,
                    "title": f"Face recognition assessment {number:05d}",
                    "technology": "Face recognition (1:N search)",
                    "vendor": "Example Vendor Inc.",
                    "product": "FaceFind",
                    "product_version": "4.2",
                    "profiles": ["wa_rcw_43_386"],
                    "bank_id": "pia-biometric",
                    "bank_version": "1.0.0",
                    "status": "submitted" if submitted else "draft",
                    "lock_version": number % 17,
                    "answers": answers_for(number),
                    "notes": {"question_01": "A note on the answer."},
                    "overall_level": ("Low", "Moderate", "High", "Very high")[number % 4],
                    "progress_percent": number % 101,
                    "revision_count": 1 if submitted else 0,
                    "submitted_at": start + timedelta(minutes=number) if submitted else None,
                    "submitted_level": "High" if submitted else "",
                    "created_by_id": officer_id if agency_id == own_id else None,
                    "created_at": start,
                    "updated_at": start + timedelta(minutes=number),
                    "updated_by_id": officer_id if agency_id == own_id else None,
                }
            )
            if len(batch) == 1000:
                connection.execute(insert(Assessment), batch)
                batch = []
        if batch:
            connection.execute(insert(Assessment), batch)
    return officer_id, reviewer_id


def measure(
    engine: Engine, user_id: int, listing: Callable[..., Any], page: int, runs: int
) -> tuple[float, float, int, int]:
    """Median and p95 ms of one page, the statements it took, and the rows it returned."""
    from pia.store.models import User

    factory = make_session_factory(engine)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    timings = []
    per_page = set()
    shown = 0
    for run in range(runs + 3):
        with factory() as session:
            user = session.get(User, user_id)
            user.remit_ids  # noqa: B018 (the signed-in user is loaded before the page)
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            began = time.perf_counter()
            result = listing(session, user, page=page, per_page=25)
            elapsed = (time.perf_counter() - began) * 1000
            event.remove(engine, "before_cursor_execute", count)
            shown = len(result.items)
            per_page.add(len(statements))
            if run >= 3:  # the first runs warm caches and the connection pool
                timings.append(elapsed)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    if len(per_page) != 1:
        raise SystemExit(f"statements per page varied between runs: {sorted(per_page)}")
    return statistics.median(timings), p95, per_page.pop(), shown


def bench(name: str, url: str, rows: int, runs: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        began = time.perf_counter()
        officer_id, reviewer_id = seed(engine, rows)
        print(
            f"{name}: {rows} assessments (+{rows // 10} elsewhere) inserted in "
            f"{time.perf_counter() - began:.1f} s"
        )
        # A bulk load is followed by autovacuum within a minute or so; do its work now, so the
        # planner has statistics and the visibility map allows index-only scans.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            vacuum = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
            connection.exec_driver_sql(vacuum)
        submitted = len(range(0, rows + rows // 10, 3))  # every third row, both agencies
        lists = (
            ("dashboard", list_assessments, officer_id, -(-rows // 25)),
            ("reviewer list", list_submitted, reviewer_id, -(-submitted // 25)),
        )
        for title, listing, user_id, pages in lists:
            for label, page in (
                ("page 1", 1),
                (f"page {pages // 2} (middle)", pages // 2),
                (f"page {pages} (last)", pages),
            ):
                median, p95, statements, shown = measure(engine, user_id, listing, page, runs)
                verdict = "ok" if median <= GOAL_MS else "OVER GOAL"
                print(
                    f"  {title:<13} {label:<18} median {median:6.2f} ms  p95 {p95:6.2f} ms  "
                    f"{statements} SQL statements  {shown} rows  [{verdict}: <= {GOAL_MS:.0f} ms]"
                )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--quick", action="store_true", help="200 rows, 3 runs (the test suite's run)"
    )
    args = parser.parse_args()
    if args.quick:
        args.rows, args.runs = 200, 3

    schema = f"pia_bench_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        reachable = True
    except psycopg.Error as error:
        print(f"PostgreSQL: unreachable ({error}); skipped")
        reachable = False
    if reachable:
        params = psycopg.conninfo.conninfo_to_dict(POSTGRES)
        user, host = params.get("user", "postgres"), params.get("host", "127.0.0.1")
        url = (
            f"postgresql+psycopg://{user}@{host}"
            f":{params.get('port', '5432')}/{params.get('dbname', 'test')}"
            f"?options=-csearch_path%3D{schema}"
        )
        try:
            bench("PostgreSQL", url, args.rows, args.runs)
        finally:
            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')

    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.rows, args.runs)


if __name__ == "__main__":
    main()
