"""`evaluate(bank, answers, profiles) -> Evaluation`: the one pure function everything renders.

Same bank, answers and profiles always give the same Evaluation. Bad answer values never raise:
they are listed in `invalid` and count as unanswered. Steps: check answers; decide visibility and
computed values in dependency order (a hidden question is None to every expression); fire rules and
apply their mitigations; then levels per criterion, the overall level, prohibitions, obligations,
coverage and progress (eval_summary.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from pia.engine.answers import check_answers
from pia.engine.eval_display import display_answer, display_computed
from pia.engine.eval_plan import Plan, plan_for
from pia.engine.eval_summary import (
    coverage,
    criteria_results,
    obligations,
    overall,
    progress,
    prohibitions,
)
from pia.engine.evaluation import (
    AppliedMitigation,
    Evaluation,
    Finding,
    Rating,
    Trigger,
)
from pia.engine.model import SEVERITY, Bank, Rule
from pia.engine.problems import did_you_mean
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
    env: dict[str, Any] = dict.fromkeys(plan.names)
    shown: set[str] = set()
    for step in plan.steps:
        if step.is_question:
            if step.run is None or step.run(env) is True:
                shown.add(step.name)
                env[step.name] = values.get(step.name)
        else:
            env[step.name] = _finite(step.run(env))  # type: ignore[misc]
    questions = bank.questions
    visible = tuple(q for q in questions if q in shown)
    answered = tuple(q for q in visible if q in values)
    missing = tuple(q for q in visible if questions[q].required and q not in values)
    hidden_answers = tuple(q for q in questions if q in values and q not in shown)

    findings = [
        _finding(bank, plan, rule, env)
        for rule in bank.rules.values()
        if rule.when.run(env) is True
    ]
    findings.sort(
        key=lambda f: (
            -bank.level_rank(f.residual.level),
            -f.residual.severity,
            -f.residual.likelihood,
            plan.rule_rank[f.rule],
        )
    )
    criteria = criteria_results(bank, findings)
    fired = {finding.rule for finding in findings}
    hits = prohibitions(bank, chosen, fired, env)
    outcome = overall(bank, criteria, hits)
    total, per_section = progress(bank, shown, values)
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
        coverage=coverage(bank, chosen, shown, values),
    )


def _finite(value: Any) -> Any:
    """Infinity and NaN are not values a report can show; they count as not computable."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _finding(bank: Bank, plan: Plan, rule: Rule, env: Mapping[str, Any]) -> Finding:
    severity, likelihood = rule.severity, rule.likelihood
    applied = []
    for mitigation in rule.mitigations:
        if mitigation.when.run(env) is True:
            if mitigation.lowers == SEVERITY:
                severity = max(1, severity - mitigation.by)
            else:
                likelihood = max(1, likelihood - mitigation.by)
            applied.append(
                AppliedMitigation(
                    mitigation.id, mitigation.text, mitigation.lowers, mitigation.by, mitigation.why
                )
            )
    return Finding(
        rule=rule.id,
        title=rule.title,
        criterion=rule.criterion,
        explanation=rule.explanation,
        justification=rule.justification,
        inherent=Rating(
            rule.severity, rule.likelihood, bank.level_for(rule.severity, rule.likelihood)
        ),
        residual=Rating(severity, likelihood, bank.level_for(severity, likelihood)),
        mitigations=tuple(applied),
        triggers=_triggers(bank, plan, plan.rule_triggers[rule.id], env),
        actions=rule.actions,
        citations=rule.citations,
    )


def _triggers(
    bank: Bank, plan: Plan, names: tuple[str, ...], env: Mapping[str, Any]
) -> tuple[Trigger, ...]:
    """The values a condition read; a computed value brings the questions it was computed from."""
    triggers: list[Trigger] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            continue
        seen.add(name)
        if name in bank.questions:
            question = bank.questions[name]
            value = env[name]
            triggers.append(
                Trigger(name, "question", question.text, value, display_answer(question, value))
            )
            continue
        computed = bank.computed[name]
        value = env[name]
        triggers.append(
            Trigger(name, "computed", computed.label, value, display_computed(computed, value))
        )
        for source in plan.computed_reads[name]:
            if source not in seen and source not in names:
                seen.add(source)
                question = bank.questions[source]
                triggers.append(
                    Trigger(
                        source,
                        "question",
                        question.text,
                        env[source],
                        display_answer(question, env[source]),
                    )
                )
    return tuple(triggers)
