"""`pia check`, `pia assess --format json` and `pia --help` load only what they use: no PDF,
database or web library (each is run in its own process, whose modules are then listed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = (
    "reportlab",
    "sqlalchemy",
    "pypdf",
    "flask",
    "wtforms",
    "psycopg",
    "alembic",
    "gunicorn",
    "pyhanko",
    "docx",
)

# Runs `pia ARGS...` through its entry point, then prints the heavy libraries it loaded.
RUN = (
    "import sys\n"
    "from pia.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
    "print('exit', code, 'loaded', ','.join(heavy) or '-')\n"
)

EXAMPLE = REPO / "questions" / "examples" / "sheriff_face_search_pilot.yaml"


def loaded_by(*args: str) -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=REPO, check=True
    )
    last = result.stdout.splitlines()[-1].split()
    assert last[0] == "exit" and last[2] == "loaded", result.stdout[-500:]
    return last[1], last[3]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "questions"),
        ("assess", str(EXAMPLE), "--format", "json"),
        ("--help",),
    ],
)
def test_the_command_loads_no_pdf_database_or_web_library(args: tuple[str, ...]) -> None:
    code, loaded = loaded_by(*args)
    assert code in ("0", "None")  # it really ran (and --help exits 0)
    assert loaded == "-"


def test_the_check_sees_a_heavy_library_when_one_is_loaded() -> None:
    """`pia verify` needs pypdf: the listing is not empty by construction."""
    code, loaded = loaded_by("verify", str(REPO / "pyproject.toml"))
    assert code == "2"  # not a PDF: cannot verify
    assert "pypdf" in loaded.split(",")
