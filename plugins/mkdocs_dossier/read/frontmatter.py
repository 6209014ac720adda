"""Front matter read by the plugin itself, with the source position of every value.

MkDocs drops a front matter block it cannot parse without a word; editors need the line
of their YAML mistake, so we parse it here and keep marks for later field checks. What
counts as front matter, and where the body starts, follows MkDocs exactly
(`mkdocs.utils.meta.get_data`; tests/test_frontmatter.py compares the two): a YAML block
fenced by `---` lines, or else MultiMarkdown-style `Key: value` lines at the top. A YAML
block that does not parse to a mapping stays part of the page, as MkDocs renders it.
Writing front matter is python-frontmatter's job (cli.py, scaffold.py), not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import problem
from ..model import Diagnostic, Position
from . import yamlpos
from .text import read_source

# The block MkDocs recognises: `---` on the first line, at least one line of YAML, closed
# by `---` or `...` and a line break (a closing fence at the very end of the file is not
# one: MkDocs renders such a page as it stands).
_FENCE = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# MultiMarkdown meta-data, which MkDocs reads when there is no YAML block.
_MMD_KEY = re.compile(r"[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MMD_MORE = re.compile(r"(?:[ ]{4}|\t)\s*(?P<value>.*)")


# Deeper nesting is refused before PyYAML sees it: pure-Python PyYAML recurses once per
# level (RecursionError near 400), libyaml stops at 1000 since PyYAML 6.0.4. Our own limit
# keeps the diagnostic the same whichever parser and version is installed.
MAX_DEPTH = 100


def _without_timestamps(base: type) -> type:
    """A safe loader that keeps dates as text, so we validate them ourselves, and that
    refuses an integer too long for Python (over 4300 digits) as a YAML error, as MkDocs
    does (it then renders the whole block as text)."""
    loader = type(f"_Dossier{base.__name__}", (base,), {})
    loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
    return loader


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError as exc:
        if sum(c.isdigit() for c in str(node.value)) <= 4300:
            raise  # `!!int abc`: explained like any value a constructor refuses
        raise yaml.constructor.ConstructorError(
            None, None, "a number of more than 4300 digits", node.start_mark
        ) from exc


# libyaml's parser when PyYAML has it (several times faster) for documents that parse;
# the pure-Python one explains the documents that do not, so an error's wording and
# position never depend on whether libyaml is installed.
_PURE_LOADER = _without_timestamps(yaml.SafeLoader)
_FAST_LOADER = _without_timestamps(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass
class FrontMatter:
    """Parsed front matter: values, where each top-level value starts, and the body."""

    data: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    item_positions: dict[str, list[Position]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line of the file on which the body starts
    diagnostics: list[Diagnostic] = field(default_factory=list)


def split(text: str, path: str, *, page: bool = True) -> FrontMatter:
    """Split `text` (already decoded, `\\n` newlines) into front matter and body.

    `page`: the file is a page MkDocs renders, so a YAML block that is not a mapping
    stays in its body as MkDocs leaves it; an entry's body starts after the block."""
    match = _FENCE.match(text)
    if not match:
        return _multimarkdown(text)
    body_line = text.count("\n", 0, match.end()) + 1
    result = FrontMatter(body=text[match.end() :], body_line=body_line)
    yaml_text = match.group(1)
    parsed = _parse(yaml_text, path)
    if isinstance(parsed, Diagnostic):
        result.diagnostics.append(parsed)
        if page and _mkdocs_takes(yaml_text):
            # Deeper than our limit, or an alias inside itself, yet MkDocs reads it: the
            # block is not part of the page, whatever we make of its fields.
            return result
    elif not isinstance(parsed[1], dict) or not isinstance(parsed[0], yaml.MappingNode):
        if parsed[1] is not None:
            result.diagnostics.append(
                problem(
                    "bad-front-matter",
                    path,
                    Position(2, 1),
                    "front matter must be a mapping of fields",
                )
            )
    elif page and (refused := _timestamp_mkdocs_refuses(parsed[0])) is not None:
        # We read dates as text; MkDocs reads YAML timestamps and refuses the whole block
        # over one that is not a date (2020-02-30): it renders the block in the page.
        node, message = refused
        result.diagnostics.append(
            problem(
                "bad-front-matter",
                path,
                Position(*_line_col(node, yaml_text)),
                f'invalid YAML: "{node.value}" looks like a timestamp but is not one '
                f"({message}); quote it",
            )
        )
    else:
        node, data = parsed
        result.data = {str(key): value for key, value in data.items()}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = Position(*_line_col(key_node, yaml_text))
            if key in first_line:
                # YAML keeps the last value without a word, as MkDocs does: say so.
                result.diagnostics.append(
                    problem(
                        "duplicate-key",
                        path,
                        where,
                        f'"{key}" is given twice (first on line {first_line[key]}); '
                        "the last value is used",
                    )
                )
            first_line.setdefault(key, where.line)
            result.positions[key] = Position(*_line_col(value_node, yaml_text))
            if isinstance(value_node, yaml.SequenceNode):
                result.item_positions[key] = [
                    Position(*_line_col(item, yaml_text)) for item in value_node.value
                ]
        return result
    if page:
        # MkDocs keeps a block that is not a mapping of fields as part of the page.
        result.body, result.body_line = text, 1
    return result


# What MkDocs reads a YAML block with (mkdocs.utils.meta.get_data): libyaml's safe loader
# when PyYAML has it, YAML timestamps included; it takes the block when that gives a
# mapping, and leaves it in the page on any exception.
_MKDOCS_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = next(
    regexp
    for tag, regexp in yaml.SafeLoader.yaml_implicit_resolvers["0"]
    if tag == "tag:yaml.org,2002:timestamp"
)


