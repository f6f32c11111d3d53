"""Archiving over HTTP (read-only, off the dashboard unless asked for, audited), and the lists'
filters by due date and, for reviewers with several agencies, by agency."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from pia.store.models import Assessment, AuditEvent, PlanItem
from pia.store.review_models import Condition, ReviewDecision

TODAY = date.today()


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/assessments/\d+[^"]*">(?:<bdi>)?([^<]+)(?:</bdi>)?</a>', html)


def audit_actions(db: Any, assessment_id: int) -> list[str]:
    db.expire_all()
    query = select(AuditEvent.action).where(AuditEvent.assessment_id == assessment_id)
    return list(db.scalars(query))


def test_an_officer_archives_and_unarchives(
    auth: Any, db: Any, make_assessment: Any, people: Any
) -> None:
    kept = make_assessment(title="Harbour pilot")
    old = make_assessment(title="Old library trial")
    auth.login("officer_a")
    overview = auth.client.get(f"/assessments/{old}").get_data(as_text=True)
    assert "Archive</button>" in overview
    response = auth.post(f"/assessments/{old}/archive")
    assert response.status_code == 303
    assert "assessment.archived" in audit_actions(db, old)
    assert db.get(Assessment, old).archived_at is not None

    get = auth.client.get
    assert titles(get("/").get_data(as_text=True)) == ["Harbour pilot"]
    assert titles(get("/?archived=only").get_data(as_text=True)) == ["Old library trial"]
    both = get("/?archived=include&sort=title").get_data(as_text=True)
    assert titles(both) == ["Harbour pilot", "Old library trial"]
    assert '<span class="tag">Archived</span>' in both

    # Read-only: the overview says so and offers no changes; changing pages and posts are 409.
    page = get(f"/assessments/{old}").get_data(as_text=True)
    assert "Archived</strong>" in page and "Unarchive</button>" in page
    assert "Change details" not in page and "Check your answers" not in page
    details = get(f"/assessments/{old}/details")
    assert details.status_code == 409
    assert "Archived" in details.get_data(as_text=True)
    before = db.get(Assessment, old).lock_version
    refused = auth.post(
        f"/assessments/{old}/details",
        {
            "title": "Renamed",
            "technology": "face",
            "vendor": "V",
            "product": "P",
            "product_version": "1",
            "lock_version": before,
        },
    )
    assert refused.status_code == 409
    db.expire_all()
    assert db.get(Assessment, old).title == "Old library trial"
    assert auth.post(f"/assessments/{old}/archive").status_code == 409  # already archived
    # Still readable: the report is there for the record.
    assert get(f"/assessments/{old}/report").status_code in (200, 302)

    assert auth.post(f"/assessments/{old}/unarchive").status_code == 303
    assert "assessment.unarchived" in audit_actions(db, old)
    assert sorted(titles(get("/").get_data(as_text=True))) == ["Harbour pilot", "Old library trial"]
    assert get(f"/assessments/{old}/details").status_code == 200
    assert kept


def test_who_may_archive(
    app: Any, auth: Any, make_assessment: Any, people: Any, submitted: int
) -> None:
    other_agency = make_assessment("officer_b", title="Their pilot")
    auth.login("officer_a")
    assert auth.post(f"/assessments/{other_agency}/archive").status_code == 404
    # Submitted and waiting for a reviewer: withdraw first.
    waiting = auth.post(f"/assessments/{submitted}/archive")
    assert waiting.status_code == 409
    assert "Submitted" in waiting.get_data(as_text=True)
    reviewer = type(auth)(app.test_client(), people)
    reviewer.login("reviewer_a")
    assert reviewer.post(f"/assessments/{submitted}/archive").status_code == 403
    admin = type(auth)(app.test_client(), people)
    admin.login("admin")
    assert admin.post(f"/assessments/{submitted}/archive").status_code == 404


def _due_things(db: Any, make_assessment: Any, people: Any) -> dict[str, int]:
    overdue = make_assessment(title="Overdue condition")
    review_soon = make_assessment(title="Review in five days")
    plan_later = make_assessment(title="Plan item in ten days")
    make_assessment(title="Nothing due")
    verified = make_assessment(title="Verified long ago")
    decisions = {}
    for assessment_id in (overdue, verified):
        decision = ReviewDecision(
            assessment_id=assessment_id,
            revision_number=1,
            outcome="approved_with_conditions",
            rationale="With conditions.",
            meeting_on=TODAY - timedelta(days=30),
        )
        db.add(decision)
        db.flush()
        decisions[assessment_id] = decision.id
    db.add(
        Condition(
            assessment_id=overdue,
            decision_id=decisions[overdue],
            text="Publish the audit log.",
            owner="Records",
            due_on=TODAY - timedelta(days=1),
        )
    )
    db.add(
        Condition(
            assessment_id=verified,
            decision_id=decisions[verified],
            text="Train staff.",
            owner="Training",
            due_on=TODAY - timedelta(days=3),
            state="verified",
        )
    )
    db.execute(
        update(Assessment)
        .where(Assessment.id == review_soon)
        .values(review_due_on=TODAY + timedelta(days=5))
    )
    db.add(
        PlanItem(
            assessment_id=plan_later,
            item_id="safeguard:x",
            text="Limit retention.",
            owner="IT",
            due=TODAY + timedelta(days=10),
        )
    )
    db.commit()
    return {"overdue": overdue, "review": review_soon, "plan": plan_later}


def test_the_dashboard_filters_by_due_date(auth: Any, db: Any, make_assessment: Any, people: Any):
    _due_things(db, make_assessment, people)
    auth.login("officer_a")
    get = auth.client.get
    assert titles(get("/?due=overdue").get_data(as_text=True)) == ["Overdue condition"]
    week = (TODAY + timedelta(days=7)).isoformat()
    assert sorted(titles(get(f"/?due_before={week}").get_data(as_text=True))) == [
        "Overdue condition",
        "Review in five days",
    ]
    fortnight = (TODAY + timedelta(days=14)).isoformat()
    assert sorted(titles(get(f"/?due_before={fortnight}").get_data(as_text=True))) == [
        "Overdue condition",
        "Plan item in ten days",
        "Review in five days",
    ]
    # A date that is not a date: the message beside the field, the list without that filter.
    bad = get("/?due_before=31/02/2027&q=overdue")
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'id="due_before-error"' in html and "Not a valid date value" in html
    assert titles(html) == ["Overdue condition"]


def test_due_filters_are_kept_across_pages(app: Any, auth: Any, db: Any, make_assessment: Any):
    app.config["PIA_PAGE_SIZE"] = 1
    for number in range(3):
        assessment_id = make_assessment(title=f"Due {number}")
        db.execute(
            update(Assessment)
            .where(Assessment.id == assessment_id)
            .values(review_due_on=TODAY + timedelta(days=number + 1))
        )
    make_assessment(title="Never due")
    db.commit()
    auth.login("officer_a")
    cutoff = (TODAY + timedelta(days=30)).isoformat()
    html = auth.client.get(f"/?due_before={cutoff}&sort=title").get_data(as_text=True)
    assert titles(html) == ["Due 0"] and "Page 1 of 3" in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert next_link and f"due_before={cutoff}" in next_link.group(1)
    second = auth.client.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert titles(second) == ["Due 1"]


def test_a_reviewer_of_several_agencies_filters_by_agency(
    app: Any,
    auth: Any,
    db: Any,
    people: Any,
    make_assessment: Any,
    submit_assessment: Any,
    complete_answers: Any,
) -> None:
    from pia.store import create_user, get_agency

    create_user(
        db,
        email="board@example.gov",
        name="Board member",
        role="reviewer",
        password=people["reviewer_a"].password,
        remit=[get_agency(db, people.agencies["a"]), get_agency(db, people.agencies["b"])],
    )
    db.commit()
    ours = make_assessment("officer_a", title="Agency A pilot", answers=complete_answers)
    theirs = make_assessment("officer_b", title="Agency B pilot", answers=complete_answers)
    submit_assessment(ours, "officer_a")
    submit_assessment(theirs, "officer_b")
    board = app.test_client()
    token = re.search(
        r'name="csrf-token" content="([^"]+)"', board.get("/signin").get_data(as_text=True)
    )
    assert token
    board.post(
        "/signin",
        data={
            "email": "board@example.gov",
            "password": people["reviewer_a"].password,
            "csrf_token": token.group(1),
        },
    )
    html = board.get("/review?sort=title").get_data(as_text=True)
    assert titles(html) == ["Agency A pilot", "Agency B pilot"]
    assert '<select class="input input--select" id="agency" name="agency">' in html
    only_b = board.get(f"/review?agency={people.agencies['b']}").get_data(as_text=True)
    assert titles(only_b) == ["Agency B pilot"]
    assert titles(board.get("/review?q=agency+a").get_data(as_text=True)) == ["Agency A pilot"]
    # A reviewer of one agency is not offered the agency filter.
    auth.login("reviewer_a")
    single = auth.client.get("/review").get_data(as_text=True)
    assert 'id="agency"' not in single
    assert titles(single) == ["Agency A pilot"]
