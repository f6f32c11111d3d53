"""The board's verbs on a submitted assessment: take it up, rate, request changes, decide; and
the officer's withdrawal.

Each is one unit of work: it locks the assessment, asks the policy (WrongStatus names the current
status when only the status stands in the way), checks the input (InvalidInput, nothing written),
checks the form was built from the revision now under review (StaleForm), then writes the change
and its audit event together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.store import audit
from pia.store.comments import add_thread, findings_of, latest_revision
from pia.store.conditions import adopted_plan_items, new_condition
from pia.store.errors import InvalidInput
from pia.store.lifecycle import check_revision, lock_assessment, move
from pia.store.models import (
    APPROVED_WITH_CONDITIONS,
    CHANGES_REQUESTED,
    IN_REVIEW,
    WITHDRAWN,
    Assessment,
    User,
    utcnow,
)
from pia.store.notifications import NotificationKind, enqueue_notification
from pia.store.policy import Action, require, status_label
from pia.store.review_checks import (
    NAMES_MAX,
    CheckedCondition,
    ConditionInput,
    Problems,
    future_date,
    past_or_today,
    text,
    votes,
)
from pia.store.review_checks import conditions as check_conditions
from pia.store.review_models import ON_ASSESSMENT, OUTCOMES, BoardRating, ReviewDecision
from pia.store.transaction import committing


def take_up(session: Session, assessment: Assessment, actor: User, *, revision: int) -> None:
    """A reviewer starts reviewing a submitted revision (submitted -> in review)."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.TAKE_UP, assessment)
        check_revision(assessment, revision)
        move(session, assessment, actor, IN_REVIEW, audit.REVIEW_TAKEN_UP, {"revision": revision})


