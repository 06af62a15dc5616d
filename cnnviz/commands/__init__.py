"""The command line's subcommands, one module each; what several of them share is here."""

from __future__ import annotations

import argparse

from cnnviz.i18n import translate


def add_data_dir(parser) -> None:
    """The subcommand's ``--data-dir`` (also accepted before the subcommand: ``default=SUPPRESS``
    keeps the top-level one when this one is not given)."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=translate("cli", "dataset cache folder"),
    )


def count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless one: "1 epoch", "3 epochs", "1,200 steps"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
