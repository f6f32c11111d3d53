"""axe-core on the wizard's page types: a section (with revealed questions, notes, evidence and a
risk panel with findings), a section showing errors, the completeness page (also when a submission
is refused) and the conflict page. No serious or critical violations; keyboard focus is visible."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY


def make_assessment(live_server: Any, answers: dict[str, Any]) -> int:
    from pia.store import create_assessment, save_answers
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(
            session,
            bank,
            officer,
            title="Stadium live recognition",
            technology="face recognition",
            vendor="Acme Vision",
            product="FaceFind",
            product_version="4.2",
            profiles=["wa_rcw_43_386", "eu_ai_act"] if "eu_ai_act" in bank.profiles else [],
        )
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values=answers,
            notes={"deployment_rules": "From the draft procedure."},
            expected_version=assessment.lock_version,
        )
        session.commit()
        return assessment.id


ANSWERS = {"modes": ["live", "search"], "deployment_rules": "discretion", "people_count": 5000}


def test_section_page(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/mode")
    page.set_input_files(
        "#deployment_rules-file",
        files=[
            {
                "name": "procedure.txt",
                "mimeType": "text/plain",
                "buffer": b"Deployment procedure v1\n",
            }
        ],
    )
    page.locator("#q-deployment_rules").get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    expect(page.locator("#q-deployment_rules .evidence__list")).to_contain_text("procedure.txt")
    expect(page.locator("#q-live_operation")).to_be_visible()
    page.locator("#q-deployment_rules details.note summary").click()
    axe_check(page)
    # keyboard: the first answer control takes focus with a visible outline
    page.locator("#modes-0").focus()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline.split(" ")[0] != "none" or "rgb" in outline, outline


def test_section_page_with_errors(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/people")
    page.locator("#people_count").fill("-4")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)


def test_error_summary_takes_focus_and_links_to_the_field(
    live_server: Any, page: Any, sign_in: Callable[..., None]
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/people")
    page.locator("#people_count").fill("many")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.locator("#error-summary a").first.click()
    assert re.search(r"#people_count$", page.url)
    assert page.evaluate("document.activeElement.id") == "people_count"


def test_completeness_page(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/completeness")
    axe_check(page)
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_contain_text("cannot be submitted yet")
    axe_check(page)


def test_conflict_page(
    live_server: Any, context: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    first = context.new_page()
    sign_in(first, "officer_a")
    url = f"{live_server.url}/assessments/{aid}/sections/mode"
    first.goto(url)
    second = context.new_page()
    second.goto(url)
    first.locator("#q-deployment_rules").get_by_label("Internal written criteria").check()
    expect(first.locator("#save-status")).to_contain_text("Saved at")
    published = "Published criteria that limit places and times"
    second.locator("#q-deployment_rules").get_by_label(published).check()
    notice = second.locator("#conflict-notice")
    expect(notice).to_be_visible(timeout=10_000)
    axe_check(second)  # the page with the conflict notice shown
    notice.get_by_role("button", name="Review both versions").click()
    second.wait_for_load_state()
    heading = second.get_by_role("heading", name="Someone else saved this section first")
    expect(heading).to_be_visible()
    axe_check(second)
