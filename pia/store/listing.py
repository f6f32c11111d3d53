"""Paginated lists for the dashboard and the reviewer's list.

Each page costs exactly two queries whatever the number of rows: one count and one page of plain
rows (no answers, no evaluation, no lazy loads). Items are frozen summaries, so a template cannot
trigger a query by touching a relationship.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from pia.store.errors import NotAllowed
from pia.store.models import STATUSES, Agency, Assessment, PlanItem, User, utcnow
from pia.store.policy import Action, Decision, decide
from pia.store.review_models import CONDITION_VERIFIED, Condition

T = TypeVar("T")
PER_PAGE_MAX = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int  # rows on all pages
    page: int  # 1-based, clamped to the pages there are
    pages: int  # at least 1
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class AssessmentSummary:
    """One row of a list: what the dashboard and the reviewer's list show."""

    id: int
    title: str
    agency_id: int
    agency_name: str
    technology: str
    vendor: str
    product: str
    product_version: str
    status: str
    overall_level: str  # of the current answers
    progress_percent: int
    revision_count: int
    submitted_at: datetime | None
    submitted_level: str  # of the latest submission
    lock_version: int
    created_at: datetime
    updated_at: datetime
    updated_by_name: str
    review_due_on: date | None = None  # set by the board's decision
    overdue_conditions: int = 0  # conditions past their due date and not yet verified
    archived_at: datetime | None = None  # set while archived

    def review_overdue(self, today: date) -> bool:
        return self.review_due_on is not None and self.review_due_on < today


def _overdue_conditions(today: date) -> Any:
    """Per row, its conditions past due and not verified: a correlated count over the
    (assessment_id, id) index, run for the page's rows only."""
    return (
        select(func.count())
        .select_from(Condition)
        .where(
            Condition.assessment_id == Assessment.id,
            Condition.state != CONDITION_VERIFIED,
            Condition.due_on < today,
        )
        .correlate(Assessment)
        .scalar_subquery()
    )


def _summary_query(today: date) -> Select[Any]:
    updater = aliased(User)
    return (
        select(
            Assessment.id,
            Assessment.title,
            Assessment.agency_id,
            Agency.name.label("agency_name"),
            Assessment.technology,
            Assessment.vendor,
            Assessment.product,
            Assessment.product_version,
            Assessment.status,
            Assessment.overall_level,
            Assessment.progress_percent,
            Assessment.revision_count,
            Assessment.submitted_at,
            Assessment.submitted_level,
            Assessment.lock_version,
            Assessment.created_at,
            Assessment.updated_at,
            func.coalesce(updater.name, "").label("updated_by_name"),
            Assessment.review_due_on,
            _overdue_conditions(today).label("overdue_conditions"),
            Assessment.archived_at,
        )
        .join(Agency, Agency.id == Assessment.agency_id)
        .outerjoin(updater, updater.id == Assessment.updated_by_id)
    )


def _whole(value: object, default: int) -> int:
    """A page number from anywhere (a query string, say): junk means the default."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default


@dataclass(frozen=True)
class _Bounds:
    total: int
    pages: int
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _bounds(session: Session, count: Select[Any], page: object, per_page: object) -> _Bounds:
    """Counts the rows, then clamps the page number (junk means 1) to the pages there are."""
    size = max(1, min(_whole(per_page, 25), PER_PAGE_MAX))
    total = int(session.execute(count).scalar_one())
    pages = max(1, -(-total // size))
    return _Bounds(total, pages, max(1, min(_whole(page, 1), pages)), size)


def _paginate(
    session: Session,
    where: tuple[ColumnElement[bool], ...],
    order: tuple[ColumnElement[Any], ...],
    page: object,
    per_page: object,
) -> Page[AssessmentSummary]:
    """Count, then fetch one page. The page's ids are picked from the index alone (a deferred
    join), so a deep page does not read every wide row it skips."""
    count = select(func.count()).select_from(Assessment).where(*where)
    bounds = _bounds(session, count, page, per_page)
    page_ids = (
        select(Assessment.id)
        .where(*where)
        .order_by(*order)
        .limit(bounds.per_page)
        .offset(bounds.offset)
        .subquery()
    )
    query = (
        _summary_query(utcnow().date())
        .join(page_ids, page_ids.c.id == Assessment.id)
        .order_by(*order)
    )
    rows = session.execute(query).all()
    items = tuple(AssessmentSummary(**row._asdict()) for row in rows)
    return Page(items, bounds.total, bounds.page, bounds.pages, bounds.per_page)


def page_of_users(session: Session, *, page: object = 1, per_page: object = 50) -> Page[User]:
    """One page of the accounts, by role then email (for administrators): a count, the page
    with each user's agency, and one more query for the reviewers' remits on it."""
    bounds = _bounds(session, select(func.count()).select_from(User), page, per_page)
    query = (
        select(User).order_by(User.role, User.email).limit(bounds.per_page).offset(bounds.offset)
    )
    items = tuple(session.scalars(query))
    return Page(items, bounds.total, bounds.page, bounds.pages, bounds.per_page)


# The dashboard's orders: name -> ORDER BY (the id last, so equal keys keep a stable order).
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "updated": (Assessment.updated_at.desc(), Assessment.id.desc()),
    "created": (Assessment.created_at.desc(), Assessment.id.desc()),
    "title": (func.lower(Assessment.title), Assessment.id),
    "submitted": (Assessment.submitted_at.desc(), Assessment.id.desc()),
}
SEARCH_MAX = 200
# Which assessments a list shows by their archiving: not archived (the default), only archived,
# or both.
ARCHIVED_CHOICES = ("", "only", "include")


def due_before(cutoff: date) -> ColumnElement[bool]:
    """Something is due before `cutoff` and not yet done: a condition not verified, an adopted
    action-plan item not done, or the board's review date."""
    condition_due = exists().where(
        Condition.assessment_id == Assessment.id,
        Condition.state != CONDITION_VERIFIED,
        Condition.due_on < cutoff,
    )
    plan_item_due = exists().where(
        PlanItem.assessment_id == Assessment.id,
        PlanItem.done_at.is_(None),
        PlanItem.due < cutoff,
    )
    return or_(Assessment.review_due_on < cutoff, condition_due, plan_item_due)


