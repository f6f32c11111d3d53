"""The oversight board's record in the report: its ratings beside the engine's, the decision,
vote, conditions with their state, and a summary of the comment threads.

Read off a ReviewRecord (plain data the caller passes in) and the Evaluation; nothing here reads
a database or changes the engine's result.
"""

from __future__ import annotations

from pia.engine import Bank, Evaluation
from pia.report.blocks import Bullets, Cell, Facts, Heading, Section, Table, Text
from pia.report.review_record import (
    CONDITION_STATE_LABELS,
    OUTCOME_LABELS,
    ConditionView,
    ReviewRecord,
    ThreadView,
)
from pia.report.text import one_line

THREAD_EXCERPT = 300


def ratings_table(evaluation: Evaluation, record: ReviewRecord) -> Table:
    """Each criterion: the engine's residual level beside the board's level and its reason."""
    board = record.ratings_by_criterion
    rows = []
    for item in evaluation.criteria:
        rating = board.get(item.id)
        rows.append(
            (
                Cell(item.name),
                Cell(item.level or "No finding", level=item.level),
                Cell(rating.level, level=rating.level) if rating else Cell("Not rated"),
                Cell(rating.reason if rating else ""),
            )
        )
    return Table(
        ("Criterion", "Engine's rating", "Board's rating", "Board's reason"),
        tuple(rows),
        widths=(3, 1.6, 1.6, 4),
        caption=f"The engine's rating and the oversight board's rating of revision "
        f"{record.revision}, side by side. The board's rating never replaces the engine's.",
    )


def plan_item_text(item: ConditionView) -> str:
    """The adopted action-plan item a condition points at, with whether it is done."""
    if item.plan_item_id is None or not item.plan_item:
        return "—"
    return f"{item.plan_item} ({'done' if item.plan_item_done else 'open'})"


def thread_target(bank: Bank, evaluation: Evaluation, thread: ThreadView) -> str:
    if thread.kind == "question":
        question = bank.questions.get(thread.target)
        return f"Question: {question.text if question else thread.target}"
    if thread.kind == "finding":
        titles = {finding.rule: finding.title for finding in evaluation.findings}
        return f"Finding: {titles.get(thread.target, thread.target)}"
    return "The whole assessment"


def review_section(bank: Bank, evaluation: Evaluation, record: ReviewRecord) -> Section:
    blocks: list[object] = []
    decision = record.decision
    if decision is not None:
        vote = (
            f"{decision.votes_for} for, {decision.votes_against} against, "
            f"{decision.votes_abstain} abstaining"
        )
        rows = [
            ("Decision", OUTCOME_LABELS.get(decision.outcome, decision.outcome)),
            ("Meeting date", decision.meeting_on),
            ("Vote", vote),
            ("Voting for", decision.names_for or "Not recorded"),
            ("Voting against", decision.names_against or "Not recorded"),
            ("Abstaining", decision.names_abstain or "Not recorded"),
            ("Rationale", decision.rationale),
            ("Review date", decision.review_due_on or "None set"),
            ("Recorded by", decision.decided_by or "Not recorded"),
        ]
        blocks.append(Facts(tuple((label, one_line(value)) for label, value in rows)))
    else:
        blocks.append(Text(f"The board has not decided on revision {record.revision}."))
    if record.conditions:
        blocks.append(Heading("Conditions", level=3, anchor="review-conditions"))
        titles = {finding.rule: finding.title for finding in evaluation.findings}
        blocks.append(
            Table(
                ("Condition", "Owner", "Due", "Answers finding", "Action-plan item", "State"),
                tuple(
                    (
                        Cell(item.text),
                        Cell(item.owner),
                        Cell(item.due_on),
                        Cell(titles.get(item.finding_rule, item.finding_rule) or "—"),
                        Cell(plan_item_text(item)),
                        Cell(
                            CONDITION_STATE_LABELS.get(item.state, item.state)
                            + (f": {item.met_note}" if item.met_note else "")
                            + (f" (file: {item.met_filename})" if item.met_filename else "")
                        ),
                    )
                    for item in record.conditions
                ),
                widths=(3.4, 1.6, 1.3, 2.1, 2.4, 2.2),
            )
        )
    blocks.append(Heading("The board's ratings", level=3, anchor="review-ratings"))
    blocks.append(ratings_table(evaluation, record))
    blocks.append(Heading("Comment threads", level=3, anchor="review-threads"))
    if record.threads:
        resolved = len(record.threads) - record.open_threads
        blocks.append(
            Text(
                f"{len(record.threads)} thread(s): {record.open_threads} open, "
                f"{resolved} resolved.",
                style="muted",
            )
        )
        items = []
        for thread in record.threads:
            first = thread.comments[0] if thread.comments else None
            replies = max(0, len(thread.comments) - 1)
            state = "open" if thread.open else "resolved"
            excerpt = one_line(first.body)[:THREAD_EXCERPT] if first else ""
            author = first.author if first else ""
            items.append(
                f"{thread_target(bank, evaluation, thread)} (revision {thread.revision}, {state}, "
                f"{replies} repl{'y' if replies == 1 else 'ies'}): {author}: {excerpt}"
            )
        blocks.append(Bullets(tuple(items)))
    else:
        blocks.append(Text("No comments were made."))
    return Section("review", "Oversight review record", tuple(blocks))  # type: ignore[arg-type]
