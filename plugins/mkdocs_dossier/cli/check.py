"""`dossier check`: every problem the build would report, without building."""

from __future__ import annotations

import argparse
import json
import time
from typing import TextIO

from ..diagnostics import Count, summarize
from ..model import Diagnostic, printable
from ..pipeline import load_dossier
from ..site import Site, load_site
from .common import EXIT_OK, EXIT_PROBLEMS, plural


def run_check(site: Site) -> tuple[list[Diagnostic], int]:
    """Every diagnostic the build gives (sorted), and how many source files were read."""
    project = site.project
    pages = site.pages
    dossier = load_dossier(project, pages, files=site.files)
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
        if args.summary:
            payload["summary"] = _summary_json(diagnostics)
        out.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif args.summary:
        out.write(summary_table(diagnostics))
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


#: Names the summary lists (the most frequent); `dossier check` alone lists every problem.
SUMMARY_NAMES = 20
#: Longest name shown in the summary: longer ones are cut with an ellipsis.
SUMMARY_NAME_WIDTH = 40


def summary_table(diagnostics: list[Diagnostic], names: int = SUMMARY_NAMES) -> str:
    """The problems counted by code, then by the name they are about (the most frequent
    `names`), as two aligned tables, each row with where the first of them is."""
    codes, subjects = summarize(diagnostics)
    if not codes:
        return ""
    rows = [("count", "code", "severity", "first at")]
    rows += [(str(c.count), c.code, c.severity, _where(c)) for c in codes]
    text = _table(rows)
    if subjects:
        rows = [("count", "name", "code", "first at")]
        rows += [(str(c.count), _name(c.subject), c.code, _where(c)) for c in subjects[:names]]
        text += "\n" + _table(rows)
        rest = subjects[names:]
        if rest:
            more = sum(c.count for c in rest)
            text += (
                f"… and {plural(len(rest), 'other name')} ({plural(more, 'problem')}): "
                "dossier check without --summary lists every one\n"
            )
    return text


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].rjust(widths[0])] + [
            c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _name(subject: str) -> str:
    shown = printable(" ".join(subject.split()))
    if len(shown) > SUMMARY_NAME_WIDTH:
        shown = shown[: SUMMARY_NAME_WIDTH - 1] + "…"
    return f'"{shown}"'


def _where(count: Count) -> str:
    first = count.first
    return printable(f"{first.path}:{first.line}:{first.col}")


def _summary_json(diagnostics: list[Diagnostic]) -> dict:
    codes, subjects = summarize(diagnostics)

    def record(c: Count) -> dict:
        first = {"path": c.first.path, "line": c.first.line, "col": c.first.col}
        return {"code": c.code, "severity": c.severity, "count": c.count, "first": first}

    return {
        "codes": [record(c) for c in codes],
        "names": [{"name": c.subject, **record(c)} for c in subjects],
    }


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("check", help="report every problem the build would, without building")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="count the problems by code and by name instead of listing each one",
    )
    parser.set_defaults(run=run)
