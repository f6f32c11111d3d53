"""The report's "Action plan" section: what would lower the risk, read off `action_plan`.

Each item is evaluated on its own by the engine (pia.engine.planning); the section only lays the
items out, best first, with the answers adopting each one means and the findings it would lower.
"""

from __future__ import annotations

from typing import Any

from pia.engine import ActionPlan, FindingShift, PlanItem
from pia.report.blocks import Bullets, Cell, Heading, Section, Table, Text

NO_LONGER = "no longer applies"


def action_plan_section(plan: ActionPlan) -> Section:
    blocks: list[Any] = [
        Text(
            "Safeguards not yet in place and recommended actions, each with the answers adopting "
            "it means, the findings it would lower and the overall level it alone would reach "
            f"(now: {plan.overall}). The best come first; adopting several together can lower "
            "the risk further than any one of them.",
        )
    ]
    if plan.items:
        blocks.append(
            Table(
                ("#", "Safeguard or action", "Adopting it means", "It would lower", "Overall"),
                tuple(_row(number, item) for number, item in enumerate(plan.items, start=1)),
                widths=(0.5, 4, 3.4, 4.4, 1.6),
            )
        )
        worse = [item for item in plan.items if item.raises]
        if worse:
            blocks.append(
                Text(
                    "; ".join(f"{_number(plan, item)}: {_shifts(item.raises)}" for item in worse)
                    + ".",
                    style="alert",
                    label="Would also raise:",
                )
            )
    else:
        blocks.append(
            Text("No safeguard or declared action would change a finding on these answers.")
        )
    if plan.advice:
        blocks.append(Heading("Other recommended actions", anchor="plan-advice"))
        blocks.append(
            Text(
                "The question bank gives no answers for these, so their effect is not computed.",
                style="muted",
            )
        )
        blocks.append(Bullets(tuple(advice.text for advice in plan.advice)))
    return Section("plan", "Action plan", tuple(blocks))


def _row(number: int, item: PlanItem) -> tuple[Cell, ...]:
    kind = "Safeguard" if item.kind == "safeguard" else "Action"
    means = "; ".join(f"{step.text} → {step.display}" for step in item.answers)
    lowers = _shifts(item.lowers) or "no finding's level"
    return (
        Cell(str(number)),
        Cell(f"{kind}: {item.text}"),
        Cell(means),
        Cell(lowers),
        Cell(item.overall, level=item.overall),
    )


def _shifts(shifts: tuple[FindingShift, ...]) -> str:
    return "; ".join(f"{shift.title}: {shift_text(shift)}" for shift in shifts)


def shift_text(shift: FindingShift) -> str:
    """ "High to Moderate", "High to no longer applies", or "High, rated 3×3 to 3×2"."""
    if shift.before == shift.after and shift.before_rating and shift.after_rating:
        (s1, l1), (s2, l2) = shift.before_rating, shift.after_rating
        return f"{shift.before}, rated {s1}×{l1} to {s2}×{l2}"
    return f"{shift.before or 'none'} to {shift.after or NO_LONGER}"


def _number(plan: ActionPlan, item: PlanItem) -> str:
    return f"#{plan.items.index(item) + 1}"
