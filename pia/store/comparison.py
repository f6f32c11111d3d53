"""Two stored revisions, ready for pia.engine's compare_revisions.

A revision's evidence set is the assessment's evidence uploaded up to its submission: evidence
is only ever added, so that is the set the revision was submitted with. (When revisions keep
their own evidence set, read it from there instead.)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank, ComparedRevision, Comparison, EvidenceItem, compare_revisions
from pia.store.models import Assessment, Evidence, Revision


def compared_revision(revision: Revision, evidence: Sequence[Evidence]) -> ComparedRevision:
    """The revision as one side of a comparison, with the evidence it was submitted with."""
    return ComparedRevision(
        number=revision.number,
        answers=dict(revision.answers or {}),
        notes=dict(revision.notes or {}),
        evaluation=dict(revision.evaluation or {}),
        evidence=tuple(
            EvidenceItem(item.filename, item.sha256, item.question_id)
            for item in evidence
            if item.uploaded_at <= revision.submitted_at
        ),
    )


def revisions_to_compare(
    session: Session, assessment: Assessment, numbers: Sequence[int]
) -> dict[int, ComparedRevision]:
    """The assessment's revisions numbered `numbers` (absent ones left out): two queries."""
    wanted = [n for n in numbers if isinstance(n, int) and 0 < n < 2**31]
    if not wanted:
        return {}
    revisions = session.scalars(
        select(Revision).where(Revision.assessment_id == assessment.id, Revision.number.in_(wanted))
    ).all()
    if not revisions:
        return {}
    evidence = session.scalars(
        select(Evidence)
        .where(
            Evidence.assessment_id == assessment.id,
            Evidence.uploaded_at <= max(r.submitted_at for r in revisions),
        )
        .order_by(Evidence.question_id, Evidence.uploaded_at, Evidence.id)
    ).all()
    return {r.number: compared_revision(r, evidence) for r in revisions}


def compare_stored_revisions(
    session: Session, bank: Bank, assessment: Assessment, old: int, new: int
) -> Comparison | None:
    """What changed from revision `old` to `new`; None when either does not exist."""
    sides = revisions_to_compare(session, assessment, (old, new))
    if old not in sides or new not in sides:
        return None
    return compare_revisions(bank, sides[old], sides[new])
