"""The compliance calendar of an agency with many decided assessments: time to compute its dates
(`calendar_entries`) and to build its .ics feed, and the SQL statements it takes.

Seeds a fresh SQLite file (migrated) with ROWS assessments of one agency, each submitted, approved
with a condition and a review date, published for comment and then as final, under the Washington
and CCOPS profiles of the shipped bank (so each brings its declared dates, annual reports
included). Prints the median and p95 in ms of computing the dates and of building the feed, the
number of events and the feed's size, the statements per computation, and what answering an
unchanged feed with 304 costs (the dates and their digest, no .ics built) against building it.
Goal: the same number of statements whatever ROWS is (4), and a feed of 1,000 assessments in well
under a second.

    .venv/bin/python bench/calendar_feed.py [--rows 1000] [--runs 20] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert

from pia.engine import load_bank
from pia.store import create_agency, make_session_factory
from pia.store.calendar import calendar_entries
from pia.store.db import make_engine, sqlite_url, upgrade
from pia.store.ical import feed_bytes, feed_digest
from pia.store.models import Assessment
from pia.store.public_models import Publication
from pia.store.review_models import Condition, ReviewDecision

BANK = Path(__file__).resolve().parent.parent / "questions"
PROFILES = ["wa_rcw_43_386", "ccops_local"]


def seed(url: str, rows: int) -> int:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    today = date.today()
    now = datetime.now(UTC)
    with factory() as session:
        agency_id = create_agency(session, "Benchmark County").id
        session.commit()
        session.execute(
            insert(Assessment),
            [
                {
                    "agency_id": agency_id,
                    "title": f"Assessment {n}",
                    "profiles": PROFILES,
                    "bank_id": "bench",
                    "bank_version": "1",
                    "status": "approved_with_conditions",
                    "answers": {},
                    "notes": {},
                    "revision_count": 1,
                    "review_due_on": today + timedelta(days=n % 700 + 1),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(rows)
            ],
        )
        ids = list(session.scalars(Assessment.__table__.select().with_only_columns(Assessment.id)))
        session.execute(
            insert(ReviewDecision),
            [
                {
                    "assessment_id": aid,
                    "revision_number": 1,
                    "outcome": "approved_with_conditions",
                    "rationale": "Proportionate.",
                    "meeting_on": today - timedelta(days=aid % 900),
                    "decided_at": now,
                }
                for aid in ids
            ],
        )
        decisions = dict(
            session.execute(
                ReviewDecision.__table__.select().with_only_columns(
                    ReviewDecision.assessment_id, ReviewDecision.id
                )
            ).all()
        )
        session.execute(
            insert(Condition),
            [
                {
                    "assessment_id": aid,
                    "decision_id": decisions[aid],
                    "text": "Publish the audit log.",
                    "owner": "Records",
                    "due_on": today + timedelta(days=aid % 90),
                    "created_at": now,
                }
                for aid in ids
            ],
        )
        session.execute(
            insert(Publication),
            [
                {
                    "assessment_id": aid,
                    "agency_id": agency_id,
                    "revision_number": 1,
                    "stage": stage,
                    "comment_closes_on": today - timedelta(days=30) if stage == "comment" else None,
                    "public_data": {"padding": "x" * 2000},  # not read by the calendar
                    "fingerprint": "0" * 64,
                    "published_at": now - timedelta(days=60 if stage == "comment" else 10),
                }
                for aid in ids
                for stage in ("comment", "final")
            ],
        )
        session.commit()
    engine.dispose()
    return agency_id


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="50 rows, 3 runs")
    options = parser.parse_args()
    rows, runs = (50, 3) if options.quick else (options.rows, options.runs)
    bank = load_bank(BANK)
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder))
        upgrade(url)
        agency_id = seed(url, rows)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        compute_ms, build_ms, digest_ms, counts = [], [], [], []
        for _ in range(runs):
            with factory() as session:
                statements.clear()
                start = time.perf_counter()
                entries = calendar_entries(session, bank, [agency_id])
                middle = time.perf_counter()
                data = feed_bytes("Benchmark County", entries)
                end = time.perf_counter()
                feed_digest("Benchmark County", entries)
                digest_ms.append((time.perf_counter() - end) * 1000)
                counts.append(len([s for s in statements if not s.upper().startswith("BEGIN")]))
            compute_ms.append((middle - start) * 1000)
            build_ms.append((end - middle) * 1000)
        engine.dispose()
    print(f"SQLite, {rows} decided and published assessments, {len(entries)} dates")
    print(
        f"dates: median {statistics.median(compute_ms):.1f} ms, p95 "
        f"{percentile(compute_ms, 0.95):.1f} ms; statements per computation: {sorted(set(counts))}"
    )
    print(
        f"feed:  median {statistics.median(build_ms):.1f} ms, p95 "
        f"{percentile(build_ms, 0.95):.1f} ms; size {len(data) / 1024:.0f} KiB"
    )
    # What a calendar app polling an unchanged feed costs: the dates and their digest (304).
    unchanged = statistics.median(compute_ms) + statistics.median(digest_ms)
    rebuilt = statistics.median(compute_ms) + statistics.median(build_ms)
    print(
        f"unchanged feed (304): {unchanged:.1f} ms against {rebuilt:.1f} ms rebuilt, "
        f"{rebuilt / unchanged:.1f}x"
    )


if __name__ == "__main__":
    main()
