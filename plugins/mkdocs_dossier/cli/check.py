"""`dossier check`: every problem the build would report, without building."""

from __future__ import annotations

import argparse
import json
import time
from typing import TextIO

from ..model import Diagnostic
from ..pipeline import load_dossier
from ..site import Site, load_site
from .common import EXIT_OK, EXIT_PROBLEMS, plural


def run_check(site: Site) -> tuple[list[Diagnostic], int]:
    """Every diagnostic the build gives (sorted), and how many source files were read."""
    project = site.project
    pages = site.pages
    dossier = load_dossier(project, pages)
    diagnostics = sorted({*site.diagnostics, *dossier.diagnostics})
    entries = (
        sum(1 for _ in project.entries_dir.rglob("*.md")) if project.entries_dir.is_dir() else 0
    )
    return sorted(diagnostics), len(pages) + entries


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    site = load_site(args.config)
    started = time.perf_counter()
    diagnostics, files = run_check(site)
    elapsed = time.perf_counter() - started
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if args.format == "json":
        payload = {
            "version": 1,
            "diagnostics": [d.as_dict() for d in diagnostics],
            "errors": errors,
            "warnings": warnings,
            "files": files,
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    else:
        for diagnostic in diagnostics:
            out.write(diagnostic.format() + "\n")
    if diagnostics:
        summary = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    else:
        summary = "no problems"
    err.write(f"dossier check: {summary} in {plural(files, 'file')} ({elapsed:.2f} s)\n")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("check", help="report every problem the build would, without building")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)
