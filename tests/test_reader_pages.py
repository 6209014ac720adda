"""Pages a newsroom would publish (issue 15): article headers, infoboxes with human
values, first-mention linking, timelines with events as the spine, statements as
figures, generated sections in the table of contents, one date style."""

from __future__ import annotations

import locale
import re

import pytest
from mkdocs_dossier.index.build import build_index
from mkdocs_dossier.index.timeline import timeline_years
from mkdocs_dossier.model import PartialDate
from mkdocs_dossier.pages.links import Links
from mkdocs_dossier.pages.render import coordinates_text, facts, render_mentions
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import read_entry

CONFIG = """\
site_name: Reader test
docs_dir: content
use_directory_urls: false
theme:
  name: material
  font: false
  features: [navigation.tabs]
plugins:
  - search
  - dossier:
      date_style: {style}
      linking: {linking}
markdown_extensions:
  - toc:
      permalink: true
nav:
  - Home: index.md
  - News: news/strike.md
  - People: people/index.md
  - Places: places/index.md
"""

FILES = {
    "content/index.md": "# Home\n\nThe desk's dossier.\n",
    "content/news/strike.md": """\
        ---
        title: Strike near the river
        date: 2021-03-04
        updated: 2021-03-05
        source: Desk Wire
        section: Labour
        authors: [Lena Park, Omar Haddad]
        url: https://example.org/2021/strike
        tags: [ports, labour]
        ---

        [[Ana Ruiz]] visited [[Riverton]]. Later [[Ana Ruiz|Ruiz]] spoke in [[Riverton]].

        ## Reaction

        [[Ana Ruiz|The mayor]] said more.

        > The port stays open.
        > — [[Ana Ruiz|Ruiz]], statement
        """,
    "content/news/plain.md": """\
        ---
        title: Page title
        date: 2020-02
        url: javascript:alert(1)
        ---

        # Its own heading

        Text about [[Ana Ruiz]].
        """,
    "dossier/people/ana-ruiz.md": """\
        ---
        name: Ana Ruiz
        summary: Mayor of Riverton.
        wikidata: Q42
        born: 1970-05
        ---
        """,
    "dossier/places/riverton.md": """\
        ---
        name: Riverton
        summary: Port town.
        kind: city
        country: IQ
        coordinates: [33.3152, -44.3661]
        ---
        """,
    "dossier/places/iraq.md": """\
        ---
        name: Iraq
        summary: Country.
        kind: country
        country: IQ
        ---
        """,
    "dossier/events/port-strike.md": """\
        ---
        name: Port strike
        summary: Workers stopped the port.
        date: 2021-03
        place: Riverton
        participants: [Ana Ruiz]
        ---
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import run_build, write_tree

    root = tmp_path_factory.mktemp("reader")
    write_tree(root, FILES)
    build = run_build(root, config=CONFIG.format(style="medium", linking="first"))
    assert build.returncode == 0, build.log
    return build


def test_article_header_shows_section_byline_source_dates_and_tags(site):
    html = site.page("news/strike.html")
    start = html.index('class="dossier-article-header"')
    header = html[start : html.index("</header>", start)]
    assert '<p class="dossier-article-section">Labour</p>' in header
    assert "<h1>Strike near the river</h1>" in header
    assert html.count("<h1") == 1  # the theme adds no second title
    assert re.search(r"By <span[^>]*>Lena Park</span> and <span[^>]*>Omar Haddad</span>", header)
    assert '<a href="https://example.org/2021/strike" rel="noopener">Desk Wire</a>' in header
    assert '<time datetime="2021-03-04">4 Mar 2021</time>' in header
    assert 'Updated <time datetime="2021-03-05">5 Mar 2021</time>' in header
    assert re.findall(r"<li>(\w+)</li>", header) == ["ports", "labour"]


def test_a_page_with_its_own_h1_gets_the_header_after_it_and_no_script_url(site):
    html = site.page("news/plain.html")
    assert html.count("<h1") == 1
    assert html.index("Its own heading") < html.index("dossier-article-header")
    assert '<time datetime="2020-02">Feb 2020</time>' in html
    assert "javascript:" not in html
    assert any(
        "news/plain.md:4:" in w and "url:" in w and "[bad-field]" in w for w in site.warnings()
    ), site.log


def test_first_mention_of_each_entity_is_the_link_the_rest_keep_their_anchor(site):
    html = site.page("news/strike.html")
    found = re.findall(r'<(a|span) class="dossier-mention[^"]*" data-entity="([^"]+)"', html)
    assert found == [
        ("a", "person:ana-ruiz"),
        ("a", "place:riverton"),
        ("span", "person:ana-ruiz"),
        ("span", "place:riverton"),
        ("span", "person:ana-ruiz"),
        ("span", "person:ana-ruiz"),  # the statement's speaker
    ]
    # The entity page still points at every occurrence.
    page = site.page("people/ana-ruiz.html")
    for anchor in re.findall(r'strike\.html#(m-person-ana-ruiz-\d+)"', page):
        assert f'id="{anchor}"' in html


def _linking(mode: str) -> list[str]:
    person, _ = read_entry(b"---\nname: Ana\n---\n", "dossier/people/ana.md", "person", "ana")
    body = "[[Ana]] and [[Ana]].\n\n## Later\n\n[[Ana]] again, [[Ana]].\n\n## [[Ana]] heading\n"
    source = read_article(f"---\ntitle: T\n---\n\n{body}".encode(), "a.md", "content/a.md")
    dossier = build_index([person], [source], [])
    article = dossier.by_uri["a.md"]
    links = Links.for_site(list(dossier.entities), use_directory_urls=False)
    markdown, tokens = render_mentions(
        article.body, article.mentions, dossier, links, "a.html", linking=mode
    )
    html = tokens.restore(markdown) if tokens else markdown
    return re.findall(r'<(a|span) class="dossier-mention', html)


def test_linking_first_section_or_all():
    assert _linking("first") == ["a", "span", "span", "span", "span"]
    assert _linking("section") == ["a", "span", "a", "span", "span"]
    assert _linking("all") == ["a", "a", "a", "a", "a"]


def test_infobox_gives_human_values(site):
    html = site.page("places/riverton.html")
    box = html[html.index('class="dossier-infobox"') : html.index("</aside>")]
    assert '<dd><a href="iraq.html">Iraq</a></dd>' in box  # the country's entity page
    assert "<dd>33.32° N, 44.37° W</dd>" in box
    person = site.page("people/ana-ruiz.html")
    assert '<a href="https://www.wikidata.org/wiki/Q42">Q42</a>' in person
    assert "<dd>May 1970</dd>" in person
    # Text colours follow the theme: the wrapper carries no type class of the mentions.
    assert 'class="dossier-entity dossier-entity-person"' in person


def test_coordinates_read_with_hemispheres():
    assert coordinates_text(33.3152, 44.3661) == "33.32° N, 44.37° E"
    assert coordinates_text(-33.9, -70.66) == "33.90° S, 70.66° W"


def test_an_unknown_country_code_reads_as_written_and_is_not_linked():
    place, _ = read_entry(
        b"---\nname: X\nkind: city\ncountry: ZZ\n---\n", "dossier/places/x.md", "place", "x"
    )
    dossier = build_index([place], [], [])
    links = Links.for_site([place.id], use_directory_urls=False)
    country = next(f for f in facts(place, dossier, links, "places/x.html") if f.label == "Country")
    assert country.links == [("ZZ", None)]


def test_statement_is_a_figure_with_a_linked_attribution(site):
    html = site.page("people/ana-ruiz.html")
    section = html[html.index('id="dossier-statements"') :]
    figure = section[section.index("<figure") : section.index("</figure>")]
    assert "<blockquote><p>The port stays open.</p></blockquote>" in figure
    assert re.search(
        r'<figcaption>— <a href="\.\./news/strike\.html#m-person-ana-ruiz-\d+">', figure
    )
    assert "&gt;" not in html[html.index('id="dossier-mentions"') :]


def test_timeline_puts_events_first_with_their_coverage(site):
    html = site.page("people/ana-ruiz.html")
    timeline = html[html.index('id="dossier-timeline"') : html.index('id="dossier-mentions"')]
    event = timeline[timeline.index("dossier-timeline-event") :]
    assert event.index("Port strike") < event.index("Strike near the river")
    assert 'class="dossier-coverage"' in event
    assert '<time datetime="2021-03">Mar 2021</time>' in timeline


def test_timeline_years_nest_articles_under_the_event_they_mention():
    place, _ = read_entry(b"---\nname: Town\n---\n", "dossier/places/town.md", "place", "town")
    event, _ = read_entry(
        b"---\nname: Flood\ndate: 2021-05-01\nplace: Town\n---\n",
        "dossier/events/flood.md",
        "event",
        "flood",
    )
    sources = [
        read_article(
            f"---\ntitle: {name}\ndate: {date}\n---\n\n{body}\n".encode(), f"{name}.md", name
        )
        for name, date, body in [
            ("before", "2020-01-01", "In [[Town]]."),
            ("report", "2021-05-02", "The [[Flood]] hit [[Town]]."),
        ]
    ]
    dossier = build_index([place, event], sources, [])
    years = timeline_years(dossier, dossier.entities["place:town"])
    assert [
        (y.year, [e.event.name for e in y.events], [a.title for a in y.coverage]) for y in years
    ] == [
        (2020, [], ["before"]),
        (2021, ["Flood"], []),
    ]
    assert [a.title for a in years[1].events[0].articles] == ["report"]


def test_generated_sections_are_in_the_table_of_contents_with_permalinks(site):
    html = site.page("people/ana-ruiz.html")
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    toc = toc[: toc.index("</nav>")]
    for section, title in [
        ("dossier-timeline", "Timeline"),
        ("dossier-mentions", "Mentions"),
        ("dossier-statements", "Statements"),
    ]:
        assert f'href="#{section}-title"' in toc and title in toc
        assert f'id="{section}-title"' in html
        assert f'<a class="headerlink" href="#{section}" title="Permanent link">¶</a>' in html


def test_the_types_tab_is_lit_on_its_entity_pages(site):
    html = site.page("people/ana-ruiz.html")
    active = re.findall(
        r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]+)"', html
    )
    assert active == ["index.html"]  # people/index.html, relative to people/
    # Lit only while its page renders: the next pages light their own tab.
    for page, tab in [("news/strike.html", "strike.html"), ("index.html", "index.html")]:
        active = re.findall(
            r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]+)"', site.page(page)
        )
        assert active == [tab], page


@pytest.mark.parametrize(
    ("style", "full", "month", "year"),
    [
        ("medium", "23 Dec 2020", "Feb 2021", "2019"),
        ("long", "23 December 2020", "February 2021", "2019"),
        ("us", "Dec 23, 2020", "Feb 2021", "2019"),
        ("iso", "2020-12-23", "2021-02", "2019"),
    ],
)
def test_date_styles(style, full, month, year):
    assert PartialDate(2020, 12, 23).display(style) == full
    assert PartialDate(2021, 2).display(style) == month
    assert PartialDate(2019).display(style) == year


def test_dates_do_not_follow_the_machines_locale():
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8"):
        try:
            previous = locale.setlocale(locale.LC_TIME)
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert PartialDate(2020, 3, 1).display("long") == "1 March 2020"
        finally:
            locale.setlocale(locale.LC_TIME, previous)


def test_the_date_style_option_applies_everywhere(tmp_path):
    from sitebuild import run_build, write_tree

    write_tree(tmp_path, FILES)
    build = run_build(tmp_path, config=CONFIG.format(style="long", linking="all"))
    assert build.returncode == 0, build.log
    for page in ("news/strike.html", "people/ana-ruiz.html", "events/index.html"):
        html = build.page(page)
        assert "March 2021" in html, page
        assert ">4 Mar 2021<" not in html and ">Mar 2021<" not in html
    mentions = re.findall(r'<(a|span) class="dossier-mention', build.page("news/strike.html"))
    assert set(mentions) == {"a"}
