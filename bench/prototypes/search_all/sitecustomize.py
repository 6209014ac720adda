"""Measurement variant, not shipped: the search plugin indexes every generated section.

The plugin gives site search each page without its generated sections (mention lists,
timelines, statements, maps, panels) and splices them in after. This variant hands search
the whole page instead, to measure what that choice saves. Load it into a build with
`PYTHONPATH=bench/prototypes/search_all mkdocs build` (Python imports `sitecustomize` at
start-up). Written pages are the same; search/search_index.json grows. Figures in
bench/NOTES.md.
"""

from mkdocs.plugins import event_priority
from mkdocs_dossier import plugin as P


@event_priority(100)
def on_page_context(self, context, *, page, config, nav):
    if not self.config.enabled or self.dossier is None:
        return None
    content = self._content(page, page.content or "")
    if content is not None:
        page.content = content.html
    return context


P.DossierPlugin.on_page_context = on_page_context
