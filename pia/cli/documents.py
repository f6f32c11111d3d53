"""`pia assess --format pdf|docx`: the report as a file, the PDF signed when a key is given."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pia.errors import PiaError

if TYPE_CHECKING:
    from pia.engine import AnswersDocument, Bank, Evaluation
    from pia.report.signing import SigningKey

DOCUMENT_FORMATS = ("pdf", "docx")


def add_signing_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sign-cert",
        metavar="FILE",
        help="sign the PDF with this certificate: PEM (with --sign-key) or PKCS#12 (.p12/.pfx); "
        "a passphrase is read from $PIA_SIGNING_PASSPHRASE. Default: $PIA_SIGNING_CERT, else "
        "the installation's own certificate if $PIA_INSTANCE (./instance) has one",
    )
    parser.add_argument(
        "--sign-key", metavar="FILE", help="the PEM private key of a PEM --sign-cert"
    )


def write_document(
    args: argparse.Namespace,
    bank: Bank,
    evaluation: Evaluation,
    values: dict[str, Any],
    document: AnswersDocument,
) -> str:
    """Writes the report to args.output; returns what to tell the user."""
    if args.format == "docx":
        from pia.report import render_assessment_docx  # python-docx loads only when asked for

        data = render_assessment_docx(bank, evaluation, values, document.notes, document.assessment)
        write_bytes(Path(args.output), data)
        return f"wrote {args.output} ({len(data):,} bytes)"
    from pia.report import render_assessment_pdf  # ReportLab loads only when a PDF is asked for
    from pia.report.signing import sign_pdf

    data = render_assessment_pdf(bank, evaluation, values, document.notes, document.assessment)
    key = _signing_key(args)
    if key is None:
        write_bytes(Path(args.output), data)
        return (
            f"wrote {args.output} ({len(data):,} bytes), UNSIGNED: no signing key was given "
            "(--sign-cert, $PIA_SIGNING_CERT or an installation certificate), so `pia verify` "
            "will not accept it"
        )
    data = sign_pdf(data, key)
    write_bytes(Path(args.output), data)
    return (
        f"wrote {args.output} ({len(data):,} bytes), signed by {key.subject} "
        f"(certificate SHA-256 {key.fingerprint})"
    )


def _signing_key(args: argparse.Namespace) -> SigningKey | None:
    from pia.report.signing import load_signing_key
    from pia.store import config

    if args.sign_key and not args.sign_cert:
        raise PiaError("--sign-key needs --sign-cert: the certificate that goes with the key")
    passphrase = os.environ.get("PIA_SIGNING_PASSPHRASE") or None
    if args.sign_cert:
        return load_signing_key(args.sign_cert, args.sign_key, passphrase)
    # The configured certificate, or the installation's own if the web app created one already.
    if config.trusted_certificates():
        return config.signing_key()
    return None


def write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise PiaError(f"cannot write {path}: {error.strerror or error}") from None
