"""The whole public accountability flow in Chromium, every page checked with axe: a Washington
assessment answered from the example (a draft) is submitted, decided and allowed for publication
with an approved redaction, published for comment; the public comments, the officer moderates
(approved, rejected, duplicate) and answers by theme; three community meetings meet the profile's
three; once the period has closed the final version is published, and its public page and signed
PDF show "Public comment and response" with the counts and the meetings, `pia verify` verifies
the PDF, and the withheld answer is in neither.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader
from test_meetings_calendar import record_meeting

from pia.web.shared.config import BANK_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"
WA = "wa_rcw_43_386"
MARKER = "Withheld marker e51a"
TODAY = datetime.now(UTC).date()


def washington_draft(live_server: Any) -> tuple[int, str]:
    """A draft of agency A for Washington answered from the example, with MARKER in an answer;
    (its id, the text of that answer's question)."""
    from pia.engine import read_answers_file
    from pia.store import create_assessment, save_answers
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    answers = dict(read_answers_file(EXAMPLE).answers)
    answers["purpose_statement"] = f"{MARKER}: the purpose as the officer wrote it"
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(
            session, bank, officer, title="County face search", profiles=[WA]
        )
        save_answers(session, bank, assessment, officer, values=answers, expected_version=0)
        return assessment.id, bank.questions["purpose_statement"].text


def close_the_period(live_server: Any, assessment_id: int) -> tuple[str, str]:
    """Moves the comment period into the past, as the days passing would; (opens, closes)."""
    from sqlalchemy import select

    from pia.store.public_models import Publication

    opens, closes = TODAY - timedelta(days=20), TODAY - timedelta(days=1)
    with live_server.session() as session:
        publication = session.scalars(
            select(Publication).where(Publication.assessment_id == assessment_id)
        ).one()
        publication.comment_opens_on, publication.comment_closes_on = opens, closes
        session.commit()
    return opens.isoformat(), closes.isoformat()


def new_page(browser: Any) -> Any:
    page = browser.new_context().new_page()  # JavaScript on: axe runs in the page
    page.set_default_timeout(15_000)
    return page


def test_from_draft_to_the_final_public_report_in_the_browser(
    live_server: Any,
    browser: Any,
    sign_in: Any,
    axe_check: Any,
    tmp_path: Path,
    monkeypatch: Any,
    capsys: Any,
) -> None:
    from pia.cli import main

    aid, question_text = washington_draft(live_server)
    url = live_server.url
    publication_url = f"{url}/assessments/{aid}/publication"

    officer = new_page(browser)
    sign_in(officer, "officer_a")
    officer.goto(f"{url}/assessments/{aid}/completeness")
    axe_check(officer)
    officer.get_by_role("button", name="Submit for review").click()
    expect(officer.locator(".flashes")).to_contain_text("Submitted as revision 1.")
    officer.goto(publication_url)
    officer.get_by_label("What to withhold").select_option(label=f"Answer: {question_text}")
    officer.get_by_label("Reason").select_option(label="ongoing investigation")
    officer.get_by_label("Explanation for the reviewer").fill("Names an open case.")
    officer.get_by_role("button", name="Withhold").click()
    expect(officer.get_by_text("The redaction awaits a reviewer's approval.")).to_be_visible()
    axe_check(officer)

    reviewer = new_page(browser)
    sign_in(reviewer, "reviewer_a")
    reviewer.goto(f"{url}/assessments/{aid}/revisions/1")
    reviewer.get_by_role("button", name="Take up this review").click()
    expect(reviewer.locator("#review-status")).to_have_text("In review")
    reviewer.get_by_label("Approve", exact=True).check()
    reviewer.get_by_label("Rationale").fill("Proportionate with the safeguards described.")
    reviewer.get_by_label("Meeting date (YYYY-MM-DD)").fill(TODAY.isoformat())
    reviewer.get_by_label("For: number of votes").fill("5")
    reviewer.get_by_role("button", name="Record the decision").click()
    expect(reviewer.locator("#review-status")).to_have_text("Approved")
    axe_check(reviewer)
    reviewer.goto(publication_url)
    reviewer.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_text("Redaction approved.")).to_be_visible()
    reviewer.get_by_role("button", name="Allow publication of revision 1").click()
    expect(reviewer.get_by_text("Publication allowed")).to_be_visible()
    axe_check(reviewer)

    officer.goto(publication_url)
    officer.get_by_label("Comment period opens").fill(TODAY.isoformat())
    officer.get_by_label("Comment period closes").fill((TODAY + timedelta(days=30)).isoformat())
    officer.get_by_role("button", name="Publish for comment").click()
    expect(officer.get_by_text("Published for public comment.")).to_be_visible()
    officer.get_by_role("link", name="For public comment, revision 1").click()
    comment_page = officer.url

    public = new_page(browser)
    public.goto(comment_page)
    axe_check(public)
    public.get_by_role("link", name="Comment on this assessment").click()
    axe_check(public)
    bodies = ("How long are face images kept?", "Buy cheap watches", "How long are images kept?")
    for body in bodies:
        public.get_by_label("Your comment").fill(body)
        public.get_by_role("button", name="Send comment").click()
        expect(public.locator(".flashes")).to_contain_text("your comment was received")

    officer.goto(f"{url}/assessments/{aid}")
    officer.get_by_role("link", name="Public comments: moderation and responses").click()
    expect(officer.locator(".lead")).to_contain_text("3 awaiting moderation")
    axe_check(officer)
    question, spam, repeat = (
        int((item.get_attribute("id") or "").split("-")[1])
        for item in officer.locator("#pending li.public-comment").all()
    )
    officer.get_by_role("button", name=f"Approve #{question}").click()
    expect(officer.locator(".flashes")).to_contain_text(f"Comment #{question} approved")
    officer.get_by_label(f"Reason for rejecting #{spam}").fill("Advertising.")
    officer.get_by_role("button", name=f"Reject #{spam}").click()
    expect(officer.locator(".flashes")).to_contain_text(f"Comment #{spam} rejected")
    officer.get_by_label(f"#{repeat} repeats comment number").fill(str(question))
    officer.get_by_role("button", name=f"Mark #{repeat} as duplicate").click()
    officer.get_by_label(f"#{question}: How long are face images kept?").check()
    officer.get_by_label("Theme").fill("Data retention")
    officer.get_by_label("Response (required)").fill("Images are deleted after 30 days.")
    officer.get_by_role("button", name="Publish response").click()
    expect(officer.locator(".flashes")).to_contain_text("Response published for 1 comment")
    axe_check(officer)

    officer.goto(f"{url}/assessments/{aid}/meetings")
    for days_ago, place in ((9, "Central Library"), (6, "Ward 3 hall"), (3, "Town hall")):
        record_meeting(officer, TODAY - timedelta(days=days_ago), place)
    axe_check(officer)
    officer.goto(f"{url}/assessments/{aid}/completeness")
    expect(officer.locator(".meeting-tally")).to_contain_text(
        "3 of 3 required meetings held: requirement met"
    )
    axe_check(officer)

    public.goto(comment_page)  # while out for comment, the page lists the meetings held so far
    expect(public.locator("#community-meetings")).to_contain_text("3 community meetings held")
    expect(public.locator("#community-meetings")).to_contain_text("Ward 3 hall")
    axe_check(public)

    opens, closes = close_the_period(live_server, aid)
    officer.goto(publication_url)
    officer.get_by_role("button", name="Publish the final version").click()
    expect(officer.get_by_text("The final version is published.")).to_be_visible()
    axe_check(officer)

    public.goto(f"{url}/public/assessments/{aid}")  # the assessment's newest publication
    section = public.locator("body")
    expect(section).to_contain_text("Public comment and response")
    expect(section).to_contain_text(f"{opens} to {closes}")
    expect(section).to_contain_text("Data retention")
    expect(section).to_contain_text("Images are deleted after 30 days.")
    expect(section).to_contain_text("Community meetings held")
    expect(section).to_contain_text("Ward 3 hall")
    expect(section).not_to_contain_text("Buy cheap watches")
    assert MARKER not in public.content()
    axe_check(public)

    final_id = public.url.rstrip("/").rsplit("/", 1)[1]
    pdf = public.request.get(f"{url}/public/publications/{final_id}/report.pdf").body()
    assert MARKER.encode() not in pdf
    text = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    assert MARKER not in text
    for shown in ("Public comment and response", "Data retention", "Ward 3 hall"):
        assert shown in text, shown
    monkeypatch.setenv("PIA_INSTANCE", live_server.app.instance_path)
    path = tmp_path / "final.pdf"
    path.write_bytes(pdf)
    # In a thread of its own: signature validation runs an event loop, and Playwright's is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        verified = pool.submit(main, ["verify", str(path), "--bank", str(EXAMPLE.parents[1])])
        assert verified.result() == 0
    assert "VERIFIED PUBLIC VERSION" in capsys.readouterr().out
