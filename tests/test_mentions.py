"""The [[...]] grammar (README, "Write an article"): scanning, escapes, code, and resolution."""

from __future__ import annotations

import pytest
from mkdocs_dossier.index.resolve import Registry
from mkdocs_dossier.model import Entity, Position, Target
from mkdocs_dossier.names import name_key, slugify
from mkdocs_dossier.read.grammar import parse_target, scan


def targets(text: str) -> list[tuple[str | None, str, str | None]]:
    return [(m.target.type, m.target.name, m.target.label) for m in scan(text, "a.md").mentions]


def codes(text: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in scan(text, "a.md").diagnostics]


def test_plain_mention_is_shown_as_written():
    assert targets("Hello [[Mike Pompeo]].") == [(None, "Mike Pompeo", None)]


def test_label_after_bar():
    assert targets("[[Mike Pompeo|Pompeo]]") == [(None, "Mike Pompeo", "Pompeo")]


def test_typed_mention_and_typed_with_label():
    assert targets("[[person:Ismail Qaani]] [[place:Al Asad Air Base|Al Asad]]") == [
        ("person", "Ismail Qaani", None),
        ("place", "Al Asad Air Base", "Al Asad"),
    ]


def test_organization_is_an_alias_of_org():
    assert targets("[[organization:Quds Force]]") == [("org", "Quds Force", None)]


def test_escaped_mention_is_not_a_mention():
    assert targets(r"\[[not a mention]] but [[Real]]") == [(None, "Real", None)]


def test_double_backslash_does_not_escape():
    assert targets(r"\\[[Real]]") == [(None, "Real", None)]


def test_nothing_in_code_spans():
    assert targets("`[[code]]` and ``x [[more]] x`` then [[Real]]") == [(None, "Real", None)]


def test_nothing_in_fenced_code():
    text = "```\n[[fenced]]\n```\n\n~~~python\n[[tilde]]\n~~~\n\n[[Real]]\n"
    assert targets(text) == [(None, "Real", None)]


def test_nothing_in_indented_code():
    text = "Para.\n\n    [[indented]]\n\n[[Real]]\n"
    assert targets(text) == [(None, "Real", None)]


def test_indented_list_continuation_is_not_code():
    text = "- item\n\n    [[Continued]]\n"
    assert targets(text) == [(None, "Continued", None)]


def test_nothing_in_html_comments():
    assert targets("<!-- [[hidden]]\n[[also]] -->[[Real]]") == [(None, "Real", None)]


def test_positions_are_one_based_line_and_column():
    scanned = scan("first line\n  see [[Mike Pompeo]]\n", "a.md", first_line=5)
    assert scanned.mentions[0].target.position == Position(6, 7)


def test_unclosed_mention_is_reported_where_it_opens():
    assert codes("ok\nsee [[Mike Pompeo and more") == [("unclosed-mention", 2, 5)]


def test_nested_open_reports_the_outer_and_keeps_the_inner():
    scanned = scan("[[a [[B]]", "a.md")
    assert [(d.code, d.col) for d in scanned.diagnostics] == [("unclosed-mention", 1)]
    assert [m.target.name for m in scanned.mentions] == ["B"]


def test_unknown_type_is_reported():
    assert codes("x [[planet:Mars]]") == [("unknown-type", 1, 3)]


def test_empty_mention_is_reported():
    assert codes("[[]] [[ | label]]") == [("empty-mention", 1, 1), ("empty-mention", 1, 6)]


def test_mention_may_wrap_a_line_but_not_a_paragraph():
    assert targets("[[Mike\nPompeo]]") == [(None, "Mike Pompeo", None)]
    assert codes("[[Mike\n\nPompeo]]") == [("unclosed-mention", 1, 1)]


def test_name_key_ignores_case_accents_punctuation_and_spacing():
    assert name_key("Al-Kadhimi") == name_key("al kadhimi") == name_key("Al Kādhimī")


def test_slugs_are_ascii_and_never_empty():
    assert slugify("Al Kādhimī") == "al-kadhimi"
    assert slugify("Straße") == "strasse"
    assert slugify("O’Brien") == slugify("O'Brien") == "obrien"
    assert slugify("") != ""


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Владимир Путин", "vladimir-putin"),
        ("Київ", "kiiv"),
        ("مصطفى الكاظمي", "mstfa-lkdhmy"),
        ("بغداد", "bghdd"),
        ("北京", "beijing"),
        ("習近平", "xijinping"),
        ("Αθήνα", "athina"),
        ("ΑΘΗΝΑ", "athina"),
        ("서울", "seoul"),
        ("תל אביב", "tl-vyv"),
        ("Hawaiʻi", "hawaii"),
        ("🙂", "slight-smile"),
    ],
)
def test_slugs_transliterate_every_script(name: str, slug: str):
    assert slugify(name) == slug


