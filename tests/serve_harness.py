"""`mkdocs serve --dirty`: the rebuild after editing one article, dossier vs plain MkDocs.

For a corpus written by `synthetic.py` (both sites), this harness copies a site to a temporary
folder, starts `mkdocs serve --dirty` on a free 127.0.0.1 port, waits for the first build,
then edits one article a few times:

1. add a mention of entity X (not in the article) and remove every mention of entity Y;
2. restore the article;
3. the first edit again.

After each edit it times the rebuild from serve's "Building documentation..." to its
"Reloading browsers" (MkDocs' own "Documentation built in S seconds" is kept when logged:
its duplicate filter drops a repeat of the same text), the wall time from the write to the
reload (file watcher included), and which HTML files the rebuild wrote (serve builds into
a temporary folder; a private TMPDIR makes it findable). On the dossier it also fetches,
over HTTP from the served site, the article and the pages of X and Y, and checks that they are
rebuilt and correct: after edit 1 X's page lists the article with a link to the new
mention's anchor and Y's page no longer lists it; after the restore, the reverse.

`python bench/serve_dirty.py N` runs it on both sites of a corpus; tests/test_serve_dirty.py
and tests/test_dirty.py use it on small ones.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import synthetic as corpus

BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
STARTED = re.compile(r"Building documentation\.\.\.")
RELOADED = re.compile(r"Reloading browsers")
# MkDocs drops a log message identical to an earlier one (DuplicateFilter on the build
# logger), so "Documentation built in 0.43 seconds" may not show twice: a rebuild ends at
# "Reloading browsers", and lasts from "Building documentation..." to that line.


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `mkdocs serve --dirty` and its log, line by line."""

    root: Path
    port: int
    proc: subprocess.Popen
    lines: queue.Queue = field(default_factory=queue.Queue)
    log: list[str] = field(default_factory=list)
    site_dir: Path | None = None
    reader: threading.Thread | None = None

    @classmethod
    def start(cls, root: Path, dirty: bool = True, env: dict | None = None) -> Server:
        port = free_port()
        # serve builds into mkdtemp(prefix="mkdocs_"): a private TMPDIR makes it findable.
        tmp = root.parent / "tmp"
        tmp.mkdir(exist_ok=True)
        args = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        if dirty:
            args.append("--dirty")
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
            "TMPDIR": str(tmp),
            **(env or {}),
        }
        proc = subprocess.Popen(
            args,
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        server = cls(root, port, proc)
        server.reader = threading.Thread(target=server._read, daemon=True)
        server.reader.start()
        return server

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))
        self.lines.put((time.perf_counter(), None))

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> tuple[float, re.Match[str]]:
        """The time and match of the next log line matching `pattern`."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = "\n".join(self.log[-15:])
                raise TimeoutError(f"no {pattern.pattern!r} in {timeout:.0f} s; log:\n{tail}")
            try:
                stamp, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                tail = "\n".join(self.log[-20:])
                raise RuntimeError(f"mkdocs serve exited ({self.proc.poll()}):\n{tail}")
            self.log.append(line)
            if self.site_dir is None:
                found = sorted((self.root.parent / "tmp").glob("mkdocs_*"))
                self.site_dir = found[0] if found else None
            match = pattern.search(line)
            if match:
                return stamp, match

    def wait_started(self, path: Path, after: float = 15.0, tries: int = 4) -> tuple[float, int]:
        """Wait until serve starts rebuilding after a write of `path`; touch it again if it
        did not (a polling watcher can miss a write made while it takes its first
        snapshot). Returns when the rebuild started and how often the file was touched."""
        for nudge in range(tries):
            try:
                stamp, _ = self.wait_for(STARTED, after)
                return stamp, nudge
            except TimeoutError:
                os.utime(path)
        raise TimeoutError(f"mkdocs serve never noticed the edit of {path}")

    def wait_rebuilt(self, timeout: float) -> tuple[float, float | None]:
        """When the rebuild ended, and the time MkDocs reported for it (None when its log
        line was dropped as a duplicate)."""
        reported = None
        deadline = time.perf_counter() + timeout
        while True:
            stamp, match = self.wait_for(
                re.compile(f"{BUILT.pattern}|{RELOADED.pattern}"), deadline - time.perf_counter()
            )
            if match.group(1) is not None:
                reported = float(match.group(1))
            else:
                return stamp, reported

    def get(self, path: str) -> str:
        url = f"http://127.0.0.1:{self.port}/{path}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.reader is not None:
            self.reader.join(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@dataclass
class Edit:
    """One article and the two entities whose mentions the edit adds and removes."""

    article: corpus.Art
    added: corpus.Ent  # X: not mentioned in the article before the edit
    removed: corpus.Ent  # Y: mentioned in the article (in the text only), and elsewhere

    def apply(self, text: str, variant: str) -> str:
        """The article with Y's mentions unlinked and a sentence mentioning X appended."""
        if variant == "dossier":
            for men in self._mentions_of_removed():
                text = text.replace(f"[[{men.target}]]", men.label)
            sentence = f"[[{self.added.name}]] was named in a late update."
        else:
            target = re.escape("../" + self.removed.path)
            text = re.sub(r"\[([^\]]*)\]\(" + target + r"\)", r"\1", text)
            sentence = f"[{self.added.name}](../{self.added.path}) was named in a late update."
        return text.rstrip("\n") + "\n\n" + sentence + "\n"

    def _mentions_of_removed(self) -> list[corpus.Men]:
        found = []
        for _, men in corpus.iter_sentences(self.article):
            if men.ent is self.removed:
                found.append(men)
        return found


