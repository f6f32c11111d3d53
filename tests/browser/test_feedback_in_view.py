"""On a long section the save status and the risk stay in view: the risk panel sticks beside the
questions on wide screens, a compact bar at the bottom on narrow ones; the status is a polite live
region and an autosave never moves the keyboard focus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect
from test_accessibility_wizard import ANSWERS, make_assessment

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}


def in_viewport(page: Any, selector: str) -> bool:
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def scroll_to_bottom_of_questions(page: Any) -> None:
    page.evaluate(
        "Array.from(document.querySelectorAll('.question:not([hidden])')).pop()"
        ".scrollIntoView({block: 'center'})"
    )
    assert page.evaluate("window.scrollY") > 1000  # a long page, well scrolled


def test_on_a_wide_screen_the_risk_panel_and_save_status_stay_in_view(
    live_server: Any,
    page: Any,
    sign_in: Callable[..., None],
    axe_check: Callable[[Any], Any],
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    page.set_viewport_size(WIDE)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/mode")
    scroll_to_bottom_of_questions(page)
    assert in_viewport(page, "#risk-title")
    assert in_viewport(page, "#save-status")
    assert not page.locator(".risk-bar").is_visible()  # the full panel is there instead
    status = page.locator("#save-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    # Typing low on the page: the status says it saved, in view, and the focus stays put.
    field = page.locator(".question:not([hidden]) input.input:visible").last
    field.scroll_into_view_if_needed()
    field.focus()
    field.fill("4")  # a number or a short text: either is saved
    expect(status).to_contain_text("Saved at", timeout=10_000)
    field_id = field.get_attribute("id")
    assert page.evaluate("document.activeElement.id") == field_id
    assert in_viewport(page, "#save-status")
    assert in_viewport(page, "#risk-title")
    axe_check(page)


def test_on_a_narrow_screen_a_compact_bar_shows_the_risk_and_status(
    live_server: Any,
    page: Any,
    sign_in: Callable[..., None],
    axe_check: Callable[[Any], Any],
) -> None:
    aid = make_assessment(live_server, ANSWERS)
    page.set_viewport_size(NARROW)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/mode")
    scroll_to_bottom_of_questions(page)
    bar = page.locator(".risk-bar")
    expect(bar).to_be_visible()
    assert in_viewport(page, ".risk-bar")
    assert in_viewport(page, "#save-status")
    level = page.locator("#risk-panel [data-overall-level]").inner_text()
    expect(page.locator("#risk-bar-level")).to_have_text(level)
    # The bar's link leads to the full panel.
    page.locator("#risk-bar-level").click()
    assert in_viewport(page, "#risk-title")
    axe_check(page)
