"""Report rendering benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/report.py [--runs N] [--bank DIR] [--quick]

1. The richest example assessment (the example answers file with the most findings): median
   milliseconds to render the PDF over N runs (wall clock and CPU), page count, size, and peak
   Python memory (tracemalloc, a separate run).
2. The same report signed (render and sign, a throwaway installation key): median time and its
   ratio to the unsigned render; and the Word (.docx) export: median time and its ratio to the PDF.
3. A synthetic assessment with ten times the findings (each finding repeated under new rule ids)
   and long answers (every text answer about 2,000 characters): median time and its ratio to 1.
Goals: at most 500 ms for 1; signed within 1.3x and .docx within 1x of the PDF; a ratio of at most
10 for 3 (linear growth). --quick: one run of each, no memory figures (the test suite runs it so
the script cannot rot).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from pia.engine import evaluate, load_bank, read_answers_file, resolve_bank_dir
from pia.engine.bank.model import LONGTEXT, TEXT, Bank
from pia.engine.evaluation.result import Evaluation
from pia.report import render_assessment_docx, render_assessment_pdf
from pia.report.signing import installation_signing_key, sign_pdf

SCALE = 10
LONG_ANSWER = (
    "The vendor states that the system was tested on a representative sample; the agency has "
    "not seen the test data. "
) * 18


def richest_example(bank: Bank, folder: Path) -> tuple[str, Any, Evaluation]:
    best = None
    for path in sorted(folder.glob("*.yaml")):
        document = read_answers_file(path)
        evaluation = evaluate(bank, document.answers, document.profiles)
        if best is None or len(evaluation.findings) > len(best[2].findings):
            best = (path.name, document, evaluation)
    if best is None:
        raise SystemExit(f"no example answers files in {folder}")
    return best


def scaled(evaluation: Evaluation) -> Evaluation:
    findings = tuple(
        dataclasses.replace(finding, rule=f"{finding.rule}_{copy}")
        for finding in evaluation.findings
        for copy in range(SCALE)
    )
    criteria = tuple(
        dataclasses.replace(item, findings=item.findings * SCALE) for item in evaluation.criteria
    )
    return dataclasses.replace(evaluation, findings=findings, criteria=criteria)


def long_answers(bank: Bank, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        qid: (LONG_ANSWER if bank.questions[qid].type in (TEXT, LONGTEXT) else value)
        if qid in bank.questions
        else value
        for qid, value in answers.items()
    }


def timed(render, runs: int) -> tuple[float, float, bytes]:
    walls, cpus = [], []
    pdf = b""
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, pdf


def peak_memory_mib(render) -> float:
    tracemalloc.start()
    render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bank", default=None)
    parser.add_argument("--quick", action="store_true", help="one run of each, no memory figures")
    args = parser.parse_args()
    runs = 1 if args.quick else max(args.runs, 5)
    folder = resolve_bank_dir(args.bank)
    bank = load_bank(folder)
    name, document, evaluation = richest_example(bank, folder / "examples")

    def render_example() -> bytes:
        return render_assessment_pdf(
            bank, evaluation, document.answers, document.notes, document.assessment
        )

    render_example()  # fonts registered, modules warm
    wall, cpu, pdf = timed(render_example, runs)
    print(
        f"richest example: {name} ({len(evaluation.findings)} findings, "
        f"{len(document.answers)} answers, bank {bank.id} {bank.version})"
    )
    print(
        f"  median render: {wall:.0f} ms wall, {cpu:.0f} ms CPU over {runs} runs (goal: <= 500 ms)"
    )
    memory = "" if args.quick else f", peak memory: {peak_memory_mib(render_example):.1f} MiB"
    print(f"  pages: {pages(pdf)}, size: {len(pdf) / 1024:.0f} KiB{memory}")

    with tempfile.TemporaryDirectory() as folder:
        key = installation_signing_key(folder, "pia benchmark")
        sign_pdf(pdf, key)  # pyHanko modules warm
        signed_wall, signed_cpu, signed = timed(lambda: sign_pdf(render_example(), key), runs)
    print(
        f"  signed: {signed_wall:.0f} ms wall, {signed_cpu:.0f} ms CPU, "
        f"{len(signed) / 1024:.0f} KiB; ratio to unsigned {signed_wall / wall:.2f}x wall, "
        f"{signed_cpu / cpu:.2f}x CPU (goal: <= 1.3x)"
    )

    def render_word() -> bytes:
        return render_assessment_docx(
            bank, evaluation, document.answers, document.notes, document.assessment
        )

    render_word()
    word_wall, word_cpu, word = timed(render_word, runs)
    print(
        f"  docx: {word_wall:.0f} ms wall, {word_cpu:.0f} ms CPU, {len(word) / 1024:.0f} KiB; "
        f"ratio to the PDF {word_wall / wall:.2f}x wall, {word_cpu / cpu:.2f}x CPU (goal: <= 1x)"
    )

    big_evaluation = scaled(evaluation)
    big_answers = long_answers(bank, document.answers)

    def render_big() -> bytes:
        return render_assessment_pdf(
            bank, big_evaluation, big_answers, document.notes, document.assessment
        )

    big_wall, big_cpu, big_pdf = timed(render_big, 1 if args.quick else max(3, runs // 2))
    print(
        f"synthetic: {len(big_evaluation.findings)} findings ({SCALE}x), "
        f"text answers of {len(LONG_ANSWER)} characters"
    )
    memory = "" if args.quick else f"; peak memory: {peak_memory_mib(render_big):.1f} MiB"
    print(
        f"  median render: {big_wall:.0f} ms wall, {big_cpu:.0f} ms CPU; pages: "
        f"{pages(big_pdf)}{memory}"
    )
    print(
        f"  ratio to the example: {big_wall / wall:.1f}x wall, {big_cpu / cpu:.1f}x CPU "
        f"(goal: <= {SCALE}x)"
    )


if __name__ == "__main__":
    main()
