"""The `pia` command. Each group of subcommands lives in its own module with a `register`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pia.errors import PiaError

# Modules that add subcommands; each defines register(subparsers) and sets `handler` defaults.
COMMAND_MODULES = (
    "pia.cli.bank",
    "pia.cli.bankdoc",
    "pia.cli.report",
    "pia.cli.db",
    "pia.cli.audit",
    "pia.cli.mail",
    "pia.cli.serve",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pia", description="Privacy and civil-liberties impact assessment."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except PiaError as error:
        print(f"pia: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
