"""The appendix "Changes since revision N": rendered from a revision comparison in the PDF and
the report document, embedded so that `pia verify` renders it again, redacted when published."""

from __future__ import annotations

import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES
from report_pdf_reading import all_text, attachment, flat

from pia.cli import main
from pia.engine import ComparedRevision, EvidenceItem, evaluate, evaluation_to_dict
from pia.report import EvidenceRef, build_report, render_assessment_pdf
from pia.report.changes import changes_section, comparison_for

PREVIOUS_ANSWERS = {
    **RICH_ANSWERS,
    "threshold": 99.5,
    "second_examiner": False,
    "description": "Used by detectives in Łódź.\nSecond paragraph.",
}
EVIDENCE = (EvidenceRef("threshold", "letter.pdf", "ab" * 32, 10),)


@pytest.fixture(scope="module")
def previous(bank) -> ComparedRevision:
    evaluation = evaluation_to_dict(evaluate(bank, PREVIOUS_ANSWERS, ["wa"]))
    return ComparedRevision(
        2,
        PREVIOUS_ANSWERS,
        {"threshold": "Vendor default."},
        evaluation,
        (EvidenceItem("old-letter.pdf", "cd" * 32, "threshold"),),
    )


@pytest.fixture(scope="module")
def pdf(bank, rich_evaluation, previous) -> bytes:
    return render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, EVIDENCE, previous=previous
    )


def test_the_pdf_ends_with_the_changes(pdf) -> None:
    text = all_text(pdf)
    assert "Appendix C: Changes since revision 2" in text
    tail = flat(text[text.index("Appendix C: Changes since revision 2") :])
    assert flat("What differs between revision 2 and revision 3") in tail
    assert flat("Describe the deployment.") in tail
    assert flat("[-Łódź.-] {+Łódź, by Ольга in Αθήνα.+}") in tail  # word diff of a long text
    assert flat("99.5%") in tail and flat("80%") in tail
    assert flat("Added: letter.pdf") in tail and flat("Removed: old-letter.pdf") in tail
    assert flat("Match threshold below the vendor's law-enforcement guidance") in tail


def test_the_previous_revision_is_embedded_and_verify_renders_it_again(
    pdf, previous, tmp_path, bank_dir, capsys
) -> None:
    embedded = attachment(pdf, "assessment.json")["previous"]
    assert embedded["number"] == 2 and embedded["answers"]["threshold"] == 99.5
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0, capsys.readouterr().err
    assert "ok  bytes" in capsys.readouterr().out


def test_without_a_previous_revision_there_is_no_appendix(bank, rich_evaluation) -> None:
    document = build_report(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)
    assert [s.id for s in document.sections][-1] == "methodology"


def test_identical_revisions_say_nothing_changed(bank, rich_evaluation) -> None:
    same = ComparedRevision(2, RICH_ANSWERS, RICH_NOTES, rich_evaluation)
    comparison = comparison_for(
        bank,
        same,
        number=3,
        answers=RICH_ANSWERS,
        notes=RICH_NOTES,
        evaluation=rich_evaluation,
        evidence=(),
    )
    section = changes_section(comparison)
    assert section.title == "Appendix C: Changes since revision 2"
    assert section.blocks[-1].text == "Nothing changed between the two revisions."


def test_a_published_report_redacts_sensitive_answers_in_the_changes(bank) -> None:
    secret_before = {**PREVIOUS_ANSWERS, "mode": "live", "watchlist": "Protest organisers"}
    secret_after = {**RICH_ANSWERS, "mode": "live", "watchlist": "Protest organisers and press"}
    before = ComparedRevision(1, secret_before, {}, evaluate(bank, secret_before, ["wa"]))
    evaluation = evaluate(bank, secret_after, ["wa"])
    pdf = render_assessment_pdf(
        bank,
        evaluation,
        secret_after,
        {},
        {**RICH_META, "status": "published"},
        redact_sensitive=True,
        previous=before,
    )
    text = all_text(pdf)
    assert "Changes since revision 1" in text
    assert "Protest" not in text
    assert "Protest" not in str(attachment(pdf, "assessment.json")["previous"])
