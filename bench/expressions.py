"""How much a compiled bank expression costs against the same logic written by hand in Python.

Issue 2's goal: at most 3x the hand-written lambda. rule_engine, the off-the-shelf alternative, is
printed as the baseline. Run: .venv/bin/python bench/expressions.py [--repeat N] [--quick]

Figures are medians of `repeat` timeit runs, in nanoseconds per call, on fully answered data (the
case where every clause is evaluated, so nothing is skipped by short-circuiting) and, for the
three-clause condition, on data that stops at the first clause.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rule_engine

from pia.engine.bank.loader import load_bank
from pia.engine.bank.model import Bank, Expression, Location
from pia.engine.evaluation.answers_file import read_answers_file
from pia.engine.expr.compiler import ValueType, compile_expression

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
EXAMPLE = QUESTIONS / "examples" / "sheriff_face_search_pilot.yaml"

TYPES = {
    "mode": ValueType("text", frozenset({"search", "live", "none"}), "mode"),
    "threshold": ValueType("number", label="threshold"),
    "second_examiner": ValueType("bool", label="second_examiner"),
    "fmr": ValueType("groups", label="fmr"),
    "uses": ValueType("list", frozenset({"lead", "arrest", "watchlist"}), "uses"),
    "retention_days": ValueType("number", label="retention_days"),
    "warrant": ValueType("bool", label="warrant"),
    "audit": ValueType("bool", label="audit"),
}

ANSWERS = {
    "mode": "live",
    "threshold": 80,
    "second_examiner": False,
    "fmr": {"white_men": 0.1, "white_women": 0.3, "black_men": 0.5, "black_women": 0.9},
    "uses": ["lead", "watchlist"],
    "retention_days": 730,
    "warrant": False,
    "audit": True,
}


def three_clauses_by_hand(e: dict[str, Any]) -> bool:
    return e["mode"] in ("search", "live") and e["threshold"] < 99 and not e["second_examiner"]


@dataclass(frozen=True)
class Case:
    title: str
    source: str
    by_hand: Callable[[dict[str, Any]], Any]
    rule_engine_source: str | None  # None when rule_engine cannot say it
    want: str
    env: dict[str, Any]


CASES = [
    Case(
        "three-clause condition",
        "mode in ['search', 'live'] and threshold < 99 and not second_examiner",
        lambda e: (
            e["mode"] in ("search", "live") and e["threshold"] < 99 and not e["second_examiner"]
        ),
        "mode in ['search', 'live'] and threshold < 99 and not second_examiner",
        "bool",
        ANSWERS,
    ),
    Case(
        "three-clause, first clause false",
        "mode in ['search', 'live'] and threshold < 99 and not second_examiner",
        lambda e: (
            e["mode"] in ("search", "live") and e["threshold"] < 99 and not e["second_examiner"]
        ),
        "mode in ['search', 'live'] and threshold < 99 and not second_examiner",
        "bool",
        {**ANSWERS, "mode": "none"},
    ),
    Case(
        "computed ratio",
        "max(fmr) / min(fmr)",
        lambda e: max(e["fmr"].values()) / min(e["fmr"].values()),
        "$max(fmr.values) / $min(fmr.values)",
        "number",
        ANSWERS,
    ),
    Case(
        "multi choice and number",
        "'watchlist' in uses and retention_days > 365",
        lambda e: "watchlist" in e["uses"] and e["retention_days"] > 365,
        "'watchlist' in uses and retention_days > 365",
        "bool",
        ANSWERS,
    ),
    Case(
        "and of five comparisons",
        "mode in ['search', 'live'] and threshold < 99 and retention_days > 365"
        " and 'watchlist' in uses and audit == True",
        lambda e: (
            e["mode"] in ("search", "live")
            and e["threshold"] < 99
            and e["retention_days"] > 365
            and "watchlist" in e["uses"]
            and e["audit"] is True
        ),
        "mode in ['search', 'live'] and threshold < 99 and retention_days > 365"
        " and 'watchlist' in uses and audit == true",
        "bool",
        ANSWERS,
    ),
    Case(
        "or of five comparisons, all false",
        "mode == 'none' or threshold > 99 or retention_days < 30 or 'arrest' in uses"
        " or warrant == True",
        lambda e: (
            e["mode"] == "none"
            or e["threshold"] > 99
            or e["retention_days"] < 30
            or "arrest" in e["uses"]
            or e["warrant"] is True
        ),
        "mode == 'none' or threshold > 99 or retention_days < 30 or 'arrest' in uses"
        " or warrant == true",
        "bool",
        ANSWERS,
    ),
    Case(
        "and of four, three-valued",
        "not warrant and audit and not second_examiner and threshold < 99",
        lambda e: (
            not e["warrant"] and e["audit"] and not e["second_examiner"] and e["threshold"] < 99
        ),
        "not warrant and audit and not second_examiner and threshold < 99",
        "bool",
        ANSWERS,
    ),
    Case(
        "or of four, three-valued",
        "warrant or not audit or second_examiner or threshold > 99",
        lambda e: e["warrant"] or not e["audit"] or e["second_examiner"] or e["threshold"] > 99,
        "warrant or not audit or second_examiner or threshold > 99",
        "bool",
        ANSWERS,
    ),
    Case(
        "count of four conditions",
        "count(warrant == True, audit == True, 'lead' in uses, threshold < 90) >= 2",
        lambda e: (
            (e["warrant"] is True)
            + (e["audit"] is True)
            + ("lead" in e["uses"])
            + (e["threshold"] < 90)
            >= 2
        ),
        None,
        "bool",
        ANSWERS,
    ),
    Case(
        "or with a range",
        "not warrant or (0 < threshold < 99 and audit == True)",
        lambda e: not e["warrant"] or (0 < e["threshold"] < 99 and e["audit"] is True),
        "not warrant or (0 < threshold and threshold < 99 and audit == true)",
        "bool",
        {**ANSWERS, "warrant": True},
    ),
]


@dataclass(frozen=True)
class Figures:
    hand_ns: float
    compiled_ns: float
    ratio: float  # median of the per-round ratios
    engine_ns: float | None
    engine_ratio: float | None


def timer_for(function: Callable[[Any], Any], argument: Any) -> tuple[timeit.Timer, int]:
    # A statement string, so no wrapper function's cost is added to what is measured.
    timer = timeit.Timer("function(argument)", globals={"function": function, "argument": argument})
    number, _ = timer.autorange()  # enough calls for ~0.2 s per run
    return timer, number


def measure(case: Case, repeat: int) -> Figures:
    """Time the three side by side, round after round, so that a busy machine slows all alike."""
    expression, problems = compile_expression(
        case.source, Location("bench", 1, 1), TYPES, want=case.want
    )
    if expression is None:
        sys.exit(f"{case.source!r} does not compile: {[str(p) for p in problems]}")
    env, run, by_hand = case.env, expression.run, case.by_hand
    if run(env) != by_hand(env):
        sys.exit(f"{case.source!r}: compiled {run(env)!r} but by hand {by_hand(env)!r}")
    contenders = {"hand": timer_for(by_hand, env), "compiled": timer_for(run, env)}
    if case.rule_engine_source is not None:
        rule = rule_engine.Rule(case.rule_engine_source)
        contenders["engine"] = timer_for(
            rule.matches if case.want == "bool" else rule.evaluate, env
        )
    rounds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (timer, number) in contenders.items():
            rounds[name].append(timer.timeit(number) / number * 1e9)

    def ratio(name: str) -> float:
        return statistics.median(t / h for t, h in zip(rounds[name], rounds["hand"], strict=True))

    engine = "engine" in rounds
    return Figures(
        hand_ns=statistics.median(rounds["hand"]),
        compiled_ns=statistics.median(rounds["compiled"]),
        ratio=ratio("compiled"),
        engine_ns=statistics.median(rounds["engine"]) if engine else None,
        engine_ratio=ratio("engine") if engine else None,
    )


def bank_expressions(bank: Bank) -> list[Expression]:
    found: list[Expression | None] = [q.show_if for q in bank.questions.values()]
    found += [c.expr for c in bank.computed.values()]
    for rule in bank.rules.values():
        found += [rule.when, *(m.when for m in rule.mitigations)]
    for profile in bank.profiles.values():
        found += [p.unless for p in profile.prohibitions]
        found += [o.when for o in profile.obligations]
    return [expression for expression in found if expression is not None]


def measure_bank(repeat: int) -> None:
    """Every expression in the shipped bank: compiling them, and running them all once."""
    bank = load_bank(QUESTIONS)
    expressions = bank_expressions(bank)
    env = dict(read_answers_file(EXAMPLE).answers)
    env = {k: v["value"] if isinstance(v, dict) and "value" in v else v for k, v in env.items()}
    names = set(bank.questions) | set(bank.computed)
    types = {name: ValueType("any", label=name) for name in names}
    where = Location("bench", 1, 1)
    sources = [expression.source for expression in expressions]

    def compile_all() -> None:
        for source in sources:
            compile_expression(source, where, types)

    runs = [expression.run for expression in expressions]

    def run_all() -> None:
        for run in runs:
            run(env)

    compile_s = statistics.median(timeit.repeat(compile_all, number=1, repeat=repeat))
    number, _ = timeit.Timer(run_all).autorange()
    run_s = statistics.median(timeit.repeat(run_all, number=number, repeat=repeat)) / number
    count = len(expressions)
    print(f"\nthe shipped bank: {count} expressions, answers from {EXAMPLE.name}")
    print(f"  compile all: {compile_s * 1e3:.1f} ms ({compile_s / count * 1e6:.0f} us each)")
    print(f"  run all once: {run_s * 1e6:.0f} us ({run_s / count * 1e9:.0f} ns each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="rounds per figure (median)")
    parser.add_argument("--quick", action="store_true", help="one round (the test suite's run)")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.repeat = 1
    print(f"Python {sys.version.split()[0]}, rule_engine {rule_engine.__version__}")
    print(f"ns per call, median of {arguments.repeat} interleaved rounds; ratio to by hand\n")
    columns = ("case", "by hand", "compiled", "ratio", "rule_engine", "ratio")
    header = "{:34} {:>9} {:>9} {:>6} {:>12} {:>7}".format(*columns)
    print(header)
    print("-" * len(header))
    worst = 0.0
    for case in CASES:
        figures = measure(case, arguments.repeat)
        worst = max(worst, figures.ratio)
        engine = f"{'n/a':>20}"
        if figures.engine_ns is not None and figures.engine_ratio is not None:
            engine = f"{figures.engine_ns:12.0f} {figures.engine_ratio:6.0f}x"
        print(
            f"{case.title:34} {figures.hand_ns:9.0f} {figures.compiled_ns:9.0f}"
            f" {figures.ratio:5.2f}x {engine}"
        )
    verdict = "meets" if worst <= 3 else "MISSES"
    print(f"\nworst compiled/hand ratio {worst:.2f}x: {verdict} the 3x goal")
    measure_bank(arguments.repeat)


if __name__ == "__main__":
    main()
