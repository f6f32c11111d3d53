"""Checking what reviewers and officers type into the review forms (shared by the verbs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pia.store.errors import InvalidInput, InvalidInputs
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


T = TypeVar("T")


@dataclass
class Problems:
    """Gathers what several checks refuse, so one submission reports every bad value at once."""

    found: list[InvalidInput] = field(default_factory=list)

    def check(self, verb: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """The verb's result, or None after noting what it refused."""
        try:
            return verb(*args, **kwargs)
        except InvalidInput as refused:
            self.found.extend(refused.problems)
            return None

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise InvalidInputs(self.found)


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
    """A checked condition; `plan_items` are the ids of the assessment's adopted plan items.
    Every field at fault is reported (InvalidInputs when more than one), each named
    "conditions-<index>-<field>"."""
    label = f"condition {index}"
    prefix = f"conditions-{index}-"
    problems = Problems()
    body = problems.check(text, item.text, f"the text of {label}", f"{prefix}text")
    owner = problems.check(one_line, item.owner, f"the owner of {label}", f"{prefix}owner")
    due = None
    if item.due_on is None:
        problems.found.append(InvalidInput(f"{label} needs a due date", field=f"{prefix}due_on"))
    else:
        what = f"the due date of {label}"
        due = problems.check(future_date, item.due_on, what, f"{prefix}due_on")
    rule = str(item.finding_rule or "").strip()
    if rule and rule not in findings:
        problems.found.append(
            InvalidInput(
                f"{label} names a finding ({rule!r}) this revision does not have",
                field=f"{prefix}finding_rule",
            )
        )
    plan_item = item.plan_item_id
    if plan_item is not None and plan_item not in plan_items:
        problems.found.append(
            InvalidInput(
                f"{label} names an action-plan item this assessment has not adopted",
                field=f"{prefix}plan_item",
            )
        )
    problems.raise_any()
    assert body is not None and owner is not None and due is not None  # no problem was found
    return CheckedCondition(body, owner, due, rule, plan_item)


def conditions(
    items: Sequence[ConditionInput], findings: Mapping[str, str], plan_items: Collection[int]
) -> tuple[list[CheckedCondition], Problems]:
    """Every condition checked (numbered from 1), and what was refused in any of them."""
    problems = Problems()
    checked = [
        problems.check(condition, item, findings, index, plan_items)
        for index, item in enumerate(items, start=1)
    ]
    return [c for c in checked if c is not None], problems
