"""The public edition of a report: the frozen, redacted data a publication holds (its format is
documented in docs/publication.md), its own fingerprint, and the report, PDF and JSON rendered
from that data alone, so `pia verify` can render a public PDF again from what it embeds.

Withheld content never enters the public data: an answer, note or evidence file withheld is
replaced by "[withheld: reason]" before anything else reads it, and the published evaluation has
the same markers where a finding's trigger or an answer problem would show a withheld answer, as
has the cover (`meta`) where a withheld answer mirrors an assessment detail (the bank's
`mirrors_detail`: the vendor, the product...).

Content withdrawn after publication (withhold_after_publication) goes through the same step on a
copy of the stored data, its markers reading "[withheld after publication on DATE: reason]": the
stored data and its fingerprint stay the record of what was published.
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
# The key under which an amended edition's public data names its withdrawals.
AMENDMENT = "withdrawn_after_publication"
# Names the rules by which withhold_after_publication serves stored data; changed with them, so
# a validator that reads no public data (a page's) changes with what is served.
SERVED_EDITION_RULES = "cover-follows-withheld-answers"


@dataclass(frozen=True)
class Withholding:
    """What to withhold beyond the bank's sensitive questions, each with its reason's label.

    At publication, evidence files are named by their evidence id (`evidence`). From a
    publication already made they are named by their place in its evidence list (`entries`,
    1-based: the published list names no evidence id), with the agency's date of the withdrawal
    (`withdrawn_on`), which the public reads in the marker."""

    answers: Mapping[str, str] = field(default_factory=dict)  # question id -> reason label
    notes: Mapping[str, str] = field(default_factory=dict)  # question id -> reason label
    evidence: Mapping[int, str] = field(default_factory=dict)  # evidence id -> reason label
    entries: Mapping[int, str] = field(default_factory=dict)  # evidence list place -> reason label
    withdrawn_on: str = ""  # YYYY-MM-DD; "" at publication


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
    visible = set(evaluation.visible)
    answers = plain_data(dict(answers or {}))
    notes = note_texts(notes)
    # Answers hidden by a condition are not part of the report; nor are empty notes.
    public_answers = {qid: answers[qid] for qid in sorted(answers) if qid in visible}
    public_notes = {qid: notes[qid] for qid in sorted(notes) if qid in visible and notes[qid]}
    public_evidence = []
    entries = {}
    for number, item in enumerate(evidence, 1):
        qid = str(item["question"])
        reason = withholding.evidence.get(int(item.get("evidence_id") or 0)) or sensitive.get(qid)
        if reason:
            entries[number] = reason
        public_evidence.append(
            {
                "question": qid,
                "filename": str(item["filename"]),
                "sha256": str(item["sha256"]),
                "size": int(item["size"]),
            }
        )
    hidden = Withholding(
        answers={**withholding.answers, **sensitive},
        notes={**withholding.notes, **sensitive},
        entries=entries,
    )

    report_meta = coerce_meta(meta)
    meta_data = {**meta_to_dict(report_meta), "status": "published"}
    review_data = None
    if review is not None:
        # The board's conversation is internal and may quote withheld answers: only its
        # decision, conditions and ratings are public.
        review_data = {**record_to_dict(review), "threads": []}
    data = {
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
        "withheld": [],
        "evaluation": plain_data(evaluation_to_dict(evaluation)),
        "review": review_data,
    }
    _withhold(data, hidden, bank.mirrored_details())
    return data


def _withhold(data: dict[str, Any], withholding: Withholding, mirrored: Mapping[str, str]) -> None:
    """Replace in public data `data` (in place) each answer, note and evidence file that
    `withholding` names and the data still shows by its marker, wherever the data would show it
    (the evaluation quotes answers in finding triggers and answer problems, the cover the
    assessment details that answers mirror: `mirrored`, question id -> detail), and list it under
    "withheld": the one place content is withheld, at publication and after it."""
    on = withholding.withdrawn_on
    done = {
        (item["kind"], item["question"])
        for item in data["withheld"]
        if item["kind"] in ("answer", "note")
    }

    def record(kind: str, question: str, reason: str) -> None:
        item = {"kind": kind, "question": question, "reason": reason}
        data["withheld"].append({**item, "withdrawn_on": on} if on else item)

    answers = data["answers"]
    for qid in sorted(answers):
        reason = withholding.answers.get(qid)
        if reason and is_answered(answers[qid]) and ("answer", qid) not in done:
            answers[qid] = withheld(reason, on)
            record("answer", qid, reason)
    # An answer that mirrors a detail is the detail: the cover (title, vendor, product...) would
    # show the same text, so it is withheld there too. Records nothing of its own: the answer's
    # item says what was withheld and why.
    markers = {
        qid: withheld(reason, on)
        for qid, reason in withholding.answers.items()
        if ("answer", qid) not in done
    }
    _withhold_details(data["meta"], markers, mirrored)
    notes = data["notes"]
    for qid in sorted(notes):
        reason = withholding.notes.get(qid)
        if reason and ("note", qid) not in done:
            notes[qid] = withheld(reason, on)
            record("note", qid, reason)
    evidence = data["evidence"]
    for number, entry in enumerate(evidence, 1):
        reason = withholding.entries.get(number)
        if reason and entry["sha256"]:  # a file withheld already lists no digest
            marker = withheld(reason, on)
            evidence[number - 1] = {
                "question": entry["question"],
                "filename": marker,
                "sha256": "",
                "size": 0,
            }
            record("evidence", entry["question"], reason)
    evaluation = data["evaluation"]
    for finding in evaluation["findings"]:
        for trigger in finding["triggers"]:
            if trigger["kind"] == "question" and trigger["id"] in markers:
                trigger["value"] = markers[trigger["id"]]
                trigger["display"] = markers[trigger["id"]]
    for issue in evaluation["invalid"]:
        if issue["question"] in markers:
            issue["message"] = markers[issue["question"]]


def _withhold_details(
    meta: dict[str, Any], markers: Mapping[str, str], mirrored: Mapping[str, str]
) -> bool:
    """Replace on the cover `meta` (in place) each detail that an answer in `markers` (question
    id -> its marker) mirrors and that the cover shows by anything but that marker; True if any
    was."""
    replaced = False
    for qid in sorted(markers):
        detail = mirrored.get(qid)
        if detail and str(meta.get(detail) or "").strip() and meta[detail] != markers[qid]:
            meta[detail] = markers[qid]
            replaced = True
    return replaced


def _withheld_answer_markers(public_data: Mapping[str, Any]) -> dict[str, str]:
    """The marker of each answer the public data lists as withheld (at publication or after)."""
    return {
        str(item["question"]): withheld(str(item["reason"]), str(item.get("withdrawn_on") or ""))
        for item in public_data.get("withheld") or ()
        if item["kind"] == "answer"
    }


def cover_shows_withheld(public_data: Mapping[str, Any], mirrored: Mapping[str, str]) -> bool:
    """Whether the cover of stored public data still shows a detail that mirrors an answer it
    lists as withheld: data published before the cover followed its answers, which is served
    with the detail withheld (withhold_after_publication)."""
    return _withhold_details(
        copy.deepcopy(dict(public_data.get("meta") or {})),
        _withheld_answer_markers(public_data),
        mirrored,
    )


def published_value_sha256(value: Any) -> str:
    """SHA-256 of an answer or note as public data holds it (canonical JSON): what names one
    text of an answer that changed since it was published."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shown_value(public_data: Mapping[str, Any], kind: str, question: str) -> Any:
    """The answer or note (`kind`) given to `question` as the public data shows it (None when
    it shows none)."""
    if not shows(public_data, kind, question):
        return None
    return (public_data.get(f"{kind}s") or {}).get(question)


