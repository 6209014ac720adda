"""`dossier init [DIR]`: a new dossier site that builds at once."""

from __future__ import annotations

import argparse
from typing import TextIO


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .scaffold import run_init

    return run_init(args.dir, out, err)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("init", help="start a new dossier site in DIR; never overwrites a file")
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: here")
    parser.set_defaults(run=run)
