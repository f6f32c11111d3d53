"""Community meetings and the compliance calendar in Chromium: three meetings recorded without
JavaScript satisfy Washington's requirement on the check-your-answers page; the dashboards' panel
of dates and the calendar page with its feed address; every page axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY

TODAY = date.today()
WA = "wa_rcw_43_386"
EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"


def washington_draft(live_server: Any) -> int:
    from pia.store import create_assessment
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        return create_assessment(session, bank, officer, title="Stadium pilot", profiles=[WA]).id


def record_meeting(page: Any, held_on: date, place: str, file: Path | None = None) -> None:
    page.get_by_label("Date held").fill(held_on.isoformat())
    page.get_by_label("Place or link").fill(place)
    page.get_by_label("Attendance").fill("24")
    page.get_by_label("Summary").fill(f"Questions about retention at {place}.")
    if file is not None:
        page.get_by_label("Materials file").set_input_files(str(file))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_load_state()


def test_three_meetings_recorded_without_javascript_meet_the_requirement(
    live_server: Any,
    browser: Any,
    page: Any,
    sign_in: Callable[..., None],
    axe_check: Callable[[Any], Any],
    tmp_path: Path,
) -> None:
    aid = washington_draft(live_server)
    slides = tmp_path / "slides.txt"
    slides.write_text("Agenda and slides of the first meeting.\n", encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        sign_in(plain, "officer_a")
        plain.goto(f"{live_server.url}/assessments/{aid}/completeness")
        expect(plain.locator(".meeting-tally")).to_contain_text("0 of 3 required meetings held")
        plain.get_by_role("link", name="Community meetings: record and review them").click()
        plain.get_by_role("button", name="Record the meeting").click()  # nothing filled in
        plain.wait_for_load_state()
        expect(plain.locator(".error-summary")).to_contain_text("Enter a summary")
        record_meeting(plain, TODAY - timedelta(days=40), "Central Library", slides)
        expect(plain.get_by_text("Recorded the meeting of")).to_be_visible()
        record_meeting(plain, TODAY - timedelta(days=25), "https://meet.example.gov/town-hall")
        record_meeting(plain, TODAY - timedelta(days=10), "Northside School")
        expect(plain.locator(".meeting-tally")).to_contain_text(
            "3 of 3 required meetings held: requirement met"
        )
        expect(plain.get_by_role("link", name="slides.txt")).to_be_visible()
        plain.goto(f"{live_server.url}/assessments/{aid}/completeness")
        expect(plain.locator(".meeting-tally")).to_contain_text("requirement met")
    finally:
        context.close()
    # The same pages, checked by axe (which needs JavaScript), with an error shown too.
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/meetings")
    expect(page.get_by_role("row")).to_have_count(4)
    axe_check(page)
    page.get_by_label("Date held").fill((TODAY + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_load_state()
    expect(page.locator(".field-error").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Edit the meeting of").first.click()
    axe_check(page)
    page.goto(f"{live_server.url}/assessments/{aid}/completeness")
    axe_check(page)


def decided_and_published(live_server: Any) -> int:
    """Agency A's assessment (Washington and CCOPS profiles) answered from the example, approved
    with a condition due in 6 days, published for comment and then as final."""
    from pia.engine import read_answers_file
    from pia.store import (
        ConditionInput,
        create_assessment,
        record_decision,
        save_answers,
        submit,
        take_up,
    )
    from pia.store.models import User
    from pia.store.public_models import Publication

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        reviewer = session.get(User, live_server.people["reviewer_a"]["id"])
        assessment = create_assessment(
            session, bank, officer, title="County face search", profiles=[WA, "ccops_local"]
        )
        save_answers(
            session, bank, assessment, officer, values=dict(example.answers), expected_version=0
        )
        submit(session, bank, assessment, officer, assessment.lock_version)
        take_up(session, assessment, reviewer, revision=1)
        record_decision(
            session,
            assessment,
            reviewer,
            revision=1,
            outcome="approved_with_conditions",
            rationale="Proportionate.",
            meeting_on=TODAY,
            review_due_on=TODAY + timedelta(days=700),
            conditions=[ConditionInput("Publish the audit log.", "Records", TODAY + timedelta(6))],
        )
        for stage, published, closes in (
            ("comment", TODAY - timedelta(days=45), TODAY - timedelta(days=15)),
            ("final", TODAY - timedelta(days=1), None),
        ):
            session.add(
                Publication(
                    assessment_id=assessment.id,
                    agency_id=assessment.agency_id,
                    revision_number=1,
                    stage=stage,
                    comment_opens_on=published if stage == "comment" else None,
                    comment_closes_on=closes,
                    public_data={},
                    fingerprint="0" * 64,
                    published_at=datetime.combine(published, datetime.min.time(), UTC),
                )
            )
        session.commit()
        return assessment.id


def test_the_dashboards_show_the_calendar_panel_and_the_feed_address(
    live_server: Any,
    browser: Any,
    page: Any,
    sign_in: Callable[..., None],
    axe_check: Callable[[Any], Any],
) -> None:
    decided_and_published(live_server)
    sign_in(page, "officer_a")
    page.goto(live_server.url + "/")
    panel = page.get_by_role("region", name="Compliance dates")
    expect(panel).to_contain_text("Due in 6 days")
    expect(panel).to_contain_text("Condition due: Publish the audit log.")
    expect(panel).to_contain_text("Earliest operational use")
    expect(panel.get_by_role("link", name="County face search").first).to_be_visible()
    axe_check(page)
    panel.get_by_role("link", name="The full compliance calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance calendar")
    expect(page.locator("table")).to_contain_text("Annual surveillance report")
    axe_check(page)
    page.get_by_role("button", name="Make a feed address").click()
    page.wait_for_load_state()
    address = page.get_by_label("Feed address").input_value()
    assert address.startswith(live_server.url + "/calendar/feeds/") and address.endswith(".ics")
    axe_check(page)
    # The feed opens without signing in, as a calendar app would fetch it.
    anonymous = browser.new_context()
    try:
        response = anonymous.request.get(address)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert b"Publish the audit log." in response.body()
    finally:
        anonymous.close()
    # Without JavaScript, the reviewer's dashboard shows the same panel.
    plain = browser.new_context(java_script_enabled=False)
    try:
        reviewer = plain.new_page()
        sign_in(reviewer, "reviewer_a")
        reviewer.goto(live_server.url + "/review")
        expect(reviewer.get_by_role("region", name="Compliance dates")).to_contain_text(
            "Condition due: Publish the audit log."
        )
    finally:
        plain.close()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "reviewer_a")
    page.goto(live_server.url + "/review")
    axe_check(page)
