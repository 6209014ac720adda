"""Escaping: payloads in every front-matter field and label stay text.

One site carries HTML, JS, SVG, JSON-LD and template payloads in every field editors
write (entry name, aliases, summary, role, nationality, kind, geocode, targets; article
title, source, section, authors, url, summary, tags, entities; mention labels; quotes).
The same site is built a second time with each payload replaced by its letters and
digits only ("<script>alert(1)</script>" -> "script alert 1 script": same slugs, same
pages). Every page of both builds is parsed with html.parser:
- no page holds an element, attribute, script or `javascript:` URL from a payload;
- every page has exactly the elements and attribute names of its benign twin, so the
  payloads changed text and attribute values only, never structure;
- JSON-LD parses as JSON and carries the payloads verbatim as data;
- data-entity and title attributes, headings and SVG titles hold the literal text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from htmlcheck import injected, scan_page, site_pages
from mkdocs_dossier.exports.formats import script_json
from sitebuild import Build, run_build, write_tree

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
BREAKOUT = "</script><script>alert(2)</script>"
SVG = "<svg onload=alert(3)>"
QUOTE = "' onmouseover='alert(4)"
TEMPLATE = "{{ 7*7 }} {% raw %}"
CDATA = "]]><![CDATA[<b>x</b>"
ENTITY = "&lt;i&gt;not italic&lt;/i&gt; &amp;"
JS_URL = "javascript:alert(5)"

PAYLOADS = [SCRIPT, IMG, BREAKOUT, SVG, QUOTE, TEMPLATE, CDATA, ENTITY, JS_URL]


def yaml_str(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def files(p: dict[str, str]) -> dict[str, str]:
    """The site, with payload text p[name] in every field."""
    y = {k: yaml_str(v) for k, v in p.items()}
    return {
        "content/index.md": "# Home\n",
        "dossier/people/evil-person.md": f"""\
            ---
            name: {y["person"]}
            aliases: [{y["alias"]}, {y["alias2"]}]
            summary: {y["summary"]}
            role: {y["role"]}
            nationality: {y["nationality"]}
            born: 1970-01-02
            affiliations: [{yaml_str("org:" + p["org"])}]
            ---

            Notes on the person, mentioning [[place:{p["place"]}|{p["label"]}]].
            """,
        "dossier/organizations/evil-org.md": f"""\
            ---
            name: {y["org"]}
            summary: {y["org_summary"]}
            kind: {y["kind"]}
            country: IQ
            parent: {yaml_str("org:" + p["parent"])}
            ---
            """,
        "dossier/places/evil-place.md": f"""\
            ---
            name: {y["place"]}
            summary: {y["place_summary"]}
            kind: {y["place_kind"]}
            geocode: {y["geocode"]}
            coordinates: [33.3, 44.4]
            ---
            """,
        "dossier/places/near-place.md": f"""\
            ---
            name: {y["near"]}
            coordinates: [33.5, 44.0]
            ---
            """,
        "dossier/events/evil-event.md": f"""\
            ---
            name: {y["event"]}
            summary: {y["event_summary"]}
            date: 2020-12-20
            place: {yaml_str("place:" + p["place"])}
            participants: [{yaml_str("person:" + p["person"])}, {yaml_str("org:" + p["org"])}]
            ---
            """,
        "content/news/evil.md": f"""\
            ---
            title: {y["title"]}
            date: 2020-12-21
            source: {y["source"]}
            section: {y["section"]}
            authors: [{y["author"]}]
            url: {y["url"]}
            summary: {y["article_summary"]}
            tags: [{y["tag"]}]
            entities: [{yaml_str("event:" + p["event"])}]
            ---

            [[person:{p["person"]}|{p["label"]}]] went to [[place:{p["place"]}]] and
            [[place:{p["near"]}]] with [[org:{p["org"]}|{p["label2"]}]].

            > We say `{p["quote"]}`
            > — [[person:{p["person"]}]], `{p["note"]}`
            """,
        "content/news/other.md": f"""\
            ---
            title: {y["title2"]}
            date: 2020-12-22
            ---

            Again [[person:{p["person"]}]] and [[org:{p["stub"]}]].
            """,
    }


FIELDS = {
    "person": SCRIPT,
    "alias": IMG,
    "alias2": QUOTE,
    "summary": BREAKOUT,
    "role": SVG,
    "nationality": TEMPLATE,
    "org": IMG + " Org",
    "org_summary": CDATA,
    "kind": SVG + " kind",
    "parent": SCRIPT + " Parent",
    "place": SVG + " Place",
    "place_summary": BREAKOUT + " place",
    "place_kind": QUOTE + " kind",
    "geocode": SCRIPT + " geocode",
    "near": QUOTE + " Near",
    "event": BREAKOUT + " Event",
    "event_summary": IMG + " event",
    "title": "</title>" + SCRIPT,
    "title2": ENTITY,
    "source": IMG + " source",
    "section": SVG + " section",
    "author": SCRIPT + " author",
    "url": JS_URL,
    "article_summary": BREAKOUT + " summary",
    "tag": SCRIPT + " tag",
    "label": "<img src=x onerror=alert(1)>",
    "label2": "<![CDATA[<b>x</b> label",  # `]]` would end the mention: no label holds it
    "quote": SCRIPT + " and " + IMG,
    "note": SVG + " note",
    "stub": TEMPLATE + " stub",
}


def benign(text: str) -> str:
    """The payload's letters and digits only: the same slugs, nothing to escape."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", text)) or "x"


