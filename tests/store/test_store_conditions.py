"""Conditions after the decision: the board adds one (policy-checked, audited), a condition
points at an adopted action-plan item (and the plan item knows it), and the file attached when a
condition is marked met can be read back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pia.store import (
    AuditEvent,
    ConditionInput,
    InvalidInput,
    NotFound,
    add_condition,
    adopt_plan_item,
    condition_file,
    conditions_by_plan_item,
    create_assessment,
    mark_condition_met,
    record_decision,
    review_record,
    save_answers,
    submit,
    take_up,
)
from pia.store.errors import NotAllowed, WrongStatus

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _approved(session, bank, cast, *, outcome="approved_with_conditions", title="Pilot"):
    assessment = create_assessment(session, bank, cast.officer, title=title)
    values = {"product_name": "FaceFind", "mode": "search", "threshold": 80}
    save_answers(session, bank, assessment, cast.officer, values=values, expected_version=0)
    plan_item = adopt_plan_item(
        session,
        assessment,
        cast.officer,
        item_id="safeguard:low_threshold.raise_threshold",
        text="Raise the threshold to 99%",
        owner="Records unit",
        due=TODAY + timedelta(days=30),
    )
    submit(session, bank, assessment, cast.officer, assessment.lock_version)
    take_up(session, assessment, cast.reviewer, revision=1)
    conditions = []
    if outcome == "approved_with_conditions":
        conditions = [ConditionInput("Publish audits.", "Records", TODAY + timedelta(days=90))]
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        outcome=outcome,
        rationale="Proportionate.",
        meeting_on=TODAY,
        conditions=conditions,
    )
    return assessment, plan_item


def test_the_board_adds_a_condition_pointing_at_a_plan_item(session, bank, cast) -> None:
    assessment, plan_item = _approved(session, bank, cast)
    added = add_condition(
        session,
        assessment,
        cast.reviewer,
        ConditionInput(
            "Raise the threshold before go-live.",
            "Deputy chief",
            TODAY + timedelta(days=45),
            plan_item_id=plan_item.id,
        ),
    )
    record = review_record(session, assessment, 1)
    assert [c.text for c in record.conditions] == [
        "Publish audits.",
        "Raise the threshold before go-live.",
    ]
    shown = record.conditions[1]
    assert (shown.plan_item, shown.plan_item_id, shown.plan_item_done) == (
        "Raise the threshold to 99%",
        plan_item.id,
        False,
    )
    assert record.conditions[0].plan_item == "" and record.conditions[0].plan_item_id is None
    grouped = conditions_by_plan_item(session, assessment)
    assert [(c.id, revision) for c, revision in grouped[plan_item.id]] == [(added.id, 1)]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "condition.added")).one()
    assert event.detail["plan_item"] == plan_item.id and event.detail["condition"] == added.id


def test_a_condition_refuses_another_assessments_plan_item(session, bank, cast) -> None:
    assessment, _ = _approved(session, bank, cast)
    _, foreign = _approved(session, bank, cast, title="Another")
    count = len(review_record(session, assessment, 1).conditions)
    with pytest.raises(InvalidInput, match="has not adopted") as refused:
        add_condition(
            session,
            assessment,
            cast.reviewer,
            ConditionInput("X", "Y", TODAY + timedelta(days=5), plan_item_id=foreign.id),
        )
    assert refused.value.field == "conditions-1-plan_item"
    assert len(review_record(session, assessment, 1).conditions) == count


def test_adding_a_condition_is_for_reviewers_of_an_approval_with_conditions(
    session, bank, cast
) -> None:
    assessment, _ = _approved(session, bank, cast, outcome="approved")
    item = ConditionInput("X", "Y", TODAY + timedelta(days=5))
    with pytest.raises(WrongStatus):
        add_condition(session, assessment, cast.reviewer, item)
    with pytest.raises(NotAllowed):
        add_condition(session, assessment, cast.officer, item)
    with pytest.raises(InvalidInput, match="must be after today"):
        conditional, _ = _approved(session, bank, cast, title="Conditional")
        add_condition(session, conditional, cast.reviewer, ConditionInput("X", "Y", TODAY))


def test_the_file_of_a_met_condition_reads_back(session, bank, cast) -> None:
    assessment, _ = _approved(session, bank, cast)
    [condition] = review_record(session, assessment, 1).conditions
    with pytest.raises(NotFound, match="no file"):
        condition_file(session, assessment, condition.id)
    mark_condition_met(
        session,
        assessment,
        cast.officer,
        condition.id,
        note="Published on the website.",
        filename="audit.pdf",
        data=PDF,
    )
    found = condition_file(session, assessment, condition.id)
    assert (found.met_filename, found.met_content_type, found.met_data) == (
        "audit.pdf",
        "application/pdf",
        PDF,
    )
    assert review_record(session, assessment, 1).conditions[0].met_filename == "audit.pdf"
    other, _ = _approved(session, bank, cast, title="Other")
    with pytest.raises(NotFound):
        condition_file(session, other, condition.id)
