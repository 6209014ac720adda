"""Reading the site from disk: the search worker polyfill and the network check.

Plain Python (no MkDocs import): `network_diagnostics` takes any mapping shaped like
a loaded MkDocs config (or like the raw YAML) and says which settings would make a
site built for offline reading reach the network anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import problem
from .model import Diagnostic, Position
from .read import yamlpos

#: Where the plugin ships its Worker polyfill, relative to the site root.
POLYFILL_NAME = "iframe-worker.js"
POLYFILL_PATH = f"assets/dossier/{POLYFILL_NAME}"

#: The polyfill's source file inside the package.
POLYFILL_SOURCE = Path(__file__).parent / "assets" / POLYFILL_NAME

#: Names the offline plugin goes by under `plugins:`.
OFFLINE_PLUGINS = ("material/offline", "offline")

CODE = "offline-network"

# A key path into the YAML: mapping keys (str) and, for list items, the item's value.
_KeyPath = tuple[str, ...]


def is_remote(url: object) -> bool:
    """True for URLs a browser fetches from another host (http, https, or `//host`)."""
    text = str(url or "").strip().lower()
    return text.startswith(("http://", "https://", "//"))


def add_polyfill(polyfills: list[Any] | None, path: str = POLYFILL_PATH) -> list[Any]:
    """`polyfills` with our worker polyfill in it, and without remote iframe-worker shims.

    The offline plugin appends `https://unpkg.com/iframe-worker/shim` unless a polyfill
    whose URL contains "iframe-worker" is already listed; ours is such a polyfill.
    """
    kept = [p for p in (polyfills or []) if not ("iframe-worker" in str(p) and is_remote(p))]
    if path not in kept:
        kept.append(path)
    return kept


def network_diagnostics(
    config: Mapping[str, Any], *, text: str | None = None, path: str | None = None
) -> list[Diagnostic]:
    """Warnings for settings that make a site read offline reach the network.

    `config` is a loaded MkDocs config or the raw mkdocs.yml mapping. `text` is the
    config file's text (read from `config["config_file_path"]` when not given) and
    gives each warning the line and column of its key; `path` names the file in the
    warnings (default: the config file's name, else "mkdocs.yml").
    """
    file_path = _get(config, "config_file_path")
    if path is None:
        path = Path(file_path).name if file_path else "mkdocs.yml"
    if text is None and file_path:
        try:
            text = Path(file_path).read_text(encoding="utf-8")
        except OSError:
            text = None
    locate = _Locator(text)
    found: list[Diagnostic] = []

    def warn(keys: _KeyPath, message: str) -> None:
        line, col = locate(keys)
        found.append(problem("offline-network", path, Position(line, col), message))

    for keys, message in _problems(config):
        warn(keys, message)
    return sorted(found)


# --- what to look for ---------------------------------------------------------------


def _problems(config: Mapping[str, Any]) -> Iterator[tuple[_KeyPath, str]]:
    theme = _get(config, "theme")
    theme_name = theme if isinstance(theme, str) else _get(theme, "name")
    material = theme_name == "material"

    if material:
        font = _get(theme, "font")
        # Material's default (no `font:` key) is Roboto from Google Fonts.
        if font is None and not _has(theme, "font"):
            font = {"text": "Roboto"}
        if font:
            yield (
                ("theme", "font"),
                "theme.font loads web fonts from fonts.googleapis.com; "
                "set `font: false` under `theme:` for a site read offline",
            )
        for key in ("logo", "favicon"):
            value = _get(theme, key)
            if is_remote(value):
                yield (("theme", key), f"theme.{key} is fetched from the network: {value}")

    repo_url = _get(config, "repo_url")
    if repo_url and material:
        yield (
            ("repo_url",),
            "repo_url makes every page fetch the repository's facts (stars, forks, "
            "version) from its host's API; leave it out of a site read offline",
        )

    for key in ("extra_javascript", "extra_css"):
        for item in _as_list(_get(config, key)):
            url = _item_path(item)
            if is_remote(url):
                yield ((key, url), f"{key} loads {url} from the network")

    extra = _get(config, "extra") or {}
    analytics = _get(extra, "analytics")
    if analytics:
        provider = _get(analytics, "provider") or "analytics"
        yield (
            ("extra", "analytics"),
            f"extra.analytics ({provider}) sends every page view over the network",
        )
    for item in _as_list(_get(extra, "polyfills")):
        url = _item_path(item)
        if is_remote(url):
            yield (("extra", "polyfills", url), f"extra.polyfills loads {url} from the network")

    plugins = _plugin_names(_get(config, "plugins"))
    for name in ("material/social", "social"):
        if name in plugins:
            yield (
                ("plugins", name.split("/")[-1]),
                "the social plugin downloads fonts from Google Fonts while building",
            )
            break

    mdx = _get(config, "mdx_configs") or {}
    raw_extensions = _extension_options(_get(config, "markdown_extensions"))
    emoji = _get(mdx, "pymdownx.emoji")
    if emoji is None:
        emoji = raw_extensions.get("pymdownx.emoji")
    if emoji is not None or "pymdownx.emoji" in _as_list(_get(config, "markdown_extensions")):
        generator = _get(emoji or {}, "emoji_generator")
        name = getattr(generator, "__name__", str(generator or ""))
        if not name.endswith(("to_svg", "to_alt")):
            yield (
                ("markdown_extensions", "pymdownx.emoji"),
                "pymdownx.emoji draws emoji as images from a CDN; use "
                "`emoji_generator: !!python/name:material.extensions.emoji.to_svg`",
            )
    fences = _get(mdx, "pymdownx.superfences")
    if fences is None:
        fences = raw_extensions.get("pymdownx.superfences")
    for fence in _as_list(_get(fences or {}, "custom_fences")):
        if str(_get(fence, "name") or "").lower() == "mermaid":
            yield (
                ("markdown_extensions", "pymdownx.superfences"),
                "Mermaid diagrams make Material load mermaid.js from unpkg.com",
            )
            break


# --- reading config values, loaded or raw ---------------------------------------------


def _get(obj: Any, key: str) -> Any:
    if obj is None or isinstance(obj, str):
        return None
    getter = getattr(obj, "get", None)
    if callable(getter):
        try:
            return getter(key)
        except (KeyError, TypeError):
            return None
    try:
        return obj[key]
    except (KeyError, TypeError, IndexError):
        return getattr(obj, key, None)


def _has(obj: Any, key: str) -> bool:
    if obj is None or isinstance(obj, str):
        return False
    try:
        return key in obj
    except TypeError:
        return False


def _as_list(value: Any) -> list[Any]:
    if value is None or isinstance(value, (str, bytes, Mapping)):
        return [] if value is None else [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _item_path(item: Any) -> str:
    """The URL of an extra_javascript/extra_css/polyfills item (str, dict or object)."""
    if isinstance(item, str):
        return item
    value = _get(item, "path")
    return str(value) if value else str(getattr(item, "path", "") or "")


def _plugin_names(plugins: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(plugins, Mapping):  # loaded config (PluginCollection) or raw mapping
        return {str(k) for k in plugins}
    for item in _as_list(plugins):
        if isinstance(item, str):
            names.add(item)
        elif isinstance(item, Mapping):
            names.update(str(k) for k in item)
    return names


def _extension_options(extensions: Any) -> dict[str, Any]:
    """Options per extension from a raw `markdown_extensions:` list or mapping."""
    if isinstance(extensions, Mapping):
        return {str(k): v for k, v in extensions.items()}
    options: dict[str, Any] = {}
    for item in _as_list(extensions):
        if isinstance(item, Mapping):
            options.update({str(k): v for k, v in item.items()})
    return options


# --- finding a key in the file ------------------------------------------------------


def locate_key(text: str | None, keys: _KeyPath) -> tuple[int, int]:
    """Line and column (1-based) of a key path in a YAML file's text, else of its parent."""
    return _Locator(text)(keys)


class _Locator:
    """Line and column (1-based) of a key path in the YAML text, else of its parent."""

    def __init__(self, text: str | None) -> None:
        self.root: yaml.Node | None = None
        if text:
            try:
                self.root = yamlpos.compose(text)
            except yaml.YAMLError:
                self.root = None

    def __call__(self, keys: _KeyPath) -> tuple[int, int]:
        return yamlpos.find_key(self.root, keys)
