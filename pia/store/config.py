"""Where pia keeps its data, read from the environment. Shared by the CLI and the web app factory.

- PIA_INSTANCE: the instance folder (default ./instance), created when absent.
- PIA_DATABASE_URL: the database (default SQLite in the instance folder, `pia.sqlite3`).
- PIA_BANK: the question bank folder (default ./questions).
- PIA_SMTP_URL: the mail server for notifications (unset: no notifications), see pia.store.mail.
- PIA_BASE_URL: the address people reach pia at (e.g. https://pia.example.gov), for links in
  notifications; without it messages carry no links.
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


def smtp_url() -> str:
    """PIA_SMTP_URL, or "" when notifications are off."""
    return os.environ.get("PIA_SMTP_URL", "").strip()


def base_url() -> str:
    """PIA_BASE_URL without a trailing slash, or ""."""
    return os.environ.get("PIA_BASE_URL", "").strip().rstrip("/")
