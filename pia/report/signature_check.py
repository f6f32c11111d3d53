"""Checking a report's signature: is it intact, does it cover the whole file, who signed it, and is
that a certificate the reader trusts? pyHanko does the cryptography."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from pia.report.signing import certificate_fingerprint


@dataclass(frozen=True)
class Signer:
    subject: str
    fingerprint: str  # SHA-256 of the certificate, colon-separated hex

    def describe(self) -> str:
        return f"{self.subject} (certificate SHA-256 {self.fingerprint})"


@dataclass(frozen=True)
class SignatureFindings:
    """What the signature shows: whether it is intact and covers the whole file, and whether
    the certificate that made it is trusted."""

    signed: bool
    intact: bool
    intact_detail: str
    trusted: bool
    trust_detail: str
    signer: Signer | None


def check_signature(pdf: bytes, trusted: Sequence[x509.Certificate]) -> SignatureFindings:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        revisions = reader.xrefs.total_revisions
    except Exception as error:  # pyHanko raises several unrelated types on damaged files
        return _unsigned(f"the file cannot be read as a PDF to find a signature ({error})")
    if not signatures:
        return _unsigned(
            "the PDF is not signed: anyone can render a PDF like this one, so it does not show "
            "that the agency's pia issued it"
        )
    if len(signatures) > 1:
        return _unsigned(f"the PDF carries {len(signatures)} signatures; pia signs exactly once")
    signature = signatures[0]
    try:
        certificate = x509.load_der_x509_certificate(signature.signer_cert.dump())
        signer = Signer(certificate.subject.rfc4514_string(), certificate_fingerprint(certificate))
        roots = [
            asn1_x509.Certificate.load(item.public_bytes(serialization.Encoding.DER))
            for item in trusted
        ]
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=roots), skip_diff=True
        )
    except (SignatureValidationError, ValueError, KeyError, TypeError) as error:
        return _unsigned(f"the signature cannot be checked ({error})")
    if not (status.intact and status.valid):
        intact, detail = (
            False,
            ("the signature does not match the signed bytes: the PDF was changed after signing"),
        )
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE or revisions != 2:
        added = len(pdf) - sum(signature.byte_range[index] for index in (2, 3))
        intact, detail = (
            False,
            (
                "the signature does not cover the whole file: "
                + (f"{added} bytes were added after signing" if added > 0 else "")
                + ("" if added > 0 else f"the file has {revisions} revisions, pia writes 2")
            ),
        )
    else:
        intact, detail = True, "intact, and it covers the whole file"
    trusted_ok, trust_detail = _trust(certificate, status.trusted, trusted)
    return SignatureFindings(
        signed=True,
        intact=intact,
        intact_detail=detail,
        trusted=trusted_ok,
        trust_detail=trust_detail,
        signer=signer,
    )


def _unsigned(detail: str) -> SignatureFindings:
    return SignatureFindings(False, False, detail, False, "no signer", None)


def _trust(
    certificate: x509.Certificate, chain_trusted: bool, trusted: Sequence[x509.Certificate]
) -> tuple[bool, str]:
    der = certificate.public_bytes(serialization.Encoding.DER)
    if any(item.public_bytes(serialization.Encoding.DER) == der for item in trusted):
        return True, "a trusted certificate signed it"
    if not trusted:
        return False, (
            "no certificate to trust was given: pass the issuing agency's certificate with "
            "--trust CERT.pem"
        )
    if chain_trusted:  # an organisation's certificate issued by a CA the reader trusts
        return True, "its certificate was issued by a trusted certificate"
    return False, "signed by a certificate that is not trusted here (not one given or installed)"
