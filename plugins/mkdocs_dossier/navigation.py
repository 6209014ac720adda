"""Generated pages in the theme's navigation: their sections in the table of contents,
their type's tab lit. MkDocs-aware, like plugin.py, whose helpers these are."""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.toc import AnchorLink, TableOfContents

#: A generated section's heading: `<h2 id="...">Title<a class="headerlink" ...>`.
_SECTION_HEADING = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)(?:<a class="headerlink"|</h2>)', re.S)
_TAG = re.compile(r"<[^>]*>")


def with_sections(toc: TableOfContents | None, sections: str, title: str) -> TableOfContents:
    """The page's table of contents (its Markdown's headings) followed by the headings of
    its generated `sections`, under the page title the way the theme expects (a level-1
    entry whose children it lists)."""
    items = list(toc or [])
    if len(items) == 1 and items[0].level == 1:
        top = items[0]
    else:
        top = AnchorLink(title, "", 1)
        top.children = [item for item in items if item.level > 1]
    for match in _SECTION_HEADING.finditer(sections):
        top.children.append(AnchorLink(_TAG.sub("", match.group(2)).strip(), match.group(1), 2))
    return TableOfContents([top])


def activate_index(nav: Any, src_uri: str | None) -> Any:
    """Mark the nav page `src_uri` (a type's index) active, which lights its tab and
    section for the entity page being rendered; the page, to deactivate afterwards."""
    if nav is None or src_uri is None:
        return None
    for page in getattr(nav, "pages", []):
        if page.file.src_uri == src_uri:
            if page.active:
                return None  # the index page itself, which MkDocs deactivates
            page.active = True
            return page
    return None
