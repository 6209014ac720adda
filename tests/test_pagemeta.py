"""Front matter the theme prints: a value of the wrong type is an error and never markup.

MkDocs' and Material's templates print `page.meta` unescaped (title, description,
author, subtitle, ...). Every such key is checked where the page is read (`bad-field`,
in the build and in `dossier check`) and the theme only ever gets escaped text or plain
names, with or without `--strict`, with or without an explicit `nav:`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from htmlcheck import injected_in_site
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs_dossier.cli.check import run_check
from mkdocs_dossier.read.pagemeta import _GIT_DATE, THEME_KEYS, problems, sanitize
from mkdocs_dossier.site import load_site
from sitebuild import BASE_CONFIG, run_build, write_tree

PAYLOAD = "<script>alert(1)</script>"
HOSTILE = f"""\
---
title: [{PAYLOAD}]
description:
  - {PAYLOAD}
author: "{PAYLOAD}"
subtitle: {{a: "{PAYLOAD}"}}
status: "new<img src=x onerror=alert(1)>"
icon: ../../../etc/passwd
template: "../main.html"
hide: navigation
search: {{exclude: "{PAYLOAD}"}}
tags: [ok, {{x: 1}}]
date: 2020-12-23
---

[[Ann]] spoke.
"""


@pytest.mark.parametrize("nav", [False, True], ids=["no-nav", "nav"])
def test_hostile_front_matter_is_reported_and_never_runs(tmp_path: Path, nav: bool):
    config = (
        "site_name: T\ndocs_dir: content\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n  - dossier\n"
    )
    if nav:
        config += "nav:\n  - index.md\n  - hostile.md\n"
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": config,
            "content/index.md": "# Home\n",
            "content/hostile.md": HOSTILE,
            "dossier/people/ann.md": "---\nname: Ann\n---\n",
        },
    )
    diagnostics, _ = run_check(load_site(tmp_path / "mkdocs.yml"))
    found = {(d.line, d.code) for d in diagnostics}
    # title, description, subtitle, status, icon, template, search, tags: one error each;
    # `author` is text (escaped) and `hide: navigation` a name: both fine.
    assert found == {(n, "bad-field") for n in (2, 4, 6, 7, 8, 9, 11, 12)}
    build = run_build(tmp_path, config=config)
    assert build.returncode == 0 and "Traceback" not in build.log, build.log
    assert injected_in_site(build.site) == {}
    for page in build.site.rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page
    hostile = (build.site / "hostile.html").read_text(encoding="utf-8")
    assert '<meta name="author" content="&lt;script&gt;alert(1)&lt;/script&gt;">' in hostile
    assert run_build(tmp_path, config=config, strict=True).returncode != 0


def test_a_number_too_long_to_print_is_an_error_not_a_crash(tmp_path: Path):
    # Python will not turn an integer of over 4300 digits into text; MkDocs then drops
    # the front matter (and shows it as text), and we say where the number is.
    write_tree(
        tmp_path,
        {"content/index.md": f"---\ntitle: Fine\ndescription: {'8' * 5000}\n---\n\nBody.\n"},
    )
    build = run_build(tmp_path)
    assert build.returncode == 0 and "Traceback" not in build.log, build.log[-3000:]
    assert (
        "content/index.md:3:14: error: invalid YAML: a number of more than 4300 digits "
        "[bad-front-matter]" in build.log
    )


YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(alphabet=st.characters(codec="utf-8"))
    | st.sampled_from([PAYLOAD, "a\x00\x1b[31m", '"><svg onload=alert(1)>', "../x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@given(st.dictionaries(st.sampled_from(sorted(THEME_KEYS)), YAML_VALUES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_sanitized_meta_holds_only_safe_values(meta: dict):
    reported = {key for key, _ in problems(meta)}
    safe = sanitize(meta)
    for key, value in safe.items():
        assert key not in reported
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _GIT_DATE.match(text):
                assert "<" not in text and '"' not in text
    for key in reported:
        assert key not in safe


def test_keys_plugins_set_are_checked_when_front_matter_gives_them(tmp_path: Path):
    # Material prints `location` (template: redirect.html) into a <meta> refresh and a
    # script, and the revision dates as they are: found by tests/test_fuzz_fields.py.
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": BASE_CONFIG.format(directory_urls="false"),
            "content/index.md": "# Home\n",
            "content/away.md": (
                '---\ntitle: Away\ntemplate: redirect.html\nlocation: "\\"];window.pwned=1;//"\n'
                "---\n\nGone.\n"
            ),
            "content/script.md": (
                "---\ntitle: Script\ntemplate: redirect.html\n"
                "location: javascript:window.pwned=2\n---\n\nGone.\n"
            ),
            "content/moved.md": (
                "---\ntitle: Moved\ntemplate: redirect.html\nlocation: index.html\n---\n"
            ),
            "content/dated.md": (
                '---\ntitle: Dated\ngit_revision_date_localized: "<img src=x onerror=alert(1)>"\n'
                "git_creation_date_localized: 2020-01-02\n---\n\nText.\n"
            ),
            "content/old.md": (
                "---\ntitle: Old\nrevision_date: <script>window.pwned=3</script>\n---\n\nText.\n"
            ),
        },
    )
    diagnostics, _ = run_check(load_site(tmp_path / "mkdocs.yml"))
    assert {(d.path, d.line, d.code) for d in diagnostics} == {
        ("content/away.md", 4, "bad-field"),
        ("content/script.md", 4, "bad-field"),
    }
    assert all("relative or http(s) address" in d.message for d in diagnostics)
    build = run_build(tmp_path)
    assert build.returncode == 0 and "Traceback" not in build.log, build.log[-3000:]
    assert injected_in_site(build.site) == {}
    for page in build.site.rglob("*.html"):
        assert "window.pwned" not in page.read_text(encoding="utf-8").replace(
            "&lt;script&gt;window.pwned=3&lt;/script&gt;", ""
        ), page
    moved = (build.site / "moved.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0;url=index.html">' in moved
    dated = (build.site / "dated.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in dated
    assert "2020-01-02" in dated
    old = (build.site / "old.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.pwned=3&lt;/script&gt;" in old


def test_what_the_git_revision_date_plugin_sets_is_kept():
    span = (
        '<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-'
        'date" title="December 1, 2020 10:00:00 UTC">December 1, 2020</span>'
    )
    timeago = (
        '<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-'
        'timeago" title="x"><span class="timeago" datetime="2020-12-01T10:00:00+00:00" '
        'locale="en"></span></span>' + span
    )
    meta = {"git_revision_date_localized": span, "git_creation_date_localized": timeago}
    assert sanitize(meta) == meta
    assert problems(meta) == []
    hostile = {"revision_date": span.replace("December 1", '"><script>x</script>')}
    assert sanitize(hostile)["revision_date"].startswith("&lt;span class=&quot;")


@pytest.mark.parametrize("boost", [float("nan"), float("inf"), -float("inf"), 10**400, True, "2"])
def test_a_search_boost_is_a_finite_number(boost):
    # Material writes it into search_index.json: NaN or Infinity there is not JSON, and
    # the browser then refuses the whole site's search index (found by fuzzing).
    [(key, message)] = problems({"search": {"boost": boost}})
    assert key == "search" and "boost must be a finite number" in message
    assert "search" not in sanitize({"search": {"boost": boost}})
    assert sanitize({"search": {"boost": 2.5, "exclude": False}})["search"] == {
        "boost": 2.5,
        "exclude": False,
    }
