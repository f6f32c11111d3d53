"""Two people editing one assessment in Chromium: changes to different questions merge as they
autosave; the same question changed on both sides gives a conflict page showing only that one."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY


def make_assessment(live_server: Any) -> int:
    from pia.store import create_assessment
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="Shared pilot")
        session.commit()
        return assessment.id


def stored_answers(live_server: Any, assessment_id: int) -> dict[str, Any]:
    from pia.store.models import Assessment

    with live_server.session() as session:
        return dict(session.get(Assessment, assessment_id).answers)


def wait_for_save(page: Any) -> None:
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)


def wait_until_stored(page: Any, live_server: Any, aid: int, question: str, value: Any) -> None:
    """The page already says "Saved at" from an earlier save: wait for this answer to be stored."""
    for _ in range(100):
        if stored_answers(live_server, aid).get(question) == value:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{question} was never saved as {value!r}")


def test_two_sessions_merge_and_conflict_only_on_the_shared_question(
    browser: Any, live_server: Any, sign_in: Any
) -> None:
    aid = make_assessment(live_server)
    url = f"{live_server.url}/assessments/{aid}/sections/purpose"
    contexts = [browser.new_context(), browser.new_context()]
    try:
        first, second = (context.new_page() for context in contexts)
        for page in (first, second):
            page.set_default_timeout(15_000)
            sign_in(page, "officer_a")
            page.goto(url)  # both open the section before either saves
        first.locator("#purpose_statement").fill("Acme Vision")
        first.locator("#purpose_statement").blur()
        wait_for_save(first)
        second.locator("#decisions_supported").fill("FaceFind")
        second.locator("#decisions_supported").blur()
        wait_for_save(second)  # merged, not a conflict
        answers = stored_answers(live_server, aid)
        assert answers["purpose_statement"] == "Acme Vision"
        assert answers["decisions_supported"] == "FaceFind"

        # Now both change the same question; the second also changes another one.
        first.locator("#benefit_description").fill("4.2")
        first.locator("#benefit_description").blur()
        wait_until_stored(first, live_server, aid, "benefit_description", "4.2")
        second.locator("#benefit_description").fill("5.0")
        second.locator("#decisions_supported").fill("FaceFind Pro")
        second.locator("#decisions_supported").blur()
        expect(second.locator("#conflict-notice")).to_be_visible(timeout=10_000)
        second.locator("#conflict-notice").get_by_role("button").click()
        second.wait_for_load_state()
        rows = second.locator("table.conflict-table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("id", "conflict-benefit_description")
        expect(rows.first.locator("td").nth(0)).to_contain_text("4.2")
        expect(rows.first.locator("td").nth(1)).to_contain_text("5.0")
        expect(second.locator("thead")).to_contain_text("Saved since you opened the page (theirs)")
        answers = stored_answers(live_server, aid)
        assert answers["decisions_supported"] == "FaceFind Pro"  # the other change was kept
        assert answers["purpose_statement"] == "Acme Vision"  # the first person's, untouched
        assert answers["benefit_description"] == "4.2"
        second.get_by_label("Mine").check()
        second.get_by_role("button", name="Save my choices").click()
        second.wait_for_load_state()
        assert stored_answers(live_server, aid)["benefit_description"] == "5.0"
        assert stored_answers(live_server, aid)["decisions_supported"] == "FaceFind Pro"
    finally:
        for context in contexts:
            context.close()