def test_names_without_letters_or_digits_get_distinct_stable_slugs():
    signs = ["...", "…", "!!!", "?", "—", "★"]
    slugs = [slugify(name) for name in signs]
    assert len(set(slugs)) == len(signs)
    assert all(s.startswith("x-") and len(s) == 10 for s in slugs)
    assert slugify("...") == "x-6eae3a5b"  # a digest of the name: the same in every build


def test_keys_keep_other_scripts_as_written():
    # Matching by transliteration would merge different names: both are `LiMing`.
    assert name_key("李明") != name_key("黎明")
    assert name_key("Москва") == name_key("МОСКВА") == "москва"
    assert name_key("Αθήνα") == name_key("ΑΘΗΝΑ")  # accents and case aside
    assert name_key("١٢٣") == name_key("123") == "123"  # digits of every script
    assert name_key("...") == name_key("🙂") == ""


def _registry() -> Registry:
    return Registry(
        [
            Entity("person", "mike-pompeo", "Mike Pompeo", aliases=["Pompeo"]),
            Entity("person", "mustafa-al-kadhimi", "Mustafa Al-Kadhimi", aliases=["Al-Kadhimi"]),
            Entity("place", "georgia", "Georgia"),
            Entity("person", "georgia-smith", "Georgia Smith", aliases=["Georgia"]),
        ]
    )


def _target(text: str):
    target, _ = parse_target(text, Position(3, 4), "a.md")
    assert target is not None
    return target


def test_resolves_through_aliases_with_accents():
    resolved, problem = _registry().resolve(_target("Al Kādhimī"), "a.md")
    assert (resolved, problem) == ("person:mustafa-al-kadhimi", None)


def test_resolves_through_slug():
    assert _registry().resolve(_target("mike-pompeo"), "a.md")[0] == "person:mike-pompeo"


def test_ambiguous_mention_names_the_candidates():
    resolved, problem = _registry().resolve(_target("Georgia"), "a.md")
    assert resolved is None
    assert problem is not None and problem.code == "ambiguous-mention"
    assert "place:georgia" in problem.message and "person:georgia-smith" in problem.message
    assert (problem.line, problem.col) == (3, 4)


def test_type_settles_an_ambiguity():
    assert _registry().resolve(_target("place:Georgia"), "a.md")[0] == "place:georgia"


def test_unresolved_mention_suggests_a_name():
    resolved, problem = _registry().resolve(_target("Pompeoo"), "a.md")
    assert resolved is None and problem is not None
    assert problem.format() == (
        'a.md:3:4: warning: unresolved mention "Pompeoo" — did you mean "Mike Pompeo" '
        '(alias "Pompeo")? [unresolved-mention]'
    )


def test_unresolved_mention_suggests_the_full_name_for_a_surname():
    registry = Registry([Entity("person", "ismail-qaani", "Ismail Qaani")])
    _, problem = registry.resolve(_target("Qaani"), "a.md")
    assert problem is not None and 'did you mean "Ismail Qaani"' in problem.message


def _hint(registry: Registry, text: str) -> str:
    _, problem = registry.resolve(_target(text), "a.md")
    assert problem is not None and problem.code == "unresolved-mention"
    return problem.message.split(f'"{problem.subject}"', 1)[1]


def test_did_you_mean_says_which_alias_was_close():
    registry = Registry([Entity("person", "esmail-ghaani", "Esmail Ghaani", ["Ismail Qaani"])])
    assert _hint(registry, "Qaani") == ' — did you mean "Esmail Ghaani" (alias "Ismail Qaani")?'
    assert _hint(registry, "Esmail Ghani") == ' — did you mean "Esmail Ghaani"?'


def test_did_you_mean_ranks_by_the_closest_name_or_alias():
    registry = Registry(
        [
            Entity("person", "mike-pompeo", "Mike Pompeo", aliases=["Pompeo"]),
            Entity("person", "pompey", "Pompey the Great", aliases=["Pompey"]),
            Entity("place", "pompeii", "Pompeii"),
        ]
    )
    assert _hint(registry, "Pompeoo") == ' — did you mean "Mike Pompeo" (alias "Pompeo")?'
    assert _hint(registry, "Pompei") == ' — did you mean "Pompeii"?'
    assert _hint(registry, "Pompey Great") == ' — did you mean "Pompey the Great"?'


