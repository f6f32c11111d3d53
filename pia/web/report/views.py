"""The risk report in the web app: the HTML page and the PDF, JSON and CSV downloads.

- GET /assessments/<id>/report          the report as a page (same content and order as the PDF)
- GET /assessments/<id>/report.pdf      the PDF (pia.report.render_assessment_pdf), signed
- GET /assessments/<id>/report.docx     the same report as a Word document
- GET /assessments/<id>/report.json     assessment data and evaluation as JSON
- GET /assessments/<id>/findings.csv    one row per finding, for spreadsheets

Each is allowed to exactly those who may see the assessment's report (Action.VIEW_REPORT). Those
who may edit the assessment see its working copy; reviewers see the latest submitted revision.
`?revision=N` asks for a given revision. Everything renders from one Evaluation of the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from pia.engine import ComparedRevision, evaluate
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation
from pia.report import (
    EvidenceRef,
    ReportMeta,
    build_report,
    render_assessment_docx,
    render_assessment_json,
    render_assessment_pdf,
    render_findings_csv,
)
from pia.report.changes import comparison_for
from pia.report.levels import level_tones
from pia.report.review_record import ReviewRecord
from pia.report.signing import sign_pdf
from pia.store import get_revision, review_record, revisions_for
from pia.store.comparison import revisions_to_compare
from pia.store.evidence import evidence_for, revision_evidence
from pia.store.models import Assessment, Revision
from pia.store.policy import Action, decide
from pia.store.report_meta import revision_meta, working_copy_meta
from pia.web.shared.access import assessment_or_abort, current_user
from pia.web.shared.config import get_bank, get_signing_key
from pia.web.shared.db import get_session
from pia.web.shared.report_blocks import bar_percent, block_kind

bp = Blueprint("report", __name__, template_folder="templates")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ReportInputs:
    """What one report renders from: answers, notes and metadata of a working copy or revision."""

    answers: Mapping[str, Any]
    notes: Mapping[str, str]
    meta: ReportMeta
    evidence: tuple[EvidenceRef, ...]
    evaluation: Evaluation
    revision: int | None
    previous: ComparedRevision | None = None  # the revision before: the changes appendix
    review: ReviewRecord | None = None  # the board's record of a revision, when it has one


def _requested_revision() -> int | None:
    raw = request.args.get("revision")
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        abort(404)
    return int(raw)


def _may_edit(assessment: Assessment) -> bool:
    return decide(current_user(), Action.EDIT, assessment).allowed


def _evidence(assessment: Assessment) -> tuple[EvidenceRef, ...]:
    return tuple(
        EvidenceRef(item.question_id, item.filename, item.sha256, item.size)
        for item in evidence_for(get_session(), assessment)
    )


def _from_revision(bank: Bank, assessment: Assessment, revision: Revision) -> ReportInputs:
    if revision.bank_id != bank.id:
        abort(
            409,
            description=(
                f"Revision {revision.number} was answered against question bank "
                f"{revision.bank_id}; this server runs {bank.id}, so it cannot render that "
                "revision's report."
            ),
        )
    meta = revision_meta(assessment, revision)
    profiles = tuple(p for p in revision.profiles or () if p in bank.profiles)
    previous = None
    if revision.number > 1:
        earlier = revisions_to_compare(get_session(), assessment, (revision.number - 1,))
        previous = earlier.get(revision.number - 1)
    # The evidence set frozen with the revision: later uploads belong to the draft.
    frozen = tuple(
        EvidenceRef(str(i["question"]), str(i["filename"]), str(i["sha256"]), int(i["size"]))
        for i in revision_evidence(get_session(), revision)
    )
    record = review_record(get_session(), assessment, revision.number)
    return ReportInputs(
        answers=revision.answers or {},
        notes=revision.notes or {},
        meta=meta,
        evidence=frozen,
        evaluation=evaluate(bank, revision.answers or {}, profiles),
        revision=revision.number,
        previous=previous,
        review=None if record.is_empty else record,
    )


def _working_copy(bank: Bank, assessment: Assessment) -> ReportInputs:
    meta = working_copy_meta(get_session(), assessment)
    profiles = tuple(p for p in assessment.profiles or () if p in bank.profiles)
    return ReportInputs(
        answers=assessment.answers or {},
        notes=assessment.notes or {},
        meta=meta,
        evidence=_evidence(assessment),
        evaluation=evaluate(bank, assessment.answers or {}, profiles),
        revision=None,
    )


def report_inputs(assessment_id: int) -> tuple[Assessment, ReportInputs]:
    """The assessment (access checked) and the data its report renders from."""
    assessment = assessment_or_abort(assessment_id, Action.VIEW_REPORT)
    bank = get_bank()
    number = _requested_revision()
    if number is not None:
        revision = get_revision(get_session(), assessment, number)
        if revision is None:
            abort(404)
        return assessment, _from_revision(bank, assessment, revision)
    if _may_edit(assessment):
        return assessment, _working_copy(bank, assessment)
    revisions = revisions_for(get_session(), assessment)
    if not revisions:
        abort(404)
    return assessment, _from_revision(bank, assessment, revisions[0])


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    # content_type, not mimetype: Flask adds "; charset=utf-8" to a text mimetype a second time.
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_stem(assessment: Assessment, inputs: ReportInputs) -> str:
    suffix = f"-revision-{inputs.revision}" if inputs.revision else ""
    return f"assessment-{assessment.id}{suffix}"


@bp.get("/assessments/<int:assessment_id>/report")
def report_page(assessment_id: int) -> str:
    assessment, inputs = report_inputs(assessment_id)
    bank = get_bank()
    comparison = None
    if inputs.previous is not None and inputs.revision is not None:
        comparison = comparison_for(
            bank,
            inputs.previous,
            number=inputs.revision,
            answers=inputs.answers,
            notes=inputs.notes,
            evaluation=inputs.evaluation,
            evidence=inputs.evidence,
        )
    document = build_report(
        bank,
        inputs.evaluation,
        inputs.answers,
        inputs.notes,
        inputs.meta,
        inputs.evidence,
        comparison=comparison,
        review=inputs.review,
    )
    query: dict[str, Any] = {"revision": inputs.revision} if inputs.revision else {}
    tones = level_tones(bank)
    helpers: dict[str, Callable[..., Any]] = {
        "block_kind": block_kind,
        "tone": lambda level: tones.get(level or "", "tone-none"),
        "bar_percent": bar_percent,
    }
    return render_template(
        "report/report.html",
        assessment=assessment,
        document=document,
        download_query=query,
        **helpers,
    )


@bp.get("/assessments/<int:assessment_id>/report.pdf")
def report_pdf(assessment_id: int) -> Response:
    assessment, inputs = report_inputs(assessment_id)
    pdf = render_assessment_pdf(
        get_bank(),
        inputs.evaluation,
        inputs.answers,
        inputs.notes,
        inputs.meta,
        inputs.evidence,
        previous=inputs.previous,
        review=inputs.review,
    )
    signed = sign_pdf(pdf, get_signing_key())
    return _download(signed, "application/pdf", f"{_file_stem(assessment, inputs)}-report.pdf")


@bp.get("/assessments/<int:assessment_id>/report.docx")
def report_docx(assessment_id: int) -> Response:
    assessment, inputs = report_inputs(assessment_id)
    data = render_assessment_docx(
        get_bank(),
        inputs.evaluation,
        inputs.answers,
        inputs.notes,
        inputs.meta,
        inputs.evidence,
        previous=inputs.previous,
        review=inputs.review,
    )
    return _download(data, DOCX_TYPE, f"{_file_stem(assessment, inputs)}-report.docx")


@bp.get("/assessments/<int:assessment_id>/report.json")
def report_json(assessment_id: int) -> Response:
    assessment, inputs = report_inputs(assessment_id)
    text = render_assessment_json(
        get_bank(),
        inputs.evaluation,
        inputs.answers,
        inputs.notes,
        inputs.meta,
        inputs.evidence,
        review=inputs.review,
    )
    return _download(text, "application/json", f"{_file_stem(assessment, inputs)}-report.json")


@bp.get("/assessments/<int:assessment_id>/findings.csv")
def findings_csv(assessment_id: int) -> Response:
    assessment, inputs = report_inputs(assessment_id)
    text = render_findings_csv(get_bank(), inputs.evaluation, review=inputs.review)
    return _download(
        text, "text/csv; charset=utf-8", f"{_file_stem(assessment, inputs)}-findings.csv"
    )
