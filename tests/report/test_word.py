"""The Word export: the same ReportDocument as the PDF, read back with python-docx."""

from __future__ import annotations

import io
import json

import docx
import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES

from pia.cli import main
from pia.report import EvidenceRef, build_report, render_assessment_docx
from pia.report import blocks as b

EVIDENCE = (EvidenceRef("threshold", "letter.pdf", "ab" * 32, 10),)


@pytest.fixture(scope="module")
def document(bank, rich_evaluation) -> b.ReportDocument:
    return build_report(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, EVIDENCE)


@pytest.fixture(scope="module")
def word(bank, rich_evaluation) -> docx.document.Document:
    data = render_assessment_docx(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, EVIDENCE
    )
    return docx.Document(io.BytesIO(data))


def expected_headings(document: b.ReportDocument) -> list[tuple[int, str]]:
    """Every heading the PDF prints, in order, with its outline level."""
    headings = []
    for section in document.sections:
        headings.append((1, section.title))
        for block in section.blocks:
            if isinstance(block, b.Heading):
                headings.append((2 if block.level <= 2 else 3, block.text))
            elif isinstance(block, b.HeatMaps):
                headings += [(3, "Before mitigation"), (3, "After mitigation")]
            elif isinstance(block, b.FindingView):
                headings.append((3, f"{block.residual_level}: {block.title}"))
    return headings


def test_headings_are_word_headings_in_the_pdf_order(document, word) -> None:
    found = [
        (int(paragraph.style.name.split()[-1]), paragraph.text)
        for paragraph in word.paragraphs
        if paragraph.style.name.startswith("Heading ")
    ]
    assert found == expected_headings(document)
    sections = [text for level, text in found if level == 1]
    assert sections[1:] == [
        "Executive summary",
        "Risk heat map",
        "Findings by criterion",
        "Action plan",
        "Obligations and statutory coverage",
        "Appendix A: Answers",
        "Appendix B: Methodology",
    ]


def test_cover_fingerprint_and_user_text(document, word) -> None:
    cover = {row.cells[0].text: row.cells[1].text for row in word.tables[1].rows}
    assert cover["Author"] == "Ana Officer"
    assert cover["Agency"] == "Example County Sheriff <i>& Co</i>"  # literal, not markup
    assert cover["Fingerprint (SHA-256)"] == document.fingerprint
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "FaceFind <b>Pro</b> & Sons <script>alert(1)</script>" in text
    assert "Vendor default <font color=red>80</font> & unchanged." in text  # controls dropped
    assert "Used by detectives in Łódź, by Ольга in Αθήνα.\nSecond paragraph." in text
    assert f"SHA-256 {'ab' * 32}" in text
    footer = word.sections[0].footer.paragraphs[0].text
    assert document.fingerprint[:16] in footer
    assert word.core_properties.title == RICH_META["title"]


def test_tables_carry_heat_maps_criteria_and_coverage(document, rich_evaluation, word) -> None:
    headers = [tuple(cell.text for cell in table.rows[0].cells) for table in word.tables]
    assert ("Level", "Before mitigation", "After mitigation") in headers
    assert ("Criterion", "Residual level", "Findings") in headers
    assert ("Provision", "Element", "Questions", "Status") in headers
    heat = [
        table for table in word.tables if table.rows[0].cells[0].text == "Severity / likelihood"
    ]
    assert len(heat) == 3  # before and after mitigation, and the methodology's risk matrix
    counted = sum(
        int(cell.text.split(" · ")[0])
        for row in heat[1].rows[1:]
        for cell in row.cells[1:]
        if " · " in cell.text
    )
    assert counted == len(rich_evaluation.findings)
    shading = heat[0].rows[1].cells[1]._tc.xpath("./w:tcPr/w:shd/@w:fill")
    level = heat[0].rows[1].cells[1].text.split(" · ")[-1]
    assert shading == [document.level_colours[level].lstrip("#").upper()]


def test_findings_and_obligations_in_order(document, rich_evaluation, word) -> None:
    text = [paragraph.text for paragraph in word.paragraphs]
    for finding in rich_evaluation.findings:
        assert f"{finding.residual.level}: {finding.title}" in text
    for hit in rich_evaluation.obligations:
        assert any(hit.text in line for line in text)
    assert text.index("Executive summary") < text.index("Findings by criterion")
    assert text.index("Findings by criterion") < text.index("Appendix A: Answers")


def test_assess_writes_a_docx(bank_dir, tmp_path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"assessment": {"title": "Docx check"}, "answers": RICH_ANSWERS}))
    output = tmp_path / "report.docx"
    code = main(
        ["assess", str(answers), "--bank", str(bank_dir), "--format", "docx", "-o", str(output)]
    )
    assert code == 0, capsys.readouterr().err
    opened = docx.Document(str(output))
    assert opened.paragraphs[0].text == "Docx check"
    assert opened.paragraphs[0].style.name == "Heading 1"


def test_assess_docx_needs_an_output_file(bank_dir, tmp_path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {}}))
    assert main(["assess", str(answers), "--bank", str(bank_dir), "--format", "docx"]) == 1
    assert "--format docx needs -o FILE" in capsys.readouterr().err
