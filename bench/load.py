"""Loopback load run: `pia serve` (gunicorn, 2 workers) on a fresh PostgreSQL schema, 20 officers.

    .venv/bin/python bench/load.py [--duration 30] [--officers 20] [--workers 2] [--think 1]
    .venv/bin/python bench/load.py --quick   # a few seconds, to check that the script works

What it does, all against 127.0.0.1 only, bounded in time (at most 60 s of load):
1. creates a fresh schema in PostgreSQL (PIA_BENCH_POSTGRES, default the test server
   host=127.0.0.1 port=5432 user=postgres dbname=test), migrates it and seeds one agency with
   N officers, each owning one assessment answered in full (so every section page shows all its
   questions, and the live-risk panel has findings);
2. starts `pia serve --workers W` (the real CLI: gunicorn with gthread workers) on a free port;
3. each simulated officer is a thread with its own keep-alive connection (http.client) and its own
   session cookie; it signs in through the form and opens every section once (untimed warm-up:
   each worker compiles templates on first use), then the run has three timed phases on the same
   server:
   - floor:    every officer requests GET /healthz as fast as it can (the framework floor);
   - pages:    every officer opens its assessment's section pages in turn;
   - workflow: every officer opens a section page, then saves it (POST of the page's own form with
               its CSRF token and lock version, one note edited, as a browser would send it), and
               every fifth round opens the dashboard; between requests an officer reads and types
               for a while (--think seconds on average, uniformly 0.5x-1.5x; 0 for none);
   floor and pages have no pauses: they measure capacity (requests/s), workflow measures the
   latency officers see under realistic use (each officer starts it after a random part of one
   think time, as people do not all click at the same instant);
4. prints per request type: count, errors, p50/p95/max ms and requests/s; then the goals;
5. stops the server and drops the schema.

Goals (issues 4 and 9): zero errors; section page p95 <= 50 ms; save p95 <= 100 ms. The section
page's throughput as a share of the trivial route's is printed for information, not as a goal:
people feel latency, and a share of a framework floor says little about it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from load_client import PASSWORD, Officer, Recorder  # bench/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parents[1]
MAX_DURATION = 60.0


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url(conninfo: str, schema: str) -> str:
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    password = f":{params['password']}" if params.get("password") else ""
    return (
        f"postgresql+psycopg://{params.get('user', 'postgres')}{password}@"
        f"{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/"
        f"{params.get('dbname', 'test')}?options=-csearch_path%3D{schema}"
        f"&application_name={schema}"
    )


def seed(url: str, officers: int) -> list[tuple[str, int]]:
    """N officers in one agency, each with an assessment answered in full: [(email, id)]."""
    from pia.engine import load_bank
    from pia.engine.bank import model
    from pia.store import create_agency, create_assessment, create_user, save_answers
    from pia.store.db import make_engine, make_session_factory, upgrade

    upgrade(url)
    bank = load_bank(REPO / "questions")
    answers: dict[str, Any] = {}
    for q in bank.questions.values():
        low = q.min if q.min is not None else 0
        answers[q.id] = {
            model.CHOICE: lambda q=q: q.choices[0].value,
            model.MULTI: lambda q=q: [q.choices[0].value],
            model.YESNO: lambda: True,
            model.NUMBER: lambda low=low: low,
            model.DATE: lambda: "2026-01-15",
            model.GROUP_NUMBERS: lambda q=q, low=low: {g.value: low for g in q.groups},
        }.get(q.type, lambda q=q: f"Answer to {q.id}")()
    engine = make_engine(url)
    made = []
    # Seeding only: cheap argon2id hashes. The server runs the default profile and upgrades each
    # hash at the officer's first sign-in, before the timed phases start.
    previous = os.environ.get("PIA_ARGON2_PROFILE")
    os.environ["PIA_ARGON2_PROFILE"] = "test"
    try:
        with make_session_factory(engine)() as session:
            agency = create_agency(session, "Load Test Agency")
            for number in range(officers):
                officer = create_user(
                    session,
                    email=f"officer{number}@load.example",
                    name=f"Officer {number}",
                    role="officer",
                    password=PASSWORD,
                    agency=agency,
                )
                assessment = create_assessment(
                    session,
                    bank,
                    officer,
                    title=f"Assessment of officer {number}",
                    technology="face recognition",
                    vendor="Acme Vision",
                    product="FaceFind",
                    product_version="4.2",
                    profiles=list(bank.profiles)[:2],
                )
                save_answers(
                    session,
                    bank,
                    assessment,
                    officer,
                    values=answers,
                    notes={},
                    expected_version=assessment.lock_version,
                )
                session.commit()
                made.append((officer.email, assessment.id))
    finally:
        if previous is None:
            os.environ.pop("PIA_ARGON2_PROFILE", None)
        else:
            os.environ["PIA_ARGON2_PROFILE"] = previous
        engine.dispose()
    return made


def start_server(
    url: str, port: int, workers: int, threads: int, instance: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PIA_DATABASE_URL": url,
        "PIA_INSTANCE": str(instance),
        "PIA_BANK": str(REPO / "questions"),
        "PIA_INSECURE_COOKIES": "1",  # plain http on loopback
    }
    env.pop("PIA_ARGON2_PROFILE", None)
    command = [sys.executable, "-m", "pia", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    log = open(instance / "server.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {instance / 'server.log'}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer /healthz within 60 s")


def run_phase(
    officers: list[Officer], seconds: float, step: str, recorder: Recorder, stagger: bool = False
) -> float:
    deadline = time.monotonic() + seconds
    started = time.perf_counter()

    def loop(officer: Officer) -> None:
        action = getattr(officer, step)
        if stagger:
            officer.stagger()
        while time.monotonic() < deadline:
            action(recorder)

    threads = [threading.Thread(target=loop, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


# --- report -----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(recorder: Recorder, durations: dict[str, float]) -> dict[str, dict[str, float]]:
    phase_of = {
        "healthz (floor)": "floor",
        "section page": "pages",
        "section page (workflow)": "workflow",
        "save": "workflow",
        "dashboard": "workflow",
    }
    rows = {}
    print(
        f"{'request':<26}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'req/s':>9}"
    )
    for kind, samples in recorder.samples.items():
        ms = [s * 1000 for s in samples]
        rate = len(samples) / durations[phase_of[kind]]
        rows[kind] = {
            "count": len(samples),
            "errors": recorder.errors.get(kind, 0),
            "p50": statistics.median(ms),
            "p95": percentile(ms, 0.95),
            "max": max(ms),
            "rate": rate,
        }
        r = rows[kind]
        print(
            f"{kind:<26}{r['count']:>7}{r['errors']:>8}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['max']:>9.1f}{r['rate']:>9.1f}"
        )
    return rows


def check_goals(rows: dict[str, dict[str, float]]) -> bool:
    errors = sum(int(r["errors"]) for r in rows.values())
    page = rows["section page (workflow)"]
    ratio = rows["section page"]["rate"] / rows["healthz (floor)"]["rate"]
    goals = [
        ("zero errors", errors == 0, f"{errors} errors"),
        (
            "section page p95 <= 50 ms (workflow)",
            page["p95"] <= 50,
            f"{page['p95']:.1f} ms",
        ),
        ("save p95 <= 100 ms", rows["save"]["p95"] <= 100, f"{rows['save']['p95']:.1f} ms"),
    ]
    print()
    for name, met, figure in goals:
        print(f"{'met    ' if met else 'NOT MET'}  {name}: {figure}")
    print(f"(information) section page throughput: {ratio:.0%} of /healthz (capacity phases)")
    return all(met for _, met, _ in goals)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (<= 60)")
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (pia serve)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between an officer's requests (s)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PIA_BENCH_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=test"
        ),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 officers, 1 worker, 3 s, goals printed but not the exit status (the test "
        "suite's run: it proves the script works, not the machine's speed)",
    )
    args = parser.parse_args()
    if args.quick:
        args.officers, args.workers, args.duration, args.think = 2, 1, 3.0, 0.1
    duration = min(max(args.duration, 3.0), MAX_DURATION)

    import tempfile

    import psycopg

    from pia.engine import load_bank

    schema = f"pia_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(args.postgres, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    server = None
    try:
        url = postgres_url(args.postgres, schema)
        print(f"seeding {args.officers} officers and assessments in schema {schema} ...")
        made = seed(url, args.officers)
        sections = [s.id for s in load_bank(REPO / "questions").sections]
        port = free_port()
        instance = Path(tempfile.mkdtemp(prefix="pia-load-"))
        server = start_server(url, port, args.workers, args.threads, instance)
        print(
            f"pia serve --workers {args.workers} --threads {args.threads} "
            f"on http://127.0.0.1:{port}/ (PostgreSQL)"
        )
        officers = [Officer(port, email, aid, sections, args.think) for email, aid in made]
        for officer in officers:  # sign-in is not timed: argon2id is slow on purpose
            officer.sign_in()
        warmers = [threading.Thread(target=o.warm_up) for o in officers]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        recorder = Recorder()
        durations = {
            "floor": run_phase(officers, duration * 0.2, "healthz", recorder),
            "pages": run_phase(officers, duration * 0.2, "open_section", recorder),
            "workflow": run_phase(
                officers, duration * 0.6, "open_and_save", recorder, stagger=True
            ),
        }
        print(
            f"\n{args.officers} officers, {sum(durations.values()):.1f} s of load "
            f"(floor {durations['floor']:.1f} s, pages {durations['pages']:.1f} s, "
            f"workflow {durations['workflow']:.1f} s, mean think time {args.think:g} s), "
            "keep-alive connections\n"
        )
        rows = report(recorder, durations)
        for example in recorder.examples:
            print("  error:", example)
        met = check_goals(rows)
        # The machine may be shared: figures mean little without how busy it was.
        load1, load5, _ = os.getloadavg()
        print(f"load average: {load1:.2f} (1 min), {load5:.2f} (5 min) on {os.cpu_count()} CPUs")
        return 0 if met or args.quick else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                (schema,),
            )
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    sys.exit(main())
