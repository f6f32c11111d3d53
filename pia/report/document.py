"""build_report: the ordered content of a report, read off one Evaluation and its Bank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine import Comparison, action_plan
from pia.engine.bank.model import Bank
from pia.engine.evaluation.answers import check_answers
from pia.engine.evaluation.fingerprint import fingerprint
from pia.engine.evaluation.result import Evaluation
from pia.report.answers import note_texts, plain_data, redact_answers, redact_notes
from pia.report.blocks import (
    Bullets,
    Cell,
    Facts,
    Heading,
    HeatMaps,
    LevelBar,
    LevelChart,
    RatingGrid,
    ReportDocument,
    Section,
    Table,
    Text,
)
from pia.report.changes import changes_section
from pia.report.document_parts import (
    answers_section,
    coverage_section,
    findings_section,
    methodology_section,
    profile_name,
)
from pia.report.levels import level_colours
from pia.report.meta import (
    EvidenceRef,
    ReportMeta,
    coerce_evidence,
    coerce_meta,
    evidence_files,
)
from pia.report.plan_section import action_plan_section
from pia.report.public_comment_record import PublicCommentRecord
from pia.report.public_comment_section import public_comment_section
from pia.report.public_edition import PublicEdition
from pia.report.review_record import OUTCOME_LABELS, ReviewRecord
from pia.report.review_section import review_section
from pia.report.text import one_line
from pia.report.times import format_moment

TOP_FINDINGS = 5


def build_report(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    meta: ReportMeta | Mapping[str, Any],
    evidence: Sequence[EvidenceRef] = (),
    *,
    redact_sensitive: bool = False,
    comparison: Comparison | None = None,
    review: ReviewRecord | None = None,
    edition: PublicEdition | None = None,
    public_comment: PublicCommentRecord | None = None,
) -> ReportDocument:
    """The report's sections in print order: what render_assessment_pdf and the HTML page show.

    With `review`, the board's record: its ratings beside the engine's and a review section. With
    `comparison` (pia.report.changes.comparison_for), an appendix lists the changes since the
    previous revision. With `edition`, the public edition (pia.report.public): answers, notes and
    evidence already carry their withheld markers, the evaluation is the published one, and the
    action plan (worked out from answers the public edition may not carry) is left out. With
    `public_comment`, the section "Public comment and response"."""
    report_meta = coerce_meta(meta)
    refs = coerce_evidence(evidence)
    answers = plain_data(dict(answers or {}))
    notes = note_texts(notes)
    if edition is None:
        printed = fingerprint(bank.id, bank.version, answers, notes, evidence_files(refs))
    else:
        printed = edition.fingerprint
    # The stored form (choice values, numbers, booleans) reads better than raw input like "yes".
    stored, _issues = check_answers(bank, answers)
    answers = {**answers, **stored}
    # Planned on the answers as given: redaction hides answers from readers, not from the engine.
    plan = None if edition is not None else action_plan(bank, answers, evaluation.profiles)
    if redact_sensitive:
        answers = redact_answers(bank, answers)
        notes = redact_notes(bank, notes)
    status = edition.stage_label if edition is not None else _status_label(report_meta)
    cover = _cover(bank, evaluation, report_meta, status, printed, redact_sensitive, review)
    if edition is not None:
        cover = _public_cover(cover, edition)
    sections = [
        cover,
        _summary(bank, evaluation),
        _heat_map(bank, evaluation, review),
        findings_section(bank, evaluation, redact_sensitive),
    ]
    if plan is not None:
        sections.append(action_plan_section(plan))
    sections += [
        coverage_section(bank, evaluation),
    ]
    if review is not None:
        sections.append(review_section(bank, evaluation, review))
    if public_comment is not None:
        sections.append(public_comment_section(public_comment))
    sections += [
        answers_section(bank, evaluation, answers, notes, refs, redact_sensitive),
        methodology_section(bank, printed),
    ]
    if comparison is not None:
        sections.append(changes_section(comparison))
    return ReportDocument(
        meta=report_meta,
        status_label=status,
        is_draft=report_meta.is_draft,
        outcome=evaluation.overall.level,
        fingerprint=printed,
        bank_id=bank.id,
        bank_version=bank.version,
        subject=f"{bank.title}: privacy and civil-liberties impact assessment",
        sections=tuple(sections),
        level_colours=level_colours(bank),
        redacted=redact_sensitive or edition is not None,
    )


def _public_cover(cover: Section, edition: PublicEdition) -> Section:
    """The cover of a public edition: the publication's facts and fingerprint, and what the
    withheld markers mean, in place of the revision's fingerprint note."""
    blocks: list[Any] = []
    for block in cover.blocks:
        if isinstance(block, Facts):
            rows = [
                (label, value)
                for label, value in block.rows
                if label not in ("Fingerprint (SHA-256)", "Status")
            ]
            rows += [
                ("Publication", edition.stage_label),
                ("Published", format_moment(edition.published_at, "")),
            ]
            if edition.comment_period:
                rows.append(("Comment period", edition.comment_period))
            rows.append(("Public fingerprint (SHA-256)", edition.fingerprint))
            if edition.original_fingerprint:
                rows.append(("Public fingerprint as published", edition.original_fingerprint))
            rows.append((f"Revision {edition.revision} fingerprint", edition.revision_fingerprint))
            blocks.append(Facts(tuple(rows)))
        elif isinstance(block, Text) and block.style == "muted":
            continue  # the revision's redaction and fingerprint notes: replaced below
        else:
            blocks.append(block)
    blocks.append(
        Text(
            f"This is the public version of revision {edition.revision}. Content withheld from "
            f"the public ({edition.withheld_count} item(s)) reads [withheld: reason]. The public "
            "fingerprint is the SHA-256 digest of the public data embedded in this file; the "
            "command pia verify recomputes it and renders this report again from that data.",
            style="muted",
        )
    )
    if edition.withdrawn_count:
        blocks.append(
            Text(
                f"Amended after publication: {edition.withdrawn_count} item(s) were withdrawn "
                "from the public since this version was published and read [withheld after "
                "publication on date: reason]. This copy therefore differs from the public data "
                "as published, whose fingerprint is given above as published.",
                style="muted",
            )
        )
    elif edition.original_fingerprint:  # served with a cover detail withheld as its answer is
        note = "Amended after publication: a cover detail that mirrors a withheld answer reads "
        note += "as its marker, so this copy differs from the public data as published."
        blocks.append(Text(note, style="muted"))
    return Section(cover.id, cover.title, tuple(blocks))


