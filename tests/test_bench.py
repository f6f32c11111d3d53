"""Benchmarks cannot rot: every script in bench/ runs in its quick mode, ends with exit status 0
and prints figures. No timing is judged here (the machine's speed is not the code's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(path for path in BENCH.glob("*.py") if "__main__" in path.read_text())
# A figure: a number with a unit the scripts print (ms, us, ns, x, KiB, MiB, %, rows ...).
FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:ms|us|µs|ns|x|KiB|MiB|%|req/s)\b")
NEEDS_POSTGRES = {"load.py"}


def postgres_unavailable() -> str:
    """ "" when the test PostgreSQL server answers (as in tests/conftest.py), else why not."""
    import psycopg

    conninfo = os.environ.get(
        "PIA_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=test"
    )
    try:
        with psycopg.connect(conninfo, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL unreachable ({conninfo}): {error}"
    return ""


def test_every_script_is_listed() -> None:
    names = {path.name for path in SCRIPTS}
    assert {
        "report.py",
        "engine.py",
        "expressions.py",
        "dashboard_scale.py",
        "load.py",
        "public_pages.py",
    } <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_quick_mode_runs_and_prints_figures(script: Path) -> None:
    if script.name in NEEDS_POSTGRES:
        problem = postgres_unavailable()
        if problem and not os.environ.get("CI"):
            pytest.skip(problem)
    result = subprocess.run(
        [sys.executable, str(script), "--quick"],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert len(FIGURE.findall(result.stdout)) >= 3, result.stdout[-3000:]
