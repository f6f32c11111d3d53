"""The public edition of a report: the frozen, redacted data a publication holds (its format is
documented in docs/publication.md), its own fingerprint, and the report, PDF and JSON rendered
from that data alone, so `pia verify` can render a public PDF again from what it embeds.

Withheld content never enters the public data: an answer, note or evidence file withheld is
replaced by "[withheld: reason]" before anything else reads it, and the published evaluation has
the same markers where a finding's trigger or an answer problem would show a withheld answer.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation, evaluation_to_dict
from pia.report.answers import is_answered, note_texts, plain_data
from pia.report.blocks import ReportDocument
from pia.report.document import build_report
from pia.report.embed import (
    ASSESSMENT_FILE,
    DATA_FORMAT,
    DATA_FORMAT_VERSION,
    EVALUATION_FILE,
    canonical_json,
)
from pia.report.meta import ReportMeta, coerce_evidence, coerce_meta, meta_to_dict
from pia.report.pdf import render_pdf
from pia.report.public_comment_record import record_from_dict as public_comment_from_dict
from pia.report.public_edition import PublicEdition, withheld
from pia.report.public_evaluation import evaluation_from_dict
from pia.report.review_record import ReviewRecord, record_from_dict, record_to_dict

PUBLIC_FORMAT = "pia-public"
PUBLIC_FORMAT_VERSION = 1
# A sensitive question's reason when the bank declares none.
SENSITIVE_REASON = "personal data"
STAGE_LABELS = {"comment": "Published for public comment", "final": "Final public report"}


@dataclass(frozen=True)
class Withholding:
    """What to withhold beyond the bank's sensitive questions, each with its reason's label."""

    answers: Mapping[str, str] = field(default_factory=dict)  # question id -> reason label
    notes: Mapping[str, str] = field(default_factory=dict)  # question id -> reason label
    evidence: Mapping[int, str] = field(default_factory=dict)  # evidence id -> reason label


@dataclass(frozen=True)
class PublicationFacts:
    """What the public data says about the publication itself."""

    stage: str  # "comment" or "final"
    published_at: str  # ISO 8601, UTC
    assessment: int
    agency: str
    revision: int
    revision_fingerprint: str
    comment_opens_on: str = ""  # YYYY-MM-DD
    comment_closes_on: str = ""


def public_fingerprint(public_data: Mapping[str, Any]) -> str:
    """SHA-256 of the public data in canonical form (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(
        public_data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sensitive_reasons(bank: Bank) -> dict[str, str]:
    return {
        qid: (question.sensitive_reason or SENSITIVE_REASON)
        for qid, question in bank.questions.items()
        if question.sensitive
    }


def build_public_data(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[Mapping[str, Any]],
    facts: PublicationFacts,
    withholding: Withholding = Withholding(),
    review: ReviewRecord | None = None,
) -> dict[str, Any]:
    """The public data of one publication: `evidence` is the revision's evidence set (mappings
    with evidence_id, question, filename, sha256 and size)."""
    sensitive = _sensitive_reasons(bank)
    hidden_answers = {**withholding.answers, **sensitive}
    hidden_notes = {**withholding.notes, **sensitive}
    visible = set(evaluation.visible)
    answers = plain_data(dict(answers or {}))
    notes = note_texts(notes)
    withheld_items: list[dict[str, str]] = []

    public_answers: dict[str, Any] = {}
    for qid in sorted(answers):
        if qid not in visible:
            continue  # answers hidden by a condition are not part of the report
        value = answers[qid]
        if qid in hidden_answers and is_answered(value):
            value = withheld(hidden_answers[qid])
            withheld_items.append(
                {"kind": "answer", "question": qid, "reason": hidden_answers[qid]}
            )
        public_answers[qid] = value
    public_notes: dict[str, str] = {}
    for qid in sorted(notes):
        note = notes[qid]
        if qid not in visible or not note:
            continue
        if qid in hidden_notes:
            note = withheld(hidden_notes[qid])
            withheld_items.append({"kind": "note", "question": qid, "reason": hidden_notes[qid]})
        public_notes[qid] = note
    public_evidence = []
    for item in evidence:
        qid = str(item["question"])
        reason = withholding.evidence.get(int(item.get("evidence_id") or 0)) or sensitive.get(qid)
        if reason:
            entry = {"question": qid, "filename": withheld(reason), "sha256": "", "size": 0}
            withheld_items.append({"kind": "evidence", "question": qid, "reason": reason})
        else:
            entry = {
                "question": qid,
                "filename": str(item["filename"]),
                "sha256": str(item["sha256"]),
                "size": int(item["size"]),
            }
        public_evidence.append(entry)

    report_meta = coerce_meta(meta)
    meta_data = {**meta_to_dict(report_meta), "status": "published"}
    review_data = None
    if review is not None:
        # The board's conversation is internal and may quote withheld answers: only its
        # decision, conditions and ratings are public.
        review_data = {**record_to_dict(review), "threads": []}
    return {
        "format": PUBLIC_FORMAT,
        "format_version": PUBLIC_FORMAT_VERSION,
        "publication": {
            "stage": facts.stage,
            "stage_label": STAGE_LABELS.get(facts.stage, facts.stage),
            "published_at": facts.published_at,
            "comment_opens_on": facts.comment_opens_on,
            "comment_closes_on": facts.comment_closes_on,
            "assessment": facts.assessment,
            "agency": facts.agency,
            "revision": facts.revision,
            "revision_fingerprint": facts.revision_fingerprint,
        },
        "bank": {"id": bank.id, "version": bank.version, "digest": bank.digest},
        "profiles": list(evaluation.profiles),
        "meta": meta_data,
        "answers": public_answers,
        "notes": public_notes,
        "evidence": public_evidence,
        "withheld": withheld_items,
        "evaluation": _public_evaluation(evaluation, hidden_answers),
        "review": review_data,
    }


def _public_evaluation(evaluation: Evaluation, hidden: Mapping[str, str]) -> dict[str, Any]:
    """The evaluation's JSON form with withheld answers marked wherever it would quote them."""
    data = plain_data(evaluation_to_dict(evaluation))
    for finding in data["findings"]:
        for trigger in finding["triggers"]:
            if trigger["kind"] == "question" and trigger["id"] in hidden:
                trigger["value"] = withheld(hidden[trigger["id"]])
                trigger["display"] = withheld(hidden[trigger["id"]])
    for issue in data["invalid"]:
        if issue["question"] in hidden:
            issue["message"] = withheld(hidden[issue["question"]])
    return data


def public_edition(public_data: Mapping[str, Any]) -> PublicEdition:
    publication = public_data["publication"]
    opens, closes = publication.get("comment_opens_on"), publication.get("comment_closes_on")
    return PublicEdition(
        stage_label=str(publication["stage_label"]),
        published_at=str(publication["published_at"]),
        comment_period=f"{opens} to {closes}" if opens and closes else "",
        fingerprint=public_fingerprint(public_data),
        revision=int(publication["revision"]),
        revision_fingerprint=str(publication["revision_fingerprint"]),
        withheld_count=len(public_data.get("withheld") or ()),
    )


def build_public_report(bank: Bank, public_data: Mapping[str, Any]) -> ReportDocument:
    """The public report's content, from the public data alone."""
    return build_report(
        bank,
        evaluation_from_dict(public_data["evaluation"]),
        public_data["answers"],
        public_data["notes"],
        public_data["meta"],
        coerce_evidence(public_data["evidence"]),
        review=record_from_dict(public_data.get("review")),
        edition=public_edition(public_data),
        # The final report's "Public comment and response", frozen when it was published.
        public_comment=public_comment_from_dict(public_data.get("public_comment")),
    )


def public_embedded(public_data: Mapping[str, Any]) -> dict[str, Any]:
    """What a public PDF embeds as assessment.json: the public data and its fingerprint."""
    return {
        "format": DATA_FORMAT,
        "format_version": DATA_FORMAT_VERSION,
        "redacted": True,
        "public_fingerprint": public_fingerprint(public_data),
        "public": copy.deepcopy(dict(public_data)),
    }


def render_public_pdf(bank: Bank, public_data: Mapping[str, Any]) -> bytes:
    """The public report as PDF bytes, embedding the public data: deterministic, so the same
    public data always gives the same bytes."""
    document = build_public_report(bank, public_data)
    files = {
        ASSESSMENT_FILE: canonical_json(public_embedded(public_data)),
        EVALUATION_FILE: canonical_json(public_data["evaluation"]),
    }
    return render_pdf(document, files)


def render_public_json(public_data: Mapping[str, Any]) -> str:
    """The public data as JSON, with its fingerprint."""
    return (
        canonical_json({"public_fingerprint": public_fingerprint(public_data), **public_data})
        + "\n"
    )
