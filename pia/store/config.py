"""Where pia keeps its data, read from the environment. Shared by the CLI and the web app factory.

- PIA_INSTANCE: the instance folder (default ./instance), created when absent.
- PIA_DATABASE_URL: the database (default SQLite in the instance folder, `pia.sqlite3`).
- PIA_BANK: the question bank folder (default ./questions).
"""

from __future__ import annotations

import os
from pathlib import Path

from pia.store.db import sqlite_url


def instance_dir() -> Path:
    """The instance folder, created if absent."""
    path = Path(os.environ.get("PIA_INSTANCE") or "instance").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """PIA_DATABASE_URL, or SQLite in the instance folder."""
    return os.environ.get("PIA_DATABASE_URL") or sqlite_url(instance_dir())


def bank_dir() -> Path:
    """PIA_BANK, or ./questions."""
    return Path(os.environ.get("PIA_BANK") or "questions")
