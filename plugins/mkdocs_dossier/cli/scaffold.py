"""`dossier init`: a new dossier site that builds with `mkdocs build --strict` at once.

The site is an example story (an article, one entry of each type) with the settings this
repository's sample uses to read offline. The article and the entries are built from data
and written with python-frontmatter; mkdocs.yml, the README, the GitHub Pages workflow,
.gitignore and the home page are plain files under `templates/init/`.

Nothing is ever overwritten: when any file it would write exists, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import frontmatter

from .. import __version__
from ..places.geocache import render_geocache

TEMPLATES = Path(__file__).parent / "templates" / "init"

#: Where the example article lives, relative to docs_dir.
ARTICLE = "articles/2024-05-02-night-ferry-returns.md"
ARTICLE_TITLE = "Night ferry returns to the harbour after two years"


@dataclass(frozen=True)
class SiteFile:
    """One file of the new site: its path (POSIX, relative to the site's folder), its text."""

    path: str
    text: str


# --------------------------------------------------------------------------- the example


def _page(metadata: dict[str, Any], body: str) -> str:
    """A Markdown file with `metadata` as YAML front matter, keys in the order given."""
    post = frontmatter.Post(body.strip() + "\n", **metadata)
    # Flow style for short lists (`aliases: [Ruiz]`), as editors write them.
    text = frontmatter.dumps(post, sort_keys=False, default_flow_style=None, width=88)
    return text.rstrip("\n") + "\n"


def example_article() -> str:
    """The example article: mentions, a label, a typed stub and a statement."""
    return _page(
        {
            "title": ARTICLE_TITLE,
            "date": dt.date(2024, 5, 2),
            "source": "Example Gazette",
            "section": "City",
            "summary": "The night crossing across the river is back after two years.",
            "tags": ["transport"],
            "entities": ["event:Night ferry reopening"],
        },
        """
[[Ana Ruiz]], director of the [[Maas Ferry Company]], reopened the night crossing in
[[Rotterdam]] on Wednesday, two years after the service was suspended. Among the first
passengers was [[person:Tom Jansen]], who works late shifts at the port.

> We missed the night crossings as much as our passengers did.
> — [[Ana Ruiz|Ruiz]], at the reopening
""",
    )


_NOTE = "An example entry made by `dossier init`: edit it or delete it."


def example_entries() -> dict[str, str]:
    """One entry of each type, by path under `dossier/`."""
    return {
        "people/ana-ruiz.md": _page(
            {
                "name": "Ana Ruiz",
                "aliases": ["Ruiz"],
                "summary": "Director of the Maas Ferry Company (example).",
                "role": "Director",
                "affiliations": ["Maas Ferry Company"],
                "nationality": "Dutch",
            },
            f"{_NOTE}\nThese notes open the entity's page and may mention others, such as\n"
            "[[Rotterdam]].",
        ),
        "organizations/maas-ferry-company.md": _page(
            {
                "name": "Maas Ferry Company",
                "aliases": ["the ferry company"],
                "summary": "Runs the river ferries of Rotterdam (example).",
                "kind": "ferry operator",
                "country": "NL",
            },
            _NOTE,
        ),
        "places/rotterdam.md": _page(
            {
                "name": "Rotterdam",
                "summary": "Port city in the Netherlands.",
                "coordinates": [51.9225, 4.4792],
                "country": "NL",
                "kind": "city",
            },
            f"{_NOTE}\nA place needs coordinates to appear on maps: give them here, or run\n"
            "`dossier geocode` to look them up into `dossier/geocache.yml`.",
        ),
        "events/night-ferry-reopening.md": _page(
            {
                "name": "Night ferry reopening",
                "summary": "The night crossing on the Maas reopens (example).",
                "date": dt.date(2024, 5, 1),
                "place": "Rotterdam",
                "participants": ["Ana Ruiz", "Maas Ferry Company"],
            },
            _NOTE,
        ),
    }


# --------------------------------------------------------------------------- the site


def site_title(folder: Path) -> str:
    """A site name from the folder's name: `my-dossier` gives "My dossier"."""
    words = " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split())
    return (words[:1].upper() + words[1:]) if words else "My dossier"


def _template(name: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", value)
    return text


def site_files(site_name: str) -> list[SiteFile]:
    """Every file of a new dossier site called `site_name`."""
    values = {
        # A JSON string is a valid YAML double-quoted scalar, whatever the name holds.
        "site_name_yaml": json.dumps(site_name, ensure_ascii=False),
        "site_name": site_name,
        "article": ARTICLE,
        "article_title": ARTICLE_TITLE,
        "version": __version__,
    }
    files = [
        SiteFile("mkdocs.yml", _template("mkdocs.yml", values)),
        SiteFile("README.md", _template("README.md", values)),
        SiteFile(".gitignore", _template("gitignore", values)),
        SiteFile(".github/workflows/pages.yml", _template("pages.yml", values)),
        SiteFile("docs/index.md", _template("index.md", values)),
        SiteFile(f"docs/{ARTICLE}", example_article()),
    ]
    files += [SiteFile(f"dossier/{path}", text) for path, text in example_entries().items()]
    files.append(SiteFile("dossier/geocache.yml", render_geocache({})))
    return files


def conflicts(root: Path, files: Iterable[SiteFile]) -> list[str]:
    """The paths among `files` that something in `root` keeps from being written.

    Either the path exists (as a file, a folder, a symlink) or something that is not a
    folder stands where one of its folders must go.
    """
    found = []
    for site_file in files:
        target = root / site_file.path
        folders = Path(site_file.path).parents[:-1]  # without the final "."
        blocked = any(_in_the_way(root / folder) for folder in folders)
        if blocked or target.exists() or target.is_symlink():
            found.append(site_file.path)
    return found


def _in_the_way(folder: Path) -> bool:
    """Something other than a folder (a file, a broken symlink) where `folder` must go."""
    return not folder.is_dir() and (folder.exists() or folder.is_symlink())


class InitError(Exception):
    """The site cannot be written: a conflict, or the folder cannot be made."""

    def __init__(self, message: str, paths: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.paths = list(paths)


def write_site(root: Path, files: list[SiteFile]) -> list[str]:
    """Write `files` under `root` (made if missing) and give their paths.

    Raises InitError, having written nothing, when any of them exists already, and
    with the paths written so far when the system refuses a write.
    """
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} exists and is not a folder")
    clash = conflicts(root, files) if root.exists() else []
    if clash:
        raise InitError("these files exist already; nothing was written", clash)
    written: list[str] = []
    for site_file in files:
        target = root / site_file.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # "x": even a file that appeared since the check above is never overwritten.
            with open(target, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(site_file.text)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise InitError(
                f"cannot write {site_file.path}: {reason}; written before that:", written
            ) from exc
        written.append(site_file.path)
    return written


# --------------------------------------------------------------------------- command


def run_init(folder: str, out: TextIO, err: TextIO) -> int:
    """`dossier init FOLDER`: write the site, list its files and the next steps."""
    root = Path(folder)
    try:
        written = write_site(root, site_files(site_title(root)))
    except InitError as exc:
        err.write(f"dossier init: {exc}\n")
        for path in exc.paths:
            err.write(f"  {_shown(folder, path)}\n")
        return 1
    for path in written:
        out.write(_shown(folder, path) + "\n")
    steps = [] if root.resolve() == Path.cwd().resolve() else [f"cd {shlex.quote(folder)}"]
    steps += [
        "mkdocs serve           # preview on http://127.0.0.1:8000",
        "dossier check          # report unresolved mentions and other problems",
        "mkdocs build --strict  # the site in site/, readable from disk",
    ]
    out.write("\nNext steps:\n" + "".join(f"  {step}\n" for step in steps))
    return 0


def _shown(folder: str, path: str) -> str:
    return os.path.normpath(os.path.join(folder, path))
