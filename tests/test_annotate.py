"""`dossier annotate` (README, "Editors' commands"): unannotated names of known entities,
and --write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from mkdocs_dossier.annotate import NameTable, find_names, suggest
from mkdocs_dossier.cli import main
from mkdocs_dossier.cli.check import run_check
from mkdocs_dossier.model import Entity
from mkdocs_dossier.pipeline import load_dossier
from mkdocs_dossier.site import load_site
from sitebuild import write_tree

ENTRIES = {
    "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
    "dossier/people/mike-pompeo.md": "---\nname: Mike Pompeo\naliases: [Pompeo]\n---\n",
    "dossier/people/mustafa-al-kadhimi.md": (
        "---\nname: Mustafa Al-Kadhimi\naliases: [Al-Kadhimi, Kadhimi]\n---\n"
        "Prime minister; met Mike Pompeo often. Mustafa Al-Kadhimi is himself.\n"
    ),
    "dossier/places/iran.md": "---\nname: Iran\ncoordinates: [32, 53]\n---\n",
    "dossier/places/united-states.md": (
        "---\nname: United States\naliases: [US, U.S.]\ncoordinates: [39, -98]\n---\n"
    ),
    "dossier/places/green-zone.md": ("---\nname: Green Zone\ncoordinates: [33.3, 44.4]\n---\n"),
    "dossier/organizations/quds-force.md": "---\nname: Quds Force\n---\n",
    # Two entities answer to "Jordan": never suggested.
    "dossier/places/jordan.md": "---\nname: Jordan\ncoordinates: [31, 36]\n---\n",
    "dossier/people/jordan.md": "---\nname: Jordan\n---\n",
    "content/index.md": "# Home\n",
    "content/stub.md": "---\ntitle: S\n---\n\n[[person:Ismail Qaani]] arrived.\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, ENTRIES)
    return tmp_path


def annotate(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(project / "mkdocs.yml"), "annotate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def table_for(project: Path) -> NameTable:
    settings = load_site(project / "mkdocs.yml")
    return NameTable(load_dossier(settings.project, settings.pages, locate=False).entities.values())


def found_text(body: str, table: NameTable) -> list[tuple[str, str]]:
    return [(body[s:e], i) for s, e, i in find_names(body, table)]


def test_suggestions_are_diagnostic_lines(project: Path, capsys):
    write_tree(
        project,
        {
            "content/a.md": """\
                ---
                title: Mike Pompeo in the title is front matter
                ---

                Mike Pompeo met al-kadhimi in the green zone.
                Later POMPEO spoke.
                """
        },
    )
    code, out, err = annotate(project, capsys, str(project / "content/a.md"))
    assert code == 0
    assert out.splitlines() == [
        'content/a.md:5:1: note: "Mike Pompeo" could be [[Mike Pompeo]] [annotate]',
        'content/a.md:5:17: note: "al-kadhimi" could be [[Mustafa Al-Kadhimi|al-kadhimi]] '
        "[annotate]",
        'content/a.md:5:35: note: "green zone" could be [[Green Zone|green zone]] [annotate]',
    ]
    assert "3 suggestions found" in err
    # --all lists every occurrence, not only the first per paragraph.
    _, out, _ = annotate(project, capsys, "--all", str(project / "content/a.md"))
    assert 'content/a.md:6:7: note: "POMPEO" could be [[Mike Pompeo|POMPEO]] [annotate]' in out


def test_matching_is_whole_word_accent_and_case_insensitive_longest_first(project: Path):
    table = table_for(project)
    body = "Mike  Pompeo, Pompeos, Iranian, Iran's, AL KĀDHIMĪ, Mustafa Al Kādhimī, Kadhimi."
    assert found_text(body, table) == [
        ("Mike  Pompeo", "person:mike-pompeo"),
        ("Iran's", "place:iran"),
        ("AL KĀDHIMĪ", "person:mustafa-al-kadhimi"),
        ("Mustafa Al Kādhimī", "person:mustafa-al-kadhimi"),
        ("Kadhimi", "person:mustafa-al-kadhimi"),
    ]
    # A name may wrap onto the next line, never across a blank line.
    assert found_text("Mike\nPompeo", table) == [("Mike\nPompeo", "person:mike-pompeo")]
    assert found_text("Mike\n\nPompeo", table) == [("Pompeo", "person:mike-pompeo")]


def test_acronyms_match_only_in_capitals_and_keep_their_dot(project: Path):
    table = table_for(project)
    assert found_text("they told us", table) == []
    assert found_text("the US said", table) == [("US", "place:united-states")]
    assert found_text("the U.S. said", table) == [("U.S.", "place:united-states")]


def test_ambiguous_names_are_not_suggested(project: Path):
    assert found_text("Jordan said", table_for(project)) == []


def test_never_inside_code_links_mentions_html_or_front_matter(project: Path):
    table = table_for(project)
    text = """\
