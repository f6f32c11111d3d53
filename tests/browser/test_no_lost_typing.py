"""Nothing typed is lost in Chromium: the section's one Upload button carries the typed answers
with the file, with JavaScript on (even before the autosave fires) and off, and leaving the page
with unsaved changes asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect
from test_accessibility_wizard import make_assessment

FILE = {"name": "data-sheet.txt", "mimeType": "text/plain", "buffer": b"Vendor data sheet\n"}

EVIDENCE_LIST = "#q-capabilities_limitations .evidence__list"


def stored_answers_and_files(live_server: Any, aid: int) -> tuple[dict[str, Any], list[str]]:
    from pia.store import evidence_for, get_assessment

    with live_server.session() as session:
        assessment = get_assessment(session, aid)
        files = [f"{e.question_id}:{e.filename}" for e in evidence_for(session, assessment)]
        return dict(assessment.answers or {}), files


def type_then_upload(page: Any, url: str) -> None:
    page.goto(url)
    page.locator("#hosting_details").fill("Typed then uploaded")
    page.locator("#evidence_question").select_option("capabilities_limitations")
    page.set_input_files("#evidence-file", files=[FILE])
    page.locator("#evidence-upload").get_by_role("button", name="Upload").click()
    page.wait_for_load_state()


def test_without_javascript_upload_saves_the_typed_answer_and_the_file(
    live_server: Any, browser: Any, sign_in: Callable[..., None]
) -> None:
    aid = make_assessment(live_server, {})
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "officer_a")
        type_then_upload(page, f"{live_server.url}/assessments/{aid}/sections/system")
        expect(page.locator(EVIDENCE_LIST)).to_contain_text("data-sheet.txt")
        expect(page.locator("#hosting_details")).to_have_value("Typed then uploaded")
    finally:
        context.close()
    answers, files = stored_answers_and_files(live_server, aid)
    assert answers["hosting_details"] == "Typed then uploaded"
    assert files == ["capabilities_limitations:data-sheet.txt"]


def test_with_javascript_upload_right_after_typing_saves_the_answer(
    live_server: Any, page: Any, sign_in: Callable[..., None]
) -> None:
    aid = make_assessment(live_server, {})
    sign_in(page, "officer_a")
    # Upload is pressed well within the autosave's delay: the post itself carries the answer.
    type_then_upload(page, f"{live_server.url}/assessments/{aid}/sections/system")
    expect(page.locator(EVIDENCE_LIST)).to_contain_text("data-sheet.txt")
    expect(page.locator("#hosting_details")).to_have_value("Typed then uploaded")
    answers, files = stored_answers_and_files(live_server, aid)
    assert answers["hosting_details"] == "Typed then uploaded"
    assert files == ["capabilities_limitations:data-sheet.txt"]


def test_with_javascript_upload_during_an_autosave_waits_for_it(
    live_server: Any, page: Any, sign_in: Callable[..., None]
) -> None:
    aid = make_assessment(live_server, {})
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/system")
    page.locator("#hosting_details").fill("First")
    # The autosave reaches the server (which saves and moves the lock version on) but its answer
    # is held back, so Upload is pressed while the page still waits for it. Posting at once
    # would carry the old lock version and conflict with the page's own save.
    held: list[Any] = []
    page.route("**/autosave", lambda route: held.append((route, route.fetch())))
    expect(page.locator("#save-status")).to_contain_text("Saving", timeout=10_000)
    page.locator("#capabilities_limitations").fill("Typed during the save")
    page.locator("#evidence_question").select_option("capabilities_limitations")
    page.set_input_files("#evidence-file", files=[FILE])
    page.locator("#evidence-upload").get_by_role("button", name="Upload").click()
    page.wait_for_timeout(300)
    assert len(held) == 1
    expect(page.locator(EVIDENCE_LIST)).to_have_count(0)  # still waiting
    route, response = held[0]
    route.fulfill(response=response)
    expect(page.locator(EVIDENCE_LIST)).to_contain_text("data-sheet.txt")
    answers, files = stored_answers_and_files(live_server, aid)
    assert answers["hosting_details"] == "First"
    assert answers["capabilities_limitations"] == "Typed during the save"
    assert files == ["capabilities_limitations:data-sheet.txt"]
    expect(page.get_by_text("Someone else saved this section first")).to_have_count(0)


def test_leaving_with_unsaved_changes_asks_first(
    live_server: Any, page: Any, sign_in: Callable[..., None]
) -> None:
    aid = make_assessment(live_server, {})
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/system")
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.route("**/autosave", lambda route: None)  # the save never completes
    page.locator("#hosting_details").press_sequentially("Not saved yet")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
