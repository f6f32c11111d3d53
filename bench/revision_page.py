"""The revision page with many comments: server time per request and SQL statements.

On a fresh SQLite file (or PostgreSQL with --postgres: a fresh schema in the `test` database at
127.0.0.1:5432), with the shipped question bank: one assessment answered in full, submitted and
taken up by a reviewer, then COMMENTS comment threads spread over its questions, its findings and
the whole assessment (a third with an officer's reply). The reviewer's revision page is requested
RUNS times through the Flask app (real WSGI request, no network); the median and p95 of the time
inside the app are printed, with the SQL statements per request for 2 and for COMMENTS comments.
Goal: at most 50 ms per page at 200 comments, and the same number of statements for both.

    .venv/bin/python bench/revision_page.py [--comments 200] [--runs 30] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "questions" / "examples" / "sheriff_face_search_pilot.yaml"
GOAL_MS = 50.0
PASSWORD = "benchmark passphrase"


def database_url(postgres: bool, folder: Path) -> str:
    if not postgres:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test") as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    return f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def seed(app: Any, bank: Any, comments: int) -> tuple[int, int]:
    """The assessment under review with `comments` threads; returns (assessment id, reviewer)."""
    from pia.engine import read_answers_file
    from pia.store import (
        add_comment,
        create_agency,
        create_assessment,
        create_user,
        reply,
        save_answers,
        submit,
        take_up,
    )
    from pia.web.shared.db import session_factory

    example = read_answers_file(EXAMPLE)

    with session_factory(app)() as session:
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
        assessment = create_assessment(session, bank, officer, title="Bench")
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values=dict(example.answers),
            notes=dict(example.notes or {}),
            expected_version=0,
        )
        revision = submit(session, bank, assessment, officer, 1)
        take_up(session, assessment, reviewer, revision=1)
        visible = list(revision.evaluation["visible"])
        rules = [finding["rule"] for finding in revision.evaluation["findings"]]
        for index in range(comments):
            if index % 3 == 0 or not rules:
                kind, target = "question", visible[index % len(visible)]
            elif index % 3 == 1:
                kind, target = "finding", rules[index % len(rules)]
            else:
                kind, target = "assessment", ""
            thread = add_comment(
                session,
                assessment,
                reviewer,
                revision=1,
                kind=kind,
                target=target,
                body=f"Comment {index}: please explain this in more detail.",
            )
            if index % 3 == 0:
                reply(session, assessment, officer, thread.id, body="Explained in the notes.")
        return assessment.id, reviewer.id


def measure(comments: int, runs: int, postgres: bool) -> tuple[list[float], int]:
    from pia.engine import load_bank
    from pia.store.db import upgrade
    from pia.web import create_app
    from pia.web.shared.db import get_engine

    os.environ.setdefault("PIA_ARGON2_PROFILE", "test")
    bank = load_bank(REPO / "questions")
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(postgres, Path(folder))
        upgrade(url)
        app = create_app(
            {
                "PIA_DATABASE_URL": url,
                "PIA_BANK_OBJECT": bank,
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "SESSION_COOKIE_SECURE": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        assessment_id, _ = seed(app, bank, comments)
        client = app.test_client()
        client.post("/signin", data={"email": "r@bench.example", "password": PASSWORD})
        path = f"/assessments/{assessment_id}/revisions/1"
        statements: list[str] = []
        with app.app_context():
            engine = get_engine()
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        assert client.get(path).status_code == 200  # warm-up: templates compiled
        times = []
        for _ in range(runs):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with app.app_context():
            get_engine().dispose()
        return times, len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="3 requests: checks the script works")
    args = parser.parse_args()
    if args.quick:
        args.runs = 3
    backend = "PostgreSQL" if args.postgres else "SQLite"
    _, few_statements = measure(2, 3, args.postgres)
    times, statements = measure(args.comments, args.runs, args.postgres)
    median = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    verdict = "within" if median <= GOAL_MS else "OVER"
    print(f"revision page, {backend}, {args.comments} comments, {args.runs} requests")
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms ({verdict} the {GOAL_MS:.0f} ms goal)")
    print(f"  SQL statements per request: {statements} (2 comments: {few_statements})")


if __name__ == "__main__":
    main()
