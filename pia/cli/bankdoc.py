"""Subcommands (being written)."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds no subcommands yet."""
