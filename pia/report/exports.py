"""JSON and CSV exports, and the assessment data a PDF embeds: all from one Evaluation."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine.bank.model import Bank
from pia.engine.evaluation.fingerprint import fingerprint
from pia.engine.evaluation.result import Evaluation, Trigger, evaluation_to_dict
from pia.report.answers import (
    note_texts,
    plain_data,
    redact_answers,
    redact_notes,
    sensitive_questions,
)
from pia.report.embed import DATA_FORMAT, DATA_FORMAT_VERSION, canonical_json
from pia.report.meta import (
    REDACTED,
    EvidenceRef,
    ReportMeta,
    coerce_evidence,
    coerce_meta,
    evidence_files,
)
from pia.report.public_comment_record import PublicCommentRecord
from pia.report.public_comment_record import record_to_dict as public_comment_to_dict
from pia.report.review_record import OUTCOME_LABELS, ReviewRecord, record_to_dict

# Spreadsheets run a cell starting with these as a formula; such cells get a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def assessment_data(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
    review: ReviewRecord | None = None,
    public_comment: PublicCommentRecord | None = None,
) -> dict[str, Any]:
    """Everything needed to render the report again: what the PDF embeds as assessment.json
    (with the board's review record under "review" and the public comment record under
    "public_comment" when there are)."""
    answers = plain_data(dict(answers or {}))
    notes = note_texts(notes)
    refs = coerce_evidence(evidence)
    printed = fingerprint(bank.id, bank.version, answers, notes, evidence_files(refs))
    if redact_sensitive:
        hidden = sensitive_questions(bank)
        answers = redact_answers(bank, answers)
        notes = redact_notes(bank, notes)
        refs = tuple(
            dataclasses.replace(ref, filename=REDACTED) if ref.question in hidden else ref
            for ref in refs
        )
    data = {
        "format": DATA_FORMAT,
        "format_version": DATA_FORMAT_VERSION,
        "bank": {"id": bank.id, "version": bank.version, "digest": bank.digest},
        "profiles": list(evaluation.profiles),
        "fingerprint": printed,
        "redacted": redact_sensitive,
        "meta": dataclasses.asdict(coerce_meta(meta)),
        "answers": dict(sorted(answers.items())),
        "notes": dict(sorted(notes.items())),
        "evidence": [dataclasses.asdict(ref) for ref in refs],
    }
    if review is not None:
        data["review"] = record_to_dict(review)
    if public_comment is not None:
        data["public_comment"] = public_comment_to_dict(public_comment)
    return data


def evaluation_data(
    bank: Bank, evaluation: Evaluation, *, redact_sensitive: bool = False
) -> dict[str, Any]:
    """The Evaluation's documented JSON form; with redaction, sensitive trigger values hidden."""
    data = plain_data(evaluation_to_dict(evaluation))
    if redact_sensitive:
        hidden = sensitive_questions(bank)
        for finding in data["findings"]:
            for trigger in finding["triggers"]:
                if trigger["kind"] == "question" and trigger["id"] in hidden:
                    trigger["value"] = REDACTED
                    trigger["display"] = REDACTED
    return data


def render_assessment_json(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
    review: ReviewRecord | None = None,
) -> str:
    """The assessment and its evaluation (and the board's review record) as deterministic JSON."""
    data = assessment_data(
        bank,
        evaluation,
        answers,
        notes,
        meta,
        evidence,
        redact_sensitive=redact_sensitive,
        review=review,
    )
    data["evaluation"] = evaluation_data(bank, evaluation, redact_sensitive=redact_sensitive)
    return canonical_json(data) + "\n"


BYTE_ORDER_MARK = "\ufeff"
FINDING_COLUMNS = (
    "rule",
    "title",
    "criterion",
    "criterion_name",
    "inherent_severity",
    "inherent_likelihood",
    "inherent_level",
    "residual_severity",
    "residual_likelihood",
    "residual_level",
    "mitigations",
    "triggers",
    "actions",
    "citations",
    "board_level",
    "board_reason",
    "board_decision",
)


def render_findings_csv(
    bank: Bank,
    evaluation: Evaluation,
    *,
    redact_sensitive: bool = False,
    review: ReviewRecord | None = None,
) -> str:
    """One row per finding, most serious first, for spreadsheets (RFC 4180, CRLF line ends).

    Starts with a UTF-8 byte order mark: without it Excel reads the file as the local code page
    and garbles every non-ASCII name. The board's columns hold its rating of the finding's
    criterion and its decision, if any."""
    board = review.ratings_by_criterion if review is not None else {}
    decision = review.decision if review is not None else None
    outcome = OUTCOME_LABELS.get(decision.outcome, decision.outcome) if decision else ""
    hidden = sensitive_questions(bank) if redact_sensitive else frozenset()
    names = {item.id: item.name for item in evaluation.criteria}
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    for finding in evaluation.findings:
        triggers = "; ".join(
            f"{trigger.label} = {_shown(trigger, hidden)}" for trigger in finding.triggers
        )
        row = (
            finding.rule,
            finding.title,
            finding.criterion,
            names.get(finding.criterion, finding.criterion),
            finding.inherent.severity,
            finding.inherent.likelihood,
            finding.inherent.level,
            finding.residual.severity,
            finding.residual.likelihood,
            finding.residual.level,
            "; ".join(item.text for item in finding.mitigations),
            triggers,
            " | ".join(finding.actions),
            " | ".join(citation.source for citation in finding.citations),
            board[finding.criterion].level if finding.criterion in board else "",
            board[finding.criterion].reason if finding.criterion in board else "",
            outcome,
        )
        writer.writerow([_spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def _shown(trigger: Trigger, hidden: frozenset[str]) -> str:
    return REDACTED if trigger.kind == "question" and trigger.id in hidden else trigger.display


def _spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
