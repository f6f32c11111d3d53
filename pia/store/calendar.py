"""The compliance calendar: the dates an agency must keep for its assessments.

Where the dates come from:
- the latest publication for comment: the last day of its comment period;
- the board's decision: the review date (Assessment.review_due_on) and each condition's due date
  (until a reviewer verifies it);
- the chosen profiles' `calendar` rules in the bank (e.g. an annual report every 12 months after
  the decision), counted from the events they name (pia.engine.bank.model.CALENDAR_ANCHORS). The
  bank declares which dates a law sets and how they are counted; nothing here knows a statute.

`calendar_entries` computes them for some agencies in a handful of queries (never one per
assessment); the dashboards show `upcoming_and_overdue`, the .ics feed (pia.store.ical) all of
them, and `dates_due_soon` registers them with the reminder mail (DUE_DATE_SOURCES).
"""

from __future__ import annotations

import calendar as gregorian
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from pia.engine.bank.model import (
    ANCHOR_COMMENT_PERIOD_END,
    ANCHOR_DECISION,
    ANCHOR_FINAL_PUBLICATION,
    Bank,
    CalendarRule,
)
from pia.engine.bank.problems import BankError
from pia.store.bank_source import configured_bank
from pia.store.models import APPROVED, APPROVED_WITH_CONDITIONS, Agency, Assessment, utcnow
from pia.store.notifications import DUE_DATE_SOURCES, DueItem
from pia.store.public_models import STAGE_COMMENT, STAGE_FINAL, Publication
from pia.store.review_models import (
    CONDITION_LABELS,
    CONDITION_VERIFIED,
    Condition,
    ReviewDecision,
)

logger = logging.getLogger(__name__)

# Kinds of entry, for the pages' labels and the feed's categories.
COMMENT_PERIOD_END = "comment_period_end"
REVIEW_DATE = "review_date"
CONDITION_DUE = "condition_due"
PROFILE_DATE = "profile_date"
KIND_LABELS = {
    COMMENT_PERIOD_END: "Comment period",
    REVIEW_DATE: "Review",
    CONDITION_DUE: "Condition",
    PROFILE_DATE: "Required by law",
}

# Statuses an entry has on a given day.
OVERDUE = "overdue"
DUE_SOON = "due_soon"
UPCOMING = "upcoming"
PASSED = "passed"

SOON_DAYS = 14  # "due soon", and how far ahead reminder mail looks
PANEL_AHEAD_DAYS = 180
PANEL_BEHIND_DAYS = 30
FEED_AHEAD_YEARS = 3
MAX_REPEATS = 60  # occurrences of one repeating rule, at most
APPROVING = (APPROVED, APPROVED_WITH_CONDITIONS)


@dataclass(frozen=True)
class CalendarEntry:
    """One date to keep. `key` is unique and stable (the feed's UID is made from it, so a
    calendar app updates the event when the date moves); `changed_at` is when what set the date
    last changed (the feed's DTSTAMP and LAST-MODIFIED)."""

    key: str
    kind: str
    due: date
    title: str
    assessment_id: int
    assessment_title: str
    agency_id: int
    changed_at: datetime
    cite: str = ""
    detail: str = ""
    # Whether a passed date means something is late: a condition not yet verified, a review
    # date. Dates of the law whose keeping pia does not record only pass.
    can_be_overdue: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def status(self, today: date) -> str:
        if self.due < today:
            return OVERDUE if self.can_be_overdue else PASSED
        if self.due <= today + timedelta(days=SOON_DAYS):
            return DUE_SOON
        return UPCOMING

    def days_from(self, today: date) -> int:
        return (self.due - today).days


