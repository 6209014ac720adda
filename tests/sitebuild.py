"""Real `mkdocs build` runs of small dossiers in temporary folders, for the tests."""

from __future__ import annotations

import filecmp
import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]

BASE_CONFIG = """\
site_name: Test dossier
docs_dir: content
use_directory_urls: {directory_urls}
theme:
  name: material
  font: false
plugins:
  - search
  - dossier
"""


@dataclass
class Build:
    """The result of one `mkdocs build`: where it wrote, what it logged, how it ended."""

    root: Path
    site: Path
    log: str
    returncode: int

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write `files` (relative path -> text, dedented, or bytes) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def run_build(
    root: Path, *, strict: bool = False, directory_urls: bool = False, config: str | None = None
) -> Build:
    """Run the real `mkdocs build` in `root` (writing mkdocs.yml unless it exists)."""
    config_path = root / "mkdocs.yml"
    if config is not None or not config_path.exists():
        text = config or BASE_CONFIG.format(directory_urls=str(directory_urls).lower())
        config_path.write_text(text, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    args = [*MKDOCS, "build", "--site-dir", str(root / "site")]
    if strict:
        args.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        args, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    build = Build(root, root / "site", proc.stdout + proc.stderr, proc.returncode)
    if build.returncode == 0:
        broken = broken_backlinks(build.site)
        assert broken == [], f"entity pages link to anchors that do not exist: {broken[:10]}"
    return build


_BACKLINK = re.compile(r'href="([^"#]+)#((?:m|about)-[^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')


def broken_backlinks(site: Path) -> list[tuple[str, str]]:
    """(entity page, link) for every `article#anchor` an entity page links to whose
    anchor the article does not have: every backlink must land on its mention."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for folder in ("people", "places", "organizations", "events"):
        for page in sorted((site / folder).rglob("*.html")) if (site / folder).is_dir() else []:
            for href, anchor in _BACKLINK.findall(page.read_text(encoding="utf-8")):
                target = (page.parent / unquote(html.unescape(href))).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if target not in ids:
                    text = target.read_text(encoding="utf-8") if target.is_file() else ""
                    ids[target] = set(_ID.findall(text))
                if html.unescape(anchor) not in ids[target]:
                    broken.append((page.relative_to(site).as_posix(), f"{href}#{anchor}"))
    return broken


def copy_sample(root: Path, dossier_options: str) -> None:
    """The repository's sample site (mkdocs.yml, content/, dossier/) copied into `root`,
    with `dossier_options` (YAML lines such as `csp: true`) under its `- dossier` plugin."""
    for folder in ("content", "dossier"):
        shutil.copytree(ROOT / folder, root / folder)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    options = "".join(f"\n      {line}" for line in dossier_options.strip().splitlines())
    assert config.count("\n  - dossier\n") == 1, "the sample's plugins list changed"
    config = config.replace("\n  - dossier\n", f"\n  - dossier:{options}\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def stop(proc: subprocess.Popen) -> None:
    """End a server the test started: politely, then for sure."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def build_log(site: Path, out: Path, config: str = "mkdocs.yml") -> str:
    """`mkdocs build -v -f config` in `site` into `out` (it must succeed): its log."""
    proc = subprocess.run(
        [*MKDOCS, "build", "-v", "-f", config, "-d", str(out)],
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr + proc.stdout


def tree_differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two folders, or are in only one (relative paths)."""
    found = []
    stack = [(filecmp.dircmp(left, right), "")]
    while stack:
        node, prefix = stack.pop()
        found += [prefix + name for name in node.left_only + node.right_only + node.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        found += [prefix + name for name in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return found
