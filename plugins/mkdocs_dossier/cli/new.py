"""`dossier new TYPE NAME`: a new entry with the type's fields and a hint on each."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

import frontmatter as frontmatter_lib

from ..files import display_path
from ..model import TYPE_ALIASES, TYPE_FOLDERS
from ..names import name_key, slugify
from ..site import load_site
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

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


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..read.entries import load_entries

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


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("new", help="scaffold an entry: dossier new person 'Mike Pompeo'")
    parser.add_argument(
        "type",
        choices=sorted(TYPE_ALIASES),
        metavar="TYPE",
        help="person, place, org (organization) or event",
    )
    parser.add_argument("name", metavar="NAME")
    parser.set_defaults(run=run)
