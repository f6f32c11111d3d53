"""`pia check` (check a question bank) and `pia assess` (evaluate an answers file against it).

Which bank: the DIR argument or --bank; otherwise the PIA_BANK environment variable; otherwise
questions/ in the current directory; otherwise the bank shipped beside the pia package. The engine
is imported inside the commands, and ReportLab only for --format pdf, so `pia --help` and the other
commands do not pay for them (bench/cli_startup.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pia.cli.documents import (
    DOCUMENT_FORMATS,
    add_signing_arguments,
    write_bytes,
    write_document,
)
from pia.errors import PiaError

if TYPE_CHECKING:
    from pia.engine import Bank, Evaluation, Problem

FORMATS = ("text", "json", *DOCUMENT_FORMATS)
BANK_HELP = "question bank folder (default: $PIA_BANK, else ./questions, else the shipped bank)"


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check",
        help="check a question bank and list every problem",
        description="Load and check a question bank. Prints a one-line summary and exits 0, "
        "or prints every problem as file:line:column: code message (hint) and exits 1.",
    )
    check.add_argument("directory", nargs="?", metavar="DIR", help=BANK_HELP)
    check.set_defaults(handler=_closing_quietly(run_check))

    assess = subparsers.add_parser(
        "assess",
        help="evaluate an answers file against the question bank",
        description="Evaluate a YAML or JSON answers file (see docs/question-bank.md, "
        "'Answer files'). Exits 1 when the bank does not check or an answer is invalid.",
    )
    assess.add_argument("answers", metavar="ANSWERS", help="answers file (.yaml, .yml or .json)")
    assess.add_argument("--bank", metavar="DIR", help=BANK_HELP)
    assess.add_argument(
        "--profile",
        action="append",
        metavar="ID",
        help="jurisdiction profile to apply (repeatable; default: the file's 'profiles')",
    )
    assess.add_argument("--format", choices=FORMATS, default="text", help="output format")
    assess.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (needed for pdf and docx)"
    )
    add_signing_arguments(assess)
    assess.set_defaults(handler=_closing_quietly(run_assess))


def _closing_quietly(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """The handler, ending quietly when the reader goes away (`pia check | head`)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except BrokenPipeError:
            # Python would report the pipe again when flushing stdout at exit; point it nowhere.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1

    return run


def _checked_bank(directory: str | None, out: TextIO) -> Bank | None:
    """The bank, or None after printing every problem."""
    from pia.engine import check_bank, resolve_bank_dir

    folder = resolve_bank_dir(directory)
    bank, problems = check_bank(folder)
    if bank is None:
        _print_problems(problems, out)
        print(f"pia: the question bank in {folder} does not check", file=sys.stderr)
    return bank


def _print_problems(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        print(problem, file=out)
    print(f"{len(problems)} problem(s)", file=out)


def run_check(args: argparse.Namespace) -> int:
    bank = _checked_bank(args.directory, sys.stdout)
    if bank is None:
        return 1
    print(
        f"ok: {len(bank.sections)} sections, {len(bank.questions)} questions, "
        f"{len(bank.rules)} rules, {len(bank.criteria)} criteria, {len(bank.profiles)} profiles"
    )
    return 0


def run_assess(args: argparse.Namespace) -> int:
    from pia.engine import (
        check_answers,
        chosen_profiles,
        evaluate,
        evaluation_to_json,
        read_answers_file,
    )

    if args.format in DOCUMENT_FORMATS and not args.output:
        raise PiaError(
            f"--format {args.format} needs -o FILE: a {args.format.upper()} is not written to "
            "the terminal"
        )
    document = read_answers_file(args.answers)
    bank = _checked_bank(args.bank, sys.stderr)
    if bank is None:
        return 1
    profiles = chosen_profiles(bank, args.profile or document.profiles)
    values, issues = check_answers(bank, document.answers)
    if issues:
        for issue in issues:
            print(
                f"{args.answers}: {issue.question}: {issue.code}: {issue.message}", file=sys.stderr
            )
        print(f"pia: {len(issues)} answer(s) cannot be used; nothing was assessed", file=sys.stderr)
        return 1
    evaluation = evaluate(bank, values, profiles)
    if args.format in DOCUMENT_FORMATS:
        print(write_document(args, bank, evaluation, values, document))
        return 0
    if args.format == "json":
        text = evaluation_to_json(evaluation) + "\n"
    else:
        text = format_text(bank, evaluation)
    if args.output:
        write_bytes(Path(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def format_text(bank: Bank, evaluation: Evaluation) -> str:
    """The evaluation for a terminal: overall level, criteria, findings with their triggers."""
    lines = [
        f"{bank.title} ({bank.id} {bank.version})",
        f"Profiles: {', '.join(evaluation.profiles) or 'none'}",
        "",
        f"Overall: {evaluation.overall.level}",
        f"  {evaluation.overall.basis}",
        "",
        "Criteria:",
    ]
    width = max(len(level) for level in (*bank.levels, "-"))
    for criterion in evaluation.criteria:
        level = criterion.level or "-"
        count = f" ({criterion.findings} finding{'s' if criterion.findings != 1 else ''})"
        lines.append(
            f"  {level:<{width}}  {criterion.id}: {criterion.name}"
            + (count if criterion.findings else "")
        )
    lines += ["", f"Findings ({len(evaluation.findings)}):"]
    for number, finding in enumerate(evaluation.findings, start=1):
        inherent, residual = finding.inherent, finding.residual
        lines.append(f"  {number}. [{residual.level}] {finding.title} ({finding.rule})")
        lines.append(
            f"     criterion {finding.criterion}; inherent severity {inherent.severity}, "
            f"likelihood {inherent.likelihood} ({inherent.level}); residual severity "
            f"{residual.severity}, likelihood {residual.likelihood} ({residual.level})"
        )
        for trigger in finding.triggers:
            lines.append(f"     because {trigger.id} = {trigger.display}")
        for mitigation in finding.mitigations:
            lines.append(
                f"     mitigated by {mitigation.id}: lowers {mitigation.lowers} by {mitigation.by}"
            )
    if evaluation.prohibitions:
        lines += ["", "Prohibitions:"]
        for hit in evaluation.prohibitions:
            lines.append(f"  {hit.profile}: {hit.provision} (rule {hit.rule})")
    if evaluation.obligations:
        lines += ["", "Obligations:"]
        for obligation in evaluation.obligations:
            lines.append(f"  {obligation.profile}: {obligation.text} [{obligation.cite}]")
    progress = evaluation.progress
    lines += [
        "",
        f"Progress: {progress.answered} of {progress.visible} questions answered "
        f"({progress.percent}%); required: {progress.required_answered} of {progress.required}",
    ]
    if evaluation.missing:
        lines.append(f"Missing required answers: {', '.join(evaluation.missing)}")
    if evaluation.hidden_answers:
        lines.append(
            "Answers to questions hidden by conditions (kept, not counted): "
            + ", ".join(evaluation.hidden_answers)
        )
    return "\n".join(lines) + "\n"
