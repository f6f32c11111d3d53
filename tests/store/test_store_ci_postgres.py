"""An unreachable PostgreSQL skips its tests, except under CI=true, where that is a failure.

Runs pytest in a subprocess on one PostgreSQL-parametrized test, pointed at a closed port.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET = "tests/store/test_store_migrations.py::test_upgrade_twice_is_harmless[postgresql]"


def run_pytest(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PIA_TEST_POSTGRES"] = "host=127.0.0.1 port=1 user=postgres dbname=test"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", TARGET],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_unreachable_postgresql_is_skipped_outside_ci() -> None:
    result = run_pytest(None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and "PostgreSQL unreachable" in result.stdout


def test_unreachable_postgresql_fails_under_ci() -> None:
    result = run_pytest("true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout or "1 error" in result.stdout
    assert "PostgreSQL unreachable" in result.stdout
