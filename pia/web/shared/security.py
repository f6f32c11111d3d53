"""Cross-cutting protections: CSRF on every form, security headers on every response, and the
sign-in rate limiter.

CSRF: Flask-WTF's CSRFProtect checks every POST/PUT/PATCH/DELETE. Forms carry a hidden
`csrf_token` field; JavaScript requests send the token from <meta name="csrf-token"> in the
X-CSRFToken header. A missing or wrong token is a 400 with a readable page (see errors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from pia.store.models import utcnow
from pia.store.signin_limit import clear_signin_failures, record_signin_failure, signin_wait

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}

csrf = CSRFProtect()


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Assessments describe surveillance plans: keep pages out of shared and back-button caches.
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(add_security_headers)
    app.extensions["pia.signin_limiter"] = SigninLimiter(
        max_failures=int(app.config["PIA_SIGNIN_MAX_FAILURES"]),
        window_seconds=float(app.config["PIA_SIGNIN_WINDOW_SECONDS"]),
    )


class SigninLimiter:
    """Counts failed sign-ins per (email, client address) in a sliding window.

    The counts are in the database (pia.store.signin_limit), so every worker process and every
    machine serving the app shares one limit. Keys are the email as typed (lower-cased),
    whether or not such an account exists, so the limit itself reveals nothing about accounts.
    """

    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)
        self._clock = clock

    def blocked(self, session: Session, email: str, address: str) -> float:
        """Seconds until the next attempt is allowed; 0 when it is allowed now."""
        wait = signin_wait(
            session,
            email,
            address,
            max_failures=self.max_failures,
            window=self.window,
            now=self._clock(),
        )
        return wait.total_seconds()

    def record_failure(self, session: Session, email: str, address: str) -> None:
        record_signin_failure(session, email, address, window=self.window, now=self._clock())

    def reset(self, session: Session, email: str, address: str) -> None:
        clear_signin_failures(session, email, address)
