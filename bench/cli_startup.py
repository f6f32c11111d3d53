"""Whole-process start-up: `pia check` against loading the bank in a bare Python process.

Run: .venv/bin/python bench/cli_startup.py [--runs N] [--bank DIR] [--quick]

Each command runs N times as a fresh process, the commands interleaved so that load from other
processes on the machine falls on all of them alike. Prints the median wall and CPU (user + system
of the child) milliseconds of: a bare `python -c "load_bank(DIR)"`, `pia check DIR`,
`pia assess EXAMPLE --format json` and `pia --help`, and the ratio of `pia check` to the bare load.
Goal (issue 9): `pia check` at most 1.5x the bare load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOAL = 1.5


def commands(bank: Path) -> dict[str, list[str]]:
    example = REPO / "questions" / "examples" / "sheriff_face_search_pilot.yaml"
    python = sys.executable
    return {
        "bare load_bank": [
            python,
            "-c",
            f"from pia.engine import load_bank; load_bank({str(bank)!r})",
        ],
        "pia check": [python, "-m", "pia", "check", str(bank)],
        "pia assess --format json": [
            python,
            "-m",
            "pia",
            "assess",
            str(example),
            "--bank",
            str(bank),
            "--format",
            "json",
        ],
        "pia --help": [python, "-m", "pia", "--help"],
    }


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bank", default=str(REPO / "questions"))
    parser.add_argument("--quick", action="store_true", help="2 runs (the test suite's run)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 2
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    todo = commands(Path(args.bank))
    walls: dict[str, list[float]] = {name: [] for name in todo}
    cpus: dict[str, list[float]] = {name: [] for name in todo}
    for argv in todo.values():  # warm the file cache and .pyc files
        run_once(argv)
    for _ in range(args.runs):
        for name, argv in todo.items():
            wall, cpu = run_once(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name in todo:
        print(
            f"{name:<26} median {statistics.median(walls[name]):6.0f} ms wall, "
            f"{statistics.median(cpus[name]):6.0f} ms CPU"
        )
    bare, check = "bare load_bank", "pia check"
    wall_ratio = statistics.median(walls[check]) / statistics.median(walls[bare])
    cpu_ratio = statistics.median(cpus[check]) / statistics.median(cpus[bare])
    print(f"pia check / bare load: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (goal <= {GOAL}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
