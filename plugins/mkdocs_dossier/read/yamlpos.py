"""YAML with positions: one parse gives the node tree and the values, and every node
knows where it starts, so a message can point at the line and column of a mistake.

Used for front matter (read/frontmatter.py), the geocache (places/geocache.py) and the
network check of mkdocs.yml (offline.py). Lines and columns here are 1-based;
`first_line` is the file line on which the YAML text starts (2 for front matter, which
follows its opening `---`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

__all__ = [
    "compose",
    "compose_values",
    "construct",
    "error_at",
    "find_key",
    "first_too_deep",
    "first_too_deep_token",
    "is_null",
    "line_col",
    "scalar_text",
]


def compose(text: str, loader: type = yaml.SafeLoader) -> yaml.Node | None:
    """The node tree of `text`, values not built (so custom tags such as `!ENV` or
    `!!python/name:` need no constructors). Raises yaml.YAMLError."""
    return yaml.compose(text, Loader=loader)


def compose_values(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of `text` and its values, from one parse (values `{}` when empty).
    Raises yaml.YAMLError, or RecursionError for pure-Python PyYAML on deep nesting."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    finally:
        loader.dispose()


def construct(node: yaml.Node) -> Any:
    """The Python value of one composed node, built by PyYAML's safe constructor."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


#: What YAML counts as a line break besides `\n`; editors (and our positions) do not.
_OTHER_BREAKS = ("\u2028", "\u2029", "\x85")


def line_col(
    at: yaml.Node | yaml.Mark | None, first_line: int = 1, text: str | None = None
) -> tuple[int, int]:
    """Line and column where a node (or mark) starts; `(first_line, 1)` when unknown.

    With the YAML `text`, lines are counted as editors count them: YAML also breaks lines
    at U+2028, U+2029 and U+0085, which would shift every position after one."""
    mark = at.start_mark if isinstance(at, yaml.Node) else at
    if mark is None:
        return first_line, 1
    if text is not None and any(brk in text for brk in _OTHER_BREAKS):
        start = text.rfind("\n", 0, mark.index) + 1
        return text.count("\n", 0, mark.index) + first_line, mark.index - start + 1
    return mark.line + first_line, mark.column + 1


def error_at(exc: yaml.YAMLError) -> tuple[yaml.Mark | None, str]:
    """Where a YAML error is, and what it says in a few words."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return mark, problem


def scalar_text(node: yaml.Node) -> str | None:
    """A scalar's text as written (None for a mapping or sequence)."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def is_null(node: yaml.Node) -> bool:
    """True for `~`, `null` or an empty value."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


# --- nesting depth ----------------------------------------------------------------------


def first_too_deep(root: yaml.Node | None, max_depth: int) -> yaml.Mark | None:
    """Where the first collection nested deeper than `max_depth` starts (walked without
    recursion), or None."""
    stack = [(root, 1)] if isinstance(root, yaml.CollectionNode) else []
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return node.start_mark
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [child for pair in node.value for child in pair]
        )
        stack.extend(
            (child, depth + 1)
            for child in reversed(children)
            if isinstance(child, yaml.CollectionNode)
        )
    return None


_OPENING = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def first_too_deep_token(text: str, max_depth: int) -> yaml.Mark | None:
    """Like `first_too_deep`, from the token stream, for text that does not parse.

    PyYAML's scanner is iterative, so this survives any depth."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENING):
                depth += 1
                if depth > max_depth:
                    return token.start_mark
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


# --- finding a key ----------------------------------------------------------------------


def find_key(root: yaml.Node | None, keys: Sequence[str]) -> tuple[int, int]:
    """Line and column of a key path (mapping keys; for list items, the item's value or
    its `path:`), else of the deepest part of it found, else (1, 1)."""
    node = root
    best = (1, 1)
    for key in keys:
        found = _child(node, key)
        if found is None:
            break
        best = line_col(found)
        node = _value(node, found)
    return best


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The key node (mappings) or item node (sequences) named `key` under `node`."""
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == key:
                return item
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == key:
                        return k
                    if (
                        isinstance(k, yaml.ScalarNode)
                        and k.value == "path"
                        and isinstance(v, yaml.ScalarNode)
                        and v.value == key
                    ):
                        return item
    return None


def _value(parent: yaml.Node | None, found: yaml.Node) -> yaml.Node | None:
    """What to descend into after finding `found` under `parent`."""
    if isinstance(parent, yaml.MappingNode):
        for k, v in parent.value:
            if k is found:
                return v
    if isinstance(parent, yaml.SequenceNode):
        for item in parent.value:
            if item is found:
                return item
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if k is found:
                        return v
    return None
