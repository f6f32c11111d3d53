"""Checking a report PDF: signed by a trusted certificate, unchanged since, and exactly what pia
renders from the data embedded in it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from pia.engine import Bank, evaluate, fingerprint, load_bank, resolve_bank_dir
from pia.errors import PiaError
from pia.report import render_assessment_pdf
from pia.report.changes import previous_from_data
from pia.report.embed import EmbeddedData, ReportDataError, read_embedded
from pia.report.exports import evaluation_data
from pia.report.meta import coerce_evidence, evidence_files
from pia.report.public_comment_record import record_from_dict as public_comment_from_dict
from pia.report.review_record import record_from_dict
from pia.report.signature_check import SignatureFindings, Signer, check_signature

# Exit codes of `pia verify`.
IDENTICAL = 0
ALTERED = 1
CANNOT_VERIFY = 2


class CannotVerify(PiaError):
    """The check cannot be made: not a pia report, a redacted one, or its bank is unavailable."""


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...]
    title: str
    fingerprint: str
    signer: Signer | None = None
    public: bool = False  # a public edition: its fingerprint is the public data's

    @property
    def identical(self) -> bool:
        """Every check held: signed by a trusted certificate, unchanged, and re-rendered."""
        return all(check.passed for check in self.checks)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(check.name for check in self.checks if not check.passed)


def verify_pdf(
    pdf: bytes,
    bank_dir: str | os.PathLike[str] | None = None,
    trusted: Sequence[x509.Certificate] = (),
) -> Verification:
    """Checks the signature and its certificate (one of `trusted`), then re-renders the report
    from its embedded data and compares it with the signed revision; raises CannotVerify when
    the file is no pia report or the comparison cannot be made at all."""
    try:
        embedded = read_embedded(pdf)
    except ReportDataError as error:
        embedded = _embedded_before_appended_bytes(pdf)
        if embedded is None:
            raise CannotVerify(str(error)) from None
    data = embedded.assessment
    if isinstance(data.get("public"), dict):
        return _verify_public(pdf, embedded, bank_dir, trusted)
    if data.get("redacted"):
        raise CannotVerify(
            "this is a published report with sensitive answers redacted: its fingerprint covers "
            "answers it does not carry. Verify the unredacted revision instead."
        )
    bank = _bank_for(data, bank_dir)
    try:
        answers: dict[str, Any] = dict(data["answers"])
        notes: dict[str, str] = dict(data["notes"])
        profiles = tuple(data["profiles"])
        meta = dict(data["meta"])
        evidence = coerce_evidence(data["evidence"])
        stated = str(data["fingerprint"])
        previous = previous_from_data(data["previous"]) if data.get("previous") else None
        review = record_from_dict(data.get("review"))
        public_comment = public_comment_from_dict(data.get("public_comment"))
    except (KeyError, TypeError, ValueError) as error:
        raise CannotVerify(f"the embedded assessment data is incomplete ({error})") from None

    signature = check_signature(pdf, trusted)
    checks = [
        Check("signature", signature.intact, signature.intact_detail),
        Check("certificate", signature.trusted, _trust_detail(signature)),
    ]
    recomputed = fingerprint(bank.id, bank.version, answers, notes, evidence_files(evidence))
    checks.append(
        Check(
            "fingerprint",
            recomputed == stated,
            f"recomputed {recomputed}" + ("" if recomputed == stated else f", stated {stated}"),
        )
    )
    try:
        evaluation = evaluate(bank, answers, profiles)
        rendered = render_assessment_pdf(
            bank,
            evaluation,
            answers,
            notes,
            meta,
            evidence,
            previous=previous,
            review=review,
            public_comment=public_comment,
        )
    except PiaError as error:
        raise CannotVerify(f"the embedded data cannot be evaluated again: {error}") from None
    same_evaluation = evaluation_data(bank, evaluation) == embedded.evaluation
    checks.append(
        Check(
            "evaluation",
            same_evaluation,
            "embedded evaluation matches a fresh evaluation of the embedded answers"
            if same_evaluation
            else "embedded evaluation differs from a fresh evaluation of the embedded answers",
        )
    )
    checks.append(_rendering_check(rendered, pdf, signature))
    return Verification(tuple(checks), str(meta.get("title", "")), recomputed, signature.signer)


def _verify_public(
    pdf: bytes,
    embedded: EmbeddedData,
    bank_dir: str | os.PathLike[str] | None,
    trusted: Sequence[x509.Certificate],
) -> Verification:
    """A public edition: its fingerprint is recomputed from the public data it embeds (withheld
    content is not there to recompute the revision's), and the report is rendered again from
    that data alone."""
    from pia.report.public import public_fingerprint, render_public_pdf

    public = embedded.assessment["public"]
    bank = _bank_for(public, bank_dir)
    stated = str(embedded.assessment.get("public_fingerprint", ""))
    signature = check_signature(pdf, trusted)
    recomputed = public_fingerprint(public)
    checks = [
        Check("signature", signature.intact, signature.intact_detail),
        Check("certificate", signature.trusted, _trust_detail(signature)),
        Check(
            "public fingerprint",
            recomputed == stated,
            f"recomputed {recomputed} from the public data"
            + ("" if recomputed == stated else f", stated {stated}"),
        ),
    ]
    same_evaluation = public.get("evaluation") == embedded.evaluation
    checks.append(
        Check(
            "evaluation",
            same_evaluation,
            "embedded evaluation is the published one"
            if same_evaluation
            else "embedded evaluation differs from the one in the public data",
        )
    )
    try:
        rendered = render_public_pdf(bank, public)
        title = str(public["meta"].get("title", ""))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CannotVerify(f"the embedded public data is incomplete ({error})") from None
    except PiaError as error:
        raise CannotVerify(f"the embedded public data cannot be rendered again: {error}") from None
    checks.append(_rendering_check(rendered, pdf, signature))
    return Verification(tuple(checks), title, recomputed, signature.signer, public=True)


def _trust_detail(signature: SignatureFindings) -> str:
    if signature.signer is None:
        return "no certificate: the file is not signed"
    return f"{signature.trust_detail}: {signature.signer.describe()}"


def _rendering_check(rendered: bytes, pdf: bytes, signature: SignatureFindings) -> Check:
    """The signed revision (the file before pia's signature was appended) against a fresh
    rendering; an unsigned file as a whole."""
    if signature.signed:
        revision = pdf[: len(rendered)]
        same = revision == rendered and len(pdf) > len(rendered)
        if same:
            detail = f"the {len(rendered)} signed bytes are identical to a fresh rendering"
        else:
            detail = "the signed revision " + _byte_comparison(rendered, revision)
        return Check("rendering", same, detail)
    return Check("rendering", rendered == pdf, _byte_comparison(rendered, pdf))


def _embedded_before_appended_bytes(pdf: bytes) -> EmbeddedData | None:
    """The embedded data of a file that reads as a PDF once cut after one of its %%EOF markers.

    Bytes appended after the end of a pia report can make it unreadable to a PDF parser; the
    document before them is still the report, so the check goes on and the bytes comparison (of
    the whole file) reports the alteration, rather than giving up on the file.
    """
    end = len(pdf)
    for _ in range(8):  # a report has one %%EOF; a few more cover appended PDF-like junk
        marker = pdf.rfind(b"%%EOF", 0, end)
        if marker < 0:
            return None
        cut = marker + len(b"%%EOF")
        cut += len(pdf[cut : cut + 2]) - len(pdf[cut : cut + 2].lstrip(b"\r\n"))
        if cut < len(pdf):
            try:
                return read_embedded(pdf[:cut])
            except ReportDataError:
                pass
        end = marker
    return None


def _bank_for(data: dict[str, Any], bank_dir: str | os.PathLike[str] | None) -> Bank:
    wanted = data.get("bank") or {}
    wanted_id, wanted_version = str(wanted.get("id", "")), str(wanted.get("version", ""))
    folder = resolve_bank_dir(bank_dir)
    try:
        bank = load_bank(folder)
    except PiaError as error:
        raise CannotVerify(
            f"the report needs question bank {wanted_id} {wanted_version}, but the bank at "
            f"{folder} cannot be loaded: {error}"
        ) from None
    if (bank.id, bank.version) != (wanted_id, wanted_version):
        raise CannotVerify(
            f"the report was produced with question bank {wanted_id} {wanted_version}; the bank "
            f"at {folder} is {bank.id} {bank.version}. Point --bank or PIA_BANK at version "
            f"{wanted_version}."
        )
    wanted_digest = str(wanted.get("digest", ""))
    if wanted_digest and bank.digest and wanted_digest != bank.digest:
        raise CannotVerify(
            f"the bank at {folder} is {bank.id} {bank.version}, but its files differ from the "
            f"ones the report was produced with (digest {bank.digest[:16]}, report "
            f"{wanted_digest[:16]}): a copy of that version was edited without a new version "
            "number. Point --bank or PIA_BANK at the original files."
        )
    return bank


def _byte_comparison(expected: bytes, actual: bytes) -> str:
    if expected == actual:
        return f"all {len(actual)} bytes identical to a fresh rendering"
    differing = next(
        (index for index, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    return (
        f"differs from a fresh rendering from byte {differing} on "
        f"({len(actual)} bytes in the file, {len(expected)} rendered)"
    )


__all__ = [
    "ALTERED",
    "CANNOT_VERIFY",
    "IDENTICAL",
    "CannotVerify",
    "EmbeddedData",
    "Verification",
    "verify_pdf",
]
