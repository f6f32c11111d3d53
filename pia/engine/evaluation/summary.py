"""The parts of an Evaluation that summarise findings and answers: criteria levels, the overall
level, prohibitions, obligations, coverage of statutory elements and progress."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pia.engine.bank.model import Bank, Section
from pia.engine.evaluation.result import (
    COVERED_ANSWERED,
    COVERED_MISSING,
    COVERED_NOT_APPLICABLE,
    COVERED_PARTIAL,
    NOT_RATED,
    PROHIBITED,
    CriterionResult,
    ElementCoverage,
    Finding,
    ObligationHit,
    Overall,
    ProfileCoverage,
    Progress,
    ProhibitionHit,
    SectionProgress,
)


def criteria_results(bank: Bank, findings: Sequence[Finding]) -> tuple[CriterionResult, ...]:
    """Each criterion's worst residual level (None without findings), in bank order."""
    worst: dict[str, str] = {}
    counts: dict[str, int] = {}
    for finding in findings:  # most serious first, so the first level seen is the worst
        criterion = finding.criterion
        counts[criterion] = counts.get(criterion, 0) + 1
        if criterion not in worst:
            worst[criterion] = finding.residual.level
    return tuple(
        CriterionResult(c.id, c.name, worst.get(c.id), counts.get(c.id, 0))
        for c in bank.criteria.values()
    )


def prohibitions(
    bank: Bank, chosen: Sequence[str], fired: Collection[str], env: Mapping[str, Any]
) -> tuple[ProhibitionHit, ...]:
    """Prohibitions of the chosen profiles whose rule fired and whose exception does not hold."""
    hits = []
    for profile_id in chosen:
        for prohibition in bank.profiles[profile_id].prohibitions:
            if prohibition.rule not in fired:
                continue
            if prohibition.unless is not None and prohibition.unless.run(env) is True:
                continue
            hits.append(
                ProhibitionHit(
                    profile_id, prohibition.rule, prohibition.provision, prohibition.note
                )
            )
    return tuple(hits)


def overall(
    bank: Bank,
    criteria: Sequence[CriterionResult],
    hits: Sequence[ProhibitionHit],
    rated: bool = True,
) -> Overall:
    """The overall level; NOT_RATED while nothing is answered (`rated` false), never "Low"."""
    worst: str | None = None
    for result in criteria:
        if bank.level_rank(result.level) > bank.level_rank(worst):
            worst = result.level
    if hits:
        reasons = "; ".join(
            f"{bank.profiles[hit.profile].name}, {hit.provision} ({bank.rules[hit.rule].title})"
            for hit in hits
        )
        worst_residual = worst or bank.levels[0]
        basis = f"Prohibited under {reasons}."
        return Overall(PROHIBITED, True, worst_residual, basis)
    if not rated:
        basis = "No question is answered yet, so the use cannot be rated."
        return Overall(NOT_RATED, False, bank.levels[0], basis, rated=False)
    if worst is None:
        lowest = bank.levels[0]
        basis = f"No rule fired on the answers given, so the level is the lowest, {lowest}."
        return Overall(lowest, False, lowest, basis)
    names = [result.name for result in criteria if result.level == worst]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} more"]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    basis = f"{worst} is the worst residual level among the criteria, reached by {listed}."
    return Overall(worst, False, worst, basis)


def obligations(
    bank: Bank, chosen: Sequence[str], worst_residual: str, env: Mapping[str, Any]
) -> tuple[ObligationHit, ...]:
    """Obligations whose min_level is at or below the worst residual level and whose `when` holds.

    Without findings the worst residual level is the lowest level, so an obligation with the
    lowest min_level applies to every use.
    """
    reached = bank.level_rank(worst_residual)
    hits = []
    for profile_id in chosen:
        for obligation in bank.profiles[profile_id].obligations:
            if bank.level_rank(obligation.min_level) > reached:
                continue
            if obligation.when is not None and obligation.when.run(env) is not True:
                continue
            hits.append(
                ObligationHit(
                    profile_id,
                    obligation.id,
                    obligation.text,
                    obligation.cite,
                    obligation.min_level,
                )
            )
    return tuple(hits)


def coverage(
    bank: Bank,
    chosen: Sequence[str],
    shown: Collection[str],
    values: Mapping[str, Any],
    env: Mapping[str, Any],
    memo: dict[tuple[int, bool, tuple[str, ...], bool], ElementCoverage] | None = None,
) -> tuple[ProfileCoverage, ...]:
    """Each chosen profile's elements: addressed, partial, missing or not applicable.

    An element is addressed only when every visible core question (every covering question when
    it names no core) is answered; it is not applicable when no covering question is visible or
    its `when` is false. `memo` (kept per bank by the caller) remembers ElementCoverage values
    under the element's identity, whether it applies, and which questions are answered.
    """
    memo = {} if memo is None else memo
    results = []
    for profile_id in chosen:
        profile = bank.profiles[profile_id]
        elements = []
        answered_count = applicable = 0
        for element in profile.elements:
            any_visible = False
            answered: tuple[str, ...] = ()
            applies = element.when is None or element.when.run(env) is True
            for question_id in element.questions:
                if question_id in shown:
                    any_visible = True
                    if question_id in values:
                        answered += (question_id,)
            any_visible = any_visible and applies
            core = element.core or element.questions
            core_done = all(q in answered or q not in shown for q in core)
            key = (id(element), any_visible, answered, core_done)
            found = memo.get(key)
            if found is None:
                if not any_visible:
                    status = COVERED_NOT_APPLICABLE
                elif answered and core_done:
                    status = COVERED_ANSWERED
                elif answered:
                    status = COVERED_PARTIAL
                else:
                    status = COVERED_MISSING
                if len(memo) > 20_000:
                    memo.clear()
                found = memo[key] = ElementCoverage(
                    element.id,
                    element.cite,
                    element.text,
                    element.questions,
                    answered,
                    status,
                    element.core,
                )
            answered_count += found.status == COVERED_ANSWERED
            applicable += any_visible
            elements.append(found)
        results.append(
            ProfileCoverage(profile_id, profile.name, tuple(elements), answered_count, applicable)
        )
    return tuple(results)


def _percent(answered: int, visible: int) -> int:
    """Rounded down, so 100 means every visible question is answered."""
    return 100 if visible == 0 else answered * 100 // visible


def progress(
    sections: Sequence[tuple[Section, Sequence[tuple[str, bool]]]],
    shown: Collection[str],
    values: Mapping[str, Any],
) -> tuple[Progress, tuple[SectionProgress, ...]]:
    """`sections`: each section with its (question id, required) pairs in order."""
    results = []
    totals = [0, 0, 0, 0]  # visible, answered, required, required answered
    for section, questions in sections:
        visible = answered = required = required_answered = 0
        for question_id, is_required in questions:
            if question_id not in shown:
                continue
            visible += 1
            has_answer = question_id in values
            answered += has_answer
            if is_required:
                required += 1
                required_answered += has_answer
        results.append(
            SectionProgress(
                section.id,
                section.title,
                visible,
                answered,
                required,
                required_answered,
                _percent(answered, visible),
                required_answered == required,
            )
        )
        totals[0] += visible
        totals[1] += answered
        totals[2] += required
        totals[3] += required_answered
    visible, answered, required, required_answered = totals
    total = Progress(visible, answered, required, required_answered, _percent(answered, visible))
    return total, tuple(results)
