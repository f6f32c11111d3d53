"""The report page in Debian's Chromium: accessible, and printed with DRAFT and page numbers on
every page of a draft."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path

from pypdf import PdfReader

# The browser fixtures live in tests/browser/conftest.py, which pytest applies to that folder
# only: load it under another name and expose the fixtures used here.
_BROWSER_CONFTEST = Path(__file__).resolve().parents[1] / "browser" / "conftest.py"
_spec = importlib.util.spec_from_file_location("report_browser_fixtures", _BROWSER_CONFTEST)
assert _spec and _spec.loader
browser_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["report_browser_fixtures"] = browser_fixtures
_spec.loader.exec_module(browser_fixtures)

browser_bank = browser_fixtures.browser_bank
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
context = browser_fixtures.context
page = browser_fixtures.page
sign_in = browser_fixtures.sign_in
axe_check = browser_fixtures.axe_check

EXAMPLE = Path(__file__).resolve().parents[2] / "questions" / "examples"


def make_draft(live_server) -> int:
    """A draft of agency A with the answers of the richest example, made through the store."""
    from pia.engine import read_answers_file
    from pia.store import create_assessment, save_answers
    from pia.store.models import User
    from pia.web.shared.config import BANK_KEY

    bank = live_server.app.extensions[BANK_KEY]
    document = read_answers_file(EXAMPLE / "school_attendance.yaml")
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(
            session,
            bank,
            officer,
            title="Attendance <b>pilot</b>",
            technology="face recognition",
            vendor="Example EdTech",
            product="SmartAttend",
            product_version="3.0",
            profiles=list(document.profiles),
        )
        session.commit()
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values=document.answers,
            notes=document.notes,
            expected_version=assessment.lock_version,
        )
        session.commit()
        return assessment.id


def test_report_page_is_accessible(live_server, page, sign_in, axe_check) -> None:
    assessment_id = make_draft(live_server)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{assessment_id}/report")
    assert page.get_by_role("heading", name="Attendance <b>pilot</b>").is_visible()
    assert page.get_by_role("link", name="Download PDF").is_visible()
    axe_check(page)


def test_printed_draft_marks_every_page(live_server, page, sign_in) -> None:
    assessment_id = make_draft(live_server)
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/{assessment_id}/report")
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    texts = [sheet.extract_text() for sheet in printed.pages]
    assert len(texts) > 5
    for number, text in enumerate(texts, start=1):
        assert "DRAFT: not submitted for review" in text, number
        assert f"Page {number} of {len(texts)}" in text
    everything = "\n".join(texts)
    assert "Download PDF" not in everything  # the screen-only navigation is not printed
    assert "Appendix B: Methodology" in everything


def test_coverage_table_keeps_words_whole(live_server, page, sign_in) -> None:
    """The status column is narrow: "Answered" must not break into Ans/wer/ed."""
    assessment_id = make_draft(live_server)
    sign_in(page, "officer_a")
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/assessments/{assessment_id}/report")
    statuses = page.locator("#coverage td").filter(has_text=re.compile(r"^Addressed$"))
    assert statuses.count() > 0
    lines = statuses.first.evaluate(
        """cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }"""
    )
    assert lines == 1
