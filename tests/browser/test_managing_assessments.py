"""Managing assessments in Chromium: the dashboard's search and filters, changing a draft's
details, duplicating and deleting a draft; each page axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect
from test_accessibility_wizard import make_assessment


def test_search_change_details_duplicate_and_delete(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    aid = make_assessment(live_server, {})
    sign_in(page, "officer_a")
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search").fill("stadium")
    page.get_by_label("Status").select_option("draft")
    page.get_by_role("button", name="Show assessments").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Stadium live recognition")).to_be_visible()
    expect(page.locator(".count")).to_contain_text("1 assessment matches")
    axe_check(page)

    page.get_by_role("link", name="Stadium live recognition").click()
    page.get_by_role("link", name="Change details").click()
    expect(page.locator("#vendor")).to_have_value("Acme Vision")
    axe_check(page)
    page.locator("#title").fill("Stadium pilot, phase two")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadium pilot, phase two")

    page.get_by_role("button", name="Duplicate as a new draft").click()
    page.wait_for_load_state()
    expect(page.locator("#title")).to_have_value("Copy of Stadium pilot, phase two")
    page.locator("#title").fill("Stadium copy to discard")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Delete this draft").click()
    expect(page.get_by_role("heading", name="Delete this draft?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Delete the draft").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Deleted the draft “Stadium copy to discard”.")).to_be_visible()
    expect(page.get_by_role("link", name="Stadium pilot, phase two")).to_be_visible()
    expect(page.get_by_role("link", name="Stadium copy to discard")).to_have_count(0)
    assert page.url.rstrip("/") == live_server.url
    assert aid > 0
