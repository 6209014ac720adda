"""Small repairs to the theme's own markup that accessibility checkers (axe-core) flag on
every page; the plugin's stylesheet carries the matching colour repairs."""

from __future__ import annotations

#: Material's search dialog, which has no accessible name (axe: aria-dialog-name).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(html: str, name: str = "Search") -> str:
    """`html` with the theme's search dialog named, if it has one without a name."""
    named = _SEARCH_DIALOG[:-1] + f' aria-label="{name}">'
    return html.replace(_SEARCH_DIALOG, named, 1)
