"""The public pages: a publication's page from a warm cache against an uncached render, and the
public list with 1,000 published assessments.

On a fresh SQLite file (or PostgreSQL with --postgres: a fresh schema in the `test` database at
127.0.0.1:5432, dropped again when the run ends or fails), with the shipped question bank: one
assessment answered as the sheriff example, submitted, approved, allowed and published for
comment through the store; then PUBLICATIONS - 1 more published assessments in 20 agencies
(rows inserted in bulk, with a stand-in public data the list never reads). Requests go through
the Flask app (real WSGI request, no network), in one process:
- uncached: the caches are emptied before the request (a full render);
- warm: the same page with the caches filled (a full 200 response, no revalidation), three
  requests after each uncached one, so both see the same load on a shared machine;
- the list (/public/) with PUBLICATIONS published assessments, uncached and warm.
Goals: warm at least 10x the uncached throughput; the list in at most 50 ms.

    .venv/bin/python bench/public_pages.py [--publications 1000] [--runs 30] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "questions" / "examples" / "sheriff_face_search_pilot.yaml"
LIST_GOAL_MS = 50.0
RATIO_GOAL = 10.0
PASSWORD = "benchmark passphrase"
POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=test"


@contextmanager
def bench_database(postgres: bool, folder: Path) -> Iterator[str]:
    """The database URL to run on: a SQLite file in `folder`, or a fresh schema in PostgreSQL's
    `test` database, dropped again when the run ends, whether it succeeded or failed."""
    if not postgres:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def publish_one(session: Any, bank: Any) -> int:
    """The example assessment taken through the whole flow; returns its publication's id."""
    from pia.engine import read_answers_file
    from pia.store import (
        create_agency,
        create_assessment,
        create_user,
        record_decision,
        save_answers,
        submit,
        take_up,
    )
    from pia.store.publication import allow_publication, publish_for_comment

    example = read_answers_file(EXAMPLE)
    agency = create_agency(session, "Bench County")
    officer = create_user(
        session,
        email="o@bench.example",
        name="Officer",
        role="officer",
        password=PASSWORD,
        agency=agency,
    )
    reviewer = create_user(
        session,
        email="r@bench.example",
        name="Reviewer",
        role="reviewer",
        password=PASSWORD,
        remit=[agency],
    )
    assessment = create_assessment(session, bank, officer, title="Sheriff face search pilot")
    save_answers(
        session,
        bank,
        assessment,
        officer,
        values=dict(example.answers),
        notes=dict(example.notes or {}),
        expected_version=0,
    )
    submit(session, bank, assessment, officer, 1)
    take_up(session, assessment, reviewer, revision=1)
    today = datetime.now(UTC).date()
    record_decision(
        session,
        assessment,
        reviewer,
        revision=1,
        outcome="approved",
        rationale="Proportionate.",
        meeting_on=today,
    )
    allow_publication(session, assessment, reviewer, revision=1)
    publication = publish_for_comment(
        session, bank, assessment, officer, opens_on=today, closes_on=today + timedelta(days=30)
    )
    return publication.id


def add_published(session: Any, bank: Any, count: int) -> None:
    """`count` more published assessments in 20 agencies, inserted in bulk."""
    from sqlalchemy import insert

    from pia.store import create_agency
    from pia.store.models import Assessment
    from pia.store.public_models import Publication

    agencies = [create_agency(session, f"Agency {index:02d}") for index in range(20)]
    session.commit()
    rows = [
        {
            "agency_id": agencies[index % 20].id,
            "title": f"Assessment {index}",
            "bank_id": bank.id,
            "bank_version": bank.version,
            "status": "approved",
            "revision_count": 1,
        }
        for index in range(count)
    ]
    ids = session.scalars(insert(Assessment).returning(Assessment.id), rows).all()
    now = datetime.now(UTC)
    today = date.today()
    session.execute(
        insert(Publication),
        [
            {
                "assessment_id": assessment_id,
                "agency_id": agencies[index % 20].id,
                "revision_number": 1,
                "stage": "final" if index % 2 else "comment",
                "comment_opens_on": today,
                "comment_closes_on": today + timedelta(days=30),
                "public_data": {"stand_in": True},
                "fingerprint": f"{index:064d}",
                "published_at": now - timedelta(minutes=index),
                "title": f"Assessment {index}",
                "overall_level": "High",
            }
            for index, assessment_id in enumerate(ids)
        ],
    )
    session.commit()


