"""`evaluate(bank, answers, profiles) -> Evaluation`: the one pure function everything renders.

Same bank, answers and profiles always give the same Evaluation. Bad answer values never raise:
they are listed in `invalid` and count as unanswered. Steps: check answers; decide visibility and
computed values in dependency order (a hidden question is None to every expression); fire rules and
apply their mitigations; then levels per criterion, the overall level, prohibitions, obligations,
coverage and progress (summary.py).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pia.engine.bank.model import Bank
from pia.engine.bank.problems import did_you_mean
from pia.engine.evaluation.answers import check_answers
from pia.engine.evaluation.plan import HIDDEN, MAX_MEMO, Plan, RulePlan, Step, key_of, plan_for
from pia.engine.evaluation.result import Evaluation, Finding
from pia.engine.evaluation.summary import (
    coverage,
    criteria_results,
    obligations,
    overall,
    progress,
    prohibitions,
)
from pia.errors import PiaError


class UnknownProfile(PiaError):
    """A profile id the bank does not define. Callers should validate profiles before evaluating."""

    def __init__(self, bank: Bank, profile: str) -> None:
        self.profile = profile
        hint = did_you_mean(profile, bank.profiles)
        known = ", ".join(bank.profiles) or "none"
        super().__init__(
            f"the bank {bank.id} {bank.version} has no profile {profile!r}"
            + (f" ({hint})" if hint else f"; profiles: {known}")
        )


def chosen_profiles(bank: Bank, profiles: Iterable[str]) -> tuple[str, ...]:
    """The profile ids without repeats, in the order given; raises UnknownProfile."""
    if isinstance(profiles, str):  # one id given bare, not a list of its letters
        profiles = (profiles,)
    chosen = tuple(dict.fromkeys(profiles))
    for profile in chosen:
        if profile not in bank.profiles:
            raise UnknownProfile(bank, str(profile))
    return chosen


def evaluate(bank: Bank, answers: Mapping[Any, Any], profiles: Iterable[str] = ()) -> Evaluation:
    """Everything the answers mean under the bank and the chosen jurisdiction profiles."""
    chosen = chosen_profiles(bank, profiles)
    plan = plan_for(bank)
    values, invalid = check_answers(bank, answers, plan.validators)
    env, shown = environment(plan, values)
    questions = bank.questions
    visible = tuple(q for q in questions if q in shown)
    answered = tuple(q for q in visible if q in values)
    required = plan.required  # not questions[q].required: that reads every question's object
    missing = tuple(q for q in visible if q in required and q not in values)
    hidden_answers = tuple(q for q in questions if q in values and q not in shown)

    findings = _findings(plan, env, shown, chosen, foreign_sources(bank, chosen))
    criteria = criteria_results(bank, findings)
    fired = {finding.rule for finding in findings}
    hits = prohibitions(bank, chosen, fired, env)
    # The details a new assessment starts with (questions that mirror them) are not yet an
    # answer to the questionnaire: rating starts with the first question the officer answers.
    rated = any(not questions[q].mirrors_detail for q in answered)
    outcome = overall(bank, criteria, hits, rated=rated)
    total, per_section = progress(plan.section_questions, shown, values)
    return Evaluation(
        bank_id=bank.id,
        bank_version=bank.version,
        profiles=chosen,
        visible=visible,
        answered=answered,
        missing=missing,
        hidden_answers=hidden_answers,
        invalid=invalid,
        progress=total,
        sections=per_section,
        computed={c: env[c] for c in bank.computed},
        findings=tuple(findings),
        criteria=criteria,
        overall=outcome,
        prohibitions=hits,
        obligations=obligations(bank, chosen, outcome.worst_residual, env),
        coverage=coverage(bank, chosen, shown, values, env, plan.coverage_memo),
    )


def environment(plan: Plan, values: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Every question's value (None when hidden or unanswered) and computed value, and the ids of
    the questions shown, deciding each after what it depends on."""
    env: dict[str, Any] = dict.fromkeys(plan.names)
    shown: set[str] = set()
    for step in plan.steps:
        run_step(step, env, shown, values)
    return env, shown


