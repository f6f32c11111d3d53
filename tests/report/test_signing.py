"""Signed reports: a PAdES signature appended to the rendered bytes, checked by pyHanko and by
`pia verify`; a re-rendered forgery, a foreign signature and a changed file all fail."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES

from pia.cli import main
from pia.engine import evaluate
from pia.report import render_assessment_pdf
from pia.report.embed import ASSESSMENT_FILE
from pia.report.signing import (
    SIGNATURE_FIELD,
    SigningError,
    installation_signing_key,
    load_signing_key,
    sign_pdf,
)


@pytest.fixture(scope="module")
def rendered(bank, rich_evaluation) -> bytes:
    return render_assessment_pdf(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)


@pytest.fixture(scope="module")
def signed(rendered, signing_key) -> bytes:
    return sign_pdf(rendered, signing_key)


def verify(pdf: bytes, tmp_path: Path, bank_dir: Path, capsys, *extra: str) -> tuple[int, str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    code = main(["verify", str(path), "--bank", str(bank_dir), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def asn1(key):
    return key._signer.signing_cert


def test_signing_appends_to_the_rendered_bytes(rendered, signed, signing_key) -> None:
    assert signed.startswith(rendered) and len(signed) > len(rendered)
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[asn1(signing_key)]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.field_name == SIGNATURE_FIELD
    assert "Example County Sheriff" in signing_key.subject


def test_a_signed_report_still_reads_as_the_report(signed) -> None:
    reader = PdfReader(io.BytesIO(signed))
    assert "Executive summary" in "".join(page.extract_text() for page in reader.pages[:3])
    assert json.loads(reader.attachments[ASSESSMENT_FILE][0])["meta"]["author"] == "Ana Officer"
    fields = reader.get_fields()
    assert fields[SIGNATURE_FIELD]["/FT"] == "/Sig"  # what readers list in their signature panel


def test_poppler_reads_the_signature(signed, tmp_path) -> None:
    if shutil.which("pdfsig") is None:
        assert not os.environ.get("CI"), "scripts/test.sh installs poppler-utils (pdfsig)"
        pytest.skip("pdfsig (poppler-utils) is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in result.stdout, result.stdout + result.stderr
    assert "Total document signed" in result.stdout
    assert "Example County Sheriff" in result.stdout


def test_verify_names_the_signer(signed, signing_key, tmp_path, bank_dir, capsys) -> None:
    code, out = verify(signed, tmp_path, bank_dir, capsys)
    assert code == 0, out
    assert signing_key.fingerprint in out and "Example County Sheriff" in out


def forged(bank, data_edit) -> bytes:
    """A report re-rendered from edited data, as anyone with pia could make one."""
    answers = dict(RICH_ANSWERS)
    data_edit(answers)
    return render_assessment_pdf(
        bank, evaluate(bank, answers, ["wa"]), answers, RICH_NOTES, RICH_META
    )


def lower_threshold(answers) -> None:
    answers["threshold"] = 99


def test_an_unsigned_forgery_fails(bank, tmp_path, bank_dir, capsys) -> None:
    code, out = verify(forged(bank, lower_threshold), tmp_path, bank_dir, capsys)
    assert code == 1
    assert "ok  rendering" in out  # consistent with its data ...
    assert "FAILED  signature: the PDF is not signed" in out  # ... but nobody vouches for it
    assert "NOT VERIFIED: failed signature, certificate" in out


def test_a_forgery_signed_by_another_certificate_fails(
    bank, foreign_key, tmp_path, bank_dir, capsys
) -> None:
    pdf = sign_pdf(forged(bank, lower_threshold), foreign_key)
    code, out = verify(pdf, tmp_path, bank_dir, capsys)
    assert code == 1
    assert "ok  signature" in out
    assert "FAILED  certificate: signed by a certificate that is not trusted" in out
    assert "Forged County" in out and foreign_key.fingerprint in out


def test_another_installation_is_trusted_when_its_certificate_is_given(
    rendered, foreign_key, tmp_path, bank_dir, capsys
) -> None:
    certificate = tmp_path / "theirs.pem"
    certificate.write_bytes(foreign_key.certificate.public_bytes(serialization.Encoding.PEM))
    pdf = sign_pdf(rendered, foreign_key)
    assert verify(pdf, tmp_path, bank_dir, capsys)[0] == 1
    code, out = verify(pdf, tmp_path, bank_dir, capsys, "--trust", str(certificate))
    assert code == 0, out
    assert "Forged County" in out


def test_a_byte_changed_after_signing_fails(signed, tmp_path, bank_dir, capsys) -> None:
    assert signed.count(b"Ana Officer") >= 1
    changed = signed.replace(b"Ana Officer", b"Ann Officer")
    code, out = verify(changed, tmp_path, bank_dir, capsys)
    assert code == 1
    assert "FAILED  signature: the signature does not match the signed bytes" in out


def test_an_extra_incremental_update_fails(signed, tmp_path, bank_dir, capsys) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    info = writer.root  # any change: a new entry in the catalog
    info[generic.NameObject("/PiaNote")] = generic.TextStringObject("approved after all")
    writer.update_root()
    out_buffer = io.BytesIO()
    writer.write(out_buffer)
    updated = out_buffer.getvalue()
    assert updated.startswith(signed) and len(updated) > len(signed)
    code, out = verify(updated, tmp_path, bank_dir, capsys)
    assert code == 1
    assert "FAILED  signature: the signature does not cover the whole file" in out


def test_assess_says_when_it_writes_an_unsigned_pdf(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PIA_INSTANCE", str(tmp_path / "no-instance"))
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {}}))
    output = tmp_path / "out.pdf"
    assert main(["assess", str(answers), "--format", "pdf", "-o", str(output)]) == 0
    assert "UNSIGNED" in capsys.readouterr().out
    assert PdfFileReader(io.BytesIO(output.read_bytes())).embedded_signatures == []


def test_assess_signs_with_a_pem_key_and_a_pkcs12_file(
    foreign_key, tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("PIA_INSTANCE", str(tmp_path / "no-instance"))
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.write_bytes(foreign_key.certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        foreign_key.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    bundle = tmp_path / "org.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"org",
            foreign_key.private_key,
            foreign_key.certificate,
            None,
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    monkeypatch.setenv("PIA_SIGNING_PASSPHRASE", "s3cret")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {}}))
    for options in (
        ["--sign-cert", str(certificate), "--sign-key", str(key)],
        ["--sign-cert", str(bundle)],
    ):
        output = tmp_path / "signed.pdf"
        assert main(["assess", str(answers), "--format", "pdf", "-o", str(output), *options]) == 0
        assert f"signed by {foreign_key.subject}" in capsys.readouterr().out
        signature = PdfFileReader(io.BytesIO(output.read_bytes())).embedded_signatures[0]
        assert signature.signer_cert.sha256 == foreign_key._signer.signing_cert.sha256


def test_wrong_passphrase_and_mismatched_key(foreign_key, signing_key, tmp_path) -> None:
    bundle = tmp_path / "org.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"org",
            foreign_key.private_key,
            foreign_key.certificate,
            None,
            serialization.BestAvailableEncryption(b"right"),
        )
    )
    with pytest.raises(SigningError, match="not a PKCS#12 file this passphrase opens"):
        load_signing_key(bundle, passphrase="wrong")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.write_bytes(foreign_key.certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        signing_key.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(SigningError, match="does not belong to the certificate"):
        load_signing_key(certificate, key)


def test_the_installation_key_is_created_once(tmp_path) -> None:
    first = installation_signing_key(tmp_path / "signing", "Example Agency")
    again = installation_signing_key(tmp_path / "signing", "Another name")
    assert first.fingerprint == again.fingerprint
    assert "Example Agency" in again.subject
    assert (tmp_path / "signing" / "key.pem").stat().st_mode & 0o777 == 0o600
