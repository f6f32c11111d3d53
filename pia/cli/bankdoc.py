"""`pia bank doc`: the question bank as a Markdown methodology document.

`pia bank` is a group of subcommands about the question bank; this module adds `doc` to it (creating
the group if no other module has yet), so later `pia bank ...` commands can join the same group.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pia.errors import PiaError

BANK_HELP = "question bank folder (default: $PIA_BANK, else ./questions, else the shipped bank)"


def register(subparsers: argparse._SubParsersAction) -> None:
    bank_commands = bank_group(subparsers)
    doc = bank_commands.add_parser(
        "doc",
        help="render the question bank as a Markdown methodology document",
        description="Render the question bank (criteria, questions and their conditions, rules, "
        "risk matrix, jurisdiction profiles) as Markdown an oversight board can audit.",
    )
    doc.add_argument("--bank", metavar="DIR", help=BANK_HELP)
    doc.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    doc.set_defaults(handler=run_doc)


def bank_group(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The subcommands of `pia bank`, created on first use and shared by every module."""
    existing = subparsers.choices.get("bank")
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
    group = subparsers.add_parser(
        "bank",
        help="work with the question bank (see `pia bank --help`)",
        description="Commands about the question bank.",
    )
    return group.add_subparsers(dest="bank_command", required=True, metavar="COMMAND")


def run_doc(args: argparse.Namespace) -> int:
    from pia.engine import check_bank, resolve_bank_dir
    from pia.report.methodology.markdown import render_bank_markdown

    folder = resolve_bank_dir(args.bank)
    bank, problems = check_bank(folder)
    if bank is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"pia: the question bank in {folder} does not check", file=sys.stderr)
        return 1
    text = render_bank_markdown(bank)
    if not args.output:
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PiaError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"wrote {target} ({len(text.splitlines())} lines)")
    return 0
