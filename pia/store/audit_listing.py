"""The audit trail for administrators: filtered, paginated, newest first, in two queries.

Administrators do not read assessment content, so an event about an assessment shows its
action, time, actor and agency, and of its detail only what says nothing about the answers
(revision and version numbers, the bank version, how many questions changed). Events about
accounts, agencies and sign-ins are administration and show their detail in full.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pia.store.listing import Page, _bounds
from pia.store.models import Agency, AuditEvent, User

# Detail of an assessment's event that administrators may see: none of it is content.
SHOWN_ASSESSMENT_DETAIL = frozenset({"revision", "version", "bank_version", "reopened"})


@dataclass(frozen=True)
class AuditFilter:
    """What the administrator narrowed the trail to; None means any."""

    agency_id: int | None = None
    assessment_id: int | None = None
    actor_email: str | None = None
    action: str | None = None
    since: date | None = None  # inclusive, UTC days
    until: date | None = None  # inclusive


@dataclass(frozen=True)
class AuditEntry:
    """One row of the administrator's list."""

    id: int
    seq: int | None
    at: datetime
    action: str
    actor_name: str
    actor_email: str
    agency_name: str
    assessment_id: int | None
    detail: str  # what may be shown, as one line


def shown_detail(assessment_id: int | None, detail: dict[str, Any]) -> str:
    """The detail as administrators may see it (see the module's docstring)."""
    if assessment_id is None:
        return ", ".join(f"{key}: {_compact(value)}" for key, value in sorted(detail.items()))
    parts = []
    for key, value in sorted(detail.items()):
        if key in SHOWN_ASSESSMENT_DETAIL:
            parts.append(f"{key}: {_compact(value)}")
        elif isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
    return ", ".join(parts)


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _conditions(chosen: AuditFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if chosen.agency_id is not None:
        where.append(AuditEvent.agency_id == chosen.agency_id)
    if chosen.assessment_id is not None:
        where.append(AuditEvent.assessment_id == chosen.assessment_id)
    if chosen.actor_email:
        actor_ids = select(User.id).where(User.email == chosen.actor_email.strip().lower())
        where.append(AuditEvent.actor_id.in_(actor_ids.scalar_subquery()))
    if chosen.action:
        where.append(AuditEvent.action == chosen.action)
    if chosen.since is not None:
        where.append(AuditEvent.at >= datetime.combine(chosen.since, time(), UTC))
    if chosen.until is not None:
        end = datetime.combine(chosen.until + timedelta(days=1), time(), UTC)
        where.append(AuditEvent.at < end)
    return where


def page_of_events(
    session: Session,
    chosen: AuditFilter | None = None,
    *,
    page: object = 1,
    per_page: object = 50,
) -> Page[AuditEntry]:
    """One page of the trail, newest first: a count and one query, whatever the filters."""
    where = _conditions(chosen or AuditFilter())
    count = select(func.count()).select_from(AuditEvent).where(*where)
    bounds = _bounds(session, count, page, per_page)
    query = (
        select(
            AuditEvent.id,
            AuditEvent.seq,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.assessment_id,
            AuditEvent.detail,
            func.coalesce(User.name, "").label("actor_name"),
            func.coalesce(User.email, "").label("actor_email"),
            func.coalesce(Agency.name, "").label("agency_name"),
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Agency, Agency.id == AuditEvent.agency_id)
        .where(*where)
        .order_by(AuditEvent.seq.desc(), AuditEvent.id.desc())
        .limit(bounds.per_page)
        .offset(bounds.offset)
    )
    items = tuple(
        AuditEntry(
            id=row.id,
            seq=row.seq,
            at=row.at,
            action=row.action,
            actor_name=row.actor_name,
            actor_email=row.actor_email,
            agency_name=row.agency_name,
            assessment_id=row.assessment_id,
            detail=shown_detail(row.assessment_id, row.detail or {}),
        )
        for row in session.execute(query)
    )
    return Page(items, bounds.total, bounds.page, bounds.pages, bounds.per_page)


def audit_actions(session: Session) -> list[str]:
    """The distinct actions in the trail, for the filter's choices (one query)."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
