"""`pia verify REPORT.pdf`: is this document exactly what pia produced from its embedded data?"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MAX_PDF_BYTES = 200 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check that a report PDF is exactly what pia renders from its embedded data",
        description=(
            "Reads the assessment data embedded in REPORT.pdf, recomputes its fingerprint, "
            "evaluates the answers again with the same question bank version, renders the report "
            "again and compares the bytes. Exit status: 0 identical, 1 altered, 2 cannot verify."
        ),
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
        result = verify_pdf(pdf, args.bank)
    except CannotVerify as error:
        print(f"pia verify: {path}: cannot verify: {error}", file=sys.stderr)
        return CANNOT_VERIFY
    for check in result.checks:
        print(f"{'ok' if check.passed else 'FAILED':>6}  {check.name}: {check.detail}")
    if result.identical:
        print(f"{path}: exactly the document pia produces for this assessment")
        return IDENTICAL
    print(f"{path}: ALTERED: this is not the document pia produces from its embedded data")
    return ALTERED