def _status_label(meta: ReportMeta) -> str:
    status = one_line(meta.status).replace("_", " ") or "draft"
    label = "Draft" if meta.is_draft and status == "draft" else status.capitalize()
    if meta.revision is not None:
        label += f", revision {meta.revision}"
    return label


def _cover(
    bank: Bank,
    evaluation: Evaluation,
    meta: ReportMeta,
    status: str,
    printed: str,
    redacted: bool,
    review: ReviewRecord | None,
) -> Section:
    product = " ".join(part for part in (meta.product, meta.product_version) if part.strip())
    profiles = "; ".join(profile_name(bank, pid) for pid in evaluation.profiles) or "None chosen"
    rows = [
        ("Agency", meta.agency),
        ("Technology", meta.technology),
        ("Vendor", meta.vendor),
        ("Product and version", product),
        ("Status", status),
        ("Date", format_moment(meta.date, meta.time_zone)),
        ("Author", meta.author),
        ("Jurisdiction profiles", profiles),
        ("Question bank", f"{bank.title} ({bank.id}, version {bank.version})"),
        ("Fingerprint (SHA-256)", printed),
    ]
    if review is not None and review.decision is not None:
        outcome = OUTCOME_LABELS.get(review.decision.outcome, review.decision.outcome)
        rows.insert(5, ("Board's decision", f"{outcome} ({review.decision.meeting_on})"))
    blocks: list[Any] = [
        Text("Privacy and civil-liberties impact assessment", style="lead"),
        Table(
            columns=("Outcome",),
            rows=((Cell(_outcome_sentence(evaluation), level=evaluation.overall.level),),),
        ),
        Facts(tuple((label, one_line(value) or "Not given") for label, value in rows)),
    ]
    if meta.is_draft:
        blocks.append(
            Text(
                "This is a draft: it has not been submitted for review and may still change.",
                style="alert",
                label="DRAFT.",
            )
        )
    if meta.answered_under and meta.answered_under != bank.version:
        blocks.append(Text(_bank_change_note(bank, evaluation, meta), style="alert"))
    if redacted:
        blocks.append(
            Text(
                "Answers to questions marked sensitive, their notes and evidence names are "
                "redacted in this published version.",
                style="muted",
            )
        )
    blocks.append(
        Text(
            "The fingerprint is the SHA-256 digest of the answers, notes, evidence files (names "
            "and SHA-256) and question bank version. The command pia verify recomputes it from "
            "the data embedded in this file and checks the file's signature (see the issuing "
            "agency's instructions).",
            style="muted",
        )
    )
    return Section("cover", one_line(meta.title), tuple(blocks))


def _bank_change_note(bank: Bank, evaluation: Evaluation, meta: ReportMeta) -> str:
    """What changed when answers recorded under an older bank are evaluated under this one."""
    dropped = sum(1 for issue in evaluation.invalid if issue.code == "unknown-question")
    invalid = len(evaluation.invalid) - dropped
    return (
        f"These answers were recorded under question bank version {meta.answered_under}; this "
        f"report re-evaluates them under version {bank.version}, so its findings and level may "
        f"differ from those at the time. {len(evaluation.missing)} required question(s) are "
        f"unanswered under this version; {dropped} answer(s) to questions this version no longer "
        f"asks and {invalid} answer(s) it no longer accepts are kept but not counted."
    )


def _outcome_sentence(evaluation: Evaluation) -> str:
    if evaluation.overall.prohibited:
        return f"Outcome: Prohibited (worst residual risk: {evaluation.overall.worst_residual})"
    return f"Overall residual risk: {evaluation.overall.level}"