def shows(public_data: Mapping[str, Any], kind: str, question: str) -> bool:
    """Whether the public data shows the answer or the note (`kind`) given to `question`."""
    if any(
        (item["kind"], item["question"]) == (kind, question)
        for item in public_data.get("withheld") or ()
    ):
        return False
    if kind == "note":
        return bool((public_data.get("notes") or {}).get(question))
    return kind == "answer" and is_answered((public_data.get("answers") or {}).get(question))


def shown_evidence(
    public_data: Mapping[str, Any], question: str, filename: str, sha256: str
) -> list[int]:
    """The places (1-based) in the public data's evidence list that show this file."""
    return [
        number
        for number, entry in enumerate(public_data.get("evidence") or (), 1)
        if entry.get("sha256")
        and (entry["question"], entry["filename"], entry["sha256"]) == (question, filename, sha256)
    ]


def withhold_after_publication(
    public_data: Mapping[str, Any],
    withholdings: Sequence[Withholding],
    fingerprint: str,
    mirrored: Mapping[str, str],
) -> Mapping[str, Any]:
    """A publication's public data as served: a copy with each withholding (content withdrawn
    since) applied as at publication (its markers name the withdrawal's date; an answer takes
    the detail it mirrors off the cover too: `mirrored` is the bank's Bank.mirrored_details()),
    and each detail its cover still shows that mirrors an answer withheld (data published before
    the cover followed its answers: cover_shows_withheld) replaced by that answer's marker; under
    AMENDMENT, the public fingerprint as published (`fingerprint`) and how many items were
    withdrawn since. The stored data stays as published; with nothing to change it is returned
    as it is."""
    if not withholdings and not cover_shows_withheld(public_data, mirrored):
        return public_data
    data = copy.deepcopy(dict(public_data))
    data["withheld"] = list(data.get("withheld") or ())
    before = len(data["withheld"])
    for withholding in withholdings:
        _withhold(data, withholding, mirrored)
    withdrawn = len(data["withheld"]) - before
    cover = _withhold_details(data["meta"], _withheld_answer_markers(data), mirrored)
    if not withdrawn and not cover:
        return public_data
    data[AMENDMENT] = {"original_fingerprint": fingerprint, "withdrawn": withdrawn}
    return data


def public_edition(public_data: Mapping[str, Any]) -> PublicEdition:
    publication = public_data["publication"]
    opens, closes = publication.get("comment_opens_on"), publication.get("comment_closes_on")
    amendment = public_data.get(AMENDMENT) or {}
    return PublicEdition(
        stage_label=str(publication["stage_label"]),
        published_at=str(publication["published_at"]),
        comment_period=f"{opens} to {closes}" if opens and closes else "",
        fingerprint=public_fingerprint(public_data),
        revision=int(publication["revision"]),
        revision_fingerprint=str(publication["revision_fingerprint"]),
        withheld_count=len(public_data.get("withheld") or ()),
        original_fingerprint=str(amendment.get("original_fingerprint") or ""),
        withdrawn_count=int(amendment.get("withdrawn") or 0),
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
