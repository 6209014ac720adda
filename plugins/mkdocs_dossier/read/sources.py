"""Reading every source once: entries and articles, cached across `mkdocs serve` rebuilds."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ..diagnostics import problem
from ..files import content_key, display_path
from ..model import Diagnostic, Entity, Position
from .articles import ArticleSource, read_article
from .entries import load_entries


@dataclass
class Project:
    """Where a dossier's sources live."""

    root: Path  # the folder of mkdocs.yml; diagnostics are relative to it
    docs_dir: Path
    entries_dir: Path
    geocache: Path


class Store(Protocol):
    """A persistent cache (diskcache.Store): items by a digest of their inputs."""

    def get(self, table: str, key: bytes, compute: Callable[[], Any]) -> Any: ...


@dataclass
class SourceCache:
    """Sources parsed once and reused while their files hold (size and mtime).

    Articles are cached one by one; the entries as a whole (any change under the entries
    folder reloads them all). `mkdocs serve` keeps one cache across rebuilds, so a
    rebuild after an edit parses only the edited file. With a `store` (the persistent
    cache of `mkdocs build`), a file not parsed in this process is looked up there by
    its bytes and names before it is parsed.
    """

    articles: dict[str, tuple[tuple[int, int], ArticleSource]] = field(default_factory=dict)
    entries: tuple[object, list[Entity], list[Diagnostic]] | None = None
    store: Store | None = None

    def article(
        self, abs_path: str, src_uri: str, display: str | Callable[[], str]
    ) -> ArticleSource | None:
        """The parsed page at `abs_path`; `display` (or a function giving it, called only
        when the file must be read) is its path for diagnostics."""
        try:
            stat = os.stat(abs_path)
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self.articles.get(abs_path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            with open(abs_path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        shown = display if isinstance(display, str) else display()
        if self.store is None:
            source = read_article(raw, src_uri, shown)
        else:
            key = content_key(src_uri, shown, raw)
            source = self.store.get("articles", key, lambda: read_article(raw, src_uri, shown))
        self.articles[abs_path] = (stamp, source)
        return source

    def load_entries(self, root: Path, entries_dir: Path) -> tuple[list[Entity], list[Diagnostic]]:
        """`entries.load_entries`, reused while no file under `entries_dir` changed."""
        stamp = _entries_stamp(root, entries_dir)
        if self.entries is None or self.entries[0] != stamp:
            if self.store is None:
                entities, diagnostics = load_entries(root, entries_dir)
            else:
                entities, diagnostics = self.store.get(
                    "entries",
                    _entries_key(root, entries_dir),
                    lambda: load_entries(root, entries_dir),
                )
            self.entries = (stamp, entities, diagnostics)
        _, entities, diagnostics = self.entries
        return [_fresh_entity(entity) for entity in entities], list(diagnostics)


def _entries_stamp(root: Path, entries_dir: Path) -> object:
    """What `load_entries` reads, as paths with their mtime and size."""
    if not entries_dir.is_dir():
        return (str(root), str(entries_dir), None)
    files = []
    for path in sorted(entries_dir.rglob("*.md")):
        try:
            info = path.stat()
        except OSError:
            files.append((str(path), None))
            continue
        files.append((str(path), info.st_mtime_ns, info.st_size, stat.S_ISREG(info.st_mode)))
    return (str(root), str(entries_dir), tuple(files))


def _entries_key(root: Path, entries_dir: Path) -> bytes:
    """A digest of what `load_entries` reads: every entry file's path and bytes (a file
    that cannot be read, or is not a file, counts as such)."""
    parts: list[str | bytes] = [str(root), str(entries_dir)]
    if entries_dir.is_dir():
        for path in sorted(entries_dir.rglob("*.md")):
            parts.append(str(path))
            try:
                parts.append(path.read_bytes() if path.is_file() else b"\0not a file")
            except OSError as error:
                parts.append(f"\0unreadable {error.errno}")
    return content_key(*parts)


def _fresh_entity(entity: Entity) -> Entity:
    """A copy that resolution and geocoding can fill (links, body mentions, coordinates)
    without touching the cached entry."""
    return replace(entity, links={}, body_mentions=[], body_rewrites=[])


def symlink_loops(docs_dir: Path, root: Path) -> list[Diagnostic]:
    """Folder links under docs_dir that point back to a folder containing them: MkDocs
    follows folder links while collecting pages, and such a loop crashes it."""
    found = []
    visited: set[str] = set()
    for folder, subfolders, _ in os.walk(docs_dir, followlinks=True):
        here = os.path.realpath(folder)
        if here in visited:  # reached again through another link: walked already
            subfolders[:] = []
            continue
        visited.add(here)
        kept = []
        for name in subfolders:
            link = os.path.join(folder, name)
            target = os.path.realpath(link)
            if os.path.islink(link) and (here == target or here.startswith(target + os.sep)):
                found.append(
                    problem(
                        "symlink-loop",
                        _link_path(link, root),
                        Position(1, 1),
                        f"this folder link points back to {display_path(target, root)}, "
                        "which contains it: MkDocs would collect pages from it forever",
                    )
                )
            else:
                kept.append(name)
        subfolders[:] = kept
    return sorted(found)


def _link_path(link: str, root: Path) -> str:
    """A link's own path (not its target's) relative to the project root."""
    try:
        return Path(os.path.abspath(link)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(link).as_posix()
