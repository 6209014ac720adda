"""`dossier schema entry|article`: the JSON Schemas of front matter."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .common import EXIT_OK


def schema_path(kind: str) -> Path:
    """The JSON Schema shipped for `entry` or `article` front matter."""
    return Path(__file__).parent.parent / "schemas" / f"{kind}.schema.json"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = schema_path(args.kind)
    out.write(f"{path}\n" if args.path else path.read_text(encoding="utf-8"))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("schema", help="print the JSON Schema of entry or article front matter")
    parser.add_argument("kind", choices=("entry", "article"))
    parser.add_argument("--path", action="store_true", help="print the file's path instead")
    parser.set_defaults(run=run)
