"""Layers import downward only: the engine must not load the web, database or PDF libraries."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("flask", "sqlalchemy", "reportlab", "wtforms", "flask_wtf", "psycopg", "alembic")


def test_importing_the_engine_loads_no_web_database_or_pdf_library() -> None:
    code = (
        "import sys, pia.engine, pia.engine.loader, pia.engine.evaluate, pia.engine.expressions\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
        "print('pia.engine' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded, engine = result.stdout.splitlines()
    assert engine == "True"  # the check ran in a process that really imported the engine
    assert loaded == ""


def test_the_engine_imports_only_the_standard_library_yaml_and_itself() -> None:
    code = (
        "import sys\nbefore = set(sys.modules)\nimport pia.engine\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "std = set(sys.stdlib_module_names)\n"
        "print(','.join(sorted(m for m in new if m not in std and not m.startswith('_'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # cython_runtime comes with libyaml's compiled PyYAML parser.
    assert set(result.stdout.strip().split(",")) <= {"pia", "yaml", "cython_runtime"}
