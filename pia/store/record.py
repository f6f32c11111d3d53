"""Reading the board's record of an assessment in a fixed number of queries, whatever the number
of comments: one for the comment threads (with their authors), one for ratings, one for
decisions, one for conditions (with the plan items they point at). The result is pia.report's
ReviewRecord, plain data that pages and reports render alike."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pia.report.review_record import (
    BoardRatingView,
    CommentView,
    ConditionView,
    DecisionView,
    ReviewRecord,
    ThreadView,
)
from pia.store.models import Assessment, PlanItem, User
from pia.store.review_models import (
    CONDITION_VERIFIED,
    BoardRating,
    Comment,
    Condition,
    ReviewDecision,
)


def _iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    ids.discard(None)  # type: ignore[arg-type]
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def threads_for(
    session: Session, assessment: Assessment, *, up_to: int | None = None
) -> tuple[ThreadView, ...]:
    """Every thread on the assessment (opened against revision `up_to` or earlier), oldest
    first, each with its replies: one query of plain columns (no ORM objects: a page may show
    hundreds of comments)."""
    author = aliased(User)
    query = (
        select(
            Comment.id,
            Comment.parent_id,
            Comment.revision_number,
            Comment.target_kind,
            Comment.target_id,
            Comment.body,
            Comment.created_at,
            Comment.resolved_at,
            author.name,
        )
        .outerjoin(author, author.id == Comment.author_id)
        .where(Comment.assessment_id == assessment.id)
        .order_by(Comment.id)
    )
    roots: dict[int, Any] = {}
    comments: dict[int, list[CommentView]] = {}
    for row in session.execute(query):
        view = CommentView(row.name or "Former user", _iso(row.created_at), row.body, row[2])
        if row.parent_id is None:
            if up_to is not None and row.revision_number > up_to:
                continue
            roots[row.id] = row
            comments[row.id] = [view]
        elif row.parent_id in comments:
            comments[row.parent_id].append(view)
    return tuple(
        ThreadView(
            id=root.id,
            kind=root.target_kind,
            target=root.target_id,
            revision=root.revision_number,
            open=root.resolved_at is None,
            comments=tuple(comments[root.id]),
            resolved_at=_iso(root.resolved_at),
        )
        for root in roots.values()
    )


def review_record(session: Session, assessment: Assessment, revision: int) -> ReviewRecord:
    """The board's record of revision `revision`: its ratings, its decision and conditions, and
    the threads opened up to it."""
    ratings = list(
        session.scalars(
            select(BoardRating)
            .where(
                BoardRating.assessment_id == assessment.id,
                BoardRating.revision_number == revision,
            )
            .order_by(BoardRating.criterion_id)
        )
    )
    decision = session.scalars(
        select(ReviewDecision).where(
            ReviewDecision.assessment_id == assessment.id,
            ReviewDecision.revision_number == revision,
        )
    ).first()
    conditions: list[ConditionView] = []
    if decision is not None:
        query = (
            select(Condition, PlanItem.text, PlanItem.done_at)
            .outerjoin(PlanItem, PlanItem.id == Condition.plan_item_id)
            .where(Condition.decision_id == decision.id)
            .order_by(Condition.id)
        )
        conditions = [
            condition_view(item, plan_text or "", done_at is not None)
            for item, plan_text, done_at in session.execute(query)
        ]
    people = {r.rated_by_id for r in ratings}
    if decision is not None:
        people.add(decision.decided_by_id)  # type: ignore[arg-type]
    names = _names(session, people)  # type: ignore[arg-type]
    return ReviewRecord(
        revision=revision,
        status=assessment.status,
        decision=_decision(decision, names) if decision is not None else None,
        conditions=tuple(conditions),
        ratings=tuple(
            BoardRatingView(
                r.criterion_id,
                r.level,
                r.reason,
                names.get(r.rated_by_id or 0, ""),
                _iso(r.rated_at),
            )
            for r in ratings
        ),
        threads=threads_for(session, assessment, up_to=revision),
    )


def condition_view(item: Condition, plan_text: str = "", plan_done: bool = False) -> ConditionView:
    return ConditionView(
        id=item.id,
        text=item.text,
        owner=item.owner,
        due_on=_iso(item.due_on),
        state=item.state,
        finding_rule=item.finding_rule,
        met_note=item.met_note,
        met_at=_iso(item.met_at),
        verified_at=_iso(item.verified_at),
        met_filename=item.met_filename,
        plan_item=plan_text if item.plan_item_id is not None else "",
        plan_item_id=item.plan_item_id,
        plan_item_done=plan_done,
    )


def _decision(decision: ReviewDecision, names: dict[int, str]) -> DecisionView:
    return DecisionView(
        outcome=decision.outcome,
        rationale=decision.rationale,
        meeting_on=_iso(decision.meeting_on),
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        votes_abstain=decision.votes_abstain,
        names_for=decision.names_for,
        names_against=decision.names_against,
        names_abstain=decision.names_abstain,
        review_due_on=_iso(decision.review_due_on),
        decided_by=names.get(decision.decided_by_id or 0, ""),
        decided_at=_iso(decision.decided_at),
    )


def overdue_counts(session: Session, assessment_ids: list[int], today: date) -> dict[int, int]:
    """Assessment id -> conditions past their due date and not verified (one query)."""
    if not assessment_ids:
        return {}
    query: Any = (
        select(Condition.assessment_id, func.count())
        .where(
            Condition.assessment_id.in_(assessment_ids),
            Condition.state != CONDITION_VERIFIED,
            Condition.due_on < today,
        )
        .group_by(Condition.assessment_id)
    )
    return {row[0]: row[1] for row in session.execute(query)}
