"""Escaping for the HTML the plugin writes and the Markdown it splices into."""

from __future__ import annotations

import html

# Characters Python-Markdown would act on inside inline HTML or text we emit into the
# Markdown source; as numeric references they pass through untouched.
_MD_ACTIVE = {ord(ch): f"&#{ord(ch)};" for ch in "&<>\"'|[]()`*_\\!#~^{}$="}


def md_escape(text: str) -> str:
    """Escape text for HTML we splice into Markdown source: nothing in it stays active."""
    return text.translate(_MD_ACTIVE)


def escape_html(text: object) -> str:
    """Escape for HTML text and double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)
