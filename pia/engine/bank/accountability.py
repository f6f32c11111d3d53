"""What a profile's law asks of the agency after the assessment: the community meetings to hold
(`community_meetings`) and the dates to keep (`calendar`). Both are read generically; the bank
declares the numbers, the anchors and the citations (docs/question-bank.md)."""

from __future__ import annotations

from pia.engine.bank.model import CALENDAR_ANCHORS, CalendarRule, MeetingRequirement
from pia.engine.bank.problems import Code, did_you_mean
from pia.engine.bank.shape import Shape
from pia.engine.bank.yamlpos import PosMap

MEETINGS_MAX = 100
MONTHS_MAX = 240  # twenty years
DAYS_MAX = 3650


def read_meeting_requirement(head: PosMap, shape: Shape, what: str) -> MeetingRequirement | None:
    """The profile's `community_meetings: {required, cite, text}`, or None when it has none."""
    if head.get("community_meetings") is None:
        return None
    entry = shape.mapping(
        head["community_meetings"], head.value_loc("community_meetings"), "community_meetings"
    )
    if entry is None:
        return None
    where = f"the community_meetings of {what}"
    shape.keys(entry, where, ("required", "cite"), ("text",))
    required = shape.integer(entry, "required", where, 1, MEETINGS_MAX)
    cite = shape.text(entry, "cite", where)
    if required is None or not cite:
        if "cite" in entry and not cite:
            shape.add(Code.BAD_VALUE, entry.value_loc("cite"), f"{where} needs a citation")
        return None
    return MeetingRequirement(required=required, cite=cite, text=shape.text(entry, "text", where))


def read_calendar(head: PosMap, shape: Shape, what: str) -> tuple[CalendarRule, ...]:
    """The profile's `calendar:` list of dates, each counted from an anchor event."""
    rules = []
    seen: set[str] = set()
    for item, location in shape.entries(head, "calendar", what):
        entry = shape.mapping(item, location, "a calendar date")
        if entry is None:
            continue
        shape.keys(
            entry,
            "a calendar date",
            ("id", "title", "cite", "after"),
            ("text", "months", "days", "every_months"),
        )
        rule_id = shape.ident(entry, "id", "calendar date id")
        if rule_id in seen:
            shape.add(
                Code.DUPLICATE_ID,
                entry.value_loc("id"),
                f"{what} has two calendar dates {rule_id!r}",
            )
        seen.add(rule_id)
        anchor = shape.text(entry, "after", "a calendar date")
        if anchor and anchor not in CALENDAR_ANCHORS:
            shape.add(
                Code.BAD_VALUE,
                entry.value_loc("after"),
                f"calendar date {rule_id!r} of {what} counts from {anchor!r}, which is no event",
                did_you_mean(anchor, CALENDAR_ANCHORS) or "events: " + ", ".join(CALENDAR_ANCHORS),
            )
            anchor = ""
        months = shape.integer(entry, "months", "a calendar date", 0, MONTHS_MAX, 0)
        days = shape.integer(entry, "days", "a calendar date", -DAYS_MAX, DAYS_MAX, 0)
        every = shape.integer(entry, "every_months", "a calendar date", 1, MONTHS_MAX, 0)
        title = shape.text(entry, "title", "a calendar date")
        cite = shape.text(entry, "cite", "a calendar date")
        if rule_id and anchor and title and cite:
            rules.append(
                CalendarRule(
                    id=rule_id,
                    title=title,
                    cite=cite,
                    after=anchor,
                    text=shape.text(entry, "text", "a calendar date"),
                    months=months or 0,
                    days=days or 0,
                    every_months=every or 0,
                )
            )
    return tuple(rules)
