"""The index across builds: order-free stubs, reused resolutions, records."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from mkdocs_dossier.exports.formats import dossier_json
from mkdocs_dossier.index.build import Resolutions, build_index
from mkdocs_dossier.pages.links import Links
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import read_entry


def person(slug: str, name: str, aliases: str = "[]"):
    text = f"---\nname: {name}\naliases: {aliases}\n---\n"
    entity, problems = read_entry(text.encode(), f"dossier/people/{slug}.md", "person", slug)
    assert problems == []
    return entity


def article(name: str, body: str, title: str | None = None):
    raw = f"---\ntitle: {title or name}\ndate: 2021-05-01\n---\n\n{body}\n".encode()
    return read_article(raw, f"{name}.md", f"content/{name}.md")


def people():
    return [person("ann-lee", "Ann Lee"), person("bo-chen", "Bo Chen", "[Chen]")]


def test_a_plain_mention_finds_a_stub_typed_in_a_later_article():
    sources = [article("a", "Met [[Getty Images]]."), article("b", "Photo: [[org:Getty Images]].")]
    dossier = build_index(people(), sources, [])
    first = dossier.by_uri["a.md"].mentions[0]
    assert first.entity_id == "org:getty-images"
    assert not [d for d in dossier.diagnostics if d.code == "unresolved-mention"]
    # The stub comes from the first file that types it.
    assert dossier.entities["org:getty-images"].first_named[0] == "content/b.md"


def _resolved(dossier):
    return {
        a.src_uri: (
            [(m.entity_id, m.anchor, m.context, m.label) for m in a.mentions],
            [(s.entity_id, s.text, s.anchor) for s in a.statements],
        )
        for a in dossier.articles
    }


def test_unchanged_articles_are_reused_while_the_names_hold():
    a = article("a", "[[Ann Lee]] met [[Chen]].\n\n> We agreed.\n> — [[Bo Chen]], statement")
    b = article("b", "[[Bo Chen]] alone, with [[Nobody Known]].")
    memo = Resolutions()
    first = build_index(people(), [a, b], [], memo)
    assert memo.reused == 0

    edited = article("b", "[[Bo Chen]] and [[Ann Lee]].")
    second = build_index(people(), [a, edited], [], memo)
    assert memo.reused == 1  # a, not the edited b
    assert second.by_uri["a.md"] is first.by_uri["a.md"]
    assert _resolved(second) == _resolved(build_index(people(), [a, edited], []))
    assert second.mention_count("person:ann-lee") == 2

    # A new alias can change what any article resolves to: nothing is reused.
    renamed = [person("ann-lee", "Ann Lee"), person("bo-chen", "Bo Chen", "[Chen, Nobody Known]")]
    third = build_index(renamed, [a, edited], [], memo)
    assert memo.reused == 1
    assert third.by_uri["a.md"] is not first.by_uri["a.md"]
    assert _resolved(third) == _resolved(build_index(renamed, [a, edited], []))


FRAGMENTS = (
    "[[Ann Lee]] met [[Chen]].",
    "[[Bo Chen]] alone.",
    "> We agreed.\n> — [[Bo Chen]], statement",
    "> Fine.\n> — [[Ann Lee]]",
    "Nothing here.",
    "[[Cy Dee]] and [[Ann Lee]] and [[Dan Eze]].",
    "[[Dan Eze]] again, [[Dan Eze]].",
)


def _indexes(dossier):
    """The dossier's indexes as plain data (empty counters left out)."""

    def uris(pairs):
        return [(a.src_uri, m.start, getattr(m, "anchor", None)) for a, m in pairs]

    for found in (*dossier.mentions.values(), *dossier.statements.values()):
        assert all(a is dossier.by_uri[a.src_uri] for a, _ in found)  # this build's
    return (
        {k: uris(v) for k, v in dossier.mentions.items()},
        {k: [(a.src_uri, s.text) for a, s in v] for k, v in dossier.statements.items()},
        {k: [a.src_uri for a in v] for k, v in dossier.mentioned_in.items()},
        {k: dict(v) for k, v in dossier.co_mentions.items() if v},
        dossier.entity_sets,
        dossier.events_of,
    )


def _cast():
    return [
        *people(),
        person("cy-dee", "Cy Dee"),
        person("dan-eze", "Dan Eze"),
    ]


