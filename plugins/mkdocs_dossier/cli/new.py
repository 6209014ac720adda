"""`dossier new TYPE NAME`: a new entry with the type's fields and a hint on each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

import frontmatter as frontmatter_lib

from ..files import display_path
from ..names import name_key, slugify
from ..site import load_site
from ..types import LIST_KINDS, TYPE_ALIASES, entity_type
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def entry_template(kind: str, name: str) -> str:
    """The front matter of a new entry of type `kind`: every field of the type (types.py)
    with its doc as a hint.

    python-frontmatter writes the fields (quoting the name however it needs); the hints
    are then added as YAML comments, which no serialiser writes."""
    fields = [f for f in entity_type(kind).all_fields if f.key != "name"]
    values: dict[str, Any] = {f.key: [] if f.kind in LIST_KINDS else f.starter for f in fields}
    post = frontmatter_lib.Post("", name=name, **values)
    text = frontmatter_lib.dumps(post, sort_keys=False, width=1 << 30)
    head, _, _ = text.rpartition("\n---")
    lines = [line.removesuffix(" null") for line in head.split("\n")]
    hints = {f.key: ("REQUIRED: " if f.required else "") + f.doc for f in fields}
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
    path = project.entries_dir / entity_type(kind).folder / f"{slug}.md"
    shown = display_path(path, project.root)
    if path.exists():
        err.write(f"dossier new: {shown} already exists; not overwritten\n")
        return EXIT_PROBLEMS
    entities, _ = load_entries(project.root, project.entries_dir)
    key = name_key(name)
    same = [e for e in entities if key and key in {name_key(n) for n in (e.name, *e.aliases)}]
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(entry_template(kind, name))
    except FileExistsError as exc:
        if exc.filename is not None and Path(exc.filename) == path:
            err.write(f"dossier new: {shown} already exists; not overwritten\n")
        else:  # a file where the type's folder (or a folder above it) should be
            blocked = display_path(exc.filename, project.root)
            err.write(f"dossier new: cannot write {shown}: {blocked} is not a folder\n")
        return EXIT_PROBLEMS
    except OSError as exc:
        # e.g. a file where the type's folder should be, or no permission to write there.
        err.write(f"dossier new: cannot write {shown}: {exc.strerror or exc}\n")
        return EXIT_PROBLEMS
    out.write(shown + "\n")
    for other in same:
        err.write(
            f"dossier new: note: {other.source} ({other.id}) already answers to "
            f'"{name}"; untyped mentions of it will be ambiguous\n'
        )
    for field in entity_type(kind).fields:
        if field.required:
            err.write(f"dossier new: fill in the {kind}'s {field.key} (required)\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("new", help="scaffold an entry: dossier new person 'Mike Pompeo'")
    parser.add_argument(
        "type",
        choices=sorted(TYPE_ALIASES),
        metavar="TYPE",
        help="the entry's type: " + ", ".join(sorted(TYPE_ALIASES)),
    )
    parser.add_argument("name", metavar="NAME")
    parser.set_defaults(run=run)