def run_step(step: Step, env: dict[str, Any], shown: set[str], values: Mapping[str, Any]) -> None:
    """Decide one question's visibility (and so its value) or compute one value, in place."""
    if step.is_question:
        if step.run is None or step.run(env) is True:
            shown.add(step.name)
            env[step.name] = values.get(step.name)
        else:
            shown.discard(step.name)
            env[step.name] = None
    else:
        env[step.name] = _finite(step.run(env))  # type: ignore[misc]


def _finite(value: Any) -> Any:
    """Infinity and NaN are not values a report can show; they count as not computable."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def foreign_sources(bank: Bank, chosen: Collection[str]) -> tuple[str, ...]:
    """Citation-source prefixes that belong to profiles not chosen: left out of findings."""
    return tuple(
        prefix
        for profile_id, profile in bank.profiles.items()
        if profile_id not in chosen
        for prefix in profile.sources
    )


def _findings(
    plan: Plan,
    env: Mapping[str, Any],
    shown: Collection[str],
    chosen: Collection[str],
    foreign: tuple[str, ...],
) -> list[Finding]:
    """Every rule that fires, mitigated, most serious residual first.

    A Finding depends only on the rule, which mitigations applied and the values its triggers
    show, so it is remembered under those: re-evaluating after one answer changed rebuilds only
    the findings that read it.

    The order (residual level, then severity, then likelihood, each highest first, then bank
    order) takes one bucket per (level, severity, likelihood): rules are visited in bank order, so
    each bucket is already in order and only the few bucket keys are sorted, not every finding.
    """
    buckets: dict[tuple[int, int, int], list[Finding]] = {}
    for rule_plan in plan.rules:
        found = rule_finding(plan, rule_plan, env, shown, chosen, foreign)
        if found is None:
            continue
        rank, finding = found
        bucket = (-rank[0], -rank[1], -rank[2])
        listed = buckets.get(bucket)
        if listed is None:
            buckets[bucket] = [finding]
        else:
            listed.append(finding)
    return [finding for bucket in sorted(buckets, reverse=True) for finding in buckets[bucket]]


def rule_finding(
    plan: Plan,
    rule_plan: RulePlan,
    env: Mapping[str, Any],
    shown: Collection[str],
    chosen: Collection[str] = (),
    foreign: tuple[str, ...] = (),
) -> tuple[tuple[int, ...], Finding] | None:
    """The rule's finding with its sort key when it fires, else None.

    A jurisdiction-specific rule fires only when one of its profiles is `chosen`; citations whose
    source starts with a `foreign` prefix (a profile not chosen) are left out of the finding.
    """
    profiles = rule_plan.profiles
    if profiles and not any(p in chosen for p in profiles):
        return None  # a jurisdiction-specific rule, and its jurisdiction is not chosen
    if rule_plan.when(env) is not True:
        return None
    ratings, level_rank, trigger = plan.ratings, plan.level_rank, plan.trigger
    memo, questions = plan.finding_memo, plan.questions
    severity, likelihood = rule_plan.severity, rule_plan.likelihood
    applied = []
    for mitigation in rule_plan.mitigations:
        if mitigation.run(env) is True:
            if mitigation.lowers_severity:
                severity = max(1, severity - mitigation.by)
            else:
                likelihood = max(1, likelihood - mitigation.by)
            applied.append(mitigation.applied)
    names = rule_plan.trigger_names
    value_keys = tuple(
        [HIDDEN if name in questions and name not in shown else key_of(env[name]) for name in names]
    )
    rememberable = None not in value_keys
    key = (rule_plan.rank, tuple(map(id, applied)) if applied else (), value_keys, foreign)
    finding = memo.get(key) if rememberable else None
    if finding is None:
        rule = rule_plan.rule
        finding = Finding(
            rule=rule.id,
            title=rule.title,
            criterion=rule.criterion,
            explanation=rule.explanation,
            justification=rule.justification,
            inherent=rule_plan.inherent,
            residual=ratings[severity - 1][likelihood - 1],
            mitigations=tuple(applied),
            triggers=tuple(map(trigger, names, [env[n] for n in names], value_keys)),
            actions=rule.actions,
            citations=tuple(c for c in rule.citations if not c.source.startswith(foreign))
            if foreign
            else rule.citations,
        )
        if rememberable:
            if len(memo) >= MAX_MEMO:
                memo.clear()
            memo[key] = finding
    rank = (-level_rank[finding.residual.level], -severity, -likelihood, rule_plan.rank)
    return rank, finding