def add_months(day: date, months: int) -> date:
    """`months` calendar months after `day` (the 31st becomes a shorter month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def rule_dates(rule: CalendarRule, anchor: date, until: date) -> list[date]:
    """The dates `rule` sets after the event on `anchor`, up to `until` (a rule that does not
    repeat gives its one date even when it is later)."""
    first = add_months(anchor, rule.months) + timedelta(days=rule.days)
    if not rule.every_months:
        return [first]
    dates = []
    for repeat in range(MAX_REPEATS):
        # Counted from the anchor each time, so 31 January stays the month's end, not the 28th.
        day = add_months(anchor, rule.months + repeat * rule.every_months)
        day += timedelta(days=rule.days)
        if day > until:
            break
        dates.append(day)
    return dates


@dataclass
class _Facts:
    """What one assessment's dates are counted from (rows of plain columns: no ORM objects, which
    would cost more to build than the dates themselves)."""

    assessment: Row[Any]
    decision: Row[Any] | None = None
    comment: Row[Any] | None = None
    final: Row[Any] | None = None


def calendar_entries(
    session: Session,
    bank: Bank,
    agency_ids: Iterable[int],
    *,
    today: date | None = None,
) -> list[CalendarEntry]:
    """Every date of the agencies' assessments, by date; repeating dates run from a year before
    `today` to a few years after it (each keeps its number, so its key does not change). One
    query when no assessment was ever submitted, four otherwise, however many there are."""
    agencies = sorted(set(agency_ids))
    if not agencies:
        return []
    today = today or utcnow().date()
    since, until = add_months(today, -12), add_months(today, 12 * FEED_AHEAD_YEARS)
    query = select(
        Assessment.id,
        Assessment.agency_id,
        Assessment.title,
        Assessment.profiles,
        Assessment.review_due_on,
        Assessment.updated_at,
    ).where(
        # Only a submitted assessment can have been decided or published: drafts have no dates
        # (and a reviewer sees no other).
        Assessment.agency_id.in_(agencies),
        Assessment.revision_count >= 1,
        # Archived is put away for the record: its dates leave the calendar (and the reminders)
        # until it is taken out again.
        Assessment.archived_at.is_(None),
    )
    facts = {row.id: _Facts(row) for row in session.execute(query)}
    if not facts:
        return []
    _read_decisions(session, facts)
    _read_publications(session, facts)
    entries = []
    for fact in facts.values():
        entries.extend(_assessment_entries(bank, fact, since, until))
    entries.extend(_condition_entries(session, facts))
    entries.sort(key=lambda e: (e.due, e.assessment_title.casefold(), e.key))
    return entries


def _read_decisions(session: Session, facts: dict[int, _Facts]) -> None:
    query = select(
        ReviewDecision.assessment_id,
        ReviewDecision.revision_number,
        ReviewDecision.outcome,
        ReviewDecision.meeting_on,
        ReviewDecision.decided_at,
    ).where(ReviewDecision.assessment_id.in_(list(facts)))
    for decision in session.execute(query):
        fact = facts[decision.assessment_id]
        if fact.decision is None or decision.revision_number > fact.decision.revision_number:
            fact.decision = decision


def _read_publications(session: Session, facts: dict[int, _Facts]) -> None:
    # Not public_data: only what dates need.
    query = (
        select(
            Publication.assessment_id,
            Publication.stage,
            Publication.comment_closes_on,
            Publication.published_at,
        )
        .where(Publication.assessment_id.in_(list(facts)))
        .order_by(Publication.id)
    )
    for publication in session.execute(query):
        fact = facts[publication.assessment_id]
        if publication.stage == STAGE_COMMENT:
            fact.comment = publication  # ordered by id: the latest wins
        elif publication.stage == STAGE_FINAL:
            fact.final = publication


def _anchors(fact: _Facts) -> dict[str, tuple[date, datetime]]:
    """Each event that happened: its date, and when its record was written."""
    anchors = {}
    decision = fact.decision
    if decision is not None and decision.outcome in APPROVING:
        anchors[ANCHOR_DECISION] = (decision.meeting_on, decision.decided_at)
    if fact.comment is not None and fact.comment.comment_closes_on is not None:
        anchors[ANCHOR_COMMENT_PERIOD_END] = (
            fact.comment.comment_closes_on,
            fact.comment.published_at,
        )
    if fact.final is not None:
        anchors[ANCHOR_FINAL_PUBLICATION] = (
            fact.final.published_at.date(),
            fact.final.published_at,
        )
    return anchors


def _assessment_entries(bank: Bank, fact: _Facts, since: date, until: date) -> list[CalendarEntry]:
    assessment = fact.assessment
    common = {
        "assessment_id": assessment.id,
        "assessment_title": assessment.title,
        "agency_id": assessment.agency_id,
    }
    entries = []
    if fact.comment is not None and fact.comment.comment_closes_on is not None:
        entries.append(
            CalendarEntry(
                key=f"a{assessment.id}-comment-period-end",
                kind=COMMENT_PERIOD_END,
                due=fact.comment.comment_closes_on,
                title="Public comment period ends",
                changed_at=fact.comment.published_at,
                detail="The last day the public may comment on the published assessment.",
                **common,
            )
        )
    if assessment.review_due_on is not None:
        changed = fact.decision.decided_at if fact.decision else assessment.updated_at
        entries.append(
            CalendarEntry(
                key=f"a{assessment.id}-review",
                kind=REVIEW_DATE,
                due=assessment.review_due_on,
                title="Review and update the assessment",
                changed_at=changed,
                detail="The review date the board set with its decision.",
                can_be_overdue=True,
                **common,
            )
        )
    anchors = _anchors(fact)
    for profile_id in assessment.profiles or ():
        profile = bank.profiles.get(profile_id)
        if profile is None:
            continue
        for rule in profile.calendar:
            if rule.after not in anchors:
                continue  # its event has not happened
            anchor, changed = anchors[rule.after]
            dates = rule_dates(rule, anchor, until)
            for number, due in enumerate(dates, start=1):
                if rule.every_months and due < since:
                    continue  # a repeat more than a year past: history, not a date to keep
                suffix = f"-{number}" if rule.every_months else ""
                entries.append(
                    CalendarEntry(
                        key=f"a{assessment.id}-{profile.id}-{rule.id}{suffix}",
                        kind=PROFILE_DATE,
                        due=due,
                        title=rule.title,
                        changed_at=changed,
                        cite=f"{profile.name}, {rule.cite}",
                        detail=rule.text,
                        **common,
                    )
                )
    return entries


def _condition_entries(session: Session, facts: dict[int, _Facts]) -> list[CalendarEntry]:
    query = select(
        Condition.id,
        Condition.assessment_id,
        Condition.text,
        Condition.owner,
        Condition.due_on,
        Condition.state,
        Condition.created_at,
        Condition.met_at,
    ).where(Condition.assessment_id.in_(list(facts)), Condition.state != CONDITION_VERIFIED)
    entries = []
    for condition in session.execute(query):
        assessment = facts[condition.assessment_id].assessment
        changed = max(filter(None, (condition.created_at, condition.met_at)))
        entries.append(
            CalendarEntry(
                key=f"a{assessment.id}-condition-{condition.id}",
                kind=CONDITION_DUE,
                due=condition.due_on,
                title=f"Condition due: {_short(condition.text)}",
                assessment_id=assessment.id,
                assessment_title=assessment.title,
                agency_id=assessment.agency_id,
                changed_at=changed,
                detail=f"Owner: {condition.owner}. {CONDITION_LABELS.get(condition.state, '')}.",
                can_be_overdue=True,
            )
        )
    return entries


def _short(words: str, limit: int = 80) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def upcoming_and_overdue(
    entries: Iterable[CalendarEntry], today: date, *, limit: int = 10
) -> list[CalendarEntry]:
    """What a dashboard shows: everything overdue, then dates from a month ago to half a year
    ahead, earliest first, at most `limit`."""
    behind = today - timedelta(days=PANEL_BEHIND_DAYS)
    ahead = today + timedelta(days=PANEL_AHEAD_DAYS)
    chosen = [e for e in entries if e.status(today) == OVERDUE or behind <= e.due <= ahead]
    chosen.sort(key=lambda e: (e.status(today) != OVERDUE, e.due, e.key))
    return chosen[:limit]


# Conditions and review dates have reminders of their own (pia.store.due_dates), worded for them.
REMINDED_ELSEWHERE = frozenset({CONDITION_DUE, REVIEW_DATE})


def dates_due_soon(session: Session, today: date, bank: Bank | None = None) -> list[DueItem]:
    """Every agency's dates from today to SOON_DAYS ahead, for the reminder mail, but for those
    REMINDED_ELSEWHERE. A bank that does not load sends no calendar reminder (and is logged) rather
    than stopping the other sources."""
    if bank is None:
        try:
            bank = configured_bank()
        except BankError as error:
            logger.warning("calendar reminders skipped: the question bank does not load: %s", error)
            return []
    agencies = list(session.scalars(select(Agency.id)))
    entries = calendar_entries(session, bank, agencies, today=today)
    last = today + timedelta(days=SOON_DAYS)
    return [
        DueItem(
            key=f"calendar:{entry.key}",
            assessment_id=entry.assessment_id,
            due=entry.due,
            what=entry.title,
        )
        for entry in entries
        if today <= entry.due <= last and entry.kind not in REMINDED_ELSEWHERE
    ]


if dates_due_soon not in DUE_DATE_SOURCES:
    DUE_DATE_SOURCES.append(dates_due_soon)
