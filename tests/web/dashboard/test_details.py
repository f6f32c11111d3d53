"""A draft's details changed once asked, with the lock version and an audit event; a duplicate
as a new draft with the same details, answers and notes."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from pia.store.models import Assessment, AuditEvent

DETAILS = {
    "title": "Renamed pilot",
    "technology": "face recognition",
    "vendor": "Other Vendor",
    "product": "OtherFind",
    "product_version": "5.0",
}


def stored(db: Any, aid: int) -> Assessment:
    db.expire_all()
    assessment = db.get(Assessment, aid)
    assert assessment is not None
    return assessment


def events(db: Any, aid: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.assessment_id == aid).order_by(AuditEvent.id)
    return list(db.scalars(query))


def test_details_form_is_filled_and_saves_changes_with_an_audit_event(
    auth: Any, db: Any, bank: Any, make_assessment: Any
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    page = auth.client.get(f"/assessments/{aid}/details").get_data(as_text=True)
    assert 'value="Face search pilot"' in page and 'value="Acme Vision"' in page
    version = stored(db, aid).lock_version
    response = auth.post(
        f"/assessments/{aid}/details", {**DETAILS, "lock_version": str(version), "profiles": []}
    )
    assert response.status_code == 303
    assessment = stored(db, aid)
    assert (assessment.title, assessment.vendor, assessment.product_version) == (
        "Renamed pilot",
        "Other Vendor",
        "5.0",
    )
    assert assessment.profiles == []
    assert assessment.lock_version == version + 1
    [event] = [e for e in events(db, aid) if e.action == "assessment.details_changed"]
    assert event.detail["changed"]["title"] == "Renamed pilot"
    assert "Details saved." in auth.client.get(f"/assessments/{aid}").get_data(as_text=True)


def test_stale_or_bad_details_keep_what_was_typed(auth: Any, db: Any, make_assessment: Any) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    stale = auth.post(f"/assessments/{aid}/details", {**DETAILS, "lock_version": "99"})
    assert stale.status_code == 409
    assert 'value="Renamed pilot"' in stale.get_data(as_text=True)
    empty = auth.post(
        f"/assessments/{aid}/details",
        {**DETAILS, "title": "", "lock_version": str(stored(db, aid).lock_version)},
    )
    assert empty.status_code == 400
    assert 'value="Other Vendor"' in empty.get_data(as_text=True)
    assert stored(db, aid).title == "Face search pilot"


def test_details_of_a_submitted_assessment_are_not_changed(
    auth: Any, db: Any, make_assessment: Any, submit_assessment: Any, complete_answers: Any
) -> None:
    aid = make_assessment(answers=complete_answers)
    submit_assessment(aid)
    auth.login("officer_a")
    response = auth.post(
        f"/assessments/{aid}/details",
        {**DETAILS, "lock_version": str(stored(db, aid).lock_version)},
    )
    assert response.status_code == 400
    assert "stay as submitted" in response.get_data(as_text=True)
    assert stored(db, aid).title == "Face search pilot"


def test_only_the_agencys_officers_change_details(auth: Any, make_assessment: Any) -> None:
    aid = make_assessment()
    auth.login("officer_b")
    assert auth.client.get(f"/assessments/{aid}/details").status_code == 404
    assert auth.post(f"/assessments/{aid}/duplicate").status_code == 404


def test_duplicate_makes_a_new_draft_with_the_answers_and_notes(
    auth: Any, db: Any, make_assessment: Any, submit_assessment: Any, complete_answers: Any
) -> None:
    aid = make_assessment(answers=complete_answers)
    submit_assessment(aid)
    auth.login("officer_a")
    response = auth.post(f"/assessments/{aid}/duplicate")
    assert response.status_code == 303
    match = re.search(r"/assessments/(\d+)/details$", response.headers["Location"])
    assert match
    copy = stored(db, int(match.group(1)))
    source = stored(db, aid)
    assert copy.id != aid and copy.status == "draft" and copy.revision_count == 0
    assert copy.title == "Copy of Face search pilot"
    assert copy.answers == source.answers and copy.notes == source.notes
    assert copy.vendor == source.vendor and copy.profiles == source.profiles
    assert source.status == "submitted"  # the original is untouched
    [event] = [e for e in events(db, copy.id) if e.action == "assessment.duplicated"]
    assert event.detail["from_assessment"] == aid


def test_a_never_submitted_draft_is_deleted_after_confirming_and_audited(
    auth: Any, db: Any, make_assessment: Any
) -> None:
    aid = make_assessment(title="Unwanted draft")
    auth.login("officer_a")
    confirm = auth.client.get(f"/assessments/{aid}/delete").get_data(as_text=True)
    assert "Delete this draft?" in confirm
    version = stored(db, aid).lock_version
    assert auth.post(f"/assessments/{aid}/delete", {"lock_version": "99"}).status_code == 409
    assert db.get(Assessment, aid) is not None
    response = auth.post(f"/assessments/{aid}/delete", {"lock_version": str(version)})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    db.expire_all()
    assert db.get(Assessment, aid) is None
    deleted = db.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.deleted"))
    [event] = list(deleted)
    assert event.detail["assessment_id"] == aid and event.detail["title"] == "Unwanted draft"
    assert "Deleted the draft “Unwanted draft”." in auth.client.get("/").get_data(as_text=True)
    assert auth.client.get(f"/assessments/{aid}").status_code == 404


def test_a_submitted_assessment_cannot_be_deleted(
    auth: Any, db: Any, make_assessment: Any, submit_assessment: Any, complete_answers: Any
) -> None:
    aid = make_assessment(answers=complete_answers)
    submit_assessment(aid)
    auth.login("officer_a")
    assert auth.client.get(f"/assessments/{aid}/delete").status_code == 409
    version = stored(db, aid).lock_version
    assert (
        auth.post(f"/assessments/{aid}/delete", {"lock_version": str(version)}).status_code == 409
    )
    assert db.get(Assessment, aid) is not None
    auth.login("officer_b")
    assert (
        auth.post(f"/assessments/{aid}/delete", {"lock_version": str(version)}).status_code == 404
    )
