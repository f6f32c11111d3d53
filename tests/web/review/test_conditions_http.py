"""Conditions over HTTP on both databases: the decision's condition and one added after it point
at an adopted action-plan item (linked both ways: the revision page and the plan page); bad input
re-shows the form with what was typed and adds nothing; only reviewers add, and only to an
approval with conditions; the file attached when a condition is marked met downloads."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine import Bank

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _adopt(db: Session, people: Any, aid: int, item_id: str, text: str) -> int:
    from pia.store import adopt_plan_item, get_assessment
    from pia.store.models import User

    db.expire_all()
    item = adopt_plan_item(
        db,
        get_assessment(db, aid),
        db.get(User, people["officer_a"].id),
        item_id=item_id,
        text=text,
        owner="Records unit",
        due=TODAY + timedelta(days=60),
    )
    return item.id


def _conditions(db: Session) -> list[Any]:
    from pia.store import Condition

    db.expire_all()
    return list(db.scalars(select(Condition).order_by(Condition.id)))


def _audit_count(db: Session) -> int:
    from pia.store import AuditEvent

    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _decided(auth: Any, aid: int, plan_item: int | None = None, outcome: str = "") -> None:
    auth.login("reviewer_a")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 303
    form = {
        "revision": 1,
        "outcome": outcome or "approved_with_conditions",
        "rationale": "Proportionate.",
        "meeting_on": TODAY.isoformat(),
        "votes_for": "3",
    }
    if not outcome:
        form.update(
            {
                "conditions-0-text": "Publish a yearly audit of searches.",
                "conditions-0-owner": "Records office",
                "conditions-0-due_on": (TODAY + timedelta(days=90)).isoformat(),
                "conditions-0-plan_item": "" if plan_item is None else str(plan_item),
            }
        )
    response = auth.post(f"/assessments/{aid}/review/decision", form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def _new_condition(**changes: Any) -> dict[str, Any]:
    form = {
        "text": "Raise the threshold before go-live.",
        "owner": "Deputy chief",
        "due_on": (TODAY + timedelta(days=30)).isoformat(),
        "finding_rule": "",
        "plan_item": "",
    }
    form.update(changes)
    return {f"new_condition-{name}": value for name, value in form.items()}


def test_conditions_point_at_plan_items_both_ways(
    client, auth, db: Session, people, submitted: int
) -> None:
    aid = submitted
    first = _adopt(db, people, aid, "safeguard:a.b", "Publish the search log")
    second = _adopt(db, people, aid, "safeguard:c.d", "Raise the match threshold")
    _decided(auth, aid, plan_item=first)
    html = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    assert "Add a condition to this decision" in html
    assert 'id="new_condition-plan_item"' in html
    assert "Raise the match threshold</option>" in html
    assert f'href="/assessments/{aid}/plan#adopted-{first}"' in html
    assert "Publish the search log</a> (open)" in html
    response = auth.post(
        f"/assessments/{aid}/review/conditions", _new_condition(plan_item=str(second))
    )
    assert response.status_code == 303 and response.location.endswith("#decision")
    conditions = _conditions(db)
    assert [(c.text, c.plan_item_id) for c in conditions] == [
        ("Publish a yearly audit of searches.", first),
        ("Raise the threshold before go-live.", second),
    ]
    html = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    assert "Raise the threshold before go-live." in html
    assert f"#adopted-{second}" in html
    from pia.store import AuditEvent

    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "condition.added")).one()
    assert event.detail["plan_item"] == second

    auth.logout()
    auth.login("officer_a")
    plan = client.get(f"/assessments/{aid}/plan").get_data(as_text=True)
    assert "Board&#39;s conditions" in plan or "Board's conditions" in plan
    link = f'/assessments/{aid}/revisions/1#condition-{conditions[1].id}"'
    assert link in plan and "Raise the threshold before go-live.</a>" in plan


BAD = [
    ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "due_on", "must be after today"),
    ({"due_on": "1/12/2030"}, "due_on", "Enter the date as YYYY-MM-DD"),
    ({"text": ""}, "text", "must not be empty"),
    ({"plan_item": "lots"}, "plan_item", "Choose one of the adopted action-plan items"),
    ({"plan_item": "999999"}, "plan_item", "has not adopted"),
    ({"finding_rule": "no_such_rule"}, "finding_rule", "this revision does not have"),
]


def test_a_bad_condition_changes_nothing_and_keeps_what_was_typed(
    client, auth, db: Session, people, submitted: int
) -> None:
    aid = submitted
    _adopt(db, people, aid, "safeguard:a.b", "Publish the search log")
    _decided(auth, aid)
    before = (_audit_count(db), len(_conditions(db)))
    for change, field, message in BAD:
        form = _new_condition(owner="Owner kept", **change)
        response = auth.post(f"/assessments/{aid}/review/conditions", form)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, change
        assert 'role="alert"' in html and 'value="Owner kept"' in html, change
        error_id = f"new_condition-{field}-error"
        beside = re.search(rf'<p class="field-error" id="{error_id}">(.*?)</p>', html, re.S)
        assert beside is not None and message in beside.group(1), change
        assert f'aria-describedby="{error_id}"' in html, change
    assert (_audit_count(db), len(_conditions(db))) == before


def test_only_reviewers_add_and_only_to_an_approval_with_conditions(
    client, auth, db: Session, people, submitted: int
) -> None:
    aid = submitted
    _decided(auth, aid, outcome="approved")
    html = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    assert "Add a condition to this decision" not in html
    response = auth.post(f"/assessments/{aid}/review/conditions", _new_condition())
    assert response.status_code == 409
    assert "its current status is “Approved”" in response.get_data(as_text=True)
    auth.logout()
    auth.login("officer_a")
    response = auth.post(f"/assessments/{aid}/review/conditions", _new_condition())
    assert response.status_code == 403
    auth.logout()
    auth.login("reviewer_b")
    response = auth.post(f"/assessments/{aid}/review/conditions", _new_condition())
    assert response.status_code == 404
    assert _conditions(db) == []


def test_the_file_of_a_met_condition_downloads_for_those_who_may_see_it(
    client, auth, db: Session, people, submitted: int
) -> None:
    aid = submitted
    _decided(auth, aid)
    [condition] = _conditions(db)
    auth.logout()
    auth.login("officer_a")
    response = auth.post(
        f"/assessments/{aid}/conditions/{condition.id}/met",
        {"note": "Published.", "file": (io.BytesIO(PDF), "audit.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    url = f"/assessments/{aid}/conditions/{condition.id}/file"
    html = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    assert f'href="{url}"' in html and "audit.pdf</a>" in html
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=audit.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    auth.logout()
    auth.login("reviewer_a")
    assert client.get(url).data == PDF
    auth.logout()
    auth.login("officer_b")
    assert client.get(url).status_code == 404  # another agency's assessment


def test_the_report_page_marks_both_ratings_in_the_heat_map_section(
    client, auth, db: Session, people, submitted: int, bank: Bank
) -> None:
    from pia.report.levels import level_tones

    aid = submitted
    auth.login("reviewer_a")
    auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    criterion = next(iter(bank.criteria.values()))
    top = bank.levels[-1]
    response = auth.post(
        f"/assessments/{aid}/review/ratings",
        {"revision": 1, "criterion": criterion.id, "level": top, "reason": "Live use likely."},
    )
    assert response.status_code == 303
    html = client.get(f"/assessments/{aid}/report?revision=1").get_data(as_text=True)
    grid = html[html.index('<table class="table rating-grid">') :]
    grid = grid[: grid.index("</table>")]
    row = grid[grid.index(f">{criterion.name}</th>") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="rating-grid__cell ([^"]+)">([^<]*)</td>', row)
    assert len(cells) == len(bank.levels) + 1
    board = [(tone, mark) for tone, mark in cells if "Board" in mark]
    assert board == [(level_tones(bank)[top], board[0][1])]
    assert cells[-1][1] in ("Board", "Engine and Board")  # the top level is the last column
    assert sum("Engine" in mark for _, mark in cells) == 1
    assert "A row with no Board mark is a criterion the board did not rate." in html
