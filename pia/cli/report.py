"""`pia verify REPORT.pdf`: was this document signed by a trusted pia installation, unchanged since,
and is it exactly what pia renders from its embedded data?"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pia.errors import PiaError

MAX_PDF_BYTES = 200 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check a report PDF's signature and that it is exactly what pia renders",
        description=(
            "Checks that REPORT.pdf carries an intact signature covering the whole file, made "
            "with a trusted certificate (this installation's own, or one given with --trust); "
            "then reads the assessment data embedded in it, recomputes its fingerprint, "
            "evaluates the answers again with the same question bank version, renders the report "
            "again and compares it with the signed bytes. Exit status: 0 every check held, "
            "1 a check failed (forged, altered or signed by another certificate), 2 cannot verify."
        ),
    )
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CERT.pem",
        help="trust reports signed with this certificate (the issuing agency publishes it); "
        "repeatable. This installation's own certificate is always trusted.",
    )
    parser.add_argument("report", metavar="REPORT.pdf", help="the report to check")
    parser.add_argument(
        "--bank",
        metavar="DIR",
        help="question bank folder (default: $PIA_BANK, else ./questions)",
    )
    parser.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    # ReportLab and pypdf load only for this command, not for every `pia` invocation.
    from pia.report.verify import ALTERED, CANNOT_VERIFY, IDENTICAL, CannotVerify, verify_pdf

    path = Path(args.report)
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            print(f"pia verify: {path} is larger than any report pia writes", file=sys.stderr)
            return CANNOT_VERIFY
        pdf = path.read_bytes()
    except OSError as error:
        print(f"pia verify: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return CANNOT_VERIFY
    try:
        trusted = _trusted(args.trust)
        result = verify_pdf(pdf, args.bank, trusted)
    except CannotVerify as error:
        print(f"pia verify: {path}: cannot verify: {error}", file=sys.stderr)
        return CANNOT_VERIFY
    except PiaError as error:
        print(f"pia verify: {error}", file=sys.stderr)
        return CANNOT_VERIFY
    for check in result.checks:
        print(f"{'ok' if check.passed else 'FAILED':>6}  {check.name}: {check.detail}")
    if result.identical and result.signer is not None and result.public:
        print(
            f"{path}: VERIFIED PUBLIC VERSION: signed by {result.signer.describe()}, unchanged "
            "since, and exactly the public report pia produces from the public data it embeds "
            f"(public fingerprint {result.fingerprint}). Withheld content is not in it, so the "
            "revision's own fingerprint cannot be recomputed from this file."
        )
        return IDENTICAL
    if result.identical and result.signer is not None:
        print(
            f"{path}: VERIFIED: signed by {result.signer.describe()}, unchanged since, and "
            "exactly the document pia produces for this assessment"
        )
        return IDENTICAL
    print(f"{path}: NOT VERIFIED: failed {', '.join(result.failed)}")
    return ALTERED


def _trusted(paths: list[str]) -> tuple:
    from pia.report.signing import load_certificate
    from pia.store.config import trusted_certificates

    return (*trusted_certificates(), *(load_certificate(path) for path in paths))
