"""When the agency's side of public comments stops: a final report freezes what was said.

A final report holds the approved comments and the agency's responses as they were when it was
published (its public data's `public_comment` member). From then on nothing said on the
publications before it changes: no moderation (approving, rejecting, marking a duplicate), no
response, no reconsidering and no correcting (CommentsFrozen, a 409 on the web). Comments on a
publication for comment made after that final report are not frozen by it. Callers check under
the assessment's lock, so a verb cannot interleave with publishing the final report.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store.errors import StoreError
from pia.store.public_models import STAGE_FINAL, Publication


class CommentsFrozen(StoreError):
    """A final report froze the comments and responses: nothing changed."""

    def __init__(self, final: Publication) -> None:
        super().__init__(
            f"the final report published on {final.published_at.date().isoformat()} holds the "
            "public comments and the agency's responses as they were then; they can no longer "
            "be changed, and nothing was"
        )
        self.final_id = final.id


def freezing_report(
    session: Session, assessment_id: int, publication_id: int
) -> Publication | None:
    """The final report that froze what was said on `publication_id`, if one was published."""
    query = (
        select(Publication)
        .where(
            Publication.assessment_id == assessment_id,
            Publication.stage == STAGE_FINAL,
            Publication.id > publication_id,
        )
        .order_by(Publication.id)
        .limit(1)
    )
    return session.scalar(query)


def refuse_if_frozen(session: Session, assessment_id: int, publication_id: int) -> None:
    """CommentsFrozen when a final report froze what was said on `publication_id`."""
    final = freezing_report(session, assessment_id, publication_id)
    if final is not None:
        raise CommentsFrozen(final)


def latest_final_report(session: Session, assessment_id: int) -> Publication | None:
    """The assessment's newest final report: what was said on the publications before it is
    frozen into it."""
    query = (
        select(Publication)
        .where(Publication.assessment_id == assessment_id, Publication.stage == STAGE_FINAL)
        .order_by(Publication.id.desc())
        .limit(1)
    )
    return session.scalar(query)