def withdraw(session: Session, assessment: Assessment, actor: User) -> None:
    """The officer takes a submission back from the board (it can be edited and submitted again)."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.WITHDRAW, assessment)
        move(
            session,
            assessment,
            actor,
            WITHDRAWN,
            audit.ASSESSMENT_WITHDRAWN,
            {"revision": assessment.revision_count},
        )


def request_changes(
    session: Session, assessment: Assessment, actor: User, *, revision: int, message: str = ""
) -> None:
    """Send the assessment back to the officer; `message`, if given, opens a thread on the
    whole assessment. The open comments tell the officer what to change."""
    body = text(message, "the message", "message", required=False)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REQUEST_CHANGES, assessment)
        check_revision(assessment, revision)
        if body:
            add_thread(session, assessment, actor, revision, ON_ASSESSMENT, "", body)
        move(
            session,
            assessment,
            actor,
            CHANGES_REQUESTED,
            audit.CHANGES_REQUESTED,
            {"revision": revision},
        )
        enqueue_notification(
            session, NotificationKind.CHANGES_REQUESTED, assessment, actor=actor, revision=revision
        )


def set_board_rating(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    revision: int,
    criterion_id: str,
    level: str,
    reason: str,
) -> BoardRating:
    """The board's own level for a criterion of the revision under review, with its reason. The
    engine's rating stays as it is; setting it again replaces the board's earlier rating."""
    if criterion_id not in bank.criteria:
        raise InvalidInput(f"there is no criterion {str(criterion_id)[:100]!r}", field="criterion")
    if level not in bank.levels:
        choices = ", ".join(bank.levels)
        raise InvalidInput(f"the level must be one of {choices}", field="level")
    why = text(reason, "the reason for the board's rating", "reason")
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.RATE, assessment)
        check_revision(assessment, revision)
        query = select(BoardRating).where(
            BoardRating.assessment_id == assessment.id,
            BoardRating.revision_number == revision,
            BoardRating.criterion_id == criterion_id,
        )
        rating = session.scalars(query).first()
        before = (rating.level, rating.reason) if rating is not None else None
        if rating is None:
            rating = BoardRating(
                assessment_id=assessment.id, revision_number=revision, criterion_id=criterion_id
            )
            session.add(rating)
        rating.level, rating.reason = level, why
        rating.rated_by_id, rating.rated_at = actor.id, utcnow()
        session.flush()
        audit.add_event(
            session,
            audit.BOARD_RATING_SET,
            actor=actor,
            assessment=assessment,
            detail={
                "revision": revision,
                "criterion": criterion_id,
                "level": level,
                "previous_level": before[0] if before else None,
            },
        )
    return rating


def record_decision(
    session: Session,
    assessment: Assessment,
    actor: User,
    *,
    revision: int,
    outcome: str,
    rationale: str,
    meeting_on: date | None,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    names_for: str = "",
    names_against: str = "",
    names_abstain: str = "",
    review_due_on: date | None = None,
    conditions: Sequence[ConditionInput] = (),
) -> ReviewDecision:
    """Record the board's decision on the revision under review: approve, approve with
    conditions (at least one), or reject; with the rationale, meeting date and vote. Every bad
    value is reported at once (InvalidInputs when there are several), after the policy and the
    revision are checked."""
    problems = Problems()
    if outcome not in OUTCOMES:
        problems.found.append(
            InvalidInput(
                "the decision must be approve, approve with conditions or reject", field="outcome"
            )
        )
    why = problems.check(text, rationale, "the rationale", "rationale")
    meeting = None
    if meeting_on is None:
        problems.found.append(InvalidInput("the meeting date is required", field="meeting_on"))
    else:
        meeting = problems.check(past_or_today, meeting_on, "the meeting date", "meeting_on")
    counts = tuple(
        problems.check(votes, value, what, field) or 0
        for value, what, field in (
            (votes_for, "the votes for", "votes_for"),
            (votes_against, "the votes against", "votes_against"),
            (votes_abstain, "the abstentions", "votes_abstain"),
        )
    )
    names = tuple(
        problems.check(text, value, what, field, limit=NAMES_MAX, required=False) or ""
        for value, what, field in (
            (names_for, "the names for", "names_for"),
            (names_against, "the names against", "names_against"),
            (names_abstain, "the names abstaining", "names_abstain"),
        )
    )
    due = None
    if review_due_on is not None:
        due = problems.check(future_date, review_due_on, "the review date", "review_due_on")
    if outcome == APPROVED_WITH_CONDITIONS and not conditions:
        problems.found.append(
            InvalidInput("an approval with conditions needs at least one condition")
        )
    if outcome in OUTCOMES and outcome != APPROVED_WITH_CONDITIONS and conditions:
        problems.found.append(InvalidInput("only an approval with conditions carries conditions"))
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.DECIDE, assessment)
        check_revision(assessment, revision)
        checked: list[CheckedCondition] = []
        if outcome not in OUTCOMES or outcome == APPROVED_WITH_CONDITIONS:
            findings = findings_of(latest_revision(session, assessment))
            adopted = adopted_plan_items(session, assessment)
            checked, refused = check_conditions(conditions, findings, adopted)
            problems.found.extend(refused.found)
        problems.raise_any()
        decision = ReviewDecision(
            assessment_id=assessment.id,
            revision_number=revision,
            outcome=outcome,
            rationale=why,
            meeting_on=meeting,
            votes_for=counts[0],
            votes_against=counts[1],
            votes_abstain=counts[2],
            names_for=names[0],
            names_against=names[1],
            names_abstain=names[2],
            review_due_on=due,
            decided_by_id=actor.id,
            decided_at=utcnow(),
        )
        session.add(decision)
        session.flush()
        for item in checked:
            session.add(new_condition(assessment, decision, item))
        assessment.review_due_on = due
        move(
            session,
            assessment,
            actor,
            outcome,
            audit.DECIDED,
            {
                "revision": revision,
                "outcome": outcome,
                "votes": list(counts),
                "conditions": len(checked),
                "review_due_on": due.isoformat() if due else None,
            },
        )
        enqueue_notification(
            session,
            NotificationKind.DECIDED,
            assessment,
            actor=actor,
            revision=revision,
            lines=decision_lines(outcome, len(checked), due),
        )
    return decision


def decision_lines(outcome: str, conditions: int, review_due_on: date | None) -> list[str]:
    """What the decision's email says of it: the outcome, how many conditions, the review date
    (never the rationale: mail leaves the system)."""
    lines = [f"Decision: {status_label(outcome)}"]
    if conditions:
        lines.append(f"Conditions: {conditions} (see them in pia)")
    if review_due_on is not None:
        lines.append(f"Review date: {review_due_on.isoformat()}")
    return lines
