"""What the public sees of the comments on an assessment, and the record the final report prints.

- `public_thread(session, assessment_id, time_zone=None)`: the approved comments, oldest first,
  with the agency's responses (public pages; the agency's time zone is read unless given).
- `public_comment_record(session, assessment, bank)`: the report's PublicCommentRecord (the
  period, counts by state, approved comments, responses and themes, and the community meetings
  with the profiles' requirement from pia.store.meetings.meetings_summary). A fixed number of
  queries whatever the number of comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.report.public_comment_record import (
    MeetingView,
    PublicCommentRecord,
    PublicCommentView,
    ResponseView,
)
from pia.report.times import zone_for
from pia.store.comment_moderation import comment_counts, responses_for
from pia.store.meetings import MeetingsSummary, meetings_summary
from pia.store.models import Agency, Assessment
from pia.store.public_models import (
    COMMENT_APPROVED,
    COMMENT_DUPLICATE,
    COMMENT_PENDING,
    COMMENT_REJECTED,
    STAGE_COMMENT,
    CommentResponse,
    Publication,
    PublicComment,
)


@dataclass(frozen=True)
class PublicThread:
    """Approved comments and the agency's responses, for the public pages."""

    comments: tuple[PublicComment, ...]
    responses: tuple[CommentResponse, ...]
    time_zone: str = ""  # the agency's: dates are shown as its calendar has them

    def date_of(self, moment: datetime) -> str:
        """The date of `moment` where the agency is (YYYY-MM-DD)."""
        return moment.astimezone(zone_for(self.time_zone)).date().isoformat()

    # Indexed once per thread: a page asks for the response of each comment in turn.
    @cached_property
    def _responses_by_id(self) -> dict[int, CommentResponse]:
        return {response.id: response for response in self.responses}

    @cached_property
    def _comments_by_response(self) -> dict[int, tuple[PublicComment, ...]]:
        answered: dict[int, list[PublicComment]] = {}
        for comment in self.comments:
            if comment.response_id is not None:
                answered.setdefault(comment.response_id, []).append(comment)
        return {response_id: tuple(group) for response_id, group in answered.items()}

    def response_to(self, comment: PublicComment) -> CommentResponse | None:
        if comment.response_id is None:
            return None
        return self._responses_by_id.get(comment.response_id)

    def comments_answered_by(self, response: CommentResponse) -> tuple[PublicComment, ...]:
        """The approved comments `response` answers, oldest first."""
        return self._comments_by_response.get(response.id, ())


def public_thread(
    session: Session, assessment_id: int, time_zone: str | None = None
) -> PublicThread:
    """`time_zone`: the agency's, when the caller has read it already (None: read here)."""
    comments = tuple(
        session.scalars(
            select(PublicComment)
            .where(
                PublicComment.assessment_id == assessment_id,
                PublicComment.state == COMMENT_APPROVED,
            )
            .order_by(PublicComment.received_at, PublicComment.id)
        )
    )
    answered = {c.response_id for c in comments if c.response_id is not None}
    responses = tuple(r for r in responses_for(session, assessment_id) if r.id in answered)
    if time_zone is None:
        time_zone = session.scalar(
            select(Agency.time_zone)
            .join(Assessment, Assessment.agency_id == Agency.id)
            .where(Assessment.id == assessment_id)
        )
    return PublicThread(comments, responses, time_zone or "")


def comment_publication(session: Session, assessment_id: int) -> Publication | None:
    """The assessment's latest publication for comment (its period is the record's)."""
    query = (
        select(Publication)
        .where(Publication.assessment_id == assessment_id, Publication.stage == STAGE_COMMENT)
        .order_by(Publication.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def meeting_views(summary: MeetingsSummary) -> tuple[MeetingView, ...]:
    return tuple(
        MeetingView(
            held_on=meeting.held_on.isoformat(),
            place=meeting.place,
            attendance=meeting.attendance,
            summary=meeting.summary,
            materials=meeting.materials_filename or meeting.materials_note,
        )
        for meeting in summary.meetings
    )


def public_comment_record(
    session: Session, assessment: Assessment, bank: Bank | None = None
) -> PublicCommentRecord:
    """The final report's record of public comment (the profiles' meeting requirement read from
    `bank`, by default the installation's)."""
    assessment_id = assessment.id
    meetings = meetings_summary(session, assessment, bank)
    publication = comment_publication(session, assessment_id)
    counts = comment_counts(session, assessment_id)
    thread = public_thread(session, assessment_id)
    opens = publication.comment_opens_on if publication is not None else None
    closes = publication.comment_closes_on if publication is not None else None
    return PublicCommentRecord(
        opens_on=opens.isoformat() if opens else "",
        closes_on=closes.isoformat() if closes else "",
        received=sum(counts.values()),
        approved=counts[COMMENT_APPROVED],
        rejected=counts[COMMENT_REJECTED],
        duplicates=counts[COMMENT_DUPLICATE],
        pending=counts[COMMENT_PENDING],
        comments=tuple(
            PublicCommentView(
                number=comment.id,
                name=comment.name,
                received_on=thread.date_of(comment.received_at),
                body=comment.body,
            )
            for comment in thread.comments
        ),
        responses=tuple(
            ResponseView(
                theme=response.theme,
                body=response.body,
                comments=tuple(c.id for c in thread.comments_answered_by(response)),
                written_on=thread.date_of(response.written_at),
                corrected_on=thread.date_of(response.corrected_at) if response.corrected_at else "",
            )
            for response in thread.responses
        ),
        meetings=meeting_views(meetings),
        meetings_required=meetings.required,
    )
