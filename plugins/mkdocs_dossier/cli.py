"""The `dossier` command: check, new, annotate, geocode (and schema) for editors.

Every subcommand loads mkdocs.yml through MkDocs itself (site.py) and runs the same
engine as the build, so `dossier check` reports what `mkdocs build` would, without
rendering or writing anything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import frontmatter as frontmatter_lib

from .model import TYPE_ALIASES, TYPE_FOLDERS, Diagnostic, Position
from .site import ConfigError, Site, load_site
from .sources import display_path, load_dossier
from .text import name_key, slugify

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


# --------------------------------------------------------------------------- check


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


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
        summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    else:
        summary = "no problems"
    err.write(f"dossier check: {summary} in {_plural(files, 'file')} ({elapsed:.2f} s)\n")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- new

_COMMON_FIELDS = (
    ("aliases", "[]", "other names articles use, e.g. [Pompeo, Secretary Pompeo]"),
    ("summary", '""', "one line: hover text, lists and the page's description"),
    ("wikidata", "", "optional Wikidata id, e.g. Q473239"),
)

_TYPE_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "person": (
        ("role", "", "e.g. Secretary of State"),
        ("affiliations", "[]", "organizations, as mention targets: [State Department]"),
        ("born", "", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("nationality", "", "e.g. Iraqi"),
    ),
    "org": (
        ("kind", "", "e.g. ministry, militia, newspaper"),
        ("country", "", "ISO 3166 alpha-2 code, e.g. IQ"),
        ("parent", "", "the organization it belongs to (a mention target)"),
    ),
    "place": (
        ("coordinates", "", "[lat, lon], e.g. [33.3152, 44.3661]; or run `dossier geocode`"),
        ("geocode", "", 'optional query for `dossier geocode`, e.g. "Mosul, Iraq"'),
        ("country", "", "ISO 3166 alpha-2 code, e.g. IQ"),
        ("kind", "", "city, base, district, country, building..."),
    ),
    "event": (
        ("date", "", "REQUIRED: YYYY, YYYY-MM or YYYY-MM-DD"),
        ("end", "", "optional last day, same format"),
        ("place", "", "where it happened (a mention target)"),
        ("participants", "[]", "people and organizations involved: [Quds Force]"),
    ),
}


def entry_template(kind: str, name: str) -> str:
    """The front matter of a new entry of type `kind`, with a hint on every field.

    python-frontmatter writes the fields (quoting the name however it needs); the hints
    are then added as YAML comments, which no serialiser writes."""
    fields = [*_COMMON_FIELDS, *_TYPE_FIELDS[kind]]
    empty: dict[str, Any] = {"[]": list, '""': str}
    values = {key: empty[v]() if v in empty else None for key, v, _ in fields}
    post = frontmatter_lib.Post("", name=name, **values)
    text = frontmatter_lib.dumps(post, sort_keys=False, width=1 << 30)
    head, _, _ = text.rpartition("\n---")
    lines = [line.removesuffix(" null") for line in head.split("\n")]
    hints = {key: hint for key, _, hint in fields}
    width = max(len(line) for line in lines[2:]) + 2
    for index, line in enumerate(lines):
        hint = hints.get(line.partition(":")[0])
        if hint and index > 1:
            lines[index] = f"{line:<{width}}# {hint}"
    lines.append("# Below the closing line: your notes on the entity, in Markdown; they")
    lines.append("# open its page and may mention others as [[Name]].")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .entries import load_entries

    kind = TYPE_ALIASES[args.type.lower()]
    name = " ".join(args.name.split())
    if not name:
        err.write("dossier new: the name is empty\n")
        return EXIT_USAGE
    project = load_site(args.config).project
    slug = slugify(name)
    path = project.entries_dir / TYPE_FOLDERS[kind] / f"{slug}.md"
    shown = display_path(path, project.root)
    if path.exists():
        err.write(f"dossier new: {shown} already exists; not overwritten\n")
        return EXIT_PROBLEMS
    entities, _ = load_entries(project.root, project.entries_dir)
    key = name_key(name)
    same = [e for e in entities if key and key in {name_key(n) for n in (e.name, *e.aliases)}]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(entry_template(kind, name))
    except FileExistsError:
        err.write(f"dossier new: {shown} already exists; not overwritten\n")
        return EXIT_PROBLEMS
    out.write(shown + "\n")
    for other in same:
        err.write(
            f"dossier new: note: {other.source} ({other.id}) already answers to "
            f'"{name}"; untyped mentions of it will be ambiguous\n'
        )
    if kind == "event":
        err.write("dossier new: fill in the event's date (required)\n")
    return EXIT_OK


# --------------------------------------------------------------------------- annotate


def _cmd_annotate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .annotate import annotate_files

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


# --------------------------------------------------------------------------- geocode


def place_queries(site: Site) -> list[Any]:
    """A PlaceQuery for every place whose entry gives no coordinates (stubs included),
    except whole countries, which the build places from the shipped country shapes."""
    from .geo.geocode import PlaceQuery, query_for
    from .geo.locate import where_defined

    project = site.project
    dossier = load_dossier(project, site.pages)
    queries = []
    for entity in dossier.of_type("place"):
        if entity.coordinates_source in ("entry", "country"):
            continue
        path, position = where_defined(entity, dossier)
        if entity.source:
            position = entity.field_positions.get(
                "geocode", entity.field_positions.get("name", Position(1, 1))
            )
        queries.append(
            PlaceQuery(
                slug=entity.slug,
                name=entity.name,
                query=query_for(
                    entity.name, entity.fields.get("country"), entity.fields.get("geocode")
                ),
                country=entity.fields.get("country"),
                aliases=list(entity.aliases),
                position=position,
                path=path,
            )
        )
    return queries


def _cmd_geocode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from .geo.geocode import GeocodeSetupError, geocode_places
    except ImportError as exc:  # pragma: no cover - only while the module is missing
        err.write(f"dossier geocode: geocoding is not available ({exc})\n")
        return EXIT_USAGE
    site = load_site(args.config)
    project = site.project
    places = place_queries(site)
    try:
        report = geocode_places(
            places,
            project.geocache,
            online=args.online,
            provider=args.provider,
            endpoint=args.endpoint,
            scheme=args.scheme,
            user_agent=args.user_agent,
            dry_run=args.dry_run,
            out=err,
            cache_display_path=display_path(project.geocache, project.root),
        )
    except GeocodeSetupError as exc:
        for diagnostic in exc.diagnostics:
            out.write(diagnostic.format() + "\n")
        err.write(f"dossier geocode: {exc}\n")
        return EXIT_USAGE
    # geocode_places has shown progress and every failure (as diagnostics) on `err`.
    return EXIT_PROBLEMS if report.failed else EXIT_OK


# --------------------------------------------------------------------------- schema


def schema_path(kind: str) -> Path:
    """The JSON Schema shipped for `entry` or `article` front matter."""
    return Path(__file__).parent / "schemas" / f"{kind}.schema.json"


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = schema_path(args.kind)
    out.write(f"{path}\n" if args.path else path.read_text(encoding="utf-8"))
    return EXIT_OK


# --------------------------------------------------------------------------- init


def _cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .scaffold import run_init

    return run_init(args.dir, out, err)


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier",
        description="Editors' tools for an mkdocs-dossier site.",
    )
    parser.add_argument(
        "--config", "-f", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="report every problem the build would, without building")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_cmd_check)

    new = sub.add_parser("new", help="scaffold an entry: dossier new person 'Mike Pompeo'")
    new.add_argument(
        "type",
        choices=sorted(TYPE_ALIASES),
        metavar="TYPE",
        help="person, place, org (organization) or event",
    )
    new.add_argument("name", metavar="NAME")
    new.set_defaults(run=_cmd_new)

    annotate = sub.add_parser("annotate", help="find unannotated names of known entities")
    annotate.add_argument(
        "files", nargs="+", metavar="PATH", help="articles or entries, or folders of them"
    )
    annotate.add_argument("--write", action="store_true", help="insert the [[...]] and show a diff")
    annotate.add_argument(
        "--all",
        action="store_true",
        help="list every occurrence, not just the first per paragraph",
    )
    annotate.set_defaults(run=_cmd_annotate)

    geocode = sub.add_parser("geocode", help="fill the geocache for places without coordinates")
    geocode.add_argument("--online", action="store_true", help="ask a geocoding service too")
    geocode.add_argument("--provider", default="nominatim", help="a geopy provider name")
    geocode.add_argument("--endpoint", help="the service's host (or URL)")
    geocode.add_argument("--scheme", choices=("http", "https"))
    geocode.add_argument("--user-agent", help="identify yourself to the service")
    geocode.add_argument("--dry-run", action="store_true", help="show what would change")
    geocode.set_defaults(run=_cmd_geocode)

    schema = sub.add_parser("schema", help="print the JSON Schema of entry or article front matter")
    schema.add_argument("kind", choices=("entry", "article"))
    schema.add_argument("--path", action="store_true", help="print the file's path instead")
    schema.set_defaults(run=_cmd_schema)

    init = sub.add_parser("init", help="start a new dossier site in DIR; never overwrites a file")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: here")
    init.set_defaults(run=_cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        return args.run(args, out, err)
    except ConfigError as exc:
        err.write(f"dossier {args.command}: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write(f"dossier {args.command}: interrupted\n")
        return 130
    except BrokenPipeError:
        # `dossier check | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