def build(root: Path, fields: dict[str, str]) -> Build:
    write_tree(root, files(fields))
    result = run_build(root)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    return result


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Build, Build]:
    hostile = build(tmp_path_factory.mktemp("hostile"), FIELDS)
    twin = build(tmp_path_factory.mktemp("benign"), {k: benign(v) for k, v in FIELDS.items()})
    return hostile, twin


# Material prints page.meta["description"] raw in <meta name="description">; the plugin
# escapes it. test_meta_description_is_escaped checks that line; the other tests look at
# the rest of every page.
_META_DESCRIPTION = re.compile(r'<meta name="description" content="[^\n]*\n')


def page_html(path: Path, *, with_meta_description: bool = False) -> str:
    html = path.read_text(encoding="utf-8")
    return html if with_meta_description else _META_DESCRIPTION.sub("", html)


def test_the_site_has_every_page_and_every_payload(sites):
    hostile, _ = sites
    pages = {p.relative_to(hostile.site).as_posix() for p in site_pages(hostile.site)}
    for page in (
        "news/evil.html",
        "news/other.html",
        "people/index.html",
        "people/evil-person.html",
        "organizations/evil-org.html",
        "organizations/script-alert-1-script-parent.html",  # a stub from `parent:`
        "organizations/7-7-raw-stub.html",  # a stub from a typed mention
        "places/evil-place.html",
        "events/evil-event.html",
    ):
        assert page in pages, sorted(pages)
    everything = "".join(page_html(p) for p in site_pages(hostile.site))
    for key, payload in FIELDS.items():
        if key in ("geocode",):  # geocode is a query for `dossier geocode`, not shown
            continue
        if key == "url":  # not a web address: refused (bad-field), never linked or shown
            assert payload not in everything and payload.replace(":", "&#58;") not in everything
            assert any("url:" in w and "[bad-field]" in w for w in hostile.warnings())
            continue
        shown = (
            payload.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&#34;")
            .replace("'", "&#39;")
        )
        assert any(
            form in everything
            for form in (shown, shown.replace("&#34;", "&quot;"), shown.replace("&#39;", "&#x27;"))
        ) or _in_text(hostile.site, payload), key


def _in_text(site: Path, payload: str) -> bool:
    """Whether `payload` is, verbatim, in some page's text, attribute or JSON-LD data."""
    for path in site_pages(site):
        page = scan_page(page_html(path))
        jsonld = [
            json.dumps(json.loads(body), ensure_ascii=False)
            for attrs, body in page.scripts
            if attrs.get("type") == "application/ld+json"
        ]
        if (
            payload in "".join(page.text)
            or any(payload in (v or "") for e in page.elements for v in e.attrs.values())
            or any(json.dumps(payload, ensure_ascii=False)[1:-1] in data for data in jsonld)
        ):
            return True
    return False


def test_no_payload_becomes_markup_or_script(sites):
    hostile, _ = sites
    report = {}
    for path in site_pages(hostile.site):
        found = injected(scan_page(page_html(path)))
        if found:
            report[path.relative_to(hostile.site).as_posix()] = found
    assert report == {}


def structure(html: str) -> list[tuple[str, tuple[str, ...]]]:
    page = scan_page(html)
    return [(e.tag, tuple(sorted(e.attrs))) for e in page.elements]


