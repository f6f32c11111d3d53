"""A reviewer takes a submitted assessment through a round of requested changes to a decision
with conditions, in Chromium; every page of the round passes axe.

The officer's answers come from an example answers file through the store (the officer's own
journey is tests/browser/test_officer_flow.py); everything the board and the officer do in the
review happens through the pages.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"


def submitted_assessment(live_server: Any) -> tuple[int, str]:
    """An assessment of agency A answered from the example and submitted; (id, a question id)."""
    from pia.engine import read_answers_file
    from pia.store import create_assessment, save_answers, submit
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="County face search")
        save_answers(
            session, bank, assessment, officer, values=dict(example.answers), expected_version=0
        )
        revision = submit(session, bank, assessment, officer, 1)
        return assessment.id, revision.evaluation["visible"][0]


def test_a_round_of_changes_then_a_decision_with_conditions(
    live_server, browser, sign_in, axe_check
) -> None:
    aid, question = submitted_assessment(live_server)
    url = live_server.url
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, "reviewer_a")
    reviewer.goto(f"{url}/review")
    reviewer.get_by_role("link", name="County face search").click()
    axe_check(reviewer)
    reviewer.get_by_role("button", name="Take up this review").click()
    expect(reviewer.locator("#review-status")).to_have_text("In review")

    answer = reviewer.locator(f"#answer-{question}")
    answer.locator("summary").click()
    answer.get_by_label("Your comment on this answer").fill("Which test supports this answer?")
    answer.get_by_role("button", name="Add comment").click()
    expect(reviewer.locator(f"#answer-{question}")).to_contain_text("Which test supports")
    reviewer.get_by_text("Set the board's own rating of a criterion").click()
    first_rating = reviewer.locator("form.rating-form").first
    first_rating.locator("select").select_option(index=3)
    first_rating.locator("textarea").fill("The board weighs protest footage higher.")
    first_rating.get_by_role("button", name="Record the board's rating").click()
    expect(reviewer.locator("#criteria + .table-wrap")).to_contain_text("protest footage higher")
    axe_check(reviewer)
    reviewer.get_by_label("What should change").fill("Please add the independent test.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator("#review-status")).to_have_text("Changes requested")

    officer = browser.new_context().new_page()
    sign_in(officer, "officer_a")
    officer.goto(f"{url}/assessments/{aid}/completeness")
    comments = officer.locator(".board-comments")
    expect(comments).to_contain_text("Which test supports this answer?")
    expect(comments).to_contain_text("Your answer is unchanged since revision 1.")
    axe_check(officer)
    officer.goto(f"{url}/assessments/{aid}/revisions/1")
    officer.get_by_label("Reply to this thread").first.fill("The county's 2025 test, attached.")
    officer.get_by_role("button", name="Reply").first.click()
    officer.goto(f"{url}/assessments/{aid}/completeness")
    officer.get_by_role("button", name="Resubmit for review").click()
    expect(officer.locator(".flashes")).to_contain_text("Resubmitted as revision 2")

    reviewer.goto(f"{url}/assessments/{aid}/revisions/2")
    expect(reviewer.locator("#review-status")).to_have_text("Resubmitted")
    expect(reviewer.locator("body")).to_contain_text("The county's 2025 test, attached.")
    reviewer.get_by_label("Approve with conditions").check()
    reviewer.get_by_label("Rationale").fill("Proportionate once audited.")
    reviewer.get_by_label("For: number of votes").fill("5")
    reviewer.get_by_label("Against: number of votes").fill("2")
    reviewer.get_by_label("Against: names (optional)").fill("Member Lee; Member Ortiz")
    due = (date.today() + timedelta(days=90)).isoformat()
    reviewer.get_by_label("Condition 1: text").fill("Publish a yearly audit of searches.")
    reviewer.get_by_label("Condition 1: owner").fill("Records office")
    reviewer.get_by_label("Condition 1: due date").fill(due)
    reviewer.get_by_role("button", name="Record the decision").click()
    expect(reviewer.locator("#review-status")).to_have_text("Approved with conditions")
    expect(reviewer.locator("#decision")).to_contain_text("5 for, 2 against, 0 abstaining")
    expect(reviewer.locator("#decision")).to_contain_text("Publish a yearly audit of searches.")
    axe_check(reviewer)
