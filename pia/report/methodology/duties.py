"""A profile's community meeting requirement and calendar dates, in words, for the methodology."""

from __future__ import annotations

from pia.engine.bank.model import (
    ANCHOR_COMMENT_PERIOD_END,
    ANCHOR_DECISION,
    ANCHOR_FINAL_PUBLICATION,
    CalendarRule,
    Profile,
)
from pia.report.methodology.words import one_line, table_cell

EVENTS = {
    ANCHOR_DECISION: "the board's approving decision",
    ANCHOR_COMMENT_PERIOD_END: "the end of the public comment period",
    ANCHOR_FINAL_PUBLICATION: "the publication of the final report",
}


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if abs(count) == 1 else f"{count} {unit}s"


def when_in_words(rule: CalendarRule) -> str:
    """E.g. "12 months after the board's approving decision, then every 12 months"."""
    parts = []
    if rule.months:
        parts.append(_plural(rule.months, "month"))
    if rule.days:
        parts.append(_plural(abs(rule.days), "day"))
    event = EVENTS.get(rule.after, rule.after)
    if not parts:
        text = f"on the day of {event}"
    elif rule.days < 0 and not rule.months:
        text = f"{parts[0]} before {event}"
    else:
        text = " and ".join(parts) + f" after {event}"
    if rule.every_months:
        text += f", then every {_plural(rule.every_months, 'month')}"
    return text


def profile_duties(profile: Profile) -> list[str]:
    """Markdown lines: the meetings the profile asks for and the dates it sets (none: [])."""
    lines: list[str] = []
    meetings = profile.community_meetings
    if meetings is not None:
        text = f" {one_line(meetings.text)}" if meetings.text else ""
        lines += [
            "#### Community meetings",
            "",
            f"At least {meetings.required} ({meetings.cite}).{text}",
            "",
        ]
    if profile.calendar:
        lines += ["#### Calendar dates", "", "| Date | When | Provision | Note |"]
        lines.append("| --- | --- | --- | --- |")
        for rule in profile.calendar:
            cells = (rule.title, when_in_words(rule), rule.cite, rule.text)
            lines.append("| " + " | ".join(table_cell(c) for c in cells) + " |")
        lines.append("")
    return lines
