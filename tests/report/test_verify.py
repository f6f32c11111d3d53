"""`pia verify`: signed, unchanged reports pass; any altered byte, a missing bank version or
foreign files fail with a clear message and a non-zero exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES, write_bank

from pia.cli import main
from pia.engine.bank.model import Bank
from pia.report import EvidenceRef, render_assessment_pdf
from pia.report.signing import sign_pdf

EVIDENCE = (EvidenceRef("threshold", "letter.pdf", "ab" * 32, 10),)


@pytest.fixture(scope="module")
def report_pdf(bank: Bank, rich_evaluation, signing_key) -> bytes:
    rendered = render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, EVIDENCE
    )
    return sign_pdf(rendered, signing_key)


def run_verify(pdf: bytes, tmp_path: Path, bank_dir: Path, capsys) -> tuple[int, str, str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    code = main(["verify", str(path), "--bank", str(bank_dir)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_unchanged_report_verifies(report_pdf, tmp_path, bank_dir, capsys) -> None:
    code, out, err = run_verify(report_pdf, tmp_path, bank_dir, capsys)
    assert code == 0, err
    assert "VERIFIED: signed by" in out and "exactly the document pia produces" in out
    for check in ("signature", "certificate", "fingerprint", "evaluation", "rendering"):
        assert f"ok  {check}" in out


def test_bank_from_environment(report_pdf, tmp_path, bank_dir, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PIA_BANK", str(bank_dir))
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf)
    assert main(["verify", str(path)]) == 0


def test_one_altered_byte_is_caught(report_pdf, tmp_path, bank_dir, capsys) -> None:
    original = b"/Producer (pia \\050ReportLab\\051)"
    assert report_pdf.count(original) == 1
    altered = report_pdf.replace(original, original.replace(b"Lab", b"Lag"))
    code, out, _ = run_verify(altered, tmp_path, bank_dir, capsys)
    assert code == 1
    assert "NOT VERIFIED" in out
    assert "FAILED  signature" in out and "changed after signing" in out
    assert "FAILED  rendering" in out


def test_appended_bytes_are_caught(report_pdf, tmp_path, bank_dir, capsys) -> None:
    code, out, _ = run_verify(report_pdf + b"\n% appended\n", tmp_path, bank_dir, capsys)
    assert code == 1
    assert "FAILED  signature" in out and "bytes were added after signing" in out


def test_tampered_embedded_answers_fail_the_fingerprint(
    report_pdf, tmp_path, bank_dir, capsys
) -> None:
    # the embedded files are stored uncompressed: edit the answer in place, same length
    assert report_pdf.count(b'"threshold": 80') == 1
    tampered = report_pdf.replace(b'"threshold": 80', b'"threshold": 98')
    code, out, _ = run_verify(tampered, tmp_path, bank_dir, capsys)
    assert code == 1
    assert "FAILED  fingerprint" in out
    assert "FAILED  signature" in out
    assert "FAILED  rendering" in out
    assert "FAILED  evaluation" in out  # the trigger now quotes 98, not the 80 of the file


def test_unavailable_bank_version(report_pdf, tmp_path, capsys) -> None:
    other = write_bank(tmp_path / "other", version="9.9.9")
    code, _, err = run_verify(report_pdf, tmp_path, other, capsys)
    assert code == 2
    assert "report-test 2.1.0" in err and "9.9.9" in err
    assert "Traceback" not in err


def test_same_version_with_edited_files(report_pdf, tmp_path, capsys) -> None:
    edited = write_bank(tmp_path / "edited")
    criteria = edited / "criteria.yaml"
    text = criteria.read_text()
    assert "works equally" in text
    criteria.write_text(text.replace("works equally", "works just as"))
    code, _, err = run_verify(report_pdf, tmp_path, edited, capsys)
    assert code == 2
    assert "files differ" in err


def test_missing_bank_folder(report_pdf, tmp_path, capsys) -> None:
    code, _, err = run_verify(report_pdf, tmp_path, tmp_path / "nowhere", capsys)
    assert code == 2
    assert "cannot be loaded" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a pdf at all", "not a readable PDF"),
        (b"", "not a readable PDF"),
    ],
)
def test_files_that_are_not_pia_reports(content, message, tmp_path, bank_dir, capsys) -> None:
    code, _, err = run_verify(content, tmp_path, bank_dir, capsys)
    assert code == 2
    assert message in err


def test_a_pdf_without_embedded_data(tmp_path, bank_dir, capsys) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    code, _, err = run_verify(buffer.getvalue(), tmp_path, bank_dir, capsys)
    assert code == 2
    assert "carries no pia assessment data" in err


def test_missing_file(tmp_path, capsys) -> None:
    assert main(["verify", str(tmp_path / "absent.pdf")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_redacted_report_cannot_be_verified(
    bank, rich_evaluation, tmp_path, bank_dir, capsys
) -> None:
    pdf = render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, redact_sensitive=True
    )
    code, _, err = run_verify(pdf, tmp_path, bank_dir, capsys)
    assert code == 2
    assert "redacted" in err
