"""Where pia keeps its data, read from the environment. Shared by the CLI and the web app factory.

- PIA_INSTANCE: the instance folder (default ./instance), created when absent.
- PIA_DATABASE_URL: the database (default SQLite in the instance folder, `pia.sqlite3`).
- PIA_BANK: the question bank folder (default ./questions).
- PIA_SMTP_URL: the mail server for notifications (unset: no notifications), see pia.store.mail.
- PIA_BASE_URL: the address people reach pia at (e.g. https://pia.example.gov), for links in
  notifications; without it messages carry no links.

Signing report PDFs (docs/signing.md):
- PIA_SIGNING_CERT: the organisation's own certificate: a PEM file (with PIA_SIGNING_KEY) or a
  PKCS#12 file (.p12/.pfx, holding key and certificate). Unset: the installation's own
  self-signed certificate, created on first use in <instance>/signing/.
- PIA_SIGNING_KEY: the PEM private key that goes with a PEM PIA_SIGNING_CERT.
- PIA_SIGNING_PASSPHRASE: the passphrase of the key or the PKCS#12 file, if it has one.
- PIA_SIGNING_NAME: the name the installation's own certificate is issued to (default
  "pia at <host name>"); used only when that certificate is created.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from pia.store.db import sqlite_url

if TYPE_CHECKING:  # pyHanko and cryptography load only when something is signed or checked
    from cryptography import x509

    from pia.report.signing import SigningKey

SIGNING_FOLDER = "signing"


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


def _instance_path() -> Path:
    return Path(os.environ.get("PIA_INSTANCE") or "instance").resolve()


def signing_name() -> str:
    """PIA_SIGNING_NAME, or "pia at <host name>"."""
    return os.environ.get("PIA_SIGNING_NAME", "").strip() or f"pia at {socket.gethostname()}"


def signing_key(instance: Path | None = None) -> SigningKey:
    """The key report PDFs are signed with: the organisation's own (PIA_SIGNING_CERT), else the
    installation's own in <instance>/signing/, created on first use."""
    from pia.report.signing import installation_signing_key, load_signing_key

    certificate = os.environ.get("PIA_SIGNING_CERT", "").strip()
    passphrase = os.environ.get("PIA_SIGNING_PASSPHRASE") or None
    if certificate:
        key = os.environ.get("PIA_SIGNING_KEY", "").strip() or None
        return load_signing_key(certificate, key, passphrase)
    folder = (instance or instance_dir()) / SIGNING_FOLDER
    return installation_signing_key(folder, signing_name())


def trusted_certificates(instance: Path | None = None) -> tuple[x509.Certificate, ...]:
    """The certificates this installation signs with, for `pia verify`: never creates one."""
    from pia.report.signing import installation_certificate

    if os.environ.get("PIA_SIGNING_CERT", "").strip():
        return (signing_key().certificate,)
    found = installation_certificate((instance or _instance_path()) / SIGNING_FOLDER)
    return (found,) if found is not None else ()
