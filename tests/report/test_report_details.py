"""Details a reader notices: one way of writing times, the PDF's creation date, the prohibition
stated once, no code formatting characters in the text."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES

from pia.engine import evaluate, load_bank, read_answers_file, resolve_bank_dir
from pia.report import blocks as b
from pia.report import build_report, render_assessment_pdf
from pia.report.times import format_moment, is_time_zone


@pytest.mark.parametrize(
    ("value", "zone", "shown"),
    [
        ("2026-11-30T13:05:00+00:00", "Europe/Berlin", "30 Nov 2026, 14:05 CET"),
        ("2026-06-30T13:05:00", "Europe/Berlin", "30 Jun 2026, 15:05 CEST"),
        ("2026-11-30T13:05:00", "America/New_York", "30 Nov 2026, 08:05 EST"),
        ("2026-11-30T13:05:00", "", "30 Nov 2026, 13:05 UTC"),
        ("2026-11-30T13:05:00", "Not/AZone", "30 Nov 2026, 13:05 UTC"),
        (datetime.datetime(2026, 1, 2, 3, 4), "UTC", "2 Jan 2026, 03:04 UTC"),
        ("2026-11-02", "Europe/Berlin", "2 Nov 2026"),
        ("", "UTC", ""),
        ("sometime in 2026", "UTC", "sometime in 2026"),
    ],
)
def test_one_time_format(value, zone, shown) -> None:
    assert format_moment(value, zone) == shown


def test_time_zone_names() -> None:
    assert is_time_zone("Europe/Berlin") and is_time_zone("UTC")
    assert not is_time_zone("Mars/Olympus") and not is_time_zone("")


def test_creation_date_is_the_revisions_time(bank, rich_evaluation) -> None:
    meta = {**RICH_META, "date": "2026-11-30T13:05:09+00:00", "time_zone": "Europe/Paris"}
    pdf = render_assessment_pdf(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, meta)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata["/CreationDate"] == "D:20261130130509+00'00'"
    assert reader.metadata["/ModDate"] == "D:20261130130509+00'00'"
    assert "30 Nov 2026, 14:05 CET" in reader.pages[0].extract_text()
    assert pdf == render_assessment_pdf(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, meta)


def texts(document: b.ReportDocument, section_id: str) -> list[str]:
    section = next(item for item in document.sections if item.id == section_id)
    return [f"{block.label} {block.text}" for block in section.blocks if isinstance(block, b.Text)]


def test_the_prohibition_is_stated_once_in_the_summary() -> None:
    folder = resolve_bank_dir(None)
    bank = load_bank(folder)
    for path in sorted((folder / "examples").glob("*.yaml")):
        document = read_answers_file(path)
        evaluation = evaluate(bank, document.answers, document.profiles)
        if evaluation.prohibitions:
            break
    else:
        pytest.fail("no example of the shipped bank is prohibited")
    report = build_report(bank, evaluation, document.answers, document.notes, document.assessment)
    summary = texts(report, "summary")
    for hit in evaluation.prohibitions:
        assert sum(hit.provision in text for text in summary) == 1, summary
    assert evaluation.overall.basis not in summary


def test_no_code_formatting_in_report_text(bank, rich_evaluation) -> None:
    report = build_report(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)
    for section in report.sections:
        for text in texts(report, section.id):
            assert "`" not in text, text
