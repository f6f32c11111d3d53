"""Reports rendered from one Evaluation: PDF (ReportLab), Word (python-docx), HTML content, JSON
and CSV exports.

Nothing here recomputes risk: every figure is read off the engine's Evaluation and the Bank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine import ComparedRevision, Comparison
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation
from pia.report.answers import plain_data, redact_answers, redact_notes
from pia.report.blocks import ReportDocument
from pia.report.changes import comparison_for, previous_data
from pia.report.document import build_report
from pia.report.embed import ASSESSMENT_FILE, EVALUATION_FILE, canonical_json
from pia.report.exports import (
    assessment_data,
    evaluation_data,
    render_assessment_json,
    render_findings_csv,
)
from pia.report.meta import EvidenceRef, ReportMeta, coerce_evidence, coerce_meta, meta_time
from pia.report.pdf import render_pdf
from pia.report.public_comment_record import PublicCommentRecord
from pia.report.review_record import ReviewRecord

__all__ = [
    "EvidenceRef",
    "PublicCommentRecord",
    "ReportDocument",
    "ReportMeta",
    "ReviewRecord",
    "build_report",
    "render_assessment_docx",
    "render_assessment_json",
    "render_assessment_pdf",
    "render_findings_csv",
]


def _comparison(
    bank: Bank,
    previous: ComparedRevision | None,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef],
    redact_sensitive: bool,
) -> Comparison | None:
    """The changes since `previous`, for the appendix (None without a previous revision)."""
    if previous is None:
        return None
    return comparison_for(
        bank,
        previous,
        number=coerce_meta(meta).revision or previous.number + 1,
        answers=answers,
        notes=notes,
        evaluation=evaluation,
        evidence=coerce_evidence(evidence),
        redact_sensitive=redact_sensitive,
    )


def render_assessment_pdf(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
    previous: ComparedRevision | None = None,
    review: ReviewRecord | None = None,
    public_comment: PublicCommentRecord | None = None,
) -> bytes:
    """The report as PDF bytes, carrying its assessment data and Evaluation JSON as attachments.

    With `previous` (the revision before, as pia.engine.ComparedRevision) the report ends with the
    appendix "Changes since revision N", and the previous revision is embedded too.
    Deterministic: the same inputs always give the same bytes, which is what `pia verify` checks.
    """
    answers = plain_data(dict(answers or {}))
    document = _report_document(
        bank,
        evaluation,
        answers,
        notes,
        meta,
        evidence,
        redact_sensitive,
        previous,
        review,
        public_comment,
    )
    data = assessment_data(
        bank,
        evaluation,
        answers,
        notes,
        meta,
        evidence,
        redact_sensitive=redact_sensitive,
        review=review,
        public_comment=public_comment,
    )
    if previous is not None:
        if redact_sensitive:
            previous = ComparedRevision(
                previous.number,
                redact_answers(bank, dict(previous.answers)),
                redact_notes(bank, dict(previous.notes)),
                previous.evaluation,
                previous.evidence,
            )
        data["previous"] = previous_data(previous)
    evaluation_json = evaluation_data(bank, evaluation, redact_sensitive=redact_sensitive)
    return render_pdf(
        document,
        {ASSESSMENT_FILE: canonical_json(data), EVALUATION_FILE: canonical_json(evaluation_json)},
    )


def render_assessment_docx(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
    previous: ComparedRevision | None = None,
    review: ReviewRecord | None = None,
    public_comment: PublicCommentRecord | None = None,
) -> bytes:
    """The report as a Word document: the same ReportDocument the PDF and the page render (with
    `previous`, the appendix "Changes since revision N"; with `review`, the board's record)."""
    from pia.report.word import render_docx  # python-docx loads only when a .docx is asked for

    answers = plain_data(dict(answers or {}))
    document = _report_document(
        bank,
        evaluation,
        answers,
        notes,
        meta,
        evidence,
        redact_sensitive,
        previous,
        review,
        public_comment,
    )
    return render_docx(document, meta_time(document.meta))


def _report_document(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef],
    redact_sensitive: bool,
    previous: ComparedRevision | None,
    review: ReviewRecord | None,
    public_comment: PublicCommentRecord | None = None,
) -> ReportDocument:
    """The one ReportDocument both the PDF and the Word file render."""
    return build_report(
        bank,
        evaluation,
        answers,
        notes,
        meta,
        evidence,
        redact_sensitive=redact_sensitive,
        comparison=_comparison(
            bank, previous, evaluation, answers, notes, meta, evidence, redact_sensitive
        ),
        review=review,
        public_comment=public_comment,
    )
