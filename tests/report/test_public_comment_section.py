"""The report section "Public comment and response": rendered from a PublicCommentRecord in the
PDF (read back with pypdf), embedded so `pia verify` renders it again, and plain text throughout:
comments that look like ReportLab paragraph markup, HTML or Markdown print literally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES
from report_pdf_reading import all_text, attachment, flat, outline_titles

from pia.cli import main
from pia.engine.bank.model import Bank
from pia.report import build_report, render_assessment_pdf
from pia.report.public_comment_record import (
    MeetingView,
    PublicCommentRecord,
    PublicCommentView,
    ResponseView,
    record_from_dict,
    record_to_dict,
)

HOSTILE = '<b>bold</b> <font size=40 color="red">Big</font> <script>x()</script> **md** & <br/>'
RECORD = PublicCommentRecord(
    opens_on="2026-10-01",
    closes_on="2026-10-31",
    received=7,
    approved=3,
    rejected=2,
    duplicates=1,
    pending=1,
    comments=(
        PublicCommentView(11, "Ada", "2026-10-02", "How long are images kept?"),
        PublicCommentView(12, "", "2026-10-03", HOSTILE),
        PublicCommentView(14, "<i>Eve</i>", "2026-10-05", "Line one\nLine two"),
    ),
    responses=(
        ResponseView("Data retention", "Thirty days, then deleted.", (11, 14), "2026-11-02"),
        ResponseView("", "We print <b>this</b> as typed.", (12,), "2026-11-03"),
    ),
    meetings=(
        MeetingView(
            "2026-10-10", "Central Library", 42, "Questions on retention.", "slides-oct.pdf"
        ),
        MeetingView("2026-10-20", "https://meet.example/hall", None, "Online session."),
    ),
    meetings_required=3,
)


@pytest.fixture(scope="module")
def pdf(bank: Bank, rich_evaluation) -> bytes:
    meta = {**RICH_META, "status": "approved", "revision": 1}
    return render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, meta, public_comment=RECORD
    )


def test_the_record_round_trips_through_json() -> None:
    assert record_from_dict(json.loads(json.dumps(record_to_dict(RECORD)))) == RECORD
    assert RECORD.themes == ("Data retention",)


def test_the_pdf_prints_period_counts_themes_responses_and_meetings(pdf: bytes) -> None:
    assert "Public comment and response" in outline_titles(pdf)
    text = flat(all_text(pdf))
    for expected in (
        "Publiccommentandresponse",
        "2026-10-01to2026-10-31",
        "Commentsreceived7",
        "Approvedandpublished3",
        "Rejected2",
        "Duplicatesofanothercomment1",
        "Notyetmoderated1",
        "Communitymeetingsheld2(thechosenprofilesaskforatleast3)",
        "slides-oct.pdf",
        "Dataretention",
        "Thirtydays,thendeleted.",
        "#11,#14",
        "CentralLibrary",
        "Notrecorded",
        "Onlinesession.",
    ):
        assert expected in text, expected
    assert record_from_dict(attachment(pdf, "assessment.json")["public_comment"]) == RECORD


def test_comments_print_literally_never_as_markup(pdf: bytes) -> None:
    text = flat(all_text(pdf))
    assert flat(HOSTILE) in text
    assert flat("<i>Eve</i>") in text
    assert flat("We print <b>this</b> as typed.") in text


def test_the_html_report_renders_the_section_from_the_same_blocks(
    bank: Bank, rich_evaluation
) -> None:
    document = build_report(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, public_comment=RECORD
    )
    section = next(s for s in document.sections if s.id == "public-comment")
    assert section.title == "Public comment and response"
    plain = build_report(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)
    assert "public-comment" not in [s.id for s in plain.sections]


def test_a_report_with_the_section_still_verifies(
    pdf: bytes, tmp_path: Path, bank_dir, capsys, signing_key
) -> None:
    from pia.report.signing import sign_pdf

    path = tmp_path / "report.pdf"
    path.write_bytes(sign_pdf(pdf, signing_key))
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0, capsys.readouterr().err