def _summary(bank: Bank, evaluation: Evaluation) -> Section:
    blocks: list[Any] = [Text(_outcome_sentence(evaluation) + ".", style="lead")]
    for hit in evaluation.prohibitions:
        rule = bank.rules.get(hit.rule)
        title = rule.title if rule else hit.rule
        blocks.append(
            Text(
                f"{hit.provision} ({profile_name(bank, hit.profile)}): {title}. {hit.note}".strip(),
                style="alert",
                label="Prohibited under",
            )
        )
    # When prohibited, the lines above state it with their provisions; the basis would repeat it.
    if evaluation.overall.basis and not evaluation.overall.prohibited:
        blocks.append(Text(evaluation.overall.basis))
    progress = evaluation.progress
    completion = f"{progress.answered} of {progress.visible} questions answered"
    if evaluation.missing:
        completion += f"; {len(evaluation.missing)} required question(s) still unanswered"
    blocks.append(Text(completion + ".", style="muted"))

    blocks.append(Heading("Findings at each level", anchor="summary-levels"))
    inherent = {level: 0 for level in bank.levels}
    residual = {level: 0 for level in bank.levels}
    for finding in evaluation.findings:
        inherent[finding.inherent.level] = inherent.get(finding.inherent.level, 0) + 1
        residual[finding.residual.level] = residual.get(finding.residual.level, 0) + 1
    rows = [
        (Cell(level, level=level), Cell(str(inherent[level])), Cell(str(residual[level])))
        for level in reversed(bank.levels)
    ]
    rows.append((Cell("Total"), Cell(str(len(evaluation.findings))), Cell("")))
    blocks.append(
        Table(("Level", "Before mitigation", "After mitigation"), tuple(rows), widths=(2, 1, 1))
    )

    blocks.append(Heading("Most serious findings", anchor="summary-top"))
    top = evaluation.findings[:TOP_FINDINGS]
    if top:
        criteria = {item.id: item.name for item in evaluation.criteria}
        blocks.append(
            Table(
                ("Finding", "Criterion", "Residual"),
                tuple(
                    (
                        Cell(finding.title),
                        Cell(criteria.get(finding.criterion, finding.criterion)),
                        Cell(finding.residual.level, level=finding.residual.level),
                    )
                    for finding in top
                ),
                widths=(5, 4, 1.6),
            )
        )
    else:
        blocks.append(Text("No rule fired on the answers given: there are no findings."))

    blocks.append(Heading("Obligations that apply", anchor="summary-obligations"))
    if evaluation.obligations:
        blocks.append(
            Bullets(
                tuple(
                    f"{hit.text} ({hit.cite}; {profile_name(bank, hit.profile)})"
                    for hit in evaluation.obligations
                )
            )
        )
    elif not evaluation.profiles:
        blocks.append(Text("No jurisdiction profile was chosen, so no obligations are derived."))
    else:
        blocks.append(Text("No obligation of the chosen profiles applies at this level."))
    return Section("summary", "Executive summary", tuple(blocks))


def _heat_map(bank: Bank, evaluation: Evaluation, review: ReviewRecord | None) -> Section:
    inherent = [[0] * 4 for _ in range(4)]
    residual = [[0] * 4 for _ in range(4)]
    for finding in evaluation.findings:
        inherent[finding.inherent.severity - 1][finding.inherent.likelihood - 1] += 1
        residual[finding.residual.severity - 1][finding.residual.likelihood - 1] += 1
    heat = HeatMaps(
        severity_names=tuple(step.name for step in bank.severity_scale),
        likelihood_names=tuple(step.name for step in bank.likelihood_scale),
        matrix=bank.matrix,
        inherent=tuple(tuple(row) for row in inherent),
        residual=tuple(tuple(row) for row in residual),
    )
    board = review.ratings_by_criterion if review is not None else {}
    bars = tuple(
        LevelBar(
            item.name,
            item.level,
            bank.level_rank(item.level),
            item.findings,
            board[item.id].level if item.id in board else None,
            bank.level_rank(board[item.id].level) if item.id in board else 0,
        )
        for item in evaluation.criteria
    )
    blocks: tuple[Any, ...] = (
        Text(
            "Each cell counts the findings rated at that severity and likelihood; its colour is "
            "the level the risk matrix gives it. Before mitigation is how serious each risk is "
            "as the rule rates it; after mitigation counts the safeguards the answers describe."
        ),
        heat,
    )
    if review is not None:
        blocks += (
            Heading("The engine's rating and the board's, by criterion", anchor="heatmap-board"),
            Text(
                "The board's own level never replaces the engine's: both are marked in the "
                "grid, each cell coloured as its level."
            ),
            RatingGrid(bank.levels, bars),
        )
    blocks += (
        Heading("Residual level by criterion", anchor="heatmap-criteria"),
        LevelChart(bank.levels, bars, board=review is not None),
    )
    return Section("heatmap", "Risk heat map", blocks)
