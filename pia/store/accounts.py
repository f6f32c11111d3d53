"""Agencies and user accounts: creation, changes, sign-in.

Passwords are hashed with argon2id (argon2-cffi's PasswordHasher, RFC 9106 low-memory profile).
Sign-in costs one hash verification whether or not the account exists, so timing does not tell
an attacker which emails have accounts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from enum import Enum
from functools import cache

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from pia.report.times import is_time_zone
from pia.store import audit
from pia.store.errors import InvalidInput, NotAllowed
from pia.store.models import ADMIN, OFFICER, REVIEWER, ROLES, Agency, User
from pia.store.transaction import committing

NAME_MAX = 200
EMAIL_MAX = 254
PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # argon2 would take any length; refuse absurd ones cheaply
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# PIA_ARGON2_PROFILE=test selects argon2id with minimal cost, for test suites only (a hash takes
# about a second on a small server with the default profile). Anything else: RFC 9106 low-memory.
ARGON2_PROFILES = {
    "default": profiles.RFC_9106_LOW_MEMORY,
    "test": Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=1,
        memory_cost=1024,
        parallelism=1,
    ),
}


def _profile() -> str:
    name = os.environ.get("PIA_ARGON2_PROFILE", "default")
    return name if name in ARGON2_PROFILES else "default"


def hasher() -> PasswordHasher:
    """The password hasher for the configured profile (argon2id either way)."""
    return _hasher(_profile())


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(ARGON2_PROFILES[profile])


# The hash of a random password nobody knows, made with the default profile: verifying against it
# costs what verifying a real account's hash costs, without hashing anything at start-up.
DEFAULT_PROFILE_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$d1Ic9ot3XR9N1njy+GsiqA$"
    "cq38EFYfsbnht+XJH7wceaCkYGBg8YsOsJqq9WsCVZ0"
)


@cache
def _dummy_hash(profile: str) -> str:
    """A hash to verify against when the email is unknown, so both paths cost the same."""
    if profile == "default":
        return DEFAULT_PROFILE_DUMMY_HASH
    return _hasher(profile).hash("no account has this password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _clean_name(value: str, what: str, field: str) -> str:
    cleaned = " ".join(str(value).split())
    if not cleaned:
        raise InvalidInput(f"{what} must not be empty", field=field)
    if len(cleaned) > NAME_MAX:
        raise InvalidInput(f"{what} is too long (at most {NAME_MAX} characters)", field=field)
    return cleaned


def check_password(password: str) -> None:
    """Raise InvalidInput unless the password is acceptable."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(
            f"the password is too short (at least {PASSWORD_MIN} characters)", field="password"
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("the password is too long", field="password")


# Agencies


def create_agency(session: Session, name: str, actor: User | None = None) -> Agency:
    """A new agency; names are unique regardless of case."""
    name = _clean_name(name, "the agency name", "name")
    if get_agency_by_name(session, name) is not None:
        raise InvalidInput(f"an agency named {name!r} already exists", field="name")
    with committing(session):
        agency = Agency(name=name)
        session.add(agency)
        try:
            session.flush()
        except IntegrityError:
            raise InvalidInput(f"an agency named {name!r} already exists", field="name") from None
        audit.add_event(
            session, audit.AGENCY_CREATED, actor=actor, agency_id=agency.id, detail={"name": name}
        )
    return agency


def set_agency_time_zone(
    session: Session, agency: Agency, time_zone: str, actor: User | None = None
) -> Agency:
    """Sets the zone the agency's times are shown in: an IANA name such as "Europe/Berlin"."""
    zone = time_zone.strip()
    if not is_time_zone(zone):
        raise InvalidInput(
            f"{time_zone!r} is not a time zone name: use an IANA name such as "
            "'Europe/Berlin', 'America/New_York' or 'UTC'",
            field="time_zone",
        )
    with committing(session):
        previous = agency.time_zone
        agency.time_zone = zone
        audit.add_event(
            session,
            audit.AGENCY_TIME_ZONE_SET,
            actor=actor,
            agency_id=agency.id,
            detail={"from": previous, "to": zone},
        )
    return agency


def get_agency(session: Session, agency_id: int) -> Agency | None:
    return session.get(Agency, agency_id)


def get_agency_by_name(session: Session, name: str) -> Agency | None:
    """The agency with this name, compared without regard to case or extra spaces."""
    name = " ".join(name.split())
    query = select(Agency).where(func.lower(Agency.name) == name.lower())
    return session.scalars(query).first()


def list_agencies(session: Session) -> list[Agency]:
    query = select(Agency).options(undefer(Agency.time_zone)).order_by(Agency.name)
    return list(session.scalars(query))


# Users


