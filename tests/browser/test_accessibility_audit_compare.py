"""axe-core on the audit trail page and the revision comparison page: no serious or critical
violations, also with an error summary and with word diffs on screen."""

from __future__ import annotations

from test_accessibility import make_submitted


def _resubmit_with_changes(live_server, assessment_id: int) -> None:
    from pia.store import get_assessment, save_answers, submit
    from pia.store.models import User
    from pia.web.shared.config import BANK_KEY

    bank = live_server.app.extensions[BANK_KEY]
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = get_assessment(session, assessment_id)
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values={
                "alternatives_description": "Manual review by two trained detectives.",
                "log_retention_years": 3,
            },
            expected_version=assessment.lock_version,
        )
        session.commit()
        session.expire_all()
        assessment = get_assessment(session, assessment_id)
        submit(session, bank, assessment, officer, assessment.lock_version)
        session.commit()


def test_compare_page(live_server, page, sign_in, axe_check) -> None:
    assessment_id = make_submitted(live_server)
    _resubmit_with_changes(live_server, assessment_id)
    sign_in(page, "reviewer_a")
    page.goto(f"{live_server.url}/assessments/{assessment_id}/revisions/2")
    page.get_by_role("link", name="Compare revisions").click()
    page.wait_for_load_state()
    assert page.locator("ins").first.inner_text() == "Manual review by two trained detectives."
    axe_check(page)
    page.get_by_label("Later revision").select_option("1")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    assert "Choose two different revisions." in page.locator(".error-summary").inner_text()
    axe_check(page)


def test_audit_trail_page(live_server, page, sign_in, axe_check) -> None:
    make_submitted(live_server)
    sign_in(page, "admin")
    page.get_by_role("link", name="Audit trail").click()
    page.wait_for_load_state()
    assert page.locator("td code", has_text="assessment.submitted").count() == 1
    axe_check(page)
    page.get_by_label("Events from").fill("2026-05-02")
    page.get_by_label("Events until").fill("2026-05-01")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_load_state()
    assert "must not be before its start" in page.locator(".error-summary").inner_text()
    axe_check(page)
