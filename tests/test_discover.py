"""`dossier annotate --discover` (README, "Editors' commands"): names that have no entry
yet, with a guessed type, counts and positions; `--write` marks them as typed mentions.
And the whole way from `dossier init` to a built site (issue 17, "Done when")."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

from mkdocs_dossier.cli import main
from mkdocs_dossier.discover import discover
from mkdocs_dossier.model import Entity
from mkdocs_dossier.newsnames import NameTable
from sitebuild import MKDOCS, ROOT, write_tree

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SEED = ROOT / "content/articles/2020-12-23-us-considering-closing-iraqi-embassy.md"
KNOWN = NameTable(
    [
        Entity("person", "mike-pompeo", "Mike Pompeo"),
        Entity("place", "iraq", "Iraq"),
        Entity("place", "iran", "Iran"),
    ]
)


def found(body: str) -> list[tuple[str, str, str, list[str]]]:
    return [
        (d.name, d.type, d.why, [body[s:e] for s, e in d.occurrences])
        for d in discover(body, KNOWN)
    ]


def test_a_title_makes_a_person_and_the_surname_joins_the_full_name():
    body = "Gen. Hossein Salami spoke in Iraq. Later Salami left, and Salami's aides too."
    assert found(body) == [
        ("Hossein Salami", "person", "after a title", ["Hossein Salami", "Salami", "Salami"])
    ]


def test_organization_words_make_an_organization():
    body = "Iraq's Popular Mobilization Forces marched; the Foreign Ministry objected."
    assert [(name, kind) for name, kind, _, _ in found(body)] == [
        ("Popular Mobilization Forces", "org"),
        ("Foreign Ministry", "org"),
    ]


def test_the_gazetteer_makes_a_place():
    assert found("In Jerusalem, the embassy stayed open.") == [
        ("Jerusalem", "place", "a place the gazetteer knows", ["Jerusalem"])
    ]


def test_known_names_sentence_words_demonyms_and_one_off_words_are_not_proposed():
    body = (
        "Mike Pompeo spoke. When Iranian and Iraqi officials met on Monday, The talks "
        "ended. Meanwhile Pompeo left. Nothing else happened."
    )
    assert found(body) == []


def test_a_single_word_must_recur():
    assert found("Reuters reported it.") == []
    assert [d[0] for d in found("Reuters reported it. Reuters said more.")] == ["Reuters"]


def annotate(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(root / "mkdocs.yml"), "annotate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_discover_prints_counts_positions_and_a_dossier_new_line(tmp_path: Path, capsys):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
            "content/a.md": (
                "---\ntitle: A\n---\n\nGen. Hossein Salami spoke.\n\nSalami's aides left.\n"
            ),
        },
    )
    code, out, err = annotate(tmp_path, capsys, "--discover", str(tmp_path / "content/a.md"))
    assert code == 0
    assert out.splitlines() == [
        'content/a.md:5:6: note: "Hossein Salami" has no entry; a person? (after a title), '
        "2 times at 5:6, 7:1 [discover]",
        "    dossier new person 'Hossein Salami'",
    ]
    assert "2 suggestions found" in err


def test_discover_write_marks_typed_mentions_and_dossier_new_takes_them(tmp_path: Path, capsys):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
            "content/a.md": "Gen. Hossein Salami spoke.\n\nLater Salami left.\n",
        },
    )
    code, out, _ = annotate(
        tmp_path, capsys, "--discover", "--write", str(tmp_path / "content/a.md")
    )
    assert code == 0
    assert (tmp_path / "content/a.md").read_text() == (
        "Gen. [[person:Hossein Salami]] spoke.\n\nLater [[person:Hossein Salami|Salami]] left.\n"
    )
    assert "+Gen. [[person:Hossein Salami]] spoke." in out
    command = next(line for line in out.splitlines() if "dossier new" in line)
    args = shlex.split(command)[1:]
    assert main(["--config", str(tmp_path / "mkdocs.yml"), *args]) == 0
    assert (tmp_path / "dossier/people/hossein-salami.md").is_file()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, check=False
    )


def test_from_dossier_init_to_a_built_site_with_the_seed_annotated(tmp_path: Path, capsys):
    """The seed without its markup, annotated by --discover --write then --write, builds
    with --strict and has the mentions the hand annotation has."""
    root = tmp_path / "site"
    assert main(["init", str(root)]) == 0
    seed = SEED.read_text(encoding="utf-8")
    plain = re.sub(
        r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]", lambda m: m[2] or m[1].split(":")[-1], seed
    )
    plain = re.sub(r"entities:\n(?:  - .*\n)+", "", plain)
    article = root / "docs/articles/seed.md"
    article.write_text(plain, encoding="utf-8")
    assert "[[" not in plain
    assert annotate(root, capsys, "--discover", "--write", str(article))[0] == 0
    assert annotate(root, capsys, "--write", str(article))[0] == 0
    text = article.read_text(encoding="utf-8")
    for mention in (
        "[[person:Mike Pompeo]]",
        "[[person:Qasem Soleimani]]",
        "[[person:Ismail Qaani]]",
        "[[place:Baghdad]]",
        "[[place:Tel Aviv]]",
        "[[org:Islamic Revolutionary Guard Corps]]",
        "[[person:Mike Pompeo|Pompeo]]",
    ):
        assert mention in text
    # What the gazetteer does not know, the editor places (here: with `dossier new`).
    for name, where in (("Green Zone", "[33.31, 44.39]"), ("Al Asad Air Base", "[33.79, 42.44]")):
        assert f"[[place:{name}]]" in text
        assert main(["--config", str(root / "mkdocs.yml"), "new", "place", name]) == 0
        entry = root / capsys.readouterr().out.strip()
        entry.write_text(
            re.sub(r"(?m)^coordinates:.*$", f"coordinates: {where}", entry.read_text()),
            encoding="utf-8",
        )
    build = subprocess.run(
        [*MKDOCS, "build", "--strict"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert (root / "site/people/mike-pompeo.html").is_file()


def test_an_imported_page_annotated_and_built(tmp_path: Path, capsys):
    """Issue 17's way for a page from the web: `dossier init`, `dossier import` of a saved
    news page, `annotate --discover --write`, `annotate --write`, a strict build whose
    article links the names found."""
    root = tmp_path / "site"
    assert main(["init", str(root)]) == 0
    page = ROOT / "tests/importing/wikimediafoundation.org.turkey.html"
    config = ["--config", str(root / "mkdocs.yml")]
    assert main([*config, "import", str(page)]) == 0
    capsys.readouterr()
    (article,) = (root / "docs/articles").glob("*turkey*.md")
    before = article.read_text(encoding="utf-8")
    code, out, _ = annotate(root, capsys, "--discover", "--write", str(article))
    assert code == 0, out
    assert annotate(root, capsys, "--write", str(article))[0] == 0
    after = article.read_text(encoding="utf-8")
    typed = re.findall(r"\[\[(person|place|org):([^\]|]+)", after)
    assert len(typed) >= 3, after
    assert ("person", "Katherine Maher") in typed and ("org", "Wikimedia Foundation") in typed
    # Only mentions were added: removing them gives the imported text back.
    assert (
        re.sub(
            r"\[\[(?:\w+:)?[^\]|]+\|([^\]]+)\]\]|\[\[(?:\w+:)?([^\]]+)\]\]",
            lambda m: m[1] or m[2],
            after,
        )
        == before
    )
    build = subprocess.run(
        [*MKDOCS, "build", "--strict"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    html = (root / "site/articles" / article.name.replace(".md", ".html")).read_text()
    assert html.count('class="dossier-mention') >= len(typed)
