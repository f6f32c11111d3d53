"""Cross-cutting protections: CSRF on every form, security headers on every response, and the
sign-in rate limiter.

CSRF: Flask-WTF's CSRFProtect checks every POST/PUT/PATCH/DELETE. Forms carry a hidden
`csrf_token` field; JavaScript requests send the token from <meta name="csrf-token"> in the
X-CSRFToken header. A missing or wrong token is a 400 with a readable page (see errors.py).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect

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

    In-process memory: each gunicorn worker keeps its own counts, so with N workers an attacker
    gets at most N x max_failures tries per window per address (requests are spread over workers).
    That still bounds guessing; a deployment wanting one shared limit puts a limiting proxy in
    front.
    Keys are the email as typed (lower-cased), whether or not such an account exists, so the limit
    itself reveals nothing about accounts.
    """

    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        while stamps and now - stamps[0] >= self.window_seconds:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
        return stamps

    def blocked(self, email: str, address: str) -> float:
        """Seconds until the next attempt is allowed; 0 when it is allowed now."""
        key = (email.strip().lower(), address)
        with self._lock:
            now = self._clock()
            stamps = self._recent(key, now)
            if len(stamps) < self.max_failures:
                return 0.0
            return max(0.0, self.window_seconds - (now - stamps[0]))

    def record_failure(self, email: str, address: str) -> None:
        key = (email.strip().lower(), address)
        with self._lock:
            now = self._clock()
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)
            self._prune(now)

    def reset(self, email: str, address: str) -> None:
        with self._lock:
            self._failures.pop((email.strip().lower(), address), None)

    def _prune(self, now: float) -> None:
        # Bound memory under a spray of distinct emails: drop keys whose window has passed.
        if len(self._failures) > 10_000:
            for key in list(self._failures):
                self._recent(key, now)