def _mkdocs_takes(yaml_text: str) -> bool:
    """Whether MkDocs takes this YAML block as the page's front matter."""
    try:
        return isinstance(yaml.load(yaml_text, Loader=_MKDOCS_LOADER), dict)
    except Exception:  # noqa: BLE001 - MkDocs catches everything here too
        return False


def _timestamp_mkdocs_refuses(root: yaml.Node | None) -> tuple[yaml.ScalarNode, str] | None:
    """The first plain scalar MkDocs reads as a timestamp and cannot build (the only
    YAML our loader takes and MkDocs' refuses), with why."""
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if not node.style and _TIMESTAMP.match(node.value):  # plain: None or ""
                try:
                    yaml.load(node.value, Loader=_MKDOCS_LOADER)
                except Exception as exc:  # noqa: BLE001 - as MkDocs
                    return node, str(exc)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return None


def _multimarkdown(text: str) -> FrontMatter:
    """`Key: value` lines at the top of the page, read as MkDocs reads them."""
    result = FrontMatter(body=text, body_line=1)
    offset = 0
    line_number = 0
    key = None
    while offset < len(text):
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        line = text[offset:end]
        if not line.strip():
            offset, line_number = min(end + 1, len(text)), line_number + 1
            break
        if match := _MMD_KEY.match(line):
            key = match["key"].lower().strip()
            value = match["value"].strip()
            previous = result.data.get(key)
            result.data[key] = f"{previous} {value}" if previous is not None else value
            result.positions.setdefault(key, Position(line_number + 1, match.start("value") + 1))
        elif key is not None and (more := _MMD_MORE.match(line)):
            result.data[key] += f" {more['value'].strip()}"
        else:
            break
        offset, line_number = end + 1, line_number + 1
    if line_number:
        result.body = text[offset:]
        result.body_line = line_number + 1
    return result


def _parse(yaml_text: str, path: str) -> tuple[yaml.Node | None, Any] | Diagnostic:
    """The composed node tree and its values, or the diagnostic that explains the YAML."""
    try:
        node, data = yamlpos.compose_values(_FAST_LOADER, yaml_text)
    except Exception:  # noqa: BLE001 - YAML errors, deep recursion, and what constructors
        # raise on explicit tags (`!!timestamp 2020-02-30`, `!!float x`, `!!bool maybe`).
        # Rare: redo it with the parser that behaves the same everywhere.
        return _explain(yaml_text, path)
    too_deep = yamlpos.first_too_deep(node, MAX_DEPTH)
    if too_deep is not None:
        return _too_deep(path, too_deep, yaml_text)
    return node, data


def _explain(yaml_text: str, path: str) -> Diagnostic:
    """The diagnostic for YAML the fast parser refused, the same with or without libyaml."""
    too_deep = yamlpos.first_too_deep_token(yaml_text, MAX_DEPTH)
    if too_deep is not None:
        return _too_deep(path, too_deep, yaml_text)
    loader = node = None
    try:
        loader = _PURE_LOADER(yaml_text)  # its reader refuses control characters already
        node = loader.get_single_node()
        if node is not None:
            loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark, what = yamlpos.error_at(exc)
        if mark is None and isinstance(exc, yaml.reader.ReaderError):
            mark = _mark_at(yaml_text, exc.position)  # a character YAML refuses
        return problem(
            "bad-front-matter", path, Position(*_line_col(mark, yaml_text)), f"invalid YAML: {what}"
        )
    except RecursionError:
        pass
    except Exception:  # noqa: BLE001 - a constructor refused an explicitly tagged value
        where = _failed_node(loader) or node
        return problem(
            "bad-front-matter",
            path,
            Position(*_line_col(where, yaml_text)),
            f"invalid YAML: {_refused(where)}",
        )
    finally:
        if loader is not None:
            loader.dispose()
    return problem("bad-front-matter", path, Position(2, 1), "invalid YAML")


def _mark_at(text: str, index: int) -> yaml.Mark:
    line = text.count("\n", 0, index)
    return yaml.Mark("<front matter>", index, line, index - text.rfind("\n", 0, index) - 1, "", 0)


def _failed_node(loader: yaml.SafeLoader | None) -> yaml.Node | None:
    """The node PyYAML was building when its constructor raised (it is still in
    `recursive_objects`, which construct_object empties as each node is done)."""
    building = list(getattr(loader, "recursive_objects", {}))
    return building[-1] if building else None


def _refused(node: yaml.Node | None) -> str:
    """`"maybe" is not a !!bool`: a value its explicit tag cannot build."""
    if not isinstance(node, yaml.ScalarNode):
        return "a value its tag cannot build"
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f'"{value}" is not a {tag}'.replace("\n", " ")


def _too_deep(path: str, mark: yaml.Mark, yaml_text: str) -> Diagnostic:
    return problem(
        "bad-front-matter",
        path,
        Position(*_line_col(mark, yaml_text)),
        f"invalid YAML: nested more than {MAX_DEPTH} levels deep",
    )


def _line_col(at: yaml.Node | yaml.Mark | None, yaml_text: str) -> tuple[int, int]:
    # The YAML starts on line 2, after the opening `---` line.
    return yamlpos.line_col(at, first_line=2, text=yaml_text)


def read(raw: bytes, path: str, *, page: bool = True) -> tuple[str, FrontMatter]:
    """Decode a source file's bytes and split it; undecodable bytes are reported."""
    text, valid = read_source(raw)
    fm = split(text, path, page=page)
    if not valid:
        fm.diagnostics.insert(
            0, problem("bad-encoding", path, Position(1, 1), "file is not valid UTF-8")
        )
    return text, fm
