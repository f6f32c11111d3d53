"""The longer report sections: findings, coverage and the two appendices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine import COVERED_PARTIAL
from pia.engine.bank.model import Bank, Citation
from pia.engine.evaluation.result import (
    COVERED_ANSWERED,
    COVERED_MISSING,
    Evaluation,
    Finding,
    Rating,
)
from pia.report.answers import display_answer, format_number, is_answered, sensitive_questions
from pia.report.blocks import (
    AnswerEntry,
    Bullets,
    Cell,
    EvidenceLine,
    Facts,
    FindingView,
    Heading,
    Section,
    Table,
    Text,
)
from pia.report.meta import REDACTED, EvidenceRef

STATUS_WORDS = {
    COVERED_ANSWERED: "Addressed",
    COVERED_PARTIAL: "Partly answered",
    COVERED_MISSING: "Missing",
}


def profile_name(bank: Bank, profile_id: str) -> str:
    profile = bank.profiles.get(profile_id)
    return profile.name if profile else profile_id


def rating_text(bank: Bank, rating: Rating) -> str:
    severity = _scale_name(bank.severity_scale, rating.severity)
    likelihood = _scale_name(bank.likelihood_scale, rating.likelihood)
    return (
        f"severity {severity} ({rating.severity}) × likelihood {likelihood} "
        f"({rating.likelihood}) = {rating.level}"
    )


def _scale_name(scale: Sequence[Any], value: int) -> str:
    for step in scale:
        if step.value == value:
            return str(step.name)
    return str(value)


def citation_text(citation: Citation) -> str:
    text = citation.source
    if citation.note:
        text += f": {citation.note}"
    if citation.url:
        text += f" <{citation.url}>"
    return text


def findings_section(bank: Bank, evaluation: Evaluation, redacted: bool) -> Section:
    if not evaluation.findings:
        text = Text("No rule fired on the answers given: there are no findings to report.")
        return Section("findings", "Findings by criterion", (text,))
    order = {item.id: index for index, item in enumerate(evaluation.criteria)}
    ranked = sorted(
        (item for item in evaluation.criteria if item.findings),
        key=lambda item: (-bank.level_rank(item.level), order[item.id]),
    )
    hidden = sensitive_questions(bank) if redacted else frozenset()
    blocks: list[Any] = []
    for item in ranked:
        blocks.append(Heading(f"{item.name}: {item.level}", anchor=f"criterion-{item.id}"))
        criterion = bank.criteria.get(item.id)
        if criterion and criterion.description:
            blocks.append(Text(criterion.description, style="muted"))
        for finding in evaluation.findings:
            if finding.criterion == item.id:
                blocks.append(_finding_view(bank, finding, item.name, hidden))
    quiet = [item.name for item in evaluation.criteria if not item.findings]
    if quiet:
        blocks.append(Heading("Criteria without findings", anchor="criteria-quiet"))
        blocks.append(Bullets(tuple(quiet)))
    return Section("findings", "Findings by criterion", tuple(blocks))


def _finding_view(
    bank: Bank, finding: Finding, criterion: str, hidden: frozenset[str]
) -> FindingView:
    triggers = tuple(
        (
            trigger.label,
            REDACTED if trigger.kind == "question" and trigger.id in hidden else trigger.display,
        )
        for trigger in finding.triggers
    )
    mitigations = tuple(
        f"{item.text} (lowers {item.lowers} by {item.by}){': ' + item.why if item.why else ''}"
        for item in finding.mitigations
    )
    return FindingView(
        rule=finding.rule,
        title=finding.title,
        criterion=criterion,
        explanation=finding.explanation,
        justification=finding.justification,
        inherent=rating_text(bank, finding.inherent),
        inherent_level=finding.inherent.level,
        residual=rating_text(bank, finding.residual),
        residual_level=finding.residual.level,
        triggers=triggers,
        mitigations=mitigations,
        actions=finding.actions,
        citations=tuple(citation_text(citation) for citation in finding.citations),
    )


def coverage_section(bank: Bank, evaluation: Evaluation) -> Section:
    if not evaluation.profiles:
        text = Text("No jurisdiction profile was chosen for this assessment.")
        return Section("coverage", "Obligations and statutory coverage", (text,))
    answered = set(evaluation.answered)
    blocks: list[Any] = []
    for coverage in evaluation.coverage:
        profile = bank.profiles.get(coverage.profile)
        blocks.append(Heading(coverage.name, anchor=f"profile-{coverage.profile}"))
        if profile and profile.description:
            blocks.append(Text(profile.description, style="muted"))
        for hit in evaluation.prohibitions:
            if hit.profile == coverage.profile:
                blocks.append(
                    Text(f"{hit.provision}: {hit.note}", style="alert", label="Prohibited.")
                )
        obligations = [hit for hit in evaluation.obligations if hit.profile == coverage.profile]
        blocks.append(Heading("Obligations", level=3))
        if obligations:
            blocks.append(Bullets(tuple(f"{hit.text} ({hit.cite})" for hit in obligations)))
        else:
            blocks.append(Text("None applies at this level.", style="muted"))
        blocks.append(
            Heading(
                f"Statutory coverage: {coverage.answered} of {coverage.total} elements answered",
                level=3,
            )
        )
        rows = []
        for element in coverage.elements:
            # Question texts, not ids: the ids mean nothing to a reader.
            questions = "; ".join(
                f"{_question_text(bank, qid)} ({_question_state(qid, answered, evaluation)})"
                for qid in element.questions
            )
            rows.append(
                (
                    Cell(element.cite),
                    Cell(element.text),
                    Cell(questions),
                    Cell(STATUS_WORDS.get(element.status, "Not applicable")),
                )
            )
        blocks.append(
            Table(
                ("Provision", "Element", "Questions", "Status"), tuple(rows), widths=(2, 4, 3, 1.4)
            )
        )
    return Section("coverage", "Obligations and statutory coverage", tuple(blocks))


def _question_text(bank: Bank, qid: str) -> str:
    question = bank.questions.get(qid)
    return question.text if question else qid


def _question_state(qid: str, answered: set[str], evaluation: Evaluation) -> str:
    if qid in answered:
        return "answered"
    return "missing" if evaluation.is_visible(qid) else "not asked"


def answers_section(
    bank: Bank,
    evaluation: Evaluation,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    evidence: Sequence[EvidenceRef],
    redacted: bool,
) -> Section:
    hidden = sensitive_questions(bank) if redacted else frozenset()
    problems = {issue.question: issue.message for issue in evaluation.invalid}
    visible = set(evaluation.visible)
    blocks: list[Any] = []
    for section in bank.sections:
        entries = [
            _answer_entry(bank, qid, answers, notes, evidence, problems, qid in hidden)
            for qid in section.questions
            if qid in visible
        ]
        if entries:
            blocks.append(Heading(section.title, anchor=f"answers-{section.id}"))
            blocks.extend(entries)
    if not blocks:
        blocks.append(Text("No question is shown for the answers given.", style="muted"))
    computed = [
        (Cell(item.label), Cell(_computed_text(item.unit, evaluation.computed.get(cid))))
        for cid, item in bank.computed.items()
    ]
    if computed:
        blocks.append(Heading("Computed values", anchor="answers-computed"))
        blocks.append(Table(("Value", "Result"), tuple(computed), widths=(3, 1)))
    if evaluation.hidden_answers:
        blocks.append(
            Text(
                f"{len(evaluation.hidden_answers)} answer(s) given to questions that other "
                "answers made irrelevant are kept with the assessment but not counted.",
                style="muted",
            )
        )
    return Section("answers", "Appendix A: Answers", tuple(blocks))


def _answer_entry(
    bank: Bank,
    qid: str,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    evidence: Sequence[EvidenceRef],
    problems: Mapping[str, str],
    redacted: bool,
) -> AnswerEntry:
    question = bank.questions[qid]
    value = answers.get(qid)
    if redacted and is_answered(value):
        shown = REDACTED
    elif qid in problems:
        shown = str(value)
    else:
        shown = display_answer(question, value)
    files = tuple(
        EvidenceLine(REDACTED if redacted else ref.filename, ref.sha256, ref.size)
        for ref in evidence
        if ref.question == qid
    )
    return AnswerEntry(
        question=qid,
        text=question.text,
        answer=shown,
        required=question.required,
        note=notes.get(qid, ""),
        evidence=files,
        problem=problems.get(qid, ""),
    )


def _computed_text(unit: str, value: Any) -> str:
    return "Not computable" if value is None else format_number(value, unit)


def methodology_section(bank: Bank, printed: str) -> Section:
    blocks: list[Any] = []
    if bank.description:
        blocks.append(Text(bank.description))
    for title, scale, anchor in (
        ("Severity scale", bank.severity_scale, "method-severity"),
        ("Likelihood scale", bank.likelihood_scale, "method-likelihood"),
    ):
        blocks.append(Heading(title, anchor=anchor))
        rows = tuple((Cell(str(s.value)), Cell(s.name), Cell(s.description)) for s in scale)
        blocks.append(Table(("Value", "Name", "Meaning"), rows, widths=(0.8, 1.6, 7)))
    blocks.append(Heading("Risk matrix", anchor="method-matrix"))
    header = ("Severity / likelihood", *(s.name for s in bank.likelihood_scale))
    matrix_rows = tuple(
        (
            Cell(f"{bank.severity_scale[severity - 1].name} ({severity})"),
            *(Cell(level, level=level) for level in bank.matrix[severity - 1]),
        )
        for severity in range(len(bank.matrix), 0, -1)
    )
    blocks.append(Table(header, matrix_rows, widths=(2, 1, 1, 1, 1)))
    blocks.append(Heading("How levels are combined", anchor="method-combining"))
    blocks.extend(
        Text(paragraph)
        for paragraph in (
            "Each rule of the question bank is a condition on the answers. A rule that holds "
            "gives a finding on one criterion, rated by severity and likelihood on the scales "
            "above; the risk matrix turns the pair into a level (inherent risk).",
            "Each safeguard (mitigation) of the rule that the answers show to be in place lowers "
            "severity or likelihood by the stated steps, never below 1; the matrix gives the "
            "residual level.",
            "A criterion's level is its worst residual finding. The overall level is the worst "
            "criterion level, unless a chosen jurisdiction profile prohibits the use: then the "
            "outcome is Prohibited. Obligations of a profile apply from the level it names.",
            "Unanswered questions never fire a rule by themselves; questions hidden by the "
            "answers to others are neither asked nor counted.",
        )
    )
    blocks.append(Heading("Question bank", anchor="method-bank"))
    rows = [
        ("Title", bank.title),
        ("Id", bank.id),
        ("Version", bank.version),
        (
            "Criteria, rules, questions",
            f"{len(bank.criteria)}, {len(bank.rules)}, {len(bank.questions)}",
        ),
        ("Fingerprint of this assessment", printed),
    ]
    if bank.digest:
        rows.insert(3, ("Digest of the bank files", bank.digest))
    blocks.append(Facts(tuple(rows)))
    return Section("methodology", "Appendix B: Methodology", tuple(blocks))
