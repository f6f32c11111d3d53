"""Cross-cutting protections: CSRF on every form, security headers on every response, and the
sign-in rate limiter.

CSRF: Flask-WTF's CSRFProtect checks every POST/PUT/PATCH/DELETE. Forms carry a hidden
`csrf_token` field; JavaScript requests send the token from <meta name="csrf-token"> in the
X-CSRFToken header. A missing or wrong token is a 400 with a readable page (see errors.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from pia.store.models import utcnow
from pia.store.signin_limit import (
    account_key,
    address_key,
    clear_attempts,
    give_back_attempt,
    take_attempt,
)

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
        account_max_failures=int(app.config["PIA_SIGNIN_ACCOUNT_MAX_FAILURES"]),
        account_window_seconds=float(app.config["PIA_SIGNIN_ACCOUNT_WINDOW_SECONDS"]),
    )
    proxies = trusted_networks(app.config.get("PIA_TRUSTED_PROXIES") or "")
    if proxies:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, proxies)  # type: ignore[method-assign]


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """PIA_TRUSTED_PROXIES: addresses or networks (CIDR), separated by commas or spaces."""
    from pia.errors import PiaError

    networks = []
    for part in setting.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise PiaError(
                f"PIA_TRUSTED_PROXIES: {part!r} is not an IP address or network (e.g. 10.0.0.5 "
                "or 10.0.0.0/24)"
            ) from None
    return tuple(networks)


class TrustedProxyFix:
    """Werkzeug's ProxyFix, applied only to requests that come from a trusted proxy.

    ProxyFix believes the last X-Forwarded-For/-Proto hop of every request; a client reaching the
    app directly could then pick its own address (and escape the sign-in limit). Here the headers
    count only when the connection comes from an address in PIA_TRUSTED_PROXIES.
    """

    def __init__(self, wsgi_app: Any, networks: tuple[Network, ...]) -> None:
        self.wsgi_app = wsgi_app
        self.networks = networks
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)

    def trusts(self, address: str | None) -> bool:
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusts(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)


class SigninLimiter:
    """Two limits on sign-in attempts, both counted in the database (pia.store.signin_limit), so
    every worker process and machine shares them:

    - per email and client address: `max_failures` in `window` (the everyday limit);
    - per email across all addresses: `account_max_failures` in `account_window`, which stops
      guesses spread over many addresses. So that an attacker cannot use it to keep a person out
      for good, it does not apply to a browser that has signed in to that account before (it
      carries a signed device cookie, see pia.web.accounts.device); a person on a new browser
      waits at most one account window after the attack stops.
    """

    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: float,
        account_max_failures: int = 20,
        account_window_seconds: float = 900,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)
        self.account_max_failures = account_max_failures
        self.account_window = timedelta(seconds=account_window_seconds)
        self._clock = clock

    def take(self, session: Session, email: str, address: str, *, known_device: bool) -> float:
        """Counts this attempt; -> seconds to wait (0: go ahead and check the password)."""
        now = self._clock()
        key = address_key(email, address)
        wait = take_attempt(
            session, key, max_attempts=self.max_failures, window=self.window, now=now
        )
        if wait or known_device:
            return wait.total_seconds()
        account_wait = take_attempt(
            session,
            account_key(email),
            max_attempts=self.account_max_failures,
            window=self.account_window,
            now=now,
        )
        if account_wait:
            give_back_attempt(session, key)  # no password was checked for this address
        return account_wait.total_seconds()

    def succeeded(self, session: Session, email: str, address: str, *, known_device: bool) -> None:
        clear_attempts(session, address_key(email, address))
        if not known_device:
            give_back_attempt(session, account_key(email))
