"""What every page about one assessment reads first, in one statement: who is asking, the
assessment, and (for pages that list attachments) its evidence.

A page needs the user and the assessment before the policy can decide anything. Read one by one
they cost a statement each (on PostgreSQL a round trip plus the ORM's work per statement, which
is most of a section page's database time); one LEFT JOIN returns them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, defaultload, lazyload

from pia.store.assessments import is_row_id
from pia.store.evidence import EVIDENCE_ORDER
from pia.store.models import Agency, Assessment, Evidence, User

# Pages show times in the agency's zone: load it with the agency (it is deferred elsewhere).
_USER_OPTIONS = (lazyload(User.remit), defaultload(User.agency).undefer(Agency.time_zone))


@dataclass(frozen=True)
class UserAndAssessment:
    user: User | None  # as stored: the caller decides what an inactive account may do
    assessment: Assessment | None
    evidence: tuple[Evidence, ...]  # by question then upload time; empty unless asked for


def load_user(session: Session, user_id: int) -> User | None:
    """The user by id, or None. Only reviewers need their remit; it loads when it is read."""
    if not is_row_id(user_id):
        return None
    return session.get(User, user_id, options=list(_USER_OPTIONS))


@cache
def _query(with_evidence: bool) -> Select[Any]:
    """Built once per shape: building a statement costs more than SQLAlchemy's cached compile."""
    query = (
        select(User, Assessment)
        .select_from(User)
        .outerjoin(Assessment, Assessment.id == bindparam("assessment_id"))
        .where(User.id == bindparam("user_id"))
        .options(*_USER_OPTIONS, defaultload(Assessment.agency).undefer(Agency.time_zone))
    )
    if with_evidence:
        query = (
            query.add_columns(Evidence)
            .outerjoin_from(Assessment, Evidence, Evidence.assessment_id == Assessment.id)
            .order_by(*EVIDENCE_ORDER)
        )
    return query


def load_user_and_assessment(
    session: Session, user_id: int, assessment_id: int, *, with_evidence: bool = False
) -> UserAndAssessment:
    """The user, the assessment (None if there is none with that id) and, with `with_evidence`,
    the assessment's evidence without the files' bytes: one statement."""
    if not is_row_id(user_id):
        return UserAndAssessment(None, None, ())
    if not is_row_id(assessment_id):
        return UserAndAssessment(load_user(session, user_id), None, ())
    parameters = {"user_id": user_id, "assessment_id": assessment_id}
    rows = session.execute(_query(with_evidence), parameters).all()
    if not rows:
        return UserAndAssessment(None, None, ())
    evidence = tuple(row[2] for row in rows if row[2] is not None) if with_evidence else ()
    return UserAndAssessment(rows[0][0], rows[0][1], evidence)
