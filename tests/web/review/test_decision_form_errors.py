"""The board's decision form over HTTP on both databases: each condition's errors show beside
that condition's fields (with aria-describedby pointing at them), every bad value at once, the
summary at the top lists them, and what was typed (the other entries, the decision's text) is
shown again; nothing is recorded."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

TODAY = date.today()
LATER = (TODAY + timedelta(days=90)).isoformat()


def error_beside(html: str, field_id: str) -> str | None:
    """The text of the error shown beside the field, or None when it has none."""
    found = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None


def decisions(db: Session) -> int:
    from pia.store import AuditEvent, ReviewDecision

    db.expire_all()
    return (db.scalar(select(func.count()).select_from(ReviewDecision)) or 0) + (
        db.scalar(select(func.count()).select_from(AuditEvent)) or 0
    )


def post_decision(auth: Any, aid: int, **conditions: str) -> Any:
    """Posts the form as a browser does: every entry of the page, the blank ones empty."""
    blank = {
        f"conditions-{i}-{name}": ""
        for i in range(3)
        for name in ("text", "owner", "due_on", "finding_rule", "plan_item")
    }
    form = {
        **blank,
        "revision": 1,
        "outcome": "approved_with_conditions",
        "rationale": "Proportionate with the safeguards described.",
        "meeting_on": TODAY.isoformat(),
        "votes_for": "4",
        "votes_against": "1",
        "votes_abstain": "0",
        "names_against": "Member Lee",
        **conditions,
    }
    return auth.post(f"/assessments/{aid}/review/decision", form)


def test_each_conditions_errors_show_beside_it_and_the_rest_is_kept(
    client, auth, db: Session, submitted: int
) -> None:
    aid = submitted
    auth.login("reviewer_a")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 303
    before = decisions(db)
    response = post_decision(
        auth,
        aid,
        **{
            "conditions-0-text": "Publish a yearly audit of searches.",
            "conditions-0-owner": "Records office",
            "conditions-0-due_on": LATER,
            "conditions-1-text": "Train every operator.",
            "conditions-1-owner": "",
            "conditions-1-due_on": (TODAY - timedelta(days=1)).isoformat(),
            "conditions-2-text": "",
            "conditions-2-owner": "Chief of police",
            "conditions-2-due_on": LATER,
            "conditions-2-finding_rule": "no_such_rule",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'role="alert"' in html
    assert decisions(db) == before

    assert "The owner of condition 2 must not be empty" in (
        error_beside(html, "conditions-1-owner") or ""
    )
    assert "must be after today" in (error_beside(html, "conditions-1-due_on") or "")
    assert "The text of condition 3 must not be empty" in (
        error_beside(html, "conditions-2-text") or ""
    )
    assert "this revision does not have" in (error_beside(html, "conditions-2-finding_rule") or "")
    for fine in ("conditions-0-text", "conditions-0-owner", "conditions-1-text", "rationale"):
        assert error_beside(html, fine) is None, fine
    for field in ("conditions-1-owner", "conditions-2-text"):
        assert re.search(
            rf'id="{field}"[^>]*aria-invalid="true" aria-describedby="{field}-error"', html
        ), field
    # the summary at the top names each problem and links to its field
    summary = html[html.index('id="refusal"') : html.index("</div>", html.index('id="refusal"'))]
    for field in ("conditions-1-owner", "conditions-1-due_on", "conditions-2-text"):
        assert f'href="#{field}"' in summary, field
    # what was typed is shown again
    assert ">Publish a yearly audit of searches.</textarea>" in html
    assert 'name="conditions-0-owner" value="Records office"' in html
    assert ">Train every operator.</textarea>" in html
    assert 'name="conditions-2-owner" value="Chief of police"' in html
    assert ">Proportionate with the safeguards described.</textarea>" in html
    assert 'name="names_against" value="Member Lee"' in html
    assert re.search(r'id="outcome-approved_with_conditions"[^>]*checked', html)


def test_errors_follow_the_entry_they_were_typed_in(
    client, auth, db: Session, submitted: int
) -> None:
    """The store counts the conditions filled in; a blank entry before one does not shift the
    message onto the wrong entry, and an entry with only a due date is refused, not dropped."""
    aid = submitted
    auth.login("reviewer_a")
    auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    before = decisions(db)
    response = post_decision(
        auth,
        aid,
        **{
            "conditions-1-text": "Publish a yearly audit of searches.",
            "conditions-1-owner": "Records office",
            "conditions-1-due_on": LATER,
            "conditions-2-due_on": LATER,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and decisions(db) == before
    assert "condition 2 must not be empty" in (error_beside(html, "conditions-2-text") or "")
    assert error_beside(html, "conditions-1-text") is None
    assert error_beside(html, "conditions-0-text") is None
    assert f'name="conditions-2-due_on" value="{LATER}"' in html


def test_a_date_that_cannot_be_read_shows_beside_its_condition(
    client, auth, db: Session, submitted: int
) -> None:
    aid = submitted
    auth.login("reviewer_a")
    auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    response = post_decision(
        auth,
        aid,
        **{
            "conditions-0-text": "Publish a yearly audit of searches.",
            "conditions-0-owner": "Records office",
            "conditions-0-due_on": LATER,
            "conditions-1-text": "Train every operator.",
            "conditions-1-owner": "Training unit",
            "conditions-1-due_on": "31/12/2030",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the date as YYYY-MM-DD" in (error_beside(html, "conditions-1-due_on") or "")
    assert error_beside(html, "conditions-0-due_on") is None
    assert 'name="conditions-1-due_on" value="31/12/2030"' in html
    assert 'name="conditions-1-owner" value="Training unit"' in html