def timed(client: Any, path: str, runs: int, before: Any = None) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds per request. The CPU time of this process (the app and, on
    SQLite, the database) is what a busy shared machine disturbs least."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        cpu = (time.process_time() - start_cpu) * 1000
        times.append(((time.perf_counter() - start) * 1000, cpu))
        assert response.status_code == 200, (path, response.status_code)
    return times


def measure(publications: int, runs: int, postgres: bool) -> dict[str, list[tuple[float, float]]]:
    from pia.engine import load_bank
    from pia.store.db import upgrade
    from pia.web import create_app
    from pia.web.shared.db import get_engine

    os.environ.setdefault("PIA_ARGON2_PROFILE", "test")
    bank = load_bank(REPO / "questions")
    with tempfile.TemporaryDirectory() as folder, bench_database(postgres, Path(folder)) as url:
        upgrade(url)
        app = create_app(
            {
                "PIA_DATABASE_URL": url,
                "PIA_BANK_OBJECT": bank,
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "SESSION_COOKIE_SECURE": False,
            }
        )
        try:
            return run_requests(app, bank, publications, runs)
        finally:
            # Closed before the schema is dropped: no connection of the app holds it.
            with app.app_context():
                get_engine().dispose()


def run_requests(
    app: Any, bank: Any, publications: int, runs: int
) -> dict[str, list[tuple[float, float]]]:
    """Publish, then time the requests (the figures `measure` returns)."""
    from pia.web.public.caching import clear_caches
    from pia.web.shared.db import session_factory

    with session_factory(app)() as session:
        publication_id = publish_one(session, bank)
        add_published(session, bank, publications - 1)
    client = app.test_client()
    page = f"/public/publications/{publication_id}"
    client.get(page)  # templates compiled
    client.get("/public/")
    # Interleaved, so that both see the same load on a shared machine.
    uncached: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    for _ in range(runs):
        uncached += timed(client, page, 1, before=clear_caches)
        warm += timed(client, page, 3)
    results = {
        "uncached": uncached,
        "warm": warm,
        "list": timed(client, "/public/", runs, before=clear_caches),
        "list warm": timed(client, "/public/", runs),
    }
    listed = client.get("/public/").get_data(as_text=True).count("/public/publications/")
    assert listed >= publications, listed
    results["validator"] = validator_query(app, publication_id, runs)
    return results


def validator_query(app: Any, publication_id: int, runs: int) -> list[tuple[float, float]]:
    """The page's validator (its one statement: publication_head) alone, per request: the
    database's share of a warm request."""
    from pia.store.public_listing import publication_head
    from pia.web.shared.db import get_session

    times = []
    with app.test_request_context():
        session = get_session()
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            publication_head(session, publication_id)
            cpu = (time.process_time() - start_cpu) * 1000
            times.append(((time.perf_counter() - start) * 1000, cpu))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="5 requests each")
    args = parser.parse_args()
    if args.quick:
        args.runs = 5
    backend = "PostgreSQL" if args.postgres else "SQLite"
    results = measure(args.publications, args.runs, args.postgres)

    def median(name: str, which: int) -> float:
        return statistics.median(times[which] for times in results[name])

    print(f"public pages, {backend}, {args.publications} publications, {args.runs} requests each")
    print("  (wall time, and in brackets this process's CPU time: steadier on a loaded machine)")
    for label, name in (("uncached", "uncached"), ("warm cache", "warm")):
        wall, cpu = median(name, 0), median(name, 1)
        print(
            f"  publication page {label}: median {wall:.2f} ms ({1000 / wall:.0f} req/s) "
            f"[CPU {cpu:.2f} ms]"
        )
    for which, kind in ((0, "wall"), (1, "CPU")):
        ratio = median("uncached", which) / max(median("warm", which), 1e-6)
        verdict = "meets" if ratio >= RATIO_GOAL else "BELOW"
        print(
            f"  warm / uncached throughput ({kind}): {ratio:.1f}x "
            f"({verdict} the {RATIO_GOAL:.0f}x goal)"
        )
    query, query_cpu = median("validator", 0), median("validator", 1)
    print(
        f"  of a warm request, the page's validator query (publication_head): {query:.2f} ms "
        f"[CPU {query_cpu:.2f} ms]"
    )
    listing, listing_cpu = median("list", 0), median("list", 1)
    verdict = "within" if listing <= LIST_GOAL_MS else "OVER"
    print(
        f"  list of {args.publications} published assessments, uncached: median {listing:.1f} ms "
        f"[CPU {listing_cpu:.1f} ms] ({verdict} the {LIST_GOAL_MS:.0f} ms goal); warm cache: "
        f"{median('list warm', 0):.2f} ms"
    )


if __name__ == "__main__":
    main()
