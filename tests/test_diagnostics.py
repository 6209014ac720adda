"""Front matter and entry diagnostics with exact 1-based positions."""

from __future__ import annotations

from pathlib import Path

from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import load_entries, read_entry
from sitebuild import write_tree


def entry(text: str, kind: str = "person", stem: str = "x"):
    return read_entry(text.encode(), f"dossier/{kind}/{stem}.md", kind, stem)


def found(diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in diagnostics]


def test_broken_yaml_points_at_its_line():
    _, diagnostics = entry("---\nname: Ana\nsummary: [unclosed\n---\n")
    assert found(diagnostics) == [("bad-front-matter", 4, 1)]
    assert diagnostics[0].severity == "error"


def test_bad_coordinates_point_at_the_value():
    _, diagnostics = entry("---\nname: X\ncoordinates: [95, 10]\n---\n", "place")
    assert found(diagnostics) == [("bad-field", 3, 14)]
    assert "latitude 95 is out of range" in diagnostics[0].message


def test_invalid_event_date_and_reversed_end():
    _, diagnostics = entry("---\ndate: 2020-02-30\n---\n", "event")
    assert found(diagnostics) == [("bad-field", 2, 7)]
    _, diagnostics = entry("---\ndate: 2020-05\nend: 2020-01-02\n---\n", "event")
    assert found(diagnostics) == [("bad-field", 3, 6)]
    assert "before the start" in diagnostics[0].message


def test_event_without_date_is_an_error():
    _, diagnostics = entry("---\nname: Something\n---\n", "event")
    assert [d.code for d in diagnostics] == ["bad-field"]


def test_wrong_type_of_field():
    _, diagnostics = entry("---\nname: X\naliases: {a: 1}\nsummary: [1, 2]\n---\n")
    assert found(diagnostics) == [("bad-field", 3, 10), ("bad-field", 4, 10)]


def test_partial_dates_are_kept_as_written():
    entity, diagnostics = entry("---\ndate: 2018\nend: 2018-09\n---\n", "event")
    assert diagnostics == []
    assert entity.date is not None and entity.date.iso() == "2018"
    assert entity.end is not None and entity.end.iso() == "2018-09"


def test_article_front_matter_problems():
    source = read_article(b"---\ntitle: T\ndate: yesterday\n---\n\nText\n", "a.md", "content/a.md")
    assert found(source.diagnostics) == [("bad-field", 3, 7)]


def test_mention_positions_count_front_matter_lines_and_crlf():
    raw = b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\nSee [[Nobody]]\r\n"
    source = read_article(raw, "a.md", "content/a.md")
    assert source.raw_mentions[0].target.position.line == 5
    assert source.raw_mentions[0].target.position.col == 5


def test_duplicate_slugs_after_transliteration(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "dossier/people/José.md": "---\nname: José\n---\n",
            "dossier/people/jose.md": "---\nname: Jose\n---\n",
            "dossier/things/odd.md": "---\nname: Odd\n---\n",
        },
    )
    entities, diagnostics = load_entries(tmp_path, tmp_path / "dossier")
    assert [e.id for e in entities] == ["person:jose"]
    assert sorted(d.code for d in diagnostics) == ["duplicate-entity", "misplaced-entry"]


def test_place_field_prefers_a_place_over_a_person_of_the_same_name():
    from mkdocs_dossier.index.build import build_index

    jordan_place, _ = entry("---\nname: Jordan\n---\n", "place", "jordan")
    jordan_person, _ = entry("---\nname: Jordan\n---\n", "person", "jordan")
    event, problems = entry("---\ndate: 2020\nplace: Jordan\n---\n", "event", "summit")
    assert problems == []
    dossier = build_index([jordan_place, jordan_person, event], [], [])
    assert dossier.entities["event:summit"].links["place"] == ["place:jordan"]
    assert dossier.diagnostics == []


def test_control_characters_are_shown_escaped():
    # A name with an ESC sequence must not recolour the terminal or CI log, and a line
    # separator must not split the one-line form.
    from mkdocs_dossier.model import Diagnostic

    shown = Diagnostic("a.md", 1, 2, "warning", "x", 'mention "\x1b[31mred\x00" \u2028.').format()
    assert shown == 'a.md:1:2: warning: mention "\\x1b[31mred\\x00" \\u2028. [x]'
    assert shown.isprintable()


def test_an_entry_named_like_a_reserved_page_is_reported(tmp_path: Path):
    write_tree(tmp_path, {"dossier/people/con.md": "---\nname: Con Air\n---\n"})
    entities, diagnostics = load_entries(tmp_path, tmp_path / "dossier")
    assert [e.id for e in entities] == ["person:x-con"]
    assert [(d.path, d.code) for d in diagnostics] == [("dossier/people/con.md", "reserved-slug")]
    assert "the page is people/x-con" in diagnostics[0].message


def test_a_reference_of_the_wrong_type_is_an_error():
    from mkdocs_dossier.index.build import build_index

    pompeo, _ = entry("---\nname: Mike Pompeo\n---\n", "person", "mike-pompeo")
    event, _ = entry("---\ndate: 2020\nplace: person:Mike Pompeo\n---\n", "event", "summit")
    dossier = build_index([pompeo, event], [], [])
    assert dossier.entities["event:summit"].links["place"] == []
    assert [(d.line, d.col, d.code) for d in dossier.diagnostics] == [(3, 8, "bad-field")]
    assert 'place: "person:Mike Pompeo" is not a place' in dossier.diagnostics[0].message


def test_parent_cycles_are_errors():
    from mkdocs_dossier.index.build import build_index

    selfish, _ = entry("---\nname: Loop Inc\nparent: Loop Inc\n---\n", "org", "loop-inc")
    a, _ = entry("---\nname: Alpha\nparent: Beta\n---\n", "org", "alpha")
    b, _ = entry("---\nname: Beta\nparent: Alpha\n---\n", "org", "beta")
    child, _ = entry("---\nname: Child\nparent: Alpha\n---\n", "org", "child")
    dossier = build_index([selfish, a, b, child], [], [])
    reported = {(d.path, d.line, d.message) for d in dossier.diagnostics}
    loop = "parent: the organization is part of itself"
    assert reported == {
        ("dossier/org/loop-inc.md", 3, f"{loop} (Loop Inc -> Loop Inc)"),
        ("dossier/org/alpha.md", 3, f"{loop} (Alpha -> Beta -> Alpha)"),
        ("dossier/org/beta.md", 3, f"{loop} (Beta -> Alpha -> Beta)"),
    }


def test_one_line_fields_are_one_line_and_hold_no_control_characters():
    # A summary written as a YAML block would break the title attribute of every mention;
    # a NUL or an ESC in a name would reach every page that names the entity.
    person, problems = entry(
        '---\nname: "Ana\\x00 Ruiz\\e[31m"\naliases: ["An\\x07a", Ruiz]\n'
        "summary: |\n  Mayor of\n  the town.\n---\n"
    )
    assert person.name == "Ana Ruiz[31m"
    assert person.aliases == ["Ana", "Ruiz"]
    assert person.summary == "Mayor of the town."
    assert [(d.code, d.line) for d in problems] == [("bad-field", 2), ("bad-field", 3)]
    assert "control character U+0000, U+001B removed" in problems[0].message
