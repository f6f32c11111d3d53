"""Checking what reviewers and officers type into the review forms (shared by the verbs)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pia.store.errors import InvalidInput
from pia.store.models import utcnow

BODY_MAX = 10_000
SHORT_MAX = 200
NAMES_MAX = 2_000
VOTES_MAX = 10_000


@dataclass(frozen=True)
class ConditionInput:
    """A condition as the board states it: text, owner, due date, optionally a finding (rule id)."""

    text: str
    owner: str
    due_on: date | None
    finding_rule: str = ""
    plan_item_id: int | None = None  # an adopted action-plan item of the assessment


def today() -> date:
    return utcnow().date()


def text(value: Any, what: str, field: str, *, limit: int = BODY_MAX, required: bool = True) -> str:
    """Trimmed text within `limit` characters; InvalidInput naming `what` otherwise."""
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise InvalidInput(f"{what} must not be empty", field=field)
    if len(cleaned) > limit:
        raise InvalidInput(f"{what} is too long (at most {limit:,} characters)", field=field)
    return cleaned


def one_line(value: Any, what: str, field: str, *, required: bool = True) -> str:
    return text(" ".join(str(value or "").split()), what, field, limit=SHORT_MAX, required=required)


def a_date(value: Any, what: str, field: str) -> date:
    if isinstance(value, date):
        return value
    raise InvalidInput(f"{what} must be a date", field=field)


def future_date(value: Any, what: str, field: str) -> date:
    """A date after today (a due date in the past could never be met)."""
    day = a_date(value, what, field)
    if day <= today():
        raise InvalidInput(
            f"{what} ({day.isoformat()}) must be after today ({today().isoformat()})", field=field
        )
    return day


def past_or_today(value: Any, what: str, field: str) -> date:
    day = a_date(value, what, field)
    if day > today():
        raise InvalidInput(
            f"{what} ({day.isoformat()}) cannot be in the future: record a meeting that was held",
            field=field,
        )
    return day


def votes(value: Any, what: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VOTES_MAX:
        raise InvalidInput(f"{what} must be a whole number from 0 to {VOTES_MAX:,}", field=field)
    return value


@dataclass(frozen=True)
class CheckedCondition:
    text: str
    owner: str
    due_on: date
    finding_rule: str  # "" for none
    plan_item_id: int | None


def condition(
    item: ConditionInput,
    findings: Mapping[str, str],
    index: int,
    plan_items: Collection[int] = (),
) -> CheckedCondition:
    """A checked condition; `plan_items` are the ids of the assessment's adopted plan items."""
    label = f"condition {index}"
    body = text(item.text, f"the text of {label}", f"conditions-{index}-text")
    owner = one_line(item.owner, f"the owner of {label}", f"conditions-{index}-owner")
    if item.due_on is None:
        raise InvalidInput(f"{label} needs a due date", field=f"conditions-{index}-due_on")
    due = future_date(item.due_on, f"the due date of {label}", f"conditions-{index}-due_on")
    rule = str(item.finding_rule or "").strip()
    if rule and rule not in findings:
        raise InvalidInput(
            f"{label} names a finding ({rule!r}) this revision does not have",
            field=f"conditions-{index}-finding_rule",
        )
    plan_item = item.plan_item_id
    if plan_item is not None and plan_item not in plan_items:
        raise InvalidInput(
            f"{label} names an action-plan item this assessment has not adopted",
            field=f"conditions-{index}-plan_item",
        )
    return CheckedCondition(body, owner, due, rule, plan_item)
