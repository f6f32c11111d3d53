"""A moderator approves a public comment by mistake and reconsiders it, in Chromium: the reason is
required (the error beside the field), the comment goes back to the queue and off the public
page, and is then rejected as it should have been; the queue passes axe at each step."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from test_public_comment_flow import published_for_comment

from pia.store.public_models import PublicComment

MISTAKE = "Call Sam Doe at 555-0100 about the cameras."


def test_a_moderator_reconsiders_a_mistaken_approval(
    live_server: Any, page: Any, sign_in: Any, axe_check: Any
) -> None:
    assessment_id, publication_id = published_for_comment(live_server)
    with live_server.session() as session:
        comment = PublicComment(
            publication_id=publication_id, assessment_id=assessment_id, body=MISTAKE
        )
        session.add(comment)
        session.commit()
        number = comment.id
    url = live_server.url
    sign_in(page, "officer_a")
    page.goto(f"{url}/assessments/{assessment_id}/public-comments")
    page.get_by_role("button", name=f"Approve #{number}").click()
    expect(page.locator(".flashes")).to_contain_text(f"Comment #{number} approved")
    page.goto(f"{url}/public/publications/{publication_id}")
    expect(page.locator("#comments")).to_contain_text(MISTAKE)

    page.goto(f"{url}/assessments/{assessment_id}/public-comments")
    moderated = page.locator(f"#moderated #comment-{number}")
    moderated.get_by_text("Reconsider this decision").click()
    page.get_by_role("button", name=f"Send #{number} back for moderation").click()
    expect(page.locator(".error-summary")).to_contain_text("Give the reason for reconsidering")
    reason = page.get_by_label(f"Why reconsider #{number}")
    expect(reason).to_be_visible()  # the disclosure stays open on the error
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#reconsider-reason-{number}-error")).to_contain_text("Give the reason")
    axe_check(page)
    reason.fill("It names a private person and a phone number.")
    page.get_by_role("button", name=f"Send #{number} back for moderation").click()
    expect(page.locator(".flashes")).to_contain_text(f"Comment #{number} is back awaiting")
    expect(page.locator(f"#pending #comment-{number}")).to_contain_text(MISTAKE)
    expect(page.locator(".lead")).to_contain_text("1 awaiting moderation")
    axe_check(page)

    page.goto(f"{url}/public/publications/{publication_id}")
    expect(page.locator("#comments")).not_to_contain_text(MISTAKE)

    page.goto(f"{url}/assessments/{assessment_id}/public-comments")
    page.get_by_label(f"Reason for rejecting #{number}").fill("Personal data of a third party.")
    page.get_by_role("button", name=f"Reject #{number}").click()
    expect(page.locator(".flashes")).to_contain_text(f"Comment #{number} rejected")
    expect(page.locator(f"#moderated #comment-{number}")).to_contain_text("Rejected")
