"""Measurement prototype, not shipped: the plugin's HTML rendered page by page, after the
search plugin has indexed a light version of the page.

Load it into a build with `PYTHONPATH=bench/prototypes/late_html mkdocs build` (Python
imports `sitecustomize` at start-up). It patches DossierPlugin so that:

- on_page_content keeps only the Markdown-rendered HTML (small): MkDocs holds every
  page's `page.content` from the first pass over the pages until the build ends, which is
  where the generated pages' HTML (maps, mention lists, panels) piled up;
- on_page_context (priority 100, before the search plugin) renders the page as today, and
  gives search the light part: for entity and index pages, everything before the first
  `<section id="dossier-...">` (header, facts, the entry's body); for articles, the
  article without its panel;
- on_post_page splices the heavy part back in where a marker stands, then drops the page's
  HTML.

The written pages are byte-identical to today's; only search/search_index.json differs (no
mention lists, maps or panels in it). Figures in bench/NOTES.md.
"""

from mkdocs.plugins import event_priority
from mkdocs_dossier import plugin as P

_content = P.DossierPlugin.on_page_content
MARK = "<!--dossier-late-->"


def on_page_content(self, html, *, page, config, files):
    page._dossier_markdown_html = html
    return None


@event_priority(100)  # before the search plugin indexes page.content
def on_page_context(self, context, *, page, config, nav):
    html = getattr(page, "_dossier_markdown_html", None)
    if html is None:
        return context
    full = _content(self, html, page=page, config=config, files=None)
    if full is None:
        return context
    src_uri = page.file.src_uri
    light, late = full, ""
    if src_uri in self.entity_pages or src_uri in self.index_pages:
        cut = full.find('<section id="dossier-')
        if cut >= 0:
            # Entity pages end with the closing tag of their outer <div>: keep it light-side.
            close = "</div>" if src_uri in self.entity_pages and full.endswith("</div>") else ""
            light = full[:cut] + MARK + close
            late = full[cut : len(full) - len(close)]
    elif full.startswith(html):
        light, late = html + MARK, full[len(html) :]
    page.content = light
    page._dossier_late = late
    return context


def on_post_page(self, output, *, page, config):
    late = getattr(page, "_dossier_late", None)
    if late:
        output = output.replace(MARK, late, 1)
    page.content = None
    page._dossier_markdown_html = page._dossier_late = None
    return output


P.DossierPlugin.on_page_content = on_page_content
P.DossierPlugin.on_page_context = on_page_context
P.DossierPlugin.on_post_page = on_post_page
