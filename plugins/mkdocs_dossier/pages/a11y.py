"""Small repairs to the theme's own markup that accessibility checkers (axe-core) flag on
every page; the plugin's stylesheet carries the matching colour repairs."""

from __future__ import annotations

#: Material's search dialog, which has no accessible name (axe: aria-dialog-name).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
#: Its results' scrolling box, which older Material releases (9.5.19) leave out of the tab order
#: (axe: scrollable-region-focusable); later versions give it tabindex="0" themselves.
_SCROLL_BOX = '<div class="md-search__scrollwrap" data-md-scrollfix>'


def name_search_dialog(html: str, name: str = "Search") -> str:
    """`html` with the theme's search dialog named, and its results' scrolling box
    reachable by keyboard, where the theme left them out."""
    named = _SEARCH_DIALOG[:-1] + f' aria-label="{name}">'
    focusable = '<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>'
    return html.replace(_SEARCH_DIALOG, named, 1).replace(_SCROLL_BOX, focusable, 1)
