"""The `dossier` command: check, new, annotate, geocode (and schema) for editors.

Every subcommand reads the same mkdocs.yml as the build (docs_dir, and the `dossier`
plugin's `entries_dir` and `geocache` options) and runs the same engine, so `dossier
check` reports exactly what `mkdocs build` would, without building anything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from .model import TYPE_ALIASES, TYPE_FOLDERS, Diagnostic, Position
from .sources import Project, display_path, load_dossier
from .text import name_key, slugify

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


# --------------------------------------------------------------------------- mkdocs.yml


class ConfigError(Exception):
    """mkdocs.yml is missing or unreadable."""


class _ConfigLoader(yaml.SafeLoader):
    """Safe loader that tolerates MkDocs' tags (`!ENV`, `!!python/name:...`, any other)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # `!ENV NAME` or `!ENV [NAME, OTHER, default]`, as MkDocs (pyyaml-env-tag) reads it.
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        names, default = items[:-1], items[-1] if items else None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.load(os.environ[name], Loader=yaml.SafeLoader)
    return default


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", _any_tag)


@dataclass
class Settings:
    """What the commands need from mkdocs.yml."""

    config_file: Path
    project: Project
    exclude_docs: str = ""  # gitignore-style patterns, as in mkdocs.yml
    draft_docs: str = ""  # drafts are not part of `mkdocs build`

    def pages(self) -> list[tuple[str, str]]:
        """The Markdown pages `mkdocs build` renders, as (src_uri, absolute path)."""
        return docs_pages(self.project.docs_dir, self.exclude_docs, self.draft_docs)


#: What MkDocs reads as Markdown (mkdocs.utils.markdown_extensions).
_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def docs_pages(
    docs_dir: Path, exclude_docs: str = "", draft_docs: str = ""
) -> list[tuple[str, str]]:
    """Markdown pages under docs_dir that MkDocs builds: not hidden, not in /templates/,
    not matched by exclude_docs or draft_docs, and no README.md beside an index.md."""
    import pathspec

    if not docs_dir.is_dir():
        return []
    excluded = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/", *exclude_docs.splitlines()])
    drafts = pathspec.GitIgnoreSpec.from_lines(draft_docs.splitlines())
    pages = []
    for path in sorted(docs_dir.rglob("*")):
        if path.suffix not in _MARKDOWN_SUFFIXES or not path.is_file():
            continue
        src_uri = path.relative_to(docs_dir).as_posix()
        if excluded.match_file(src_uri) or drafts.match_file(src_uri):
            continue
        if path.stem == "README" and any(
            (path.parent / f"index{suffix}").is_file() for suffix in _MARKDOWN_SUFFIXES
        ):
            continue
        pages.append((src_uri, str(path)))
    return pages


def _read_yaml(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not valid UTF-8") from exc
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str) and parent:
        base_path = (path.parent / parent).resolve()
        if base_path in seen:
            raise ConfigError(f"{path}: INHERIT loops back to {base_path}")
        base = _read_yaml(base_path, (*seen, path.resolve()))
        data = _merge(base, data)
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The options given to the `dossier` plugin, whichever form `plugins:` takes."""
    items: list[Any]
    if isinstance(plugins, dict):
        items = [{name: options} for name, options in plugins.items()]
    elif isinstance(plugins, list):
        items = plugins
    else:
        return {}
    for item in items:
        if isinstance(item, dict):
            for name, options in item.items():
                if str(name).rsplit("/", 1)[-1] == "dossier":
                    return options if isinstance(options, dict) else {}
    return {}


def load_settings(config_file: str | Path) -> Settings:
    """docs_dir and the dossier plugin's folders, resolved against mkdocs.yml's folder."""
    path = Path(config_file)
    if not path.is_file():
        raise ConfigError(f"no {path} here (use --config PATH to point at mkdocs.yml)")
    data = _read_yaml(path)
    root = path.resolve().parent
    options = _plugin_options(data.get("plugins"))

    def folder(value: Any, default: str) -> Path:
        text = value if isinstance(value, str) and value.strip() else default
        return (root / text).resolve()

    project = Project(
        root=root,
        docs_dir=folder(data.get("docs_dir"), "docs"),
        entries_dir=folder(options.get("entries_dir"), "dossier"),
        geocache=folder(options.get("geocache"), "dossier/geocache.yml"),
    )

    def patterns(value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value if isinstance(value, str) else ""

    return Settings(
        config_file=path,
        project=project,
        exclude_docs=patterns(data.get("exclude_docs")),
        draft_docs=patterns(data.get("draft_docs")),
    )


# --------------------------------------------------------------------------- check


def run_check(settings: Settings) -> tuple[list[Diagnostic], int]:
    """Every diagnostic the build gives (sorted), and how many source files were read."""
    project = settings.project
    pages = settings.pages()
    dossier = load_dossier(project, pages)
    diagnostics = dossier.diagnostics
    entries = (
        sum(1 for _ in project.entries_dir.rglob("*.md")) if project.entries_dir.is_dir() else 0
    )
    return sorted(diagnostics), len(pages) + entries


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = load_settings(args.config)
    started = time.perf_counter()
    diagnostics, files = run_check(settings)
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
    """The front matter of a new entry of type `kind`, with a hint on every field."""
    quoted = yaml.safe_dump(name, allow_unicode=True, default_style='"', width=1 << 30)
    quoted = quoted.strip().removesuffix("...").strip()
    fields = [*_COMMON_FIELDS, *_TYPE_FIELDS[kind]]
    width = max(len(key) + 2 + len(value) for key, value, _ in fields) + 2
    fields.insert(0, ("name", quoted, ""))
    lines = ["---"]
    for key, value, hint in fields:
        line = f"{key}: {value}" if value else f"{key}:"
        lines.append(f"{line:<{width}}# {hint}".rstrip() if hint else line)
    lines.append("# Below the closing line: your notes on the entity, in Markdown; they")
    lines.append("# open its page and may mention others as [[Name]].")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .entries import load_entries

    settings = load_settings(args.config)
    project = settings.project
    kind = TYPE_ALIASES[args.type.lower()]
    name = " ".join(args.name.split())
    if not name:
        err.write("dossier new: the name is empty\n")
        return EXIT_USAGE
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

    settings = load_settings(args.config)
    return annotate_files(
        settings.project,
        settings.pages(),
        [Path(f) for f in args.files],
        write=args.write,
        every=args.all,
        out=out,
        err=err,
    )


# --------------------------------------------------------------------------- geocode


def place_queries(settings: Settings) -> list[Any]:
    """A PlaceQuery for every place whose entry gives no coordinates (stubs included),
    except whole countries, which the build places from the shipped country shapes."""
    from .geo.geocode import PlaceQuery, query_for
    from .geo.locate import where_defined

    project = settings.project
    dossier = load_dossier(project, settings.pages())
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
    settings = load_settings(args.config)
    project = settings.project
    places = place_queries(settings)
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
    annotate.add_argument("files", nargs="+", metavar="FILE")
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