def test_payloads_change_text_never_structure(sites):
    hostile, twin = sites
    hostile_pages = {p.relative_to(hostile.site).as_posix() for p in site_pages(hostile.site)}
    twin_pages = {p.relative_to(twin.site).as_posix() for p in site_pages(twin.site)}
    assert hostile_pages == twin_pages
    differ = []
    for rel in sorted(hostile_pages):
        mine = structure(page_html(hostile.site / rel))
        theirs = structure(page_html(twin.site / rel))
        if mine != theirs:
            extra = [x for x in mine if x not in theirs][:5]
            differ.append((rel, extra))
    assert differ == []


def test_json_ld_carries_the_payloads_as_data(sites):
    hostile, _ = sites
    person = scan_page(page_html(hostile.site / "people/evil-person.html"))
    (data,) = [
        json.loads(body)
        for attrs, body in person.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert data["@type"] == "Person"
    assert data["name"] == SCRIPT
    assert data["description"] == BREAKOUT
    assert data["alternateName"] == [IMG, QUOTE]
    assert data["jobTitle"] == SVG
    article = scan_page(page_html(hostile.site / "news/evil.html"))
    (news,) = [
        json.loads(body)
        for attrs, body in article.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert news["headline"] == "</title>" + SCRIPT
    assert news["description"] == BREAKOUT + " summary"
    assert news["publisher"]["name"] == IMG + " source"
    assert "isBasedOn" not in news  # the `javascript:` url was refused
    assert news["keywords"] == [SCRIPT + " tag"]
    assert {m["name"] for m in news["mentions"]} >= {SCRIPT, SVG + " Place", IMG + " Org"}


def test_attributes_and_text_hold_the_literal_payloads(sites):
    hostile, _ = sites
    article = scan_page(page_html(hostile.site / "news/evil.html"))
    mentions = [e for e in article.elements if "dossier-mention" in (e.attrs.get("class") or "")]
    person = [e for e in mentions if e.attrs["data-entity"] == "person:evil-person"]
    assert person and person[0].attrs["title"] == BREAKOUT
    org = [e for e in mentions if e.attrs["data-entity"] == "org:evil-org"]
    assert org and org[0].attrs["title"] == CDATA
    text = "".join(article.text)
    assert "<img src=x onerror=alert(1)>" in text  # the label, as text
    assert "<![CDATA[<b>x</b> label" in text
    assert "We say " + SCRIPT + " and " + IMG in text  # code in the quote

    person_page = scan_page(page_html(hostile.site / "people/evil-person.html"))
    entity_div = [
        e for e in person_page.elements if "dossier-entity" in (e.attrs.get("class") or "")
    ]
    assert entity_div[0].attrs["data-entity"] == "person:evil-person"
    body = "".join(person_page.text)
    for literal in (SCRIPT, IMG, QUOTE, BREAKOUT, SVG, TEMPLATE):
        assert literal in body, literal
    # The quote, attributed to the person, shown on the person's page as text.
    assert "We say " + SCRIPT + " and " + IMG in body
    assert SVG + " note" in body
    assert "49" not in body.replace("1949", "")  # {{ 7*7 }} was not evaluated

    place_page = scan_page(page_html(hostile.site / "places/evil-place.html"))
    svg_titles = [
        e
        for e in place_page.elements
        if e.tag == "a" and e.attrs.get("data-entity", "").startswith("place:")
    ]
    assert svg_titles, "the place is drawn on its map"
    assert SVG + " Place" in "".join(place_page.text)
    assert QUOTE + " Near" in "".join(place_page.text)


def test_exports_are_json_with_the_payloads_verbatim(sites):
    hostile, _ = sites
    data = json.loads((hostile.site / "dossier.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in data["entities"]}
    assert {SCRIPT, IMG + " Org", SVG + " Place", BREAKOUT + " Event"} <= names
    labels = {m["label"] for a in data["articles"] for m in a["mentions"]}
    assert "<img src=x onerror=alert(1)>" in labels
    geo = json.loads((hostile.site / "places.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["name"] for f in geo["features"]} == {SVG + " Place", QUOTE + " Near"}


def test_meta_description_is_escaped(sites):
    hostile, _ = sites
    report = {}
    for path in site_pages(hostile.site):
        found = injected(scan_page(page_html(path, with_meta_description=True)))
        if found:
            report[path.relative_to(hostile.site).as_posix()] = found
    assert report == {}


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"
