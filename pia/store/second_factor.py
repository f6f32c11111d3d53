"""The optional second factor: TOTP codes (RFC 6238, pyotp) from an authenticator app, and
single-use recovery codes for when the app is lost.

- Enrolment is two steps: new_secret makes a secret (shown as a QR code and as text; the web
  layer keeps it in the signed session meanwhile), and confirm_enrolment stores it and switches
  the factor on only once a code from the app proves it holds the secret. Confirming hands
  back the recovery codes, shown once; only their argon2id hashes stay.
- A code is accepted for its own 30-second step or the one either side (clocks drift), and never
  twice: accepting one stores its step, and a code of that step or an earlier one is refused. The
  check and the store are one guarded UPDATE, so two processes cannot both accept the same code.
- Switching the factor on or off, and an administrator's reset, end every session of the account
  (the session version is raised): a session opened without the factor does not outlive it.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Literal

import pyotp
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.accounts import PASSWORD_MAX, hasher
from pia.store.errors import InvalidInput
from pia.store.models import RecoveryCode, SecondFactor, User, utcnow
from pia.store.policy import Action, require
from pia.store.sessions import bump_session_version
from pia.store.transaction import committing

ENABLED = "user.second_factor_enabled"
DISABLED = "user.second_factor_disabled"
RESET = "user.second_factor_reset"
RECOVERY_CODE_USED = "user.recovery_code_used"
RECOVERY_CODES_REPLACED = "user.recovery_codes_replaced"
CODE_FAILED = "signin.second_factor_failed"

RECOVERY_CODE_COUNT = 10
# Recovery codes: four groups of four from an alphabet without look-alikes (0/o, 1/l/i). The first
# group finds the stored row; all sixteen characters are checked against its hash.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS = 4
GROUP = 4
DRIFT_STEPS = 1  # codes of the step before and after the current one are accepted too

Method = Literal["code", "recovery"]


def _audit(session: Session, action: str, user: User, *, actor: User) -> None:
    detail = {"user_id": user.id, "email": user.email}
    audit.add_event(session, action, actor=actor, agency_id=user.agency_id, detail=detail)


def factor_of(session: Session, user: User) -> SecondFactor | None:
    return session.get(SecondFactor, user.id)


def has_second_factor(session: Session, user: User) -> bool:
    """True when the account has a confirmed second factor (sign-in asks for a code)."""
    factor = factor_of(session, user)
    return factor is not None and factor.confirmed_at is not None


def new_secret() -> str:
    """A fresh secret for an enrolment (160 bits, base32 as authenticator apps take it)."""
    return pyotp.random_base32()


def is_secret(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 32
        and all(ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in value)
    )


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def normalise_code(code: str) -> str:
    """What was typed, without spaces and hyphens, lower-cased."""
    return "".join(ch for ch in str(code)[:64] if ch not in " -\t").lower()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (current step first), or None."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, *(current + d for d in range(-DRIFT_STEPS, DRIFT_STEPS + 1) if d)):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_step(session: Session, user_id: int, step: int) -> bool:
    """Stores `step` as the last used unless it (or a later one) was used already."""
    claimed = session.execute(
        update(SecondFactor)
        .where(
            SecondFactor.user_id == user_id,
            or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes: list[str] = []
    selectors: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        groups = [
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(GROUP))
            for _ in range(RECOVERY_GROUPS)
        ]
        if groups[0] in selectors:
            continue
        selectors.add(groups[0])
        code = "-".join(groups)
        codes.append(code)
        session.add(
            RecoveryCode(
                user_id=user.id,
                selector=groups[0],
                code_hash=hasher().hash(normalise_code(code)),
            )
        )
    return codes


def confirm_enrolment(
    session: Session, user: User, secret: str, code: str, *, now: datetime | None = None
) -> list[str]:
    """Switches the second factor on with `secret` if `code` comes from it (commits).

    -> the recovery codes, to show once. Every session of the account ends (the caller carries
    its own on at the new version). Raises InvalidInput (field "code") for a wrong code, or when
    the account has a second factor already.
    """
    if factor_of(session, user) is not None:
        raise InvalidInput("a second factor is already switched on", field="code")
    if not is_secret(secret):
        raise InvalidInput("the enrolment has expired: start again", field="code")
    step = _matching_step(secret, normalise_code(code), now or utcnow())
    if step is None:
        raise InvalidInput(
            "that code is not right: type the 6 digits the app shows now", field="code"
        )
    with committing(session):
        session.add(
            SecondFactor(user_id=user.id, secret=secret, confirmed_at=utcnow(), last_step=step)
        )
        codes = _new_recovery_codes(session, user)
        bump_session_version(session, user)
        _audit(session, ENABLED, user, actor=user)
    return codes


def check_second_factor(
    session: Session, user: User, code: str, *, now: datetime | None = None
) -> Method | None:
    """At sign-in: "code" when `code` is a fresh authenticator code, "recovery" when it is an
    unused recovery code (now used up), None otherwise (commits; failures are audited)."""
    typed = normalise_code(code)
    factor = factor_of(session, user)
    method: Method | None = None
    if factor is not None and factor.confirmed_at is not None:
        with committing(session):
            step = _matching_step(factor.secret, typed, now or utcnow())
            if step is not None and _claim_step(session, user.id, step):
                method = "code"
            elif step is None and _use_recovery_code(session, user, typed):
                method = "recovery"
            if method != "code":  # a recovery code used, or a wrong code: both in the trail
                event = RECOVERY_CODE_USED if method == "recovery" else CODE_FAILED
                _audit(session, event, user, actor=user)
    return method


def _use_recovery_code(session: Session, user: User, typed: str) -> bool:
    if len(typed) != RECOVERY_GROUPS * GROUP:
        return False
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.selector == typed[:GROUP],
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    try:
        hasher().verify(row.code_hash, typed)
    except (VerificationError, InvalidHashError):
        return False
    used = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1  # type: ignore[attr-defined]


def recovery_codes_left(session: Session, user: User) -> int:
    rows = session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))


def _remove(session: Session, user: User) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    session.expire_all()
    bump_session_version(session, user)


def _check_password(user: User, password: str) -> None:
    try:
        verified = hasher().verify(user.password_hash, password[:PASSWORD_MAX])
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified:
        raise InvalidInput("the password is not right", field="password")


def replace_recovery_codes(session: Session, user: User, password: str) -> list[str]:
    """New recovery codes for the owner, who gives their password; the old ones stop working
    (commits, audited). -> the codes, to show once."""
    _check_password(user, password)
    if not has_second_factor(session, user):
        raise InvalidInput("there is no second factor to have recovery codes for", field="password")
    with committing(session):
        codes = _new_recovery_codes(session, user)
        _audit(session, RECOVERY_CODES_REPLACED, user, actor=user)
    return codes


def disable_second_factor(session: Session, user: User, password: str) -> None:
    """The owner switches the factor off; their password is required (commits). Every session
    of the account ends."""
    _check_password(user, password)
    with committing(session):
        _remove(session, user)
        _audit(session, DISABLED, user, actor=user)


def reset_second_factor(session: Session, user: User, actor: User) -> bool:
    """An administrator removes an account's second factor, e.g. after a lost phone (commits,
    audited). The account's sessions end; it enrols again at its next sign-in if required.
    -> False when there was nothing to remove."""
    require(actor, Action.ADMIN)
    if factor_of(session, user) is None:
        return False
    with committing(session):
        _remove(session, user)
        _audit(session, RESET, user, actor=actor)
    return True
