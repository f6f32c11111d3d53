"""In Chromium, every page axe-clean: a reviewer adds a condition after the decision and points it
at the officer's adopted action-plan item; the officer marks it met with a file, downloads it, and
sees the condition on the plan page. And, with JavaScript off, the officer replaces and then
removes a draft's evidence file from the section page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"
TODAY = date.today()


def decided_with_a_plan_item(live_server: Any) -> int:
    """An assessment approved with one condition, whose officer adopted a plan item first."""
    from pia.engine import read_answers_file
    from pia.store import (
        ConditionInput,
        adopt_plan_item,
        create_assessment,
        record_decision,
        save_answers,
        set_board_rating,
        submit,
        take_up,
    )
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        reviewer = session.get(User, live_server.people["reviewer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="County face search")
        save_answers(
            session, bank, assessment, officer, values=dict(example.answers), expected_version=0
        )
        adopt_plan_item(
            session,
            assessment,
            officer,
            item_id="safeguard:threshold.lock_threshold",
            text="Lock the match threshold at 99%",
            owner="IT unit",
            due=TODAY + timedelta(days=40),
        )
        submit(session, bank, assessment, officer, assessment.lock_version)
        take_up(session, assessment, reviewer, revision=1)
        set_board_rating(
            session,
            bank,
            assessment,
            reviewer,
            revision=1,
            criterion_id=next(iter(bank.criteria)),
            level=bank.levels[-1],
            reason="The board weighs it higher.",
        )
        record_decision(
            session,
            assessment,
            reviewer,
            revision=1,
            outcome="approved_with_conditions",
            rationale="Proportionate once audited.",
            meeting_on=TODAY,
            votes_for=4,
            conditions=[ConditionInput("Publish an audit.", "Records", TODAY + timedelta(90))],
        )
        return assessment.id


def test_a_condition_added_after_the_decision_points_at_a_plan_item(
    live_server, browser, sign_in, axe_check, tmp_path: Path
) -> None:
    aid = decided_with_a_plan_item(live_server)
    url = live_server.url
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, "reviewer_a")
    reviewer.goto(f"{url}/assessments/{aid}/revisions/1")
    axe_check(reviewer)
    form = reviewer.locator("form.add-condition-form")
    form.get_by_label("New condition: text").fill("Lock the threshold before go-live.")
    form.get_by_label("New condition: owner").fill("Deputy chief")
    form.get_by_label("New condition: due date").fill((TODAY + timedelta(days=30)).isoformat())
    form.get_by_label("New condition: the adopted action-plan item").select_option(
        label="Lock the match threshold at 99%"
    )
    form.get_by_role("button", name="Add the condition").click()
    decision = reviewer.locator("#decision")
    expect(reviewer.locator(".flashes")).to_contain_text("The condition is added")
    expect(decision).to_contain_text("Lock the threshold before go-live.")
    expect(decision.get_by_role("link", name="Lock the match threshold at 99%")).to_be_visible()
    axe_check(reviewer)
    reviewer.goto(f"{url}/assessments/{aid}/report?revision=1")
    grid = reviewer.locator("table.rating-grid")
    expect(grid).to_contain_text("Board")
    expect(reviewer.locator(".rating-grid__legend")).to_contain_text("Engine marks the level")
    axe_check(reviewer)

    evidence = tmp_path / "audit.txt"
    evidence.write_text("The threshold is locked at 99%.\n")
    officer = browser.new_context(accept_downloads=True).new_page()
    sign_in(officer, "officer_a")
    officer.goto(f"{url}/assessments/{aid}/revisions/1")
    added = officer.locator(".condition").filter(has_text="Lock the threshold before go-live.")
    added.get_by_label("How the condition is met").fill("Locked by the vendor on site.")
    added.get_by_label("A file showing it (optional)").set_input_files(str(evidence))
    added.get_by_role("button", name="Mark this condition met").click()
    added = officer.locator(".condition").filter(has_text="Lock the threshold before go-live.")
    expect(added).to_contain_text("Met, awaiting verification")
    with officer.expect_download() as download:
        added.get_by_role("link", name="audit.txt").click()
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()
    axe_check(officer)

    officer.get_by_role("link", name="Lock the match threshold at 99%").click()
    expect(officer).to_have_url(f"{url}/assessments/{aid}/plan#adopted-1")
    row = officer.locator("#adopted-1")
    expect(row).to_contain_text("Lock the threshold before go-live.")
    expect(row).to_contain_text("met, awaiting verification")
    axe_check(officer)


def draft_with_evidence(live_server: Any) -> tuple[int, str, str]:
    """A draft with one text file attached; (id, the question's section, the file's name)."""
    from pia.engine import read_answers_file
    from pia.store import add_evidence, create_assessment, save_answers
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="County face search")
        save_answers(
            session, bank, assessment, officer, values=dict(example.answers), expected_version=0
        )
        question = next(iter(bank.questions.values()))
        add_evidence(
            session,
            assessment,
            officer,
            question_id=question.id,
            filename="old-sheet.txt",
            data=b"The old data sheet\n",
            max_bytes=1_000_000,
        )
        return assessment.id, question.section, "old-sheet.txt"


def test_a_draft_file_is_replaced_then_removed_without_javascript(
    live_server, browser, sign_in, axe_check, tmp_path: Path
) -> None:
    aid, section, name = draft_with_evidence(live_server)
    page_url = f"{live_server.url}/assessments/{aid}/sections/{section}"
    new_file = tmp_path / "new-sheet.txt"
    new_file.write_text("The new data sheet\n")
    officer = browser.new_context(java_script_enabled=False).new_page()
    sign_in(officer, "officer_a")
    officer.goto(page_url)
    officer.get_by_label(f"New file to replace {name}").set_input_files(str(new_file))
    officer.get_by_role("button", name=f"Replace {name}", exact=True).click()
    expect(officer.locator(".flashes")).to_contain_text("Replaced the file with new-sheet.txt.")
    expect(officer.get_by_role("link", name="new-sheet.txt")).to_be_visible()
    expect(officer.get_by_role("link", name=name)).to_have_count(0)
    officer.get_by_role("button", name="Remove new-sheet.txt from the draft").click()
    expect(officer.locator(".flashes")).to_contain_text("Removed new-sheet.txt from the draft.")
    expect(officer.get_by_role("link", name="new-sheet.txt")).to_have_count(0)

    with_script = browser.new_context().new_page()
    sign_in(with_script, "officer_a")
    _, _, _ = draft_with_evidence(live_server)  # a second draft, to check a page with a file
    with_script.goto(f"{live_server.url}/assessments/{aid + 1}/sections/{section}")
    expect(with_script.get_by_role("button", name=f"Remove {name} from the draft")).to_be_visible()
    axe_check(with_script)
