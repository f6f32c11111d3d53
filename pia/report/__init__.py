"""Reports rendered from one Evaluation: PDF (ReportLab), HTML content, JSON and CSV exports.

Nothing here recomputes risk: every figure is read off the engine's Evaluation and the Bank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation
from pia.report.answers import plain_data
from pia.report.blocks import ReportDocument
from pia.report.document import build_report
from pia.report.embed import ASSESSMENT_FILE, EVALUATION_FILE, canonical_json
from pia.report.exports import (
    assessment_data,
    evaluation_data,
    render_assessment_json,
    render_findings_csv,
)
from pia.report.meta import EvidenceRef, ReportMeta
from pia.report.pdf import render_pdf

__all__ = [
    "EvidenceRef",
    "ReportDocument",
    "ReportMeta",
    "build_report",
    "render_assessment_json",
    "render_assessment_pdf",
    "render_findings_csv",
]


def render_assessment_pdf(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
) -> bytes:
    """The report as PDF bytes, carrying its assessment data and Evaluation JSON as attachments.

    Deterministic: the same inputs always give the same bytes, which is what `pia verify` checks.
    """
    answers = plain_data(dict(answers or {}))
    document = build_report(
        bank, evaluation, answers, notes, meta, evidence, redact_sensitive=redact_sensitive
    )
    data = assessment_data(
        bank, evaluation, answers, notes, meta, evidence, redact_sensitive=redact_sensitive
    )
    evaluation_json = evaluation_data(bank, evaluation, redact_sensitive=redact_sensitive)
    return render_pdf(
        document,
        {ASSESSMENT_FILE: canonical_json(data), EVALUATION_FILE: canonical_json(evaluation_json)},
    )
