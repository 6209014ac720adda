"""The generated parts' templates can be overridden from the theme's custom_dir, as the
README's "Override the generated parts" shows: whole, or one block at a time."""

from __future__ import annotations

from pathlib import Path

from sitebuild import BASE_CONFIG, run_build, write_tree

FILES = {
    "content/a.md": "---\ntitle: A\ndate: 2021-01-01\n---\n\n[[Ann]] met [[Bo]].\n",
    "dossier/people/ann.md": "---\nname: Ann\nsummary: First.\n---\n",
    "dossier/people/bo.md": "---\nname: Bo\n---\n",
    # One block changed, the rest inherited from the shipped template.
    "overrides/dossier/entity.html": """\
        {% extends "dossier/base/entity.html" %}
        {% block tail %}<p class="our-note">Known as {{ e.name }}.</p>{{ super() }}{% endblock %}
        """,
    # A whole template replaced.
    "overrides/dossier/article_panel.html": """\
        <aside class="our-panel">{{ groups|length }} group, about {{ about|length }}</aside>
        """,
}


def test_overrides_replace_a_block_or_a_whole_template(tmp_path: Path):
    write_tree(tmp_path, FILES)
    config = BASE_CONFIG.format(directory_urls="false").replace(
        "  font: false\n", "  font: false\n  custom_dir: overrides\n"
    )
    build = run_build(tmp_path, strict=True, config=config)
    assert build.returncode == 0, build.log
    ann = build.page("people/ann.html")
    assert '<p class="our-note">Known as Ann.</p></div>' in ann
    # The blocks the override left alone are the shipped ones.
    assert '<p class="dossier-summary">First.</p>' in ann
    assert 'href="../a.html#m-person-ann-1"' in ann
    assert '<aside class="our-panel">1 group, about 0</aside>' in build.page("a.html")
    assert "dossier-panel" not in build.page("a.html")
    # Templates not overridden are the shipped ones.
    assert '<div class="dossier-index dossier-index-person">' in build.page("people/index.html")


def test_without_overrides_the_shipped_templates_are_used(tmp_path: Path):
    write_tree(tmp_path, {k: v for k, v in FILES.items() if not k.startswith("overrides/")})
    build = run_build(tmp_path, strict=True)
    assert build.returncode == 0, build.log
    assert "our-note" not in build.page("people/ann.html")
    assert "our-panel" not in build.page("a.html")