@given(
    st.lists(st.lists(st.integers(0, len(FRAGMENTS) - 1), max_size=5), min_size=1, max_size=6),
    st.lists(
        st.tuples(st.integers(0, 5), st.lists(st.integers(0, len(FRAGMENTS) - 1), max_size=5)),
        min_size=1,
        max_size=4,
    ),
)
def test_the_index_updated_for_edited_articles_equals_one_made_anew(bodies, edits) -> None:
    def write(n: int, parts: list[int], version: int):
        text = "\n\n".join(FRAGMENTS[i] for i in parts) or "Empty."
        return article(f"a{n}", text, title=f"A{n} v{version}")

    sources = [write(n, parts, 0) for n, parts in enumerate(bodies)]
    memo = Resolutions()
    build_index(_cast(), sources, [], memo)
    for version, (n, parts) in enumerate(edits, start=1):
        sources[n % len(sources)] = write(n % len(sources), parts, version)
        before = memo.updated
        updated = build_index(_cast(), sources, [], memo)
        anew = build_index(_cast(), sources, [])
        assert _indexes(updated) == _indexes(anew)
        # Updated, not made anew, whenever one article in four or fewer changed.
        assert memo.updated == before + (len(sources) >= 4)


def test_the_sources_are_never_changed_by_resolution():
    a = article("a", "[[Ann Lee]] met [[Chen]].")
    build_index(people(), [a], [])
    assert a.article.mentions == [] and a.article.statements == []


def test_dossier_json_keeps_records_of_unchanged_articles_and_one_per_line():
    a, b = article("a", "[[Ann Lee]]."), article("b", "[[Bo Chen]].")
    memo = Resolutions()
    links = Links.for_site([], False)
    records: dict = {}
    first = build_index(people(), [a, b], [], memo)
    text = dossier_json(first, links, records)
    assert json.loads(text)["articles"][0]["title"] == "a"
    assert text.splitlines()[:2] == ["{", '"articles": [']
    retitled = article("a", "[[Ann Lee]].", title="A, retitled")
    second = build_index(people(), [retitled, b], [], memo)
    assert records["b.md"][0] is second.by_uri["b.md"]  # kept
    again = dossier_json(second, links, records)
    assert again == dossier_json(second, links)
    assert json.loads(again)["articles"][0]["title"] == "A, retitled"


def test_co_mentions_of_one_huge_article_are_bounded():
    # Every pair of an article's entities is counted for "often mentioned with": the
    # square of its entities. An article naming 400 entities counts only its 200 most
    # mentioned, so one article can no longer cost quadratic time and memory; every
    # entity keeps its backlinks.
    from mkdocs_dossier.index.build import MAX_CO_MENTIONED

    def pairs(k: int, extra: str = "") -> tuple[int, int]:
        names = " ".join(f"[[person:Name {i}]]" for i in range(k))
        text = f"---\ntitle: Many\ndate: 2020-12-22\n---\n\n{names} {extra}\n"
        dossier = build_index([], [read_article(text.encode(), "m.md", "m.md")], [])
        return sum(len(c) for c in dossier.co_mentions.values()), len(dossier.mentioned_in)

    assert pairs(150) == (150 * 149, 150)  # an ordinary article: every pair
    counted, backlinked = pairs(400, extra="[[Name 399]] " * 3)
    assert backlinked == 400
    assert counted == MAX_CO_MENTIONED * (MAX_CO_MENTIONED - 1)


MARKDOWN_BITS = st.lists(
    st.sampled_from(
        [
            "[[",
            "]]",
            "[",
            "]",
            "(",
            ")",
            "](",
            "!",
            "*",
            "**",
            "_",
            "__",
            "`",
            "\\",
            "\n",
            "\n\n",
            " ",
            "\t",
            ">",
            "- ",
            "+ ",
            "1. ",
            "# ",
            "|",
            ":",
            "Gen.",
            "U.S.",
            "word",
            "Baghdad",
            "é",
            "\u2028",
            "0",
        ]
    ),
    max_size=30,
).map("".join)


@given(MARKDOWN_BITS)
def test_plain_skips_only_passes_that_cannot_change_the_text(text: str) -> None:
    """`plain` runs each pass only where its syntax occurs (contexts call it per
    mention): the result is that of running every pass."""
    from mkdocs_dossier.read import articles
    from mkdocs_dossier.read.grammar import MENTION_TEXT, label_of

    every = MENTION_TEXT.sub(lambda match: label_of(match.group(1)), text)
    every = articles._LINK.sub(r"\1", every)
    every = articles._LINE_MARK.sub("", every)
    every = articles._EMPHASIS.sub("", every)
    every = articles._ESCAPE.sub(r"\1", every)
    assert articles.plain(text) == articles._SPACE.sub(" ", every)
