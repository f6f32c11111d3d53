"""Adopting action-plan items with an owner and a due date, and ticking them off."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pia.store import (
    InvalidInput,
    NotAllowed,
    NotFound,
    adopt_plan_item,
    complete_plan_item,
    create_assessment,
    plan_items_for,
)
from pia.store.models import AuditEvent

ITEM = "action:low_threshold.1"
DUE = dt.date(2027, 3, 31)


@pytest.fixture
def assessment(session, cast, bank):
    return create_assessment(session, bank, cast.officer, title="Pilot")


def test_an_adopted_item_is_listed_and_ticked_off(session, cast, assessment) -> None:
    item = adopt_plan_item(
        session,
        assessment,
        cast.officer,
        item_id=ITEM,
        text="Raise it",
        owner="  Ana  Ruiz ",
        due=DUE,
    )
    assert (item.owner, item.due, item.done_at) == ("Ana Ruiz", DUE, None)
    later = adopt_plan_item(
        session,
        assessment,
        cast.officer,
        item_id="safeguard:low_threshold.review",
        text="Review",
        owner="B",
        due=dt.date(2027, 1, 1),
    )
    assert [i.id for i in plan_items_for(session, assessment)] == [later.id, item.id]
    done = complete_plan_item(session, assessment, cast.officer, later.id)
    assert done.done_at is not None and done.done_by_id == cast.officer.id
    assert [i.id for i in plan_items_for(session, assessment)] == [item.id, later.id]
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["plan.item_adopted", "plan.item_adopted", "plan.item_done"]


def test_an_item_is_adopted_once(session, cast, assessment) -> None:
    adopt_plan_item(session, assessment, cast.officer, item_id=ITEM, text="T", owner="A", due=DUE)
    with pytest.raises(InvalidInput, match="adopted already"):
        adopt_plan_item(
            session, assessment, cast.officer, item_id=ITEM, text="T", owner="A", due=DUE
        )
    assert len(plan_items_for(session, assessment)) == 1


@pytest.mark.parametrize(
    ("item_id", "owner", "field"),
    [("drop table", "A", "item_id"), (ITEM, "   ", "owner"), (ITEM, "x" * 201, "owner")],
)
def test_bad_values_are_refused_with_the_field(
    session, cast, assessment, item_id, owner, field
) -> None:
    with pytest.raises(InvalidInput) as refused:
        adopt_plan_item(
            session, assessment, cast.officer, item_id=item_id, text="T", owner=owner, due=DUE
        )
    assert refused.value.field == field
    assert plan_items_for(session, assessment) == []


def test_only_those_who_may_edit_adopt_or_tick(session, cast, assessment) -> None:
    with pytest.raises(NotAllowed):
        adopt_plan_item(
            session, assessment, cast.other_officer, item_id=ITEM, text="T", owner="A", due=DUE
        )
    item = adopt_plan_item(
        session, assessment, cast.officer, item_id=ITEM, text="T", owner="A", due=DUE
    )
    with pytest.raises(NotAllowed):
        complete_plan_item(session, assessment, cast.reviewer, item.id)
    with pytest.raises(NotFound):
        complete_plan_item(session, assessment, cast.officer, item.id + 1000)
