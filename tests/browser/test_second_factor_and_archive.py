"""In Chromium, each page axe-clean: enrolling a TOTP second factor (QR code, secret as text,
confirming code, recovery codes) and signing in with it; archiving an assessment and finding it
again with the dashboard's filters, including the due-date filter; the details shown read-only
where a section asks them again."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pyotp
from playwright.sync_api import expect
from test_accessibility_wizard import make_assessment

from pia.web.shared.config import BANK_KEY


def test_enrolling_a_second_factor_and_signing_in_with_it(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    sign_in(page, "officer_a")
    page.goto(live_server.url + "/account")
    page.get_by_role("link", name="Set up or manage your second factor").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    expect(page.get_by_role("img", name="QR code to scan")).to_be_visible()
    axe_check(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code from the app").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Switch on").click()
    page.wait_for_load_state()
    expect(page.locator("#code-error")).to_contain_text("That code is not right")
    axe_check(page)

    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Switch on").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor switched on")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    axe_check(page)

    page.context.clear_cookies()
    person = live_server.people["officer_a"]
    page.goto(live_server.url + "/signin")
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    axe_check(page)
    page.get_by_label("Code").fill(totp.at(time.time() + 30))  # the enrolment used this step's
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agency's assessments")
    page.goto(live_server.url + "/account/second-factor")
    expect(page.get_by_text("You have 10 unused recovery codes.")).to_be_visible()
    axe_check(page)


def test_archive_filter_by_due_date_and_details_read_only(
    live_server: Any, page: Any, sign_in: Callable[..., None], axe_check: Callable[[Any], Any]
) -> None:
    from sqlalchemy import update

    from pia.store.models import Assessment

    aid = make_assessment(live_server, {})
    with live_server.session() as session:
        session.execute(
            update(Assessment)
            .where(Assessment.id == aid)
            .values(review_due_on=date.today() + timedelta(days=3))
        )
        session.commit()
    sign_in(page, "officer_a")

    page.goto(f"{live_server.url}/assessments/{aid}")
    page.get_by_role("button", name="Archive").click()
    page.wait_for_load_state()
    expect(page.locator("#archived-notice")).to_contain_text("read-only")
    expect(page.get_by_role("button", name="Unarchive")).to_be_visible()
    axe_check(page)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Stadium live recognition")).to_have_count(0)
    page.get_by_label("Archived", exact=True).select_option("only")
    page.get_by_label("Due before").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Show assessments").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Stadium live recognition")).to_be_visible()
    expect(page.locator(".count")).to_contain_text("1 assessment matches")
    axe_check(page)
    page.get_by_label("Due before").fill(date.today().isoformat())
    page.get_by_role("button", name="Show assessments").click()
    page.wait_for_load_state()
    expect(page.get_by_text("No assessments match this search.")).to_be_visible()

    page.goto(f"{live_server.url}/assessments/{aid}")
    page.get_by_role("button", name="Unarchive").click()
    page.wait_for_load_state()
    bank = live_server.app.extensions[BANK_KEY]
    vendor_question = next(q for q in bank.questions.values() if q.mirrors_detail == "vendor")
    page.goto(f"{live_server.url}/assessments/{aid}/sections/{vendor_question.section}")
    block = page.locator(f"#q-{vendor_question.id}")
    expect(block).to_contain_text("Acme Vision")
    expect(block.get_by_role("link", name="Change the details")).to_be_visible()
    expect(page.locator(f"input[name='{vendor_question.id}']")).to_have_count(0)
    axe_check(page)
