"""bench/public_pages.py --postgres works in a schema of its own in the `test` database and
drops it when the run ends, and when it fails, so repeated runs leave nothing behind."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "public_pages.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_public_pages", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def schema_of(url: str) -> str:
    found = re.search(r"search_path%3D(bench_[0-9a-f]+)", url)
    assert found, url
    return found.group(1)


def schema_exists(conninfo: str, schema: str) -> bool:
    with psycopg.connect(conninfo) as connection:
        row = connection.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        ).fetchone()
    return bool(row and row[0])


# postgresql_url (tests/conftest.py): PostgreSQL is reachable (required under CI=true).
def test_the_schema_is_dropped_after_a_run(postgresql_url: str, tmp_path: Path) -> None:
    bench = load_bench()
    with bench.bench_database(True, tmp_path) as url:
        schema = schema_of(url)
        assert schema_exists(bench.POSTGRES, schema)
        with psycopg.connect(bench.POSTGRES) as connection:
            connection.execute(f"CREATE TABLE {schema}.left_behind (id integer)")
    assert not schema_exists(bench.POSTGRES, schema)


def test_the_schema_is_dropped_when_the_run_fails(
    postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_bench()
    used: list[str] = []

    def interrupted(app: Any, bank: Any, publications: int, runs: int) -> Any:
        url = app.config["PIA_DATABASE_URL"]
        used.append(schema_of(url))
        # The migrations ran in the schema, and the app holds a connection to it.
        with app.app_context():
            from sqlalchemy import text

            from pia.web.shared.db import get_engine

            with get_engine().connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM assessments")).scalar() == 0
        raise RuntimeError("the run stopped half-way")

    monkeypatch.setattr(bench, "run_requests", interrupted)
    with pytest.raises(RuntimeError, match="half-way"):
        bench.measure(2, 1, True)
    assert used
    assert not schema_exists(bench.POSTGRES, used[0])
