"""Front matter read by the plugin itself, with the source position of every value.

MkDocs drops a front matter block it cannot parse without a word; editors need the line
of their YAML mistake, so we parse it here and keep marks for later field checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import Diagnostic, Position
from .text import read_source

# The block MkDocs recognises: `---` on the first line, closed by `---` or `...`.
_FENCE = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


# libyaml's parser when PyYAML has it (several times faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text so we validate them ourselves."""


# Strings like 2020-01-03 stay strings; we parse partial dates uniformly.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class FrontMatter:
    """Parsed front matter: values, where each top-level value starts, and the body."""

    data: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    item_positions: dict[str, list[Position]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line of the file on which the body starts
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True


def split(text: str, path: str) -> FrontMatter:
    """Split `text` (already decoded, `\\n` newlines) into front matter and body."""
    match = _FENCE.match(text)
    if not match:
        return FrontMatter(body=text, body_line=1)
    yaml_text = match.group(1) or ""
    body = text[match.end() :]
    body_line = text.count("\n", 0, match.end()) + 1
    result = FrontMatter(body=body, body_line=body_line)
    try:
        # One parse: compose the node tree (it carries the positions), then build values.
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 2) if mark is not None else 2  # +1 for 1-based, +1 for `---`
        col = (mark.column + 1) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        result.diagnostics.append(
            Diagnostic(path, line, col, "error", "bad-front-matter", f"invalid YAML: {problem}")
        )
        result.ok = False
        return result
    except RecursionError:
        result.diagnostics.append(
            Diagnostic(path, 2, 1, "error", "bad-front-matter", "invalid YAML: nested too deeply")
        )
        result.ok = False
        return result
    if data is None:
        return result
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        result.diagnostics.append(
            Diagnostic(
                path, 2, 1, "error", "bad-front-matter", "front matter must be a mapping of fields"
            )
        )
        result.ok = False
        return result
    result.data = {str(key): value for key, value in data.items()}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        result.positions[key] = _position(value_node)
        if isinstance(value_node, yaml.SequenceNode):
            result.item_positions[key] = [_position(item) for item in value_node.value]
    return result


def _position(node: yaml.Node) -> Position:
    # +1 for 1-based lines, +1 for the opening `---` line.
    return Position(node.start_mark.line + 2, node.start_mark.column + 1)


def read(raw: bytes, path: str) -> tuple[str, FrontMatter]:
    """Decode a source file's bytes and split it; undecodable bytes are reported."""
    text, valid = read_source(raw)
    fm = split(text, path)
    if not valid:
        fm.diagnostics.insert(
            0, Diagnostic(path, 1, 1, "warning", "bad-encoding", "file is not valid UTF-8")
        )
    return text, fm