@dataclass(frozen=True)
class AssessmentFilter:
    """What a list narrows its rows to; the empty filter lists everything not archived.

    `text` matches within the title, technology, vendor or product (case-insensitive, taken
    literally: % and _ are not wildcards); `level` is the overall level of the current answers
    ("" for any); an unknown status or sort is ignored rather than refused, like a junk page."""

    text: str = ""
    status: str = ""
    level: str = ""
    sort: str = "updated"
    agency_id: int | None = None  # lists that span agencies (a reviewer's remit)
    overdue: bool = False  # something due before today and not done
    due_before: date | None = None  # something due before this date and not done
    archived: str = ""  # one of ARCHIVED_CHOICES

    def conditions(self, today: date | None = None) -> tuple[ColumnElement[bool], ...]:
        where: list[ColumnElement[bool]] = []
        # Control characters cannot be in a title (and PostgreSQL refuses NUL in a parameter).
        text = "".join(ch for ch in self.text if ch.isprintable()).strip()[:SEARCH_MAX]
        if text:
            columns = (
                Assessment.title,
                Assessment.technology,
                Assessment.vendor,
                Assessment.product,
            )
            where.append(or_(*(c.icontains(text, autoescape=True) for c in columns)))
        if self.status in STATUSES:
            where.append(Assessment.status == self.status)
        if self.level and self.level.isprintable():
            where.append(Assessment.overall_level == self.level)
        if self.agency_id is not None:
            where.append(Assessment.agency_id == self.agency_id)
        if self.overdue:
            where.append(due_before(today or utcnow().date()))
        if self.due_before is not None:
            where.append(due_before(self.due_before))
        if self.archived == "only":
            where.append(Assessment.archived_at.is_not(None))
        elif self.archived != "include":
            where.append(Assessment.archived_at.is_(None))
        return tuple(where)

    def order(self) -> tuple[ColumnElement[Any], ...]:
        return SORTS.get(self.sort, SORTS["updated"])


def list_assessments(
    session: Session,
    actor: User,
    *,
    page: int = 1,
    per_page: int = 25,
    filters: AssessmentFilter | None = None,
) -> Page[AssessmentSummary]:
    """The officer's agency's assessments, most recently changed first unless `filters` says."""
    if decide(actor, Action.CREATE_ASSESSMENT) is not Decision.ALLOW:
        raise NotAllowed("only officers of an agency have a dashboard of assessments")
    filters = filters or AssessmentFilter()
    where = (Assessment.agency_id == actor.agency_id, *filters.conditions())
    return _paginate(session, where, filters.order(), page, per_page)


def list_submitted(
    session: Session,
    reviewer: User,
    *,
    page: int = 1,
    per_page: int = 25,
    filters: AssessmentFilter | None = None,
) -> Page[AssessmentSummary]:
    """Assessments submitted at least once by agencies in the reviewer's remit, most recently
    submitted first unless `filters` gives another order; an agency outside the remit in the
    filter matches nothing."""
    if decide(reviewer, Action.LIST_SUBMITTED) is not Decision.ALLOW:
        raise NotAllowed("only reviewers have a list of submitted assessments")
    filters = filters or AssessmentFilter(sort="submitted")
    remit = sorted(reviewer.remit_ids)
    # Submitted at least once: submitted_at is set by the first submission and never cleared
    # (the same UPDATE counts the revision), and unlike revision_count it is in the index.
    where = (
        Assessment.agency_id.in_(remit),
        Assessment.submitted_at.is_not(None),
        *filters.conditions(),
    )
    return _paginate(session, where, filters.order(), page, per_page)
