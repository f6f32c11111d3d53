"""The device cookie: a browser that has signed in to an account carries a signed note saying so,
and the per-account sign-in limit (pia.web.shared.security.SigninLimiter) does not apply to it.

This is how the limit stops guesses spread over many addresses without letting an attacker keep
the account's owner out: the owner's usual browser still gets in. The cookie holds a keyed digest
of the email (never the email), is signed with the app's secret key, is sent only to /signin and
expires after DEVICE_DAYS; it opens nothing by itself (the password is still checked).
"""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

DEVICE_COOKIE = "pia_device"
DEVICE_DAYS = 180
_SALT = "pia.signin-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _account_digest(email: str) -> str:
    return hashlib.sha256(f"device\0{email.strip().lower()}".encode()).hexdigest()[:32]


def known_device(email: str) -> bool:
    """True when this browser has signed in to the account with this email before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 4096:
        return False
    try:
        digests = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(digests, list) and _account_digest(email) in digests


def remember_device(response: Response, email: str) -> None:
    """After a successful sign-in: this browser is known for this account (a few at most)."""
    digests: list[str] = []
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw and len(raw) <= 4096:
        try:
            loaded = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
            if isinstance(loaded, list):
                digests = [d for d in loaded if isinstance(d, str)]
        except BadSignature:
            digests = []
    mine = _account_digest(email)
    digests = [mine, *[d for d in digests if d != mine]][:5]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(digests),
        max_age=DEVICE_DAYS * 86400,
        path="/signin",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
