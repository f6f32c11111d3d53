"""The PDF read back with pypdf: content, escaping, embedded data, determinism, page furniture."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES
from report_pdf_reading import all_text, attachment, flat, outline_titles, page_texts, reader

from pia.engine import evaluate, evaluation_to_json, fingerprint
from pia.engine.bank.model import Bank
from pia.report import EvidenceRef, ReportMeta, render_assessment_pdf

SECTION_TITLES = [
    "Executive summary",
    "Risk heat map",
    "Findings by criterion",
    "Obligations and statutory coverage",
    "Appendix A: Answers",
    "Appendix B: Methodology",
]
EVIDENCE = (
    EvidenceRef("threshold", "vendor-letter<1>.pdf", "ab" * 32, 1234),
    EvidenceRef("watchlist", "informants.xlsx", "cd" * 32, 99),
)


@pytest.fixture(scope="module")
def rich_pdf(bank: Bank, rich_evaluation) -> bytes:
    return render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, EVIDENCE
    )


def test_every_section_and_finding_title_is_present(rich_pdf: bytes, rich_evaluation) -> None:
    text = all_text(rich_pdf)
    for title in SECTION_TITLES:
        assert title in text
    assert rich_evaluation.findings
    for finding in rich_evaluation.findings:
        assert flat(finding.title) in flat(text)
    assert "Match threshold below the vendor's law-enforcement guidance" in text


def test_cover_shows_metadata_fingerprint_and_profiles(rich_pdf: bytes, bank: Bank) -> None:
    cover = page_texts(rich_pdf)[0]
    assert flat("County sheriff face search: Łódź, Ольга, Αθήνα") in flat(cover)
    for value in ("Example Vendor Inc.", "FaceFind 4.2", "Draft, revision 3", "2 Nov 2026"):
        assert value in cover
    assert "Washington RCW 43.386 (facial recognition)" in cover
    assert "report-test, version 2.1.0" in cover
    notes = {
        key: value.replace("\x07", "").replace("\x1b", "") for key, value in RICH_NOTES.items()
    }
    expected = fingerprint(bank.id, bank.version, RICH_ANSWERS, RICH_NOTES)
    assert expected in flat(cover)
    assert notes  # the fingerprint covers the notes as given, control characters included


def test_user_text_prints_literally(rich_pdf: bytes) -> None:
    text = all_text(rich_pdf)
    assert "FaceFind <b>Pro</b> & Sons <script>alert(1)</script>" in text
    assert "Example County Sheriff <i>& Co</i>" in text
    assert "Vendor default <font color=red>80</font> & unchanged." in text
    assert "\x07" not in text and "\x1b" not in text and "\x00" not in text


def test_findings_show_triggers_mitigations_ratings_actions_citations(rich_pdf: bytes) -> None:
    text = flat(all_text(rich_pdf))
    for expected in (
        "What similarity threshold will be used?",  # trigger question
        "80%",  # the answer as displayed
        "Every candidate is reviewed by a trained second examiner.",  # mitigation applied
        "severity significant (3) × likelihood maximum (4) = Very high",  # inherent
        "severity significant (3) × likelihood significant (3) = High",  # residual
        "Set the threshold to at least 99% and lock it.",
        "ACLU test of Amazon Rekognition (26 Jul 2018)",
    ):
        assert flat(expected) in text


def test_summary_obligations_and_coverage_tables(rich_pdf: bytes, bank: Bank) -> None:
    text = flat(all_text(rich_pdf))
    for expected in (
        "Overall residual risk: High",
        "Meaningful human review of decisions with legal effects.",
        "Statutory coverage: 2 of 2 elements answered",
        "RCW 43.386.020(2)(b)",
        "Testing for accuracy and unfair performance differences.",
    ):
        assert flat(expected) in text
    # the coverage table names questions by their text: ids mean nothing to a reader
    threshold, examiner = bank.questions["threshold"].text, bank.questions["second_examiner"].text
    assert flat(f"{threshold} (answered); {examiner} (answered)") in text
    assert flat("threshold (answered)") not in text


def test_answers_appendix_has_notes_and_evidence_digests(rich_pdf: bytes) -> None:
    text = flat(all_text(rich_pdf))
    assert flat("Used by detectives in Łódź, by Ольга in Αθήνα.") in text
    assert flat("vendor-letter<1>.pdf") in text
    assert "ab" * 32 in text
    # watchlist is hidden (mode is search): its evidence is not listed under a visible question
    assert "informants.xlsx" not in text
    assert flat("Quote: 4.2  build") in text


def test_embedded_data_matches_the_evaluation(rich_pdf: bytes, bank: Bank, rich_evaluation) -> None:
    embedded = attachment(rich_pdf, "evaluation.json")
    assert embedded == json.loads(evaluation_to_json(rich_evaluation))
    data = attachment(rich_pdf, "assessment.json")
    assert data["bank"] == {"id": "report-test", "version": "2.1.0", "digest": bank.digest}
    assert data["answers"] == RICH_ANSWERS
    assert data["notes"] == RICH_NOTES
    assert data["meta"]["title"] == RICH_META["title"]
    assert "unknown_key" not in data["meta"]
    assert data["evidence"][0] == dataclasses.asdict(EVIDENCE[0])
    assert data["fingerprint"] == fingerprint(bank.id, bank.version, RICH_ANSWERS, RICH_NOTES)


def test_two_renders_are_byte_identical(bank: Bank, rich_evaluation, rich_pdf: bytes) -> None:
    again = render_assessment_pdf(
        bank,
        rich_evaluation,
        dict(reversed(list(RICH_ANSWERS.items()))),
        RICH_NOTES,
        RICH_META,
        EVIDENCE,
    )
    assert again == rich_pdf


def test_a_different_answer_gives_different_bytes(bank: Bank, rich_pdf: bytes) -> None:
    answers = {**RICH_ANSWERS, "threshold": 81}
    other = render_assessment_pdf(
        bank, evaluate(bank, answers, ["wa"]), answers, RICH_NOTES, RICH_META, EVIDENCE
    )
    assert other != rich_pdf


def test_page_furniture_on_every_page(rich_pdf: bytes) -> None:
    pages = page_texts(rich_pdf)
    total = len(pages)
    assert total >= 6
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of" in text and f"\n{total}" in text
        assert "DRAFT" in text
        if number > 1:
            assert "County sheriff face search" in text  # running header


def test_metadata_and_bookmarks(rich_pdf: bytes) -> None:
    info = reader(rich_pdf).metadata
    assert info.title == RICH_META["title"]
    assert info.author == "Ana Officer"
    assert "privacy and civil-liberties impact assessment" in info.subject
    titles = outline_titles(rich_pdf)
    for title in SECTION_TITLES:
        assert title in titles
    assert titles[0] == RICH_META["title"]


def test_submitted_assessment_has_no_draft_marking(bank: Bank, rich_evaluation) -> None:
    meta = ReportMeta(title="Final", status="submitted", revision=4, date="2026-11-03")
    pdf = render_assessment_pdf(bank, rich_evaluation, RICH_ANSWERS, {}, meta)
    text = all_text(pdf)
    assert "DRAFT" not in text
    assert "Submitted, revision 4" in text


def test_prohibited_outcome_names_the_provision(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "Everyone at the march"}
    evaluation = evaluate(bank, answers, ["wa"])
    assert evaluation.overall.prohibited
    text = flat(all_text(render_assessment_pdf(bank, evaluation, answers, {}, {"title": "P"})))
    assert flat("Outcome: Prohibited") in text
    assert flat("RCW 43.386.080(1)") in text
    assert flat("Ongoing surveillance needs a warrant.") in text


def test_empty_assessment_renders(bank: Bank) -> None:
    evaluation = evaluate(bank, {}, [])
    pdf = render_assessment_pdf(bank, evaluation, {}, {}, {})
    text = all_text(pdf)
    assert "Untitled assessment" in text
    assert "No jurisdiction profile was chosen" in text
    assert "Not answered" in text
    assert "Product not identified" in text  # the one rule that fires on nothing answered


def test_characters_outside_the_font_do_not_break_rendering(bank: Bank) -> None:
    answers = {
        "product_name": "Face 😀 认证 \U0001f3f3\ufe0f\u200d\U0001f308 end",
        "mode": "search",
    }
    pdf = render_assessment_pdf(bank, evaluate(bank, answers, []), answers, {}, {"title": "T 中"})
    text = all_text(pdf)
    assert "Face" in text and "end" in text
    assert "\ufffd" in text  # shown as a replacement character rather than dropped silently


def test_long_unbroken_strings_and_long_answers_wrap_and_split(bank: Bank) -> None:
    url = "https://example.org/" + "a1b2c3" * 120
    paragraphs = "\n".join(f"Paragraph {n}: " + "words " * 60 for n in range(120))
    answers = {"product_name": url, "mode": "search", "description": paragraphs}
    notes = {"product_name": "x" * 3000}
    evidence = [EvidenceRef("product_name", "y" * 400 + ".pdf", "e" * 64, 1)]
    pdf = render_assessment_pdf(
        bank, evaluate(bank, answers, []), answers, notes, {"title": url}, evidence
    )
    texts = page_texts(pdf)
    text = flat("".join(texts))
    assert flat(url) in text  # every character printed, across wrapped lines
    assert "x" * 3000 in text
    appendix_pages = [n for n, page in enumerate(texts) if "Paragraph" in page]
    assert len(appendix_pages) >= 3  # the long answer runs across pages
    assert "Paragraph 119:" in texts[appendix_pages[-1]]
    widest = max(float(page.mediabox.width) for page in reader(pdf).pages)
    assert widest == pytest.approx(595.2756, abs=0.01)


def test_redacted_report_hides_sensitive_answers_everywhere(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "Informant list SECRET-42"}
    notes = {"watchlist": "Names from SECRET-43"}
    evaluation = evaluate(bank, answers, ["wa"])
    evidence = [EvidenceRef("watchlist", "SECRET-44.xlsx", "f" * 64, 10)]
    pdf = render_assessment_pdf(
        bank, evaluation, answers, notes, {"title": "Published"}, evidence, redact_sensitive=True
    )
    raw = "".join(all_text(pdf)) + str(reader(pdf).attachments)
    assert "[redacted]" in raw
    for secret in ("SECRET-42", "SECRET-43", "SECRET-44"):
        assert secret not in raw
        assert secret.encode() not in pdf
    assert attachment(pdf, "assessment.json")["redacted"] is True


def test_huge_metadata_values_still_render(bank: Bank) -> None:
    huge = "word " * 8000
    meta = {"title": huge, "agency": "x" * 20000, "vendor": huge, "author": huge}
    evaluation = evaluate(bank, {}, [])
    pdf = render_assessment_pdf(bank, evaluation, {}, {}, meta)
    pages = page_texts(pdf)
    assert "word word" in pages[0]
    assert "Executive summary" in pages[1]  # values are shortened on the cover: it fits one page
    assert reader(pdf).metadata.title == huge.strip()  # the metadata keeps the whole title


def test_bold_text_is_drawn_stroked_and_the_stroke_is_reset(rich_pdf: bytes) -> None:
    content = reader(rich_pdf).pages[1].get_contents().get_data().decode("latin-1")
    stroked = [block for block in re.findall(r"BT .*? ET", content) if " 2 Tr " in block]
    assert stroked  # headings and labels are drawn with fill and stroke
    for block in stroked:
        # back to plain fill, the canvas's line width and stroke colour before the text ends
        assert re.search(r" 0 Tr [\d.]+ w [\d. ]+ RG ET$", block), block


def test_prohibited_outcome_cell_is_white_on_dark(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "Everyone"}
    pdf = render_assessment_pdf(bank, evaluate(bank, answers, ["wa"]), answers, {}, {"title": "P"})
    cover = reader(pdf).pages[0].get_contents().get_data().decode("latin-1")
    # the outcome cell: the Prohibited colour filled, then its text drawn in white
    assert ".478431 .121569 .168627 rg" in cover  # #7a1f2b
    assert re.search(r"1 1 1 rg\s+BT [^(]*\(Outcome: Prohibited", cover)