def test_did_you_mean_compares_the_last_path_segment():
    registry = Registry([Entity("person", "ismail-qaani", "Ismail Qaani")])
    hint = _hint(registry, "people/Ismail Qaani")
    assert hint == ' — did you mean "Ismail Qaani"?'
    # Nothing close: the hint to create it names the page, not the folder.
    assert _hint(registry, "notes/New Page") == (
        ' (add [[person:New Page]] to create a stub, or run dossier new person "New Page")'
    )


# A vault's pages as entities, and links to pages it does not have: none of these names
# is close to another, so none may get a did-you-mean.
VAULT = [
    "Help and support",
    "Help center",
    "Getting started",
    "Graph view",
    "Core plugins",
    "Community plugins",
    "Evergreen notes turn ideas into objects that you can manipulate",
    "2023 Japan Trip",
    "2023-09-12 Meeting with Steph",
    "Obsidian compatibility",
    "Stars",
    "Canvas",
]


@pytest.mark.parametrize(
    "name",
    ["Help", "Start", "Plugins", "notes", "Japan", "Meetings", "Composability", "Canvas view x"],
)
def test_did_you_mean_stays_quiet_when_nothing_is_close(name: str):
    registry = Registry([Entity("person", slugify(n), n) for n in VAULT])
    assert _hint(registry, name).startswith(" (add [[person:")


def test_did_you_mean_finds_typos_and_plurals_in_a_vault():
    registry = Registry([Entity("person", slugify(n), n) for n in VAULT])
    assert _hint(registry, "Grpah view") == ' — did you mean "Graph view"?'
    assert _hint(registry, "Canvass") == ' — did you mean "Canvas"?'
    assert _hint(registry, "Community plugin") == ' — did you mean "Community plugins"?'


def test_an_escaped_table_pipe_is_no_part_of_the_name():
    # In a Markdown table a mention escapes its `|`: `[[Name\|label]]`.
    found = scan("| a |\n|---|\n| [[Nobody Here\\|him]] [[person:New Guy\\|x]] |\n", "a.md", 1)
    registry = Registry([])
    _, problem = registry.resolve(found.mentions[0].target, "a.md")
    assert problem is not None and "\\" not in problem.message
    assert problem.message.startswith('unresolved mention "Nobody Here" (add [[person:Nobody')
    stub, _ = registry.resolve(found.mentions[1].target, "a.md")
    assert stub == "person:new-guy" and registry.entities[stub].name == "New Guy"


def test_typed_unknown_target_creates_one_stub():
    registry = _registry()
    first, _ = registry.resolve(_target("person:Ismail Qaani"), "a.md")
    second, _ = registry.resolve(_target("Ismail Qaani"), "a.md")
    assert first == second == "person:ismail-qaani"
    assert registry.entities[first].stub


@pytest.mark.parametrize("name", ["index", "CON", "prn", "Aux", "nul", "com1", "LPT9"])
def test_no_slug_is_a_reserved_page_name(name: str):
    # `index` is a type's index page; the rest are device names Windows refuses as files.
    assert slugify(name) == f"x-{name.lower()}"
    assert slugify(f"{name} Street") == f"{name.lower()}-street"


def test_distinct_stubs_never_share_a_slug():
    # Names that transliterate alike must not merge into one page, nor into an entry that
    # already has the slug; names with only signs each get their own page too.
    entry = Entity(type="person", slug="liming", name="Li Ming")
    registry = Registry([entry])
    ids = []
    for name in ("李明", "黎明", "里明", "李明", "...", "🙂", "!!!", "...", "  ...  "):
        target = Target(f"person:{name}", "person", name, None, Position(1, 1))
        ids.append(registry.resolve(target, "a.md")[0])
    assert ids[0] == ids[3]  # the same name twice is one stub
    assert ids[4] == ids[7] == ids[8]  # signs too, spacing aside
    distinct = [*ids[:3], *ids[4:7], entry.id]
    assert len(set(distinct)) == len(distinct)
    assert all(i.startswith("person:liming-") for i in ids[:3])
    assert [registry.entities[i].name for i in ids[4:7]] == ["...", "🙂", "!!!"]


def test_a_transliterated_slug_resolves_the_name_it_came_from():
    registry = Registry([])
    target = Target("person:Владимир Путин", "person", "Владимир Путин", None, Position(1, 1))
    stub, _ = registry.resolve(target, "a.md")
    assert stub == "person:vladimir-putin"
    assert registry.candidates("Vladimir Putin") == registry.candidates("владимир путин") == [stub]
