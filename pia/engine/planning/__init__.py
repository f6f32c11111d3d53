"""Action plan and what-if: which safeguards and actions would lower the risk, and by how much.

plan = action_plan(bank, answers, profiles)   # every item evaluated on its own, best first
result = what_if(bank, answers, profiles, [plan.items[0].id, plan.items[2].id])
"""

from pia.engine.bank.adoption import AnswerChange, answers_meeting
from pia.engine.planning.plan import (
    ACTION,
    SAFEGUARD,
    ActionPlan,
    Advice,
    AnswerStep,
    FindingShift,
    PlanError,
    PlanItem,
    WhatIf,
    action_plan,
    what_if,
)

__all__ = [
    "ACTION",
    "SAFEGUARD",
    "ActionPlan",
    "Advice",
    "AnswerChange",
    "AnswerStep",
    "FindingShift",
    "PlanError",
    "PlanItem",
    "WhatIf",
    "action_plan",
    "answers_meeting",
    "what_if",
]
