"""Offline builds: our worker polyfill replaces unpkg's, and settings that would reach
the network are reported at their line in mkdocs.yml."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml
from mkdocs_dossier import offline

ROOT = Path(__file__).resolve().parent.parent

LEAKY = textwrap.dedent(
    """\
    site_name: Leaky
    repo_url: https://github.com/newsroom/dossier
    theme:
      name: material
      logo: https://cdn.example.com/logo.svg
    extra_javascript:
      - js/local.js
      - https://cdn.example.com/x.js
      - path: https://cdn.example.com/mod.js
        type: module
    extra_css:
      - //fonts.example.com/a.css
    extra:
      analytics:
        provider: google
        property: G-XXXX
      polyfills:
        - https://polyfill.example.com/v3.js
    markdown_extensions:
      - pymdownx.emoji
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
    plugins:
      - search
      - social
      - offline
    """
)


def diagnostics(text: str) -> list[str]:
    return [d.format() for d in offline.network_diagnostics(yaml.safe_load(text), text=text)]


def test_every_network_setting_is_reported_at_its_key():
    found = diagnostics(LEAKY)
    expected_at = [
        "mkdocs.yml:2:1:",  # repo_url
        "mkdocs.yml:3:1:",  # theme (font not set: Material's default is Google Fonts)
        "mkdocs.yml:5:3:",  # theme.logo
        "mkdocs.yml:8:5:",  # extra_javascript https
        "mkdocs.yml:9:5:",  # extra_javascript {path: https...}
        "mkdocs.yml:12:5:",  # extra_css //host
        "mkdocs.yml:14:3:",  # extra.analytics
        "mkdocs.yml:18:7:",  # extra.polyfills
        "mkdocs.yml:20:5:",  # pymdownx.emoji
        "mkdocs.yml:21:5:",  # superfences mermaid
        "mkdocs.yml:27:5:",  # social plugin
    ]
    assert [f.split(" ", 1)[0] for f in found] == expected_at, "\n".join(found)
    assert all(f.endswith("[offline-network]") and ": warning: " in f for f in found)
    assert any("fonts.googleapis.com" in f for f in found)
    assert not any("js/local.js" in f for f in found)


def test_theme_font_key_position_and_font_false():
    text = "theme:\n  name: material\n  font:\n    text: Inter\n"
    assert [f.split(" ", 1)[0] for f in diagnostics(text)] == ["mkdocs.yml:3:3:"]
    assert diagnostics("theme:\n  name: material\n  font: false\n") == []
    assert len(diagnostics("theme: material\n")) == 1  # default font is Roboto from Google
    assert diagnostics("theme:\n  name: mkdocs\n") == []  # not Material: no web fonts


def test_sample_site_config_is_clean():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert offline.network_diagnostics(yaml.safe_load(text), text=text) == []


def test_without_text_positions_fall_back_to_the_file_start():
    found = offline.network_diagnostics({"repo_url": "https://x", "theme": {"name": "material"}})
    assert {(d.path, d.line, d.col) for d in found} == {("mkdocs.yml", 1, 1)}


def test_add_polyfill_replaces_remote_iframe_worker_and_is_idempotent():
    got = offline.add_polyfill(["https://unpkg.com/iframe-worker/shim", "js/other.js"])
    assert got == ["js/other.js", offline.POLYFILL_PATH]
    assert offline.add_polyfill(got) == got
    assert offline.add_polyfill(None) == [offline.POLYFILL_PATH]
    # The offline plugin skips its unpkg shim when any polyfill URL names iframe-worker.
    assert "iframe-worker" in offline.POLYFILL_PATH


def test_polyfill_only_acts_on_file_pages():
    source = offline.POLYFILL_SOURCE.read_text(encoding="utf-8")
    assert 'location.protocol !== "file:"' in source
    assert "http" not in source.replace("http(s)", "")  # names no remote URL


OFFLINE_SITE = """\
site_name: Offline dossier
docs_dir: content
use_directory_urls: false
theme:
  name: material
{font}
plugins:
  - search
  - dossier
  - offline{offline_options}
"""

FILES = {
    "content/index.md": "# Home\n\n[[place:Baghdad]] is on the map.\n",
    "dossier/places/baghdad.md": """\
        ---
        name: Baghdad
        summary: Capital of Iraq.
        coordinates: [33.3152, 44.3661]
        country: IQ
        ---
        """,
}


def test_offline_build_ships_the_polyfill_and_no_unpkg(build_dossier):
    build = build_dossier(
        FILES, strict=True, config=OFFLINE_SITE.format(font="  font: false", offline_options="")
    )
    assert build.returncode == 0, build.log
    assert (build.site / offline.POLYFILL_PATH).read_bytes() == offline.POLYFILL_SOURCE.read_bytes()
    index = build.page("index.html")
    assert f'<script src="{offline.POLYFILL_PATH}"></script>' in index
    assert f'<script src="../{offline.POLYFILL_PATH}"></script>' in build.page(
        "places/baghdad.html"
    )
    assert f'href="{offline.POLYFILL_PATH}"' not in index  # a script, not a stylesheet
    for page in build.site.rglob("*.html"):
        assert "unpkg.com" not in page.read_text(encoding="utf-8"), page
    assert (build.site / "search/search_index.js").read_text().startswith("var __index =")


def test_offline_build_with_web_fonts_fails_strict(build_dossier):
    build = build_dossier(
        FILES, strict=True, config=OFFLINE_SITE.format(font="", offline_options="")
    )
    assert build.returncode != 0
    warnings = [w for w in build.warnings() if "[offline-network]" in w]
    assert len(warnings) == 1, build.log
    assert "mkdocs.yml:4:1: warning: theme.font" in warnings[0]


def test_no_warning_when_offline_plugin_is_off(build_dossier):
    config = OFFLINE_SITE.format(font="", offline_options=":\n      enabled: false")
    build = build_dossier(FILES, strict=True, config=config)
    assert build.returncode == 0, build.log


def test_online_site_gets_no_polyfill(build_dossier):
    build = build_dossier(FILES, strict=True)  # tests/conftest.py BASE_CONFIG: no offline
    assert build.returncode == 0, build.log
    assert "iframe-worker" not in build.page("index.html")
