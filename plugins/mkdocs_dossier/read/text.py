"""Source text as MkDocs reads it, and positions in it."""

from __future__ import annotations

import bisect


def read_source(raw: bytes) -> tuple[str, bool]:
    """Decode a source file as MkDocs does (UTF-8, BOM dropped, newlines unified).

    Returns the text and whether the bytes were valid UTF-8; invalid bytes become U+FFFD.
    """
    try:
        text = raw.decode("utf-8-sig")
        valid = True
    except UnicodeDecodeError:
        text = raw.decode("utf-8-sig", errors="replace")
        valid = False
    return text.replace("\r\n", "\n").replace("\r", "\n"), valid


def line_col(text: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """1-based (line, column) of `offset` in `text`."""
    starts = line_starts if line_starts is not None else line_offsets(text)
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def line_offsets(text: str) -> list[int]:
    """Offsets at which each line of `text` starts."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts
