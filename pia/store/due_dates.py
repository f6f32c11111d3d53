"""The review's due dates that `pia mail send` reminds the officers of before they pass.

Registered in pia.store.notifications.DUE_DATE_SOURCES when pia.store is imported: each source
reads the items due from today to REMIND_DAYS ahead in one query (a date already past is for the
dashboards' overdue marks, not for a reminder), and the notifications module queues one reminder
per item and due date.

- A condition of an approval that is still open (not yet marked met): "condition:<id>".
- An assessment's review date, set by the board's decision: "review:<assessment id>".

An archived assessment is reminded of nothing until it is taken out again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store.models import Assessment
from pia.store.notifications import DUE_DATE_SOURCES, DueItem
from pia.store.policy import DECIDED
from pia.store.review_models import CONDITION_OPEN, Condition, ReviewDecision

# How long before a due date the officers are reminded of it.
REMIND_DAYS = 14


def conditions_due_soon(session: Session, today: date) -> Iterable[DueItem]:
    """Open conditions due within REMIND_DAYS of `today` (the reminder does not quote the
    condition's text: it names the decision and the owner, and links to the page)."""
    query = (
        select(
            Condition.id,
            Condition.assessment_id,
            Condition.due_on,
            Condition.owner,
            ReviewDecision.revision_number,
        )
        .join(ReviewDecision, ReviewDecision.id == Condition.decision_id)
        .join(Assessment, Assessment.id == Condition.assessment_id)
        .where(
            Assessment.archived_at.is_(None),  # archived: put away, not reminded of
            Condition.state == CONDITION_OPEN,
            Condition.due_on >= today,
            Condition.due_on <= today + timedelta(days=REMIND_DAYS),
        )
        .order_by(Condition.due_on, Condition.id)
    )
    for row in session.execute(query):
        yield DueItem(
            key=f"condition:{row.id}",
            assessment_id=row.assessment_id,
            due=row.due_on,
            what=(
                f"A condition of the board's decision on revision {row.revision_number} is due "
                f"(owner: {row.owner}); mark it met in pia with a note on how."
            ),
        )


def reviews_due_soon(session: Session, today: date) -> Iterable[DueItem]:
    """Decided assessments whose review date falls within REMIND_DAYS of `today`."""
    query = (
        select(Assessment.id, Assessment.review_due_on)
        .where(
            Assessment.archived_at.is_(None),
            Assessment.status.in_(DECIDED),
            Assessment.review_due_on >= today,
            Assessment.review_due_on <= today + timedelta(days=REMIND_DAYS),
        )
        .order_by(Assessment.review_due_on, Assessment.id)
    )
    for assessment_id, due in session.execute(query):
        yield DueItem(
            key=f"review:{assessment_id}",
            assessment_id=assessment_id,
            due=due,
            what="The board's decision asks for the assessment to be reviewed again by then.",
        )


for _source in (conditions_due_soon, reviews_due_soon):
    if _source not in DUE_DATE_SOURCES:  # importing twice must not remind twice
        DUE_DATE_SOURCES.append(_source)
