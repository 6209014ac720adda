"""The package's shape: layers import only downwards, modules form no cycles, and only the
MkDocs adapters import MkDocs. Read from the code's own imports (ast), so a new import
that breaks the shape fails here."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import mkdocs_dossier

PACKAGE = Path(mkdocs_dossier.__file__).parent

#: Lowest first. A module may import from its own layer and the layers below it.
LAYERS: list[set[str]] = [
    {"model", "names", "diagnostics", "files", "types", "geodesy"},  # plain data and helpers
    {"read"},  # sources -> entries, articles, mentions
    {"index"},  # resolution, the cross-article index, ranking, timelines, changes
    {"places"},  # coordinates: geocache, gazetteer, countries, geocode
    {"pages"},  # links, HTML of generated parts, templates
    {"maps"},  # SVG locator maps
    {"exports"},  # dossier.json, places.geojson, JSON-LD
    # the engine, site-wide services, the editor's import and annotation assistant
    {
        "pipeline",
        "diskcache",
        "parallel",
        "offline",
        "heap",
        "annotate",
        "importing",
        "newsnames",
        "newswords",
        "discover",
    },
    {"plugin", "navigation", "config", "site", "cli", "__init__", "__main__"},  # adapters
]
ADAPTERS = {"plugin", "navigation", "config", "site", "cli"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """Package-internal modules that `name` imports (anywhere in it), with line numbers;
    and external top-level packages, prefixed with `!`."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                module = node.module or ""
                if module.startswith("mkdocs_dossier"):
                    base = module.split(".")[1:]
                else:
                    found.append(("!" + module.split(".")[0], node.lineno))
                    continue
            else:
                base = here[: len(here) - (node.level - 1)] + (
                    node.module.split(".") if node.module else []
                )
            for alias in node.names:
                found.append((".".join([*base, alias.name]), node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found.append(("!" + alias.name.split(".")[0], node.lineno))
    return found


def _known(target: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted import target names (`read.grammar.scan` -> `read.grammar`)."""
    parts = target.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return "__init__" if target in ("__version__",) else None


def _layer(module: str) -> int:
    top = module.split(".")[0] or "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for target, _ in _imports(name, path):
            if target.startswith("!"):
                continue
            known = _known(target, modules)
            if known is not None and known != name and not (name.startswith(known + ".")):
                edges.add(known)
        graph[name] = edges
    return graph


def test_every_module_has_a_layer():
    for name in _modules():
        _layer(name)


def test_layers_import_only_downwards():
    modules = _modules()
    upward = []
    for name, path in modules.items():
        for target, line in _imports(name, path):
            known = None if target.startswith("!") else _known(target, modules)
            if known is not None and _layer(known) > _layer(name):
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {name} imports {known}")
    assert upward == []


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_only_the_adapters_import_mkdocs():
    importers = {
        name
        for name, path in _modules().items()
        for target, _ in _imports(name, path)
        if target == "!mkdocs"
    }
    assert importers and {name.split(".")[0] for name in importers} <= ADAPTERS, importers


def test_every_module_imports():
    for name in _modules():
        if name.split(".")[-1] != "__main__":
            importlib.import_module(
                f"mkdocs_dossier.{name}" if name != "__init__" else "mkdocs_dossier"
            )
