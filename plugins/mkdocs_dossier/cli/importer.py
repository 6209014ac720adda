"""`dossier import SOURCE...`: articles from the web or saved pages into the dossier.

The work is importing/ (MkDocs-free); this module reads the options, says what
happened to each source, and ends with `dossier annotate`'s suggestions for the new
files. Needs the optional extra: `pip install 'mkdocs-dossier[import]'`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..files import display_path
from ..importing import INSTALL_HINT, missing_modules
from ..site import load_site
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, plural


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    missing = missing_modules()
    if missing:
        err.write(
            f"dossier import: needs {', '.join(missing)}, which the optional extra brings: "
            f"{INSTALL_HINT}\n"
        )
        return EXIT_USAGE
    from ..annotate import annotate_files
    from ..importing.fetch import Fetcher
    from ..importing.run import Importer, known_urls

    site = load_site(args.config)
    project = site.project
    user_agent = " ".join(args.user_agent.split())
    if not user_agent:
        err.write("dossier import: --user-agent is empty\n")
        return EXIT_USAGE
    folder = project.docs_dir / args.folder
    if not folder.resolve().is_relative_to(project.docs_dir.resolve()):
        err.write(f"dossier import: --folder {args.folder} is outside docs_dir\n")
        return EXIT_USAGE
    importer = Importer(
        folder,
        project.root,
        known_urls(site.pages, project.root),
        lambda: Fetcher(
            user_agent=user_agent,
            timeout=args.timeout,
            retries=args.retries,
            min_delay=args.delay,
            out=err,
        ),
    )
    written: list[Path] = []
    skipped = failed = 0
    for outcome in importer.run(args.sources):
        if outcome.path is not None:
            shown = display_path(outcome.path, project.root)
            written.append(outcome.path)
            out.write(f"{shown}: imported from {outcome.origin}\n")
            if outcome.missing:
                err.write(f"{shown}: note: {', '.join(outcome.missing)} in the page; add by hand\n")
        elif outcome.skipped:
            skipped += 1
            err.write(f"{outcome.origin}: skipped: {outcome.skipped}\n")
        else:
            failed += 1
            err.write(f"{outcome.origin}: error: {outcome.error}\n")
        out.flush()
    err.write(
        f"dossier import: {plural(len(written), 'article')} imported, "
        f"{skipped} already in the dossier, {failed} not imported\n"
    )
    if written:
        # What `dossier annotate FILE...` would suggest, so the editor can mark mentions next.
        annotate_files(project, site.pages, written, write=False, out=out, err=err)
        return EXIT_OK
    return EXIT_PROBLEMS if failed else EXIT_OK


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text}: give seconds from 0 to 3600")
    return value


def _positive_seconds(text: str) -> float:
    value = _seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text}: give more than 0 seconds")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"{text}: give a number from 0 to 10")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    from ..importing.fetch import USER_AGENT

    parser = sub.add_parser(
        "import",
        help="bring articles in from URLs, saved pages or RSS/Atom feeds (extra: [import])",
    )
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="an http(s) URL, a saved .html page, a folder of them, or an RSS/Atom feed",
    )
    parser.add_argument(
        "--folder",
        default="articles",
        help="where under docs_dir the new files go (default: %(default)s)",
    )
    parser.add_argument(
        "--user-agent",
        default=USER_AGENT,
        help="how requests name the tool; add your newsroom's contact (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=20.0,
        help="seconds for a whole request (default: %(default)s)",
    )
    parser.add_argument(
        "--retries",
        type=_count,
        default=2,
        help="more attempts after a timeout, HTTP 429 or 5xx (default: %(default)s)",
    )
    parser.add_argument(
        "--delay",
        type=_seconds,
        default=1.0,
        help="least seconds between two requests (default: %(default)s)",
    )
    parser.set_defaults(run=run)
