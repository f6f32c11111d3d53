"""The app's configuration: environment variables, instance-folder secrets, and the loaded bank.

Environment (all optional):
- PIA_DATABASE_URL: SQLAlchemy URL; default SQLite in the instance folder (pia.store.config).
- PIA_INSTANCE: the instance folder (default ./instance).
- PIA_SECRET_KEY: signs session cookies; when absent one is generated once with
  secrets.token_hex and kept in <instance>/secret_key (mode 0600), so sessions survive restarts.
- PIA_BANK: the question bank folder (default ./questions).
- PIA_MAX_UPLOAD_MB: the largest evidence file accepted (default 10).
- PIA_TRUSTED_PROXIES: addresses or networks of the reverse proxies in front of the app; only
  requests from them have X-Forwarded-For/-Proto believed (Werkzeug's ProxyFix, one hop).
- PIA_SIGNIN_ACCOUNT_MAX_FAILURES / PIA_SIGNIN_ACCOUNT_WINDOW_SECONDS: the per-account sign-in limit
  across addresses (default 20 in 900 seconds).
- PIA_REQUIRE_SECOND_FACTOR: roles whose accounts must have a second factor, e.g.
  "reviewer,admin"; such a user without one is sent to enrolment after the password.
- PIA_PUBLIC_COMMENT_RATE_MAX / PIA_PUBLIC_COMMENT_RATE_WINDOW_SECONDS: public comments accepted
  per client address in each window (default 5 in 3600 seconds; docs/public-comments.md).
- PIA_INSECURE_COOKIES=1: send the session cookie without the Secure flag. Only for serving plain
  http, e.g. the quick start on http://127.0.0.1 behind no TLS: browsers treat loopback as a secure
  context and keep Secure cookies there, but other clients (curl, Flask's test client) do not send
  them over http. Every real deployment sits behind TLS and keeps the default (Secure).

`test_config` passed to create_app overrides any key; it may also carry "PIA_BANK_OBJECT", an
already-loaded Bank, so a test suite loads the bank once rather than once per app, and
"INSTANCE_PATH", the instance folder to use instead of PIA_INSTANCE.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from pia.engine.bank.model import Bank

if TYPE_CHECKING:
    from pia.report.signing import SigningKey

DEFAULT_MAX_UPLOAD_MB = 10
# Multipart framing and the other form fields travel with the file; leave room for them so a file of
# exactly the limit reaches the store's own size check (which gives the precise message).
UPLOAD_OVERHEAD_BYTES = 256 * 1024
BANK_KEY = "pia.bank"
SIGNING_KEY = "pia.signing_key"
_signing_lock = threading.Lock()  # one key per process, even when two requests ask at once


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def insecure_cookies() -> bool:
    """PIA_INSECURE_COOKIES is set: the session cookie goes without the Secure flag."""
    return _truthy(os.environ.get("PIA_INSECURE_COOKIES"))


def secret_key(instance: Path) -> str:
    """PIA_SECRET_KEY, or the key kept in <instance>/secret_key (created on first use)."""
    from_env = os.environ.get("PIA_SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _max_upload_mb(raw: str | None) -> float:
    if not raw:
        return DEFAULT_MAX_UPLOAD_MB
    try:
        value = float(raw)
    except ValueError:
        from pia.errors import PiaError

        raise PiaError(f"PIA_MAX_UPLOAD_MB must be a number of megabytes, not {raw!r}") from None
    if value <= 0:
        from pia.errors import PiaError

        raise PiaError(f"PIA_MAX_UPLOAD_MB must be positive, not {raw!r}")
    return value


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        from pia.errors import PiaError

        raise PiaError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fills app.config from the environment, then applies test_config over it."""
    from pia.store import config as store_config

    overrides = dict(test_config or {})
    instance = Path(app.instance_path)
    app.config.update(
        PIA_DATABASE_URL=overrides.get("PIA_DATABASE_URL") or store_config.database_url(),
        PIA_BANK=str(store_config.bank_dir()),
        PIA_MAX_UPLOAD_MB=_max_upload_mb(os.environ.get("PIA_MAX_UPLOAD_MB")),
        SESSION_COOKIE_SECURE=not insecure_cookies(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="pia_session",
        # A session ends 8 hours after sign-in, however active: not refreshed on every response,
        # which also spares each page a re-signed Set-Cookie.
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        SESSION_REFRESH_EACH_REQUEST=False,
        # Tokens live as long as the session: an officer may keep a section open for hours.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        # Sign-in limiter: this many failures per email and address within the window -> 429;
        # and per email from any address, except browsers that signed in to it before
        # (pia.web.shared.security.SigninLimiter; docs/security.md explains the trade-off).
        PIA_SIGNIN_MAX_FAILURES=5,
        PIA_SIGNIN_WINDOW_SECONDS=300,
        PIA_SIGNIN_ACCOUNT_MAX_FAILURES=_int_env("PIA_SIGNIN_ACCOUNT_MAX_FAILURES", 20),
        PIA_SIGNIN_ACCOUNT_WINDOW_SECONDS=_int_env("PIA_SIGNIN_ACCOUNT_WINDOW_SECONDS", 900),
        # Reverse proxies whose X-Forwarded-For / -Proto headers are believed (security.py).
        PIA_TRUSTED_PROXIES=os.environ.get("PIA_TRUSTED_PROXIES", ""),
        # The public comment form's limit per client address (pia.web.public.comments).
        PIA_PUBLIC_COMMENT_RATE_MAX=_int_env("PIA_PUBLIC_COMMENT_RATE_MAX", 5),
        PIA_PUBLIC_COMMENT_RATE_WINDOW_SECONDS=_int_env(
            "PIA_PUBLIC_COMMENT_RATE_WINDOW_SECONDS", 3600
        ),
        PIA_PAGE_SIZE=25,
        # Roles whose accounts must have a second factor (comma-separated; empty: none).
        PIA_REQUIRE_SECOND_FACTOR=os.environ.get("PIA_REQUIRE_SECOND_FACTOR", ""),
    )
    if "SECRET_KEY" not in overrides:
        app.config["SECRET_KEY"] = secret_key(instance)
    app.config.update(overrides)
    app.config["PIA_MAX_UPLOAD_MB"] = float(app.config["PIA_MAX_UPLOAD_MB"])
    app.config["PIA_REQUIRE_SECOND_FACTOR"] = required_roles(
        app.config["PIA_REQUIRE_SECOND_FACTOR"]
    )
    if "MAX_CONTENT_LENGTH" not in overrides:
        app.config["MAX_CONTENT_LENGTH"] = (
            int(app.config["PIA_MAX_UPLOAD_MB"] * 1024 * 1024) + UPLOAD_OVERHEAD_BYTES
        )


def required_roles(setting: str | Iterable[str]) -> frozenset[str]:
    """PIA_REQUIRE_SECOND_FACTOR: roles such as "reviewer,admin" (commas or spaces)."""
    from pia.errors import PiaError
    from pia.store.models import ROLES

    parts = setting.replace(",", " ").split() if isinstance(setting, str) else list(setting)
    roles = frozenset(part.strip().lower() for part in parts if part.strip())
    unknown = sorted(roles - set(ROLES))
    if unknown:
        raise PiaError(
            f"PIA_REQUIRE_SECOND_FACTOR: {', '.join(unknown)} is not a role (use any of "
            f"{', '.join(ROLES)}, separated by commas)"
        )
    return roles


def max_upload_bytes() -> int:
    """The evidence size limit in bytes, for pia.store.add_evidence(max_bytes=...)."""
    return int(current_app.config["PIA_MAX_UPLOAD_MB"] * 1024 * 1024)


def get_signing_key() -> SigningKey:
    """The key every served PDF is signed with (pia.store.config.signing_key): the agency's
    own, or the installation's, created on first use in the instance folder."""
    key = current_app.extensions.get(SIGNING_KEY)
    if key is None:
        from pia.store import config as store_config

        with _signing_lock:
            key = current_app.extensions.get(SIGNING_KEY)
            if key is None:
                key = store_config.signing_key(Path(current_app.instance_path))
                current_app.extensions[SIGNING_KEY] = key
    return key


def check_signing_key(app: Flask) -> None:
    """An agency's own certificate (PIA_SIGNING_CERT) is loaded at start, so a wrong path,
    passphrase or key stops the app with its reason instead of failing the first download."""
    if os.environ.get("PIA_SIGNING_CERT", "").strip():
        with app.app_context():
            get_signing_key()


def get_bank() -> Bank:
    """The bank the app loaded at start (one immutable value shared by every request)."""
    return current_app.extensions[BANK_KEY]