def choose_edit(model: corpus.Model) -> Edit:
    """A mid-corpus article, a person it does not mention, and one it mentions in its text."""
    mentions = model.mentions_by_entity()
    article = model.articles[len(model.articles) // 2]
    in_text = {men.ent.id: men.ent for _, men in corpus.iter_sentences(article) if men.ent}
    about = {e.id for e in article.about}
    removed = next(
        ent
        for ent in in_text.values()
        if ent.type == "person"
        and ent.id not in about
        and len({a.slug for a, _, _ in mentions.get(ent.id, [])}) > 1
    )
    added = next(
        ent
        for ent in reversed(model.entities["person"])
        if ent.id not in in_text and ent.id not in about
    )
    return Edit(article, added, removed)


def _page(ent: corpus.Ent) -> str:
    return f"{corpus.FOLDERS[ent.type]}/{ent.slug}.html"


def _article_page(art: corpus.Art) -> str:
    return f"articles/{art.slug}.html"


def check_pages(server: Server, edit: Edit, edited: bool) -> list[str]:
    """Problems with the served pages of the article, X and Y after an edit (or restore)."""
    problems: list[str] = []
    art_url = _article_page(edit.article)
    article = server.get(art_url)
    x_page = server.get(_page(edit.added))
    y_page = server.get(_page(edit.removed))
    link_to_article = re.compile(r'href="\.\./articles/' + re.escape(edit.article.slug) + r"\.html")
    x_id, y_id = edit.added.id, edit.removed.id
    has_x = f'data-entity="{x_id}"' in article
    has_y = f'data-entity="{y_id}"' in article
    if edited:
        if not has_x:
            problems.append(f"{art_url}: no mention link to {x_id} after the edit")
        if has_y:
            problems.append(f"{art_url}: still links {y_id} after its mentions were removed")
        anchor = f"#m-{x_id.replace(':', '-')}-1"
        if not link_to_article.search(x_page) or anchor not in x_page:
            problems.append(f"{_page(edit.added)}: does not list the edited article ({anchor})")
        if link_to_article.search(y_page.split('id="dossier-related"')[0]):
            problems.append(
                f"{_page(edit.removed)}: still lists the article that no longer mentions it"
            )
    else:
        if has_x:
            problems.append(f"{art_url}: still links {x_id} after the restore")
        if not has_y:
            problems.append(f"{art_url}: no mention link to {y_id} after the restore")
        if link_to_article.search(x_page.split('id="dossier-related"')[0]):
            problems.append(f"{_page(edit.added)}: still lists the article after the restore")
        if not link_to_article.search(y_page):
            problems.append(f"{_page(edit.removed)}: does not list the article after the restore")
    return problems


def _rewritten(site_dir: Path | None, since: float) -> list[str] | None:
    """HTML files under the serve folder modified after `since` (a time.time() value)."""
    if site_dir is None or not site_dir.is_dir():
        return None
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        try:
            if path.stat().st_mtime >= since:
                found.append(path.relative_to(site_dir).as_posix())
        except OSError:
            pass
    return found


def measure(
    site: Path,
    variant: str,
    edit: Edit,
    first_build_timeout: float = 1800,
    rebuild_timeout: float = 900,
    check: bool | None = None,
    env: dict | None = None,
) -> dict:
    """Serve a copy of `site` with --dirty, run the three edits, and report each rebuild."""
    check = (variant == "dossier") if check is None else check
    with tempfile.TemporaryDirectory(prefix=f"bench-serve-{variant}-") as tmp:
        root = Path(tmp) / variant
        shutil.copytree(site, root, ignore=shutil.ignore_patterns("site"))
        path = root / "content" / edit.article.path
        original = path.read_text(encoding="utf-8")
        changed = edit.apply(original, variant)
        assert changed != original
        start = time.perf_counter()
        server = Server.start(root, env=env)
        result: dict = {"variant": variant, "rebuilds": [], "problems": []}
        try:
            _, match = server.wait_for(BUILT, first_build_timeout)
            result["first_build_reported"] = float(match.group(1))
            result["first_build_wall"] = time.perf_counter() - start
            # The server answers once it logs "Serving on"; wait for it.
            server.wait_for(re.compile(r"Serving on"), 60)
            for step, (text, edited) in enumerate(
                ((changed, True), (original, False), (changed, True))
            ):
                time.sleep(3.0 if step == 0 else 1.5)  # let the watcher settle
                since = time.time()
                written = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                began, nudges = server.wait_started(path)
                ended, reported = server.wait_rebuilt(rebuild_timeout)
                rebuild = {
                    "step": step + 1,
                    "edited": edited,
                    "build": ended - began,
                    "reported": reported,
                    "wall": ended - written,
                    "rewritten": _rewritten(server.site_dir, since),
                    "nudges": nudges,
                }
                found = rebuild["rewritten"]
                rebuild["pages_rewritten"] = -1 if found is None else len(found)
                if check:
                    time.sleep(0.3)
                    problems = check_pages(server, edit, edited)
                    rebuild["problems"] = problems
                    result["problems"] += [f"edit {step + 1}: {p}" for p in problems]
                result["rebuilds"].append(rebuild)
        finally:
            server.stop()
        result["warnings"] = sum(1 for line in server.log if line.startswith("WARNING"))
        builds = [r["build"] for r in result["rebuilds"]]
        result["median_build"] = statistics.median(builds) if builds else None
        result["median_wall"] = (
            statistics.median(r["wall"] for r in result["rebuilds"]) if builds else None
        )
        return result
