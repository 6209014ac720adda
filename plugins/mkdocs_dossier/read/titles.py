"""A page's title as MkDocs 1.6 gives it: front matter `title`, else the text of the first
H1, else the file name (mkdocs/structure/pages.py, `Page.title`).

MkDocs takes the H1 from the rendered page, only when it is the page's first element, as
its text with tags stripped (mkdocs/utils/rendering.py, `get_heading_text`). We need the
title before any page is rendered (other pages list it), so the H1 is found in the
Markdown as Python-Markdown's block parser would find it, and its text is rendered by
Python-Markdown itself: emphasis, code, links, escapes and entities come out exactly as
MkDocs has them. A mention in it counts as its label, as the plugin shows it.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading

import markdown

from .grammar import label_text, scan

# Python-Markdown's own block patterns (blockprocessors.py): an ATX heading is `#` at the
# very start of a line, and trailing `#`s close it; a setext H1 is a line under which
# stands a line of `=`.
_ATX = re.compile(r"#(?!#)(?P<text>(?:\\.|[^\\\n])*?)#*(?:\n|$)")
_UNDERLINE = re.compile(r"=+[ ]*(?:\n|$)")
# Lines that make no element: blank ones, and reference definitions (`[id]: url`).
_REFERENCES = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M)
_BLANK = re.compile(r"[ \t]*(?:\n|$)")
_REFERENCE = re.compile(r"[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S.*(?:\n|$)")
# The attribute list that ends a heading where attr_list is on (`# Title {#id .class}`),
# as Material sites have it.
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*[#.][^{}\n]*\}[ \t]*$")
# Footnote references, which MkDocs removes from the title.
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_IMAGE = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>")
# Placeholders for mention labels while Python-Markdown renders the rest (private use
# characters: Markdown leaves them alone, and no label is Markdown to it).
_HOLD = "\ue000{}\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")

_LOCAL = threading.local()


def page_title(body: str, src_uri: str) -> str:
    """The title MkDocs gives a page without `title:` in its front matter: its first H1's
    text, else one made from its file name (`my-page.md` -> `My page`)."""
    heading = first_heading(body)
    title = ""
    if heading is not None:
        # A reference link in the heading (`[text][id]`) needs its definition.
        references = _REFERENCES.findall(body) if "]" in heading else []
        title = heading_text(heading, references)
    return title or file_title(src_uri)


def first_heading(body: str) -> str | None:
    """The Markdown of the page's H1 when the page starts with one, else None."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    position = 0
    while True:  # blank lines and reference definitions make no element
        skip = _BLANK.match(text, position) or _REFERENCE.match(text, position)
        if skip is None or not skip.end() > position:
            break
        position = skip.end()
    if text.startswith("#", position):
        atx = _ATX.match(text, position)
        return atx.group("text") if atx is not None else None
    end = text.find("\n", position)
    line = text[position:end]
    if end != -1 and _UNDERLINE.match(text, end + 1) and not line.startswith(("    ", "\t")):
        return line
    return None


def heading_text(source: str, references: list[str] | None = None) -> str:
    """A heading's Markdown as MkDocs' title text: rendered, images as their alt text,
    tags stripped, whitespace collapsed; entities as the characters they stand for.
    `references`: the page's reference definitions, for the links that use them."""
    source = _ATTR_LIST.sub("", source.strip())
    source = _FOOTNOTE.sub("", source)
    source, labels = _hold_mentions(source)
    if not source.strip():
        rendered = ""
    else:
        converter = _converter()
        page = "\n\n".join(["# " + source, *(references or ())])
        rendered = converter.reset().convert(page).partition("</h1>")[0]
    rendered = _IMAGE.sub(lambda m: m.group(1), rendered)
    rendered = _COMMENT.sub("", rendered)
    text = html.unescape(_TAG.sub("", rendered))
    text = _HELD.sub(lambda m: label_text(labels[int(m.group(1))]), text)
    return " ".join(text.split())


def _hold_mentions(source: str) -> tuple[str, list[str]]:
    """The heading's Markdown with what the plugin renders itself taken out, as the one
    grammar (read/grammar.py) finds it in a heading: each mention and each label-only
    place held by a placeholder for its label (shown as text, as a heading shows it), each
    stray `[` neutralised as the build neutralises it; and the labels, in order."""
    line = "# " + source  # scanned as the heading it is, not as a quote or a list item
    found = scan(line, "")
    edits: list[tuple[int, int, str | None]] = [
        (m.start, m.end, _shown(m.target.label, m.target.name, m.target.fragment))
        for m in found.mentions
    ]
    edits.extend(found.rewrites())
    labels: list[str] = []
    parts: list[str] = []
    pos = 2
    for start, end, label in sorted(edits, key=lambda edit: edit[0]):
        parts.append(line[pos:start])
        if label is None:
            parts.append("&#91;")
        else:
            labels.append(label)
            parts.append(_HOLD.format(len(labels) - 1))
        pos = end
    parts.append(line[pos:])
    return "".join(parts), labels


def _shown(label: str | None, name: str, fragment: str | None) -> str:
    """What a mention shows (model.Mention.label): its label, else its name, else the
    section it names."""
    return label if label is not None else name or fragment or ""


def file_title(src_uri: str) -> str:
    """MkDocs' title from the file name: `Home` for the site's home page, else the name
    with `-` and `_` as spaces, capitalized when it is all lower case (`README` counts as
    `index`)."""
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    if stem == "README":
        stem = "index"
    if stem == "index" and "/" not in src_uri:
        return "Home"
    title = stem.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _converter() -> markdown.Markdown:
    """One Python-Markdown per thread, made once: making one costs far more than a line."""
    converter = getattr(_LOCAL, "converter", None)
    if converter is None:
        converter = _LOCAL.converter = markdown.Markdown()
    return converter
