"""Action plan benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/planning.py [--runs N] [--bank DIR]

For the richest example assessment (the example answers file with the most findings), and for
every example: the median and p95 milliseconds of `action_plan` (every safeguard and declared
action evaluated on its own), CPU time, the number of items, and for comparison the time of one
full `evaluate` times the number of items (what evaluating each item from scratch would cost).
Goal (issue 12): the action plan of the richest example within 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pia.engine import (  # noqa: E402
    action_plan,
    evaluate,
    load_bank,
    read_answers_file,
    resolve_bank_dir,
)


def measure(call, runs: int) -> tuple[float, float, float]:
    """(median wall ms, p95 wall ms, median CPU ms)."""
    call()  # warm: plans and memos built
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    return statistics.median(walls), p95, statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--bank", default=None)
    parser.add_argument("--quick", action="store_true", help="3 runs each: checks the script works")
    args = parser.parse_args()
    runs = 3 if args.quick else max(args.runs, 3)
    folder = resolve_bank_dir(args.bank)
    bank = load_bank(folder)
    rows = []
    for path in sorted((folder / "examples").glob("*.yaml")):
        document = read_answers_file(path)
        findings = len(evaluate(bank, document.answers, document.profiles).findings)
        plan = action_plan(bank, document.answers, document.profiles)
        wall, p95, cpu = measure(lambda d=document: action_plan(bank, d.answers, d.profiles), runs)
        one, _p95, _cpu = measure(lambda d=document: evaluate(bank, d.answers, d.profiles), runs)
        rows.append((findings, path.name, len(plan.items), wall, p95, cpu, one))
    print(f"action plan, bank {bank.id} {bank.version}, {runs} runs each")
    for findings, name, items, wall, p95, cpu, one in rows:
        print(
            f"  {name}: {findings} findings, {items} items: median {wall:.1f} ms"
            f" (p95 {p95:.1f}, CPU {cpu:.1f}); one evaluate {one:.2f} ms"
            f" x {items} items = {one * items:.1f} ms from scratch"
        )
    richest = max(rows)
    print(
        f"richest example {richest[1]}: median {richest[3]:.1f} ms, CPU {richest[5]:.1f} ms"
        " (goal: <= 20 ms)"
    )


if __name__ == "__main__":
    main()
