"""`csp: true`: every page the build writes carries a Content-Security-Policy `<meta>` that
allows the theme's inline scripts by hash and nothing an editor's Markdown smuggles in.
(tests/browser/test_csp_enforced.py shows the browser enforcing it.)"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from mkdocs_dossier.pages import csp

CSP_CONFIG = """\
site_name: Test dossier
docs_dir: content
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - dossier:
      csp: {csp}
markdown_extensions:
  - attr_list
"""

# Raw HTML passes through Markdown by design: escaping cannot stop any of this.
HOSTILE = """\
---
title: Hostile <script>window.pwned = "title"</script>
---

# A page with scripts in it

<script>window.pwned = "script"</script>

<img src="data:," onerror="window.pwned = 'onerror'">

A paragraph that runs code when clicked.
{: onclick="window.pwned = 'attr_list'" }

## Heading <script>window.pwned = "heading"</script>
"""

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


class _Scripts(HTMLParser):
    """The inline scripts a browser would run, as the standard library's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "script":
            return
        found = dict(attrs)
        kind = (found.get("type") or "").strip().lower()
        self._open = [] if "src" not in found and kind in ("", "text/javascript") else None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.found.append("".join(self._open))
        self._open = None


def inline_scripts(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return [text for text in parser.found if text.strip()]


def digest(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def policy_of(html: str) -> dict[str, list[str]]:
    found = META.findall(html)
    assert len(found) == 1, f"{len(found)} policies"
    directives = {}
    for part in found[0].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture(scope="module")
def sample(csp_sample_site):
    assert csp_sample_site.returncode == 0, csp_sample_site.log
    assert csp_sample_site.warnings() == []
    return csp_sample_site.site


def test_off_unless_asked_for(build_dossier):
    build = build_dossier(
        {"content/index.md": "# Home\n"}, strict=True, config=CSP_CONFIG.format(csp="false")
    )
    assert build.returncode == 0, build.log
    assert "Content-Security-Policy" not in build.page("index.html")


def test_every_page_the_build_writes_carries_the_policy_first_in_its_head(sample):
    pages = sorted(sample.rglob("*.html"))
    names = {p.relative_to(sample).as_posix() for p in pages}
    # Articles, generated entity and index pages, and the theme's 404 page.
    for expected in (
        "index.html",
        "articles/2020-12-23-us-considering-closing-iraqi-embassy.html",
        "people/ismail-qaani.html",
        "places/index.html",
        "404.html",
    ):
        assert expected in names
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = re.search(r"<head>\s*(<meta charset=\"utf-8\">)?(<meta [^>]*>)", html)
        assert head and META.fullmatch(head.group(2)), f"{path}: policy not first in <head>"
        # The charset stays within the first 1024 bytes, where browsers look for it.
        assert html.encode().find(b'<meta charset="utf-8">') < 1024, path


def test_the_policy_allows_the_site_itself_and_the_theme_scripts_by_hash(sample):
    html = (sample / "articles/2020-12-23-us-considering-closing-iraqi-embassy.html").read_text(
        encoding="utf-8"
    )
    directives = policy_of(html)
    assert list(directives) == [
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "object-src",
        "base-uri",
        "form-action",
    ]
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    script_src = directives["script-src"]
    assert script_src[0] == "'self'"
    # Exactly the inline scripts of the page (the theme's: the sample has none of its own);
    # JSON-LD and Material's config are data, not run, and need no hash.
    scripts = inline_scripts(html)
    assert len(scripts) >= 3
    assert sorted(script_src[1:]) == sorted({f"'{digest(s)}'" for s in scripts})
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & set(
        sum(directives.values(), [])
    )


def test_every_sample_page_allows_all_of_its_inline_scripts(sample):
    """The sample's pages hold no script of their own: every inline one is the theme's."""
    for path in sample.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        hashes = set(policy_of(html)["script-src"][1:])
        assert hashes == {f"'{digest(s)}'" for s in inline_scripts(html)}, path


def test_scripts_smuggled_into_a_page_get_no_hash(build_dossier):
    build = build_dossier(
        {"content/index.md": "# Home\n", "content/hostile.md": HOSTILE},
        config=CSP_CONFIG.format(csp="true"),
    )
    assert build.returncode == 0, build.log
    clean, hostile = build.page("index.html"), build.page("hostile.html")
    assert 'window.pwned = "script"' in hostile and "onerror=" in hostile, "payload not built"
    assert 'onclick="window.pwned' in hostile
    # The hostile page allows what a clean page of the same folder allows, nothing more.
    assert policy_of(hostile)["script-src"] == policy_of(clean)["script-src"]
    smuggled = [s for s in inline_scripts(hostile) if "pwned" in s]
    assert len(smuggled) == 2  # the body's and the heading's; the title was escaped
    for script in smuggled:
        assert digest(script) not in hostile


def test_an_entry_body_is_content_too(build_dossier):
    build = build_dossier(
        {
            "content/index.md": "# Home\n",
            "dossier/people/ana-ruiz.md": "---\nname: Ana Ruiz\n---\n"
            "<script>window.pwned=1</script>\n",
        },
        config=CSP_CONFIG.format(csp="true"),
    )
    assert build.returncode == 0, build.log
    page = build.page("people/ana-ruiz.html")
    assert "<script>window.pwned=1</script>" in page
    assert digest("window.pwned=1") not in page
    assert policy_of(page)["script-src"] == policy_of(build.page("people/index.html"))["script-src"]


# --- the engine on its own -----------------------------------------------------------

PAGE = """<!doctype html><html><head>
<meta charset="utf-8">
<script>theme()</script>
<script type="application/ld+json">{"@type": "Thing"}</script>
<script id="__config" type="application/json">{}</script>
<script src="bundle.js"></script>
</head><body><article>CONTENT</article>
<script type="module">module()</script><script language="javascript">old()</script>
</body></html>"""


def test_theme_scripts_are_the_runnable_inline_scripts_outside_the_content():
    content = "<p>hi</p><script>smuggled()</script><img onerror=x()>"
    page = PAGE.replace("CONTENT", content)
    assert csp.theme_scripts(page, content) == ["theme()", "module()", "old()"]


def test_a_script_whose_text_is_in_the_markdown_gets_no_hash():
    """Even outside the content (a theme that prints page text raw elsewhere)."""
    page = PAGE.replace("CONTENT", "")
    assert "theme()" not in csp.theme_scripts(page, "", markdown="Say <script>theme()</script>")


def test_no_script_qualifies_when_the_content_cannot_be_found():
    assert csp.theme_scripts(PAGE, "<p>not there</p>") == []


def test_every_copy_of_the_content_is_content():
    content = "<script>twice()</script>"
    page = PAGE.replace("CONTENT", content) + content
    assert "twice()" not in csp.theme_scripts(page, content)


def test_a_script_opened_in_the_content_and_closed_after_it_is_content():
    content = "<p>unclosed <script>grab("
    page = PAGE.replace("CONTENT", content)
    # The browser's script runs from the content's <script> to the module's </script>.
    assert csp.theme_scripts(page, content) == ["theme()", "old()"]


def test_the_hash_is_of_the_text_the_browser_parses():
    # The HTML parser turns CR LF and lone CR into LF before the script runs.
    assert csp.sha256("a()\r\nb()\rc()") == digest("a()\nb()\nc()")
    assert csp.sha256("é()") == digest("é()")


def test_the_meta_goes_after_the_charset_and_before_everything_else():
    content = "CONTENT"
    out = csp.protect(PAGE, content)
    head = out.split("<head>", 1)[1]
    assert head.startswith('\n<meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')
    assert f"'{digest('theme()')}'" in out
    assert csp.protect("<p>no head</p>", "") == "<p>no head</p>"
