"""`dossier annotate PATH...`: names of known entities not yet marked as mentions, or
(`--discover`) names that have no entry yet."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..site import load_site
from .common import EXIT_USAGE


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..annotate import annotate_files

    site = load_site(args.config)
    files = annotation_targets([Path(f) for f in args.files])
    if not files:
        err.write("dossier annotate: no Markdown files in " + " ".join(args.files) + "\n")
        return EXIT_USAGE
    return annotate_files(
        site.project,
        site.pages,
        files,
        write=args.write,
        every=args.all,
        find_new=args.discover,
        out=out,
        err=err,
    )


#: What MkDocs reads as Markdown (mkdocs.utils.markdown_extensions).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def annotation_targets(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders as the Markdown files under them (hidden ones left out)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        found.extend(
            sorted(
                p
                for p in path.rglob("*")
                if p.suffix in MARKDOWN_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        )
    return list(dict.fromkeys(found))


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("annotate", help="find unannotated names of known entities")
    parser.add_argument(
        "files", nargs="+", metavar="PATH", help="articles or entries, or folders of them"
    )
    parser.add_argument("--write", action="store_true", help="insert the [[...]] and show a diff")
    parser.add_argument(
        "--all",
        action="store_true",
        help="list every occurrence, not just the first per paragraph",
    )
    parser.add_argument(
        "--discover",
        action="store_true",
        help="propose names that have no entry yet, with a guessed type; with --write, "
        "mark them as typed mentions",
    )
    parser.set_defaults(run=run)