def check_role_fields(role: str, agency: Agency | None, remit: list[Agency]) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: choose one of {', '.join(ROLES)}", field="role")
    if role == OFFICER and agency is None:
        raise InvalidInput("an officer must belong to an agency", field="agency")
    if role != OFFICER and agency is not None:
        raise InvalidInput(f"a {role} does not belong to an agency", field="agency")
    if role != REVIEWER and remit:
        raise InvalidInput("only reviewers have a remit", field="remit")


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    agency: Agency | None = None,
    remit: Iterable[Agency] = (),
    actor: User | None = None,
) -> User:
    """A new account. Officers need an agency; reviewers may have a remit (a set of agencies)."""
    email = normalise_email(email)
    if not EMAIL_SHAPE.fullmatch(email) or len(email) > EMAIL_MAX:
        raise InvalidInput(f"{email!r} is not an email address", field="email")
    name = _clean_name(name, "the name", "name")
    remit_list = _unique_agencies(remit)
    check_role_fields(role, agency, remit_list)
    check_password(password)
    if get_user_by_email(session, email) is not None:
        raise InvalidInput(f"an account for {email} already exists", field="email")
    password_hash = hasher().hash(password)
    with committing(session):
        user = User(
            email=email,
            name=name,
            role=role,
            agency=agency,
            remit=remit_list,
            password_hash=password_hash,
            active=True,
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InvalidInput(f"an account for {email} already exists", field="email") from None
        audit.add_event(
            session,
            audit.USER_CREATED,
            actor=actor,
            agency_id=agency.id if agency is not None else None,
            detail={"user_id": user.id, "email": email, "role": role},
        )
    return user


def _unique_agencies(agencies: Iterable[Agency]) -> list[Agency]:
    seen: dict[int, Agency] = {}
    for agency in agencies:
        seen.setdefault(agency.id, agency)
    return list(seen.values())


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # update_user: leave the agency as it is


def update_user(
    session: Session,
    user: User,
    actor: User | None,
    *,
    name: str | None = None,
    role: str | None = None,
    agency: Agency | _Keep | None = KEEP,
    remit: Iterable[Agency] | None = None,
    active: bool | None = None,
) -> User:
    """Change an account's name, role, agency, remit or active flag (omitted: unchanged).

    Changing the role away from officer drops the agency, away from reviewer drops the remit.

    An administrator cannot deactivate or demote themselves, so an installation never locks out
    its last way in by accident.
    """
    new_name = _clean_name(name, "the name", "name") if name is not None else user.name
    new_role = role if role is not None else user.role
    new_agency = user.agency if isinstance(agency, _Keep) else agency
    if new_role != OFFICER and isinstance(agency, _Keep):
        new_agency = None
    new_remit = _unique_agencies(remit) if remit is not None else list(user.remit)
    if new_role != REVIEWER and remit is None:
        new_remit = []
    check_role_fields(new_role, new_agency, new_remit)
    demoting = new_role != ADMIN or active is False
    if actor is not None and actor.id == user.id and user.role == ADMIN and demoting:
        raise NotAllowed("you cannot remove your own administrator access")
    changes = {}
    if new_name != user.name:
        changes["name"] = new_name
    if new_role != user.role:
        changes["role"] = new_role
    if new_agency is not user.agency:
        changes["agency"] = new_agency.name if new_agency is not None else None
    if {a.id for a in new_remit} != user.remit_ids:
        changes["remit"] = sorted(a.name for a in new_remit)
    if active is not None and active != user.active:
        changes["active"] = active
    if not changes:
        return user
    with committing(session):
        user.name = new_name
        user.role = new_role
        user.agency = new_agency
        user.remit = new_remit
        if active is not None:
            user.active = active
        audit.add_event(
            session,
            audit.USER_UPDATED,
            actor=actor,
            agency_id=actor.agency_id if actor is not None else None,
            detail={"user_id": user.id, "email": user.email, "changes": changes},
        )
    return user


def set_password(session: Session, user: User, password: str, actor: User | None = None) -> None:
    check_password(password)
    password_hash = hasher().hash(password)
    with committing(session):
        user.password_hash = password_hash
        audit.add_event(
            session,
            audit.PASSWORD_CHANGED,
            actor=actor,
            agency_id=user.agency_id,
            detail={"user_id": user.id, "email": user.email},
        )


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalise_email(email))).first()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, or None. Records the attempt.

    Unknown emails are verified against a dummy hash so the answer takes as long either way; the
    hash is upgraded when the hasher's parameters have changed since it was made.
    """
    email = normalise_email(email)[:EMAIL_MAX]
    if len(password) > PASSWORD_MAX:
        password = password[:PASSWORD_MAX]  # verification still fails; the cost stays bounded
    user = get_user_by_email(session, email) if email else None
    current = hasher()
    stored = user.password_hash if user is not None else _dummy_hash(_profile())
    try:
        verified = current.verify(stored, password)
    except (VerificationError, InvalidHashError):
        verified = False
    if user is None or not verified or not user.active:
        reason = "unknown-email" if user is None else ("password" if not verified else "inactive")
        with committing(session):
            audit.add_event(
                session,
                audit.SIGNIN_FAILED,
                actor=user,
                detail={"email": email, "reason": reason},
            )
        return None
    with committing(session):
        if current.check_needs_rehash(user.password_hash):
            user.password_hash = current.hash(password)
        audit.add_event(session, audit.SIGNIN_SUCCEEDED, actor=user, detail={"email": email})
    return user
