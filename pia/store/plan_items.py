"""Adopting action-plan items: an owner and a due date, then ticking them off.

The items themselves come from the engine (pia.engine.action_plan): what the officer adopts is
recorded here by the item's stable id, with the item's text as it read when adopted.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.errors import InvalidInput, NotFound
from pia.store.models import Assessment, PlanItem, User, utcnow
from pia.store.policy import Action, require
from pia.store.transaction import committing

ITEM_ID = re.compile(r"(safeguard|action):[a-z0-9_]+\.[a-z0-9_]+")
OWNER_MAX = 200
TEXT_MAX = 1000


def adopt_plan_item(
    session: Session,
    assessment: Assessment,
    actor: User,
    *,
    item_id: str,
    text: str,
    owner: str,
    due: dt.date,
) -> PlanItem:
    """Records that `owner` will carry out the plan item by `due`; InvalidInput when the values
    do not fit or the item is adopted already."""
    require(actor, Action.EDIT, assessment)
    owner = " ".join(owner.split())
    text = " ".join(text.split())
    if not ITEM_ID.fullmatch(item_id) or len(item_id) > 200:
        raise InvalidInput("that is not an item of the action plan", field="item_id")
    if not owner or len(owner) > OWNER_MAX:
        raise InvalidInput(f"name who owns it (at most {OWNER_MAX} characters)", field="owner")
    if not text or len(text) > TEXT_MAX:
        raise InvalidInput("the item has no text to record", field="item_id")
    if not isinstance(due, dt.date):
        raise InvalidInput("give the due date as YYYY-MM-DD", field="due")
    item = PlanItem(
        assessment_id=assessment.id,
        item_id=item_id,
        text=text,
        owner=owner,
        due=due,
        adopted_by_id=actor.id,
    )
    try:
        with committing(session):
            session.add(item)
            audit.add_event(
                session,
                audit.PLAN_ITEM_ADOPTED,
                actor=actor,
                assessment=assessment,
                detail={"item": item_id, "owner": owner, "due": due.isoformat()},
            )
    except IntegrityError:
        raise InvalidInput("this item is adopted already", field="item_id") from None
    return item


def complete_plan_item(
    session: Session, assessment: Assessment, actor: User, plan_item_id: int
) -> PlanItem:
    """Ticks the adopted item off (once: ticking a done item again changes nothing)."""
    require(actor, Action.EDIT, assessment)
    item = session.get(PlanItem, plan_item_id)
    if item is None or item.assessment_id != assessment.id:
        raise NotFound("that plan item is not part of this assessment")
    if item.done_at is None:
        with committing(session):
            item.done_at = utcnow()
            item.done_by_id = actor.id
            audit.add_event(
                session,
                audit.PLAN_ITEM_DONE,
                actor=actor,
                assessment=assessment,
                detail={"item": item.item_id},
            )
    return item


def plan_items_for(session: Session, assessment: Assessment) -> list[PlanItem]:
    """The adopted items, open ones first, each group by due date."""
    query = (
        select(PlanItem)
        .where(PlanItem.assessment_id == assessment.id)
        .order_by(PlanItem.done_at.is_not(None), PlanItem.due, PlanItem.id)
    )
    return list(session.scalars(query))
