"""Revision comparison benchmark: compare_revisions over the two largest example assessments.

Run: .venv/bin/python bench/compare.py [--rounds N]

The two examples in questions/examples with the most answer and note text stand for two
revisions (every answer, note, finding and level may differ: the worst case for the comparison),
each with a few evidence files. Prints the median and p95 milliseconds of one comparison with
Evaluation objects and with the evaluations' stored JSON form (as revisions keep them), and the
size of what was compared. Goal (issue 11): at most 5 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pia.engine import (  # noqa: E402
    ComparedRevision,
    EvidenceItem,
    compare_revisions,
    evaluate,
    evaluation_to_dict,
    load_bank,
    read_answers_file,
)


def _size(path: Path) -> int:
    document = read_answers_file(path)
    return len(repr(document.answers)) + len(repr(document.notes))


def _evidence(name: str, count: int) -> tuple[EvidenceItem, ...]:
    return tuple(
        EvidenceItem(f"{name}-{n}.pdf", hashlib.sha256(f"{name}{n}".encode()).hexdigest())
        for n in range(count)
    )


def _timings(run, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    bank = load_bank(REPO / "questions")
    examples = sorted((REPO / "questions" / "examples").glob("*.yaml"), key=_size, reverse=True)
    sides = []
    for number, path in enumerate(examples[:2], start=1):
        document = read_answers_file(path)
        evaluation = evaluate(bank, document.answers, document.profiles)
        sides.append((number, path.stem, document, evaluation))
    (n1, name1, doc1, ev1), (n2, name2, doc2, ev2) = sides
    objects = (
        ComparedRevision(n1, doc1.answers, doc1.notes, ev1, _evidence("a", 4)),
        ComparedRevision(n2, doc2.answers, doc2.notes, ev2, _evidence("a", 2) + _evidence("b", 3)),
    )
    stored = (
        ComparedRevision(
            n1, doc1.answers, doc1.notes, evaluation_to_dict(ev1), objects[0].evidence
        ),
        ComparedRevision(
            n2, doc2.answers, doc2.notes, evaluation_to_dict(ev2), objects[1].evidence
        ),
    )
    result = compare_revisions(bank, *objects)
    assert result == compare_revisions(bank, *stored)
    print(f"revisions: {name1} -> {name2}")
    print(
        f"changes: {len(result.answers)} answers ({sum(1 for a in result.answers if a.words)} "
        f"with word diffs), {len(result.notes)} notes, {len(result.evidence)} evidence, "
        f"{len(result.findings)} findings, {len(result.criteria)} criteria, "
        f"overall {'changed' if result.overall else 'unchanged'}"
    )
    for label, pair in (("Evaluation objects", objects), ("stored JSON form", stored)):
        median, p95 = _timings(lambda pair=pair: compare_revisions(bank, *pair), args.rounds)
        print(f"compare ({label}): median {median:.3f} ms, p95 {p95:.3f} ms (goal <= 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