---
title: Iran
summary: Pompeo
---

`Iran` and ``Iran`` in code, [Iran](https://example.org/Iran) and [Iran][ref].

```
Iran in a fence
```

    Iran indented code

<!-- Iran in a comment --> <span title="Iran">x</span> <https://iran.example/Iran>
https://example.org/Pompeo [[Mike Pompeo|the secretary]] [[Iran
here]] \\[[Pompeo]] [[Pompeo unclosed
[ref]: https://example.org/Iran "Iran"

Finally Iran.
"""
    found = suggest(text, "a.md", table)
    assert [(s.text, s.line, s.col) for s in found] == [("Iran", 19, 9)]


def test_first_occurrence_per_paragraph_and_not_where_already_mentioned(project: Path):
    table = table_for(project)
    text = (
        "Pompeo came. Pompeo left. Iran watched.\n"
        "- Iran in a list item\n"
        "- and [[Iran]] already mentioned with Iran again\n"
        "\n"
        "[[Mike Pompeo]] then Pompeo.\n"
    )
    found = [(s.text, s.line, s.col) for s in suggest(text, "a.md", table)]
    assert found == [("Pompeo", 1, 1), ("Iran", 1, 27), ("Iran", 2, 3)]


def test_stub_targets_are_typed_and_targets_always_resolve(project: Path):
    table = table_for(project)
    (item,) = suggest("Then Ismail Qaani spoke.\n", "a.md", table)
    assert item.replacement == "[[person:Ismail Qaani]]"
    table = NameTable(
        [
            Entity(type="person", slug="x", name="Re: Name"),
            Entity(type="org", slug="plain", name="Plain Org"),
            Entity(type="org", slug="twin", name="Twin"),
            Entity(type="place", slug="twin", name="Twin"),
        ]
    )
    assert table.targets["person:x"] == "x"  # "Re:" would read as a type prefix: the slug
    assert table.targets["org:plain"] == "Plain Org"
    assert table.targets["org:twin"] == "org:twin"  # name and slug are both ambiguous


def test_an_entry_body_is_not_annotated_with_its_own_name(project: Path, capsys):
    path = project / "dossier/people/mustafa-al-kadhimi.md"
    code, out, _ = annotate(project, capsys, str(path))
    assert code == 0
    assert out.splitlines() == [
        "dossier/people/mustafa-al-kadhimi.md:5:21: note: "
        '"Mike Pompeo" could be [[Mike Pompeo]] [annotate]'
    ]


def test_write_wraps_shows_a_diff_and_is_idempotent(project: Path, capsys):
    path = project / "content/a.md"
    path.write_text(
        "---\ntitle: T\n---\n\nMike Pompeo met Kadhimi in the\nGreen Zone. Pompeo left.\n",
        encoding="utf-8",
    )
    os.chmod(path, 0o640)
    code, out, err = annotate(project, capsys, "--write", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8") == (
        "---\ntitle: T\n---\n\n[[Mike Pompeo]] met [[Mustafa Al-Kadhimi|Kadhimi]] in the\n"
        "[[Green Zone]]. Pompeo left.\n"
    )
    assert "--- a/content/a.md\n+++ b/content/a.md\n" in out
    assert "-Mike Pompeo met Kadhimi in the\n" in out
    assert "+[[Mike Pompeo]] met [[Mustafa Al-Kadhimi|Kadhimi]] in the\n" in out
    assert "3 suggestions wrapped in 1 file" in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md", "index.md", "stub.md"]
    # The new mentions resolve to the intended entities; nothing new is reported.
    settings = load_site(project / "mkdocs.yml")
    diagnostics, _ = run_check(settings)
    assert [d for d in diagnostics if d.path == "content/a.md"] == []
    dossier = load_dossier(settings.project, settings.pages)
    article = dossier.by_uri["a.md"]
    assert [m.entity_id for m in article.mentions] == [
        "person:mike-pompeo",
        "person:mustafa-al-kadhimi",
        "place:green-zone",
    ]
    code, out, err = annotate(project, capsys, "--write", str(path))
    assert (code, out) == (0, "")
    assert "0 suggestions" in err


def test_write_keeps_bom_and_crlf(project: Path, capsys):
    path = project / "content/a.md"
    raw = b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\nMike\r\nPompeo and Iran.\r\n"
    path.write_bytes(raw)
    code, out, _ = annotate(project, capsys, "--write", str(path))
    assert code == 0
    assert 'content/a.md:5:1: note: "Mike Pompeo" could be [[Mike Pompeo|Mike Pompeo]]' in out
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\n"
        b"[[Mike Pompeo|Mike\r\nPompeo]] and [[Iran]].\r\n"
    )


def test_non_utf8_and_missing_files_are_errors_and_untouched(project: Path, capsys):
    path = project / "content/bad.md"
    path.write_bytes(b"Pompeo \xff\xfe here\n")
    code, out, err = annotate(project, capsys, "--write", str(path), str(project / "nope.md"))
    assert code == 1
    assert out == ""
    assert "content/bad.md:1:1: error: file is not valid UTF-8" in err
    assert "nope.md: error: cannot read" in err
    assert path.read_bytes() == b"Pompeo \xff\xfe here\n"


def test_a_folder_means_every_markdown_file_under_it(project: Path, capsys):
    write_tree(
        project,
        {
            "content/news/a.md": "Mike Pompeo spoke.\n",
            "content/news/deeper/b.markdown": "Quds Force answered.\n",
            "content/news/.drafts/c.md": "Iran too.\n",  # hidden: left out
            "content/news/notes.txt": "Iran as well.\n",  # not Markdown
        },
    )
    code, out, _ = annotate(project, capsys, str(project / "content/news"))
    assert code == 0
    assert out.splitlines() == [
        'content/news/a.md:1:1: note: "Mike Pompeo" could be [[Mike Pompeo]] [annotate]',
        'content/news/deeper/b.markdown:1:1: note: "Quds Force" could be [[Quds Force]] [annotate]',
    ]
    code, _, err = annotate(project, capsys, "--write", str(project / "content/news"))
    assert code == 0
    assert (project / "content/news/a.md").read_text() == "[[Mike Pompeo]] spoke.\n"
    assert (project / "content/news/.drafts/c.md").read_text() == "Iran too.\n"


def test_write_goes_through_a_symlinked_article_to_its_target(project: Path, capsys):
    # Editors keep articles elsewhere and link them in; the link must stay a link.
    target = project / "elsewhere" / "a.md"
    write_tree(project, {"elsewhere/a.md": "Mike Pompeo spoke.\n"})
    link = project / "content" / "a.md"
    link.symlink_to(target)
    code, _, _ = annotate(project, capsys, "--write", str(link))
    assert code == 0
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text() == "[[Mike Pompeo]] spoke.\n"


def test_never_where_the_grammar_protects_the_text(project: Path):
    table = table_for(project)
    text = """\
## Iran {#iran .iran title="Iran"}

See iran.gov/Iran, write to press@iran.example or https://example.org/Iran today[^Iran].

<script>var Iran = 1;</script> <style>.Iran {}</style> <textarea>Iran</textarea>

*[Iran]: Islamic Republic of Iran

[^Iran]: Iran in a footnote.
"""
    found = suggest(text, "a.md", table)
    # The heading's text and the footnote's text are prose; nothing else is.
    assert [(s.text, s.line, s.col) for s in found] == [("Iran", 1, 4), ("Iran", 9, 10)]


# --- How news names people and things (issue 17, item 2) ----------------------------------


def news_table(*entities: Entity) -> NameTable:
    """A table of the issue's people and places, without the sample's aliases."""
    people = (
        Entity("person", "mike-pompeo", "Mike Pompeo"),
        Entity(
            "person",
            "donald-trump",
            "Donald Trump",
            fields={"contextual_aliases": ["the president"]},
        ),
        Entity("person", "qasem-soleimani", "Qasem Soleimani"),
        Entity("person", "ismail-qaani", "Ismail Qaani"),
        Entity("person", "mustafa-al-kadhimi", "Mustafa Al-Kadhimi"),
        Entity("place", "iran", "Iran"),
        Entity("place", "baghdad", "Baghdad"),
        Entity(
            "place",
            "us-embassy-baghdad",
            "US Embassy in Baghdad",
            fields={"contextual_aliases": ["the embassy"]},
        ),
        Entity("org", "axios", "Axios"),
    )
    return NameTable([*people, *entities])


def news_found(body: str, *entities: Entity) -> list[tuple[str, str]]:
    return found_text(body, news_table(*entities))


def test_a_surname_after_the_full_name_is_the_same_person():
    assert news_found("Mike Pompeo spoke. Later, Pompeo left.") == [
        ("Mike Pompeo", "person:mike-pompeo"),
        ("Pompeo", "person:mike-pompeo"),
    ]
    # Before the full name, a bare surname is not enough.
    assert news_found("Pompeo left before Mike Pompeo came.") == [
        ("Mike Pompeo", "person:mike-pompeo")
    ]
    # The particle stays with the surname, or goes.
    assert news_found("Mustafa Al-Kadhimi met them; Al-Kadhimi and Kadhimi agreed.") == [
        ("Mustafa Al-Kadhimi", "person:mustafa-al-kadhimi"),
        ("Al-Kadhimi", "person:mustafa-al-kadhimi"),
        ("Kadhimi", "person:mustafa-al-kadhimi"),
    ]


def test_a_surname_keeps_its_capital():
    assert news_found("Donald Trump spoke; a trump card.") == [
        ("Donald Trump", "person:donald-trump")
    ]


def test_a_title_supports_a_surname_and_is_not_part_of_it():
    assert news_found("President Trump and Secretary of State Pompeo spoke.") == [
        ("Trump", "person:donald-trump"),
        ("Pompeo", "person:mike-pompeo"),
    ]
    assert news_found("Iranian Gen. Soleimani; Prime Minister Kadhimi.") == [
        ("Soleimani", "person:qasem-soleimani"),
        ("Kadhimi", "person:mustafa-al-kadhimi"),
    ]


def test_possessives_are_the_entity():
    assert news_found("Iran's envoy read Axios' report.") == [
        ("Iran's", "place:iran"),
        ("Axios'", "org:axios"),
    ]


def test_spelling_variants_are_found_and_named(tmp_path: Path):
    body = (
        "Qasem Soleimani died; Suleimani was buried. Ismail Qaani, or Esmail Ghaani, "
        "succeeded him. Mustafa Al-Kadhimi, whom some call Kazemi, met Ghaani."
    )
    table = news_table()
    found = suggest(body, "a.md", table, every=True)
    assert [(s.text, s.entity_id, s.variant) for s in found] == [
        ("Qasem Soleimani", "person:qasem-soleimani", None),
        ("Suleimani", "person:qasem-soleimani", "Soleimani"),
        ("Ismail Qaani", "person:ismail-qaani", None),
        ("Esmail Ghaani", "person:ismail-qaani", "Ismail Qaani"),
        ("Mustafa Al-Kadhimi", "person:mustafa-al-kadhimi", None),
        ("Kazemi", "person:mustafa-al-kadhimi", "Kadhimi"),
        ("Ghaani", "person:ismail-qaani", "Qaani"),
    ]
    assert found[1].format() == (
        'a.md:1:23: note: "Suleimani" could be [[Qasem Soleimani|Suleimani]] '
        '(a spelling of "Soleimani") [annotate]'
    )


def test_initials_and_long_variants_of_organizations_and_places():
    states = Entity("place", "united-states", "United States")
    militias = Entity("org", "iranian-backed-militias", "Iranian-backed militias")
    irgc = Entity("org", "irgc", "Islamic Revolutionary Guard Corps")
    body = (
        "The U.S. and the US blamed Iran-backed militias; the IRGC, or Islamic "
        "Revolutionary Guards Corps, denied it. Then us."
    )
    found = suggest(body, "a.md", news_table(states, militias, irgc), every=True)
    assert [(s.text, s.entity_id, s.variant) for s in found] == [
        ("U.S.", "place:united-states", None),
        ("US", "place:united-states", None),
        ("Iran-backed militias", "org:iranian-backed-militias", "Iranian-backed militias"),
        ("IRGC", "org:irgc", None),
        ("Islamic Revolutionary Guards Corps", "org:irgc", "Islamic Revolutionary Guard Corps"),
    ]


def test_a_different_given_name_is_someone_else():
    assert news_found("Qasem Soleimani was killed. Hossein Soleimani spoke.") == [
        ("Qasem Soleimani", "person:qasem-soleimani")
    ]
    # Even when "Soleimani" is an alias of his entry.
    soleimani = Entity("person", "qasem-soleimani", "Qasem Soleimani", aliases=["Soleimani"])
    table = NameTable([soleimani])
    assert found_text("Hossein Soleimani spoke; when Soleimani", table) == [
        ("Soleimani", "person:qasem-soleimani")
    ]


def test_a_role_said_of_someone_else_is_not_the_entity():
    body = (
        "Donald Trump tweeted. The president of Iran, Hassan Rouhani, answered; "
        "the president, Hassan Rouhani, said more. Later the president golfed."
    )
    assert news_found(body) == [
        ("Donald Trump", "person:donald-trump"),
        ("Iran", "place:iran"),
        ("the president", "person:donald-trump"),
    ]


def test_a_contextual_alias_counts_only_after_the_full_name():
    assert news_found("The president spoke. Then Donald Trump and the president left.") == [
        ("Donald Trump", "person:donald-trump"),
        ("the president", "person:donald-trump"),
    ]
    # A mention already written introduces the entity too.
    assert news_found("[[Donald Trump]] spoke, then the president left.") == [
        ("the president", "person:donald-trump")
    ]


def test_a_place_inside_a_longer_name_is_not_suggested():
    assert news_found("It may close its embassy in Baghdad.") == [
        ("embassy in Baghdad", "place:us-embassy-baghdad")
    ]
    assert news_found("He landed at Baghdad International Airport.") == []
    body = "The US Embassy in Baghdad is shut. In Jerusalem, the embassy is open."
    assert news_found(body) == [("US Embassy in Baghdad", "place:us-embassy-baghdad")]


def test_contextual_aliases_are_an_entry_field_in_the_schema(project: Path):
    write_tree(
        project,
        {
            "dossier/people/donald-trump.md": (
                "---\nname: Donald Trump\ncontextual_aliases: [the president]\n---\n"
            )
        },
    )
    table = table_for(project)
    assert found_text("the president. Donald Trump and the president.", table) == [
        ("Donald Trump", "person:donald-trump"),
        ("the president", "person:donald-trump"),
    ]
    # Not a name a [[...]] resolves: it means him only in context.
    assert table.registry.candidates("the president") == []
    from mkdocs_dossier.types import entry_schema

    assert "contextual_aliases" in entry_schema()["properties"]


# --- --write wraps every occurrence it lists (issue 17, item 4) ---------------------------


def test_write_all_wraps_every_listed_occurrence_and_nothing_else(project: Path, capsys):
    original = (
        "---\ntitle: T  \n---\n\nMike Pompeo met Pompeo's aides; Pompeo  left.\r\n"
        "Pompeo again, `Pompeo` in code.\n"
    )
    (project / "content/a.md").write_bytes(original.encode())
    code, listed, _ = annotate(project, capsys, "--all", str(project / "content/a.md"))
    assert code == 0 and len(listed.splitlines()) == 4
    code, out, err = annotate(project, capsys, "--write", "--all", str(project / "content/a.md"))
    assert code == 0
    assert out.startswith(listed)  # the same list, then the diff
    assert "--- a/content/a.md\n+++ b/content/a.md\n" in out
    assert "4 suggestions wrapped in 1 file" in err
    written = (project / "content/a.md").read_bytes().decode()
    assert written.count("[[") == 4
    # Without the inserted markup, the file is byte for byte what it was.
    unwrapped = written.replace("[[Mike Pompeo]]", "Mike Pompeo")
    unwrapped = unwrapped.replace("[[Mike Pompeo|", "").replace("]]", "")
    assert unwrapped == original


def test_apply_says_why_it_does_not_wrap_an_occurrence():
    from mkdocs_dossier.annotate import Suggestion, apply

    first = Suggestion("a.md", 1, 1, 0, 11, "Mike Pompeo", "person:mike-pompeo", "Mike Pompeo")
    inner = Suggestion("a.md", 1, 6, 5, 11, "Pompeo", "person:mike-pompeo", "Mike Pompeo")
    moved = Suggestion("a.md", 1, 14, 13, 17, "Iran", "place:iran", "Iran")
    text, refused = apply("Mike Pompeo, Iraq", [first, inner, moved])
    assert text == "[[Mike Pompeo]], Iraq"
    assert refused == [
        (inner, "it overlaps the name wrapped before it"),
        (moved, 'the file has "Iraq" there now'),
    ]
