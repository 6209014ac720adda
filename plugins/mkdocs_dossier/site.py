"""The site as `mkdocs build` sees it, for the `dossier` command.

The command loads mkdocs.yml with MkDocs' own loader (INHERIT, `!ENV`, validation,
plugins), fires the events a build fires up to file collection (`startup`, `config`,
`files`, every plugin in MkDocs' order) and takes the dossier plugin's project, pages and
config-level diagnostics from there: so `dossier check` reads exactly the pages and
settings the build reads. Nothing is rendered and nothing is written. Like plugin.py,
this is the MkDocs side of the package; the engine does not import it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs import exceptions
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from .diagnostics import problem
from .model import Diagnostic, Position
from .offline import locate_key
from .plugin import DossierPlugin
from .read.sources import Project

#: Codes of what MkDocs itself (or another plugin) logs while the site loads.
MKDOCS_CODE = "mkdocs"
MKDOCS_ERROR_CODE = "mkdocs-error"


class ConfigError(Exception):
    """mkdocs.yml is missing, invalid, or does not use the dossier plugin."""


@dataclass
class Site:
    """What the build reads: the dossier's folders, its pages, and what loading said."""

    config_file: Path
    project: Project
    pages: list[tuple[str, str]]  # (src_uri, absolute path), as the plugin indexes them
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # docs_dir's other files (src_uri)


def load_site(config_file: str | Path) -> Site:
    """Load the site at `config_file` as `mkdocs build` would, up to its files."""
    path = Path(config_file)
    if not path.is_file():
        raise ConfigError(f"no {path} here (use --config PATH to point at mkdocs.yml)")
    shown = path.name
    with _mkdocs_log(path) as logged:
        try:
            config = load_config(str(path))
        except (exceptions.MkDocsException, OSError) as exc:
            # load_config has logged each invalid setting; add why it stopped.
            problems = [d for d in logged if d.severity == "error"]
            raise ConfigError("\n".join(d.format() for d in problems) or f"{shown}: {exc}") from exc
        plugin = next((p for p in config.plugins.values() if isinstance(p, DossierPlugin)), None)
        if plugin is None:
            raise ConfigError(
                f"{shown} does not use the dossier plugin (add `- dossier` to plugins)"
            )
        plugin.collect_only = True
        config.plugins.on_startup(command="build", dirty=False)
        try:
            config = config.plugins.on_config(config)
            files = get_files(config)
            files.add_files_from_theme(config.theme.get_env(), config)
            config.plugins.on_files(files, config=config)
        except exceptions.MkDocsException as exc:
            raise ConfigError(f"{shown}: {exc}") from exc
        finally:
            config.plugins.on_shutdown()
            # MkDocs keeps plugin instances that define on_startup for the whole process
            # (for `serve`): the next build in this process must not stop at its files.
            plugin.collect_only = False
    if plugin.project is None:
        raise ConfigError(f"the dossier plugin is disabled in {shown} (enabled: false)")
    diagnostics = sorted({*plugin.config_diagnostics, *logged})
    return Site(path, plugin.project, plugin.pages, diagnostics, plugin.files)


@contextmanager
def _mkdocs_log(config_file: Path) -> Iterator[list[Diagnostic]]:
    """Collect what MkDocs and other plugins warn about while the site loads.

    The dossier plugin's own warnings are left out: they are values on the plugin."""
    found: list[Diagnostic] = []
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name.startswith("mkdocs.plugins.dossier"):
                return
            message = record.getMessage()
            line, col = 1, 1
            if message.startswith("Config value '"):
                key = message[len("Config value '") :].partition("'")[0]
                line, col = locate_key(text, tuple(key.split(".")))
            code = MKDOCS_ERROR_CODE if record.levelno >= logging.ERROR else MKDOCS_CODE
            found.append(problem(code, config_file.name, Position(line, col), message))

    logger = logging.getLogger("mkdocs")
    handler = Collect(logging.WARNING)
    saved = logger.propagate, logger.handlers[:]
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        yield found
    finally:
        logger.propagate, logger.handlers[:] = saved[0], saved[1]
