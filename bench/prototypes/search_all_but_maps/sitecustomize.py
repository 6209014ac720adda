"""Measurement variant, not shipped: search indexes every generated section but the maps.

Like bench/prototypes/search_all, except that the inline SVG maps are still spliced in
after search has read the page. Load it with
`PYTHONPATH=bench/prototypes/search_all_but_maps mkdocs build`. Figures in bench/NOTES.md.
"""

import re

from mkdocs.plugins import event_priority
from mkdocs_dossier import plugin as P

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


@event_priority(100)
def on_page_context(self, context, *, page, config, nav):
    if not self.config.enabled or self.dossier is None:
        return None
    content = self._content(page, page.content or "")
    if content is None:
        return None
    html = content.html
    maps = SVG.findall(html)
    if maps:
        self.sections[page.file.src_uri] = maps
        html = SVG.sub(self.slot, html)
    page.content = html
    return context


@event_priority(100)
def on_post_page(self, output, *, page, config):
    maps = self.sections.pop(page.file.src_uri, None)
    if not maps:
        return None
    parts = output.split(self.slot)
    return parts[0] + "".join(svg + rest for svg, rest in zip(maps, parts[1:], strict=True))


P.DossierPlugin.on_page_context = on_page_context
P.DossierPlugin.on_post_page = on_post_page
