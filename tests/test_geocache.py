"""dossier/geocache.yml: reading with exact diagnostics, stable atomic writing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_dossier.places.geocache import (
    CacheEntry,
    format_coordinate,
    load_geocache,
    render_geocache,
    write_geocache,
)

SAMPLE = """\
places:
  mosul:
    query: "Mosul, IQ"
    coordinates: [36.335, 43.1189]   # [lat, lon]
    provider: nominatim
    display_name: "Mosul, Nineveh Governorate, Iraq"
    retrieved: 2026-11-01
"""

MOSUL = CacheEntry(
    slug="mosul",
    query="Mosul, IQ",
    coordinates=(36.335, 43.1189),
    provider="nominatim",
    display_name="Mosul, Nineveh Governorate, Iraq",
    retrieved=date(2026, 11, 1),
)
ERBIL = CacheEntry("erbil", "Erbil, IQ", (36.19117, 44.00943), "gazetteer", "Erbil, Iraq")


def load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "geocache.yml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_geocache(path, "dossier/geocache.yml")


def test_spec_example_loads(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, SAMPLE)
    assert diagnostics == []
    assert entries == {"mosul": MOSUL}


def test_missing_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert load_geocache(tmp_path / "nope.yml", "dossier/geocache.yml") == ({}, [])


def test_empty_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert load(tmp_path, "") == ({}, [])
    assert load(tmp_path, "places:\n") == ({}, [])


def test_latitude_out_of_range_points_at_the_number(tmp_path: Path) -> None:
    text = SAMPLE + '  erbil:\n    query: "Erbil"\n    coordinates: [136.19, 44.0]\n'
    entries, diagnostics = load(tmp_path, text)
    assert list(entries) == ["mosul"]
    assert [d.format() for d in diagnostics] == [
        "dossier/geocache.yml:10:19: error: latitude 136.19 of geocache entry 'erbil' "
        "is outside [-90, 90] [bad-field]"
    ]


def test_longitude_out_of_range_points_at_the_number(tmp_path: Path) -> None:
    text = "places:\n  x:\n    coordinates: [1, -180.5]\n"
    entries, diagnostics = load(tmp_path, text)
    assert entries == {}
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(3, 22, "bad-field")]


@pytest.mark.parametrize(
    ("coordinates", "col"),
    [("[1]", 18), ("[1, 2, 3]", 18), ('"36, 43"', 18), ("{lat: 1, lon: 2}", 18), ("[1, yes]", 22)],
)
def test_coordinates_that_are_not_two_numbers(tmp_path: Path, coordinates: str, col: int) -> None:
    text = f"places:\n  x:\n    coordinates: {coordinates}\n  y:\n    coordinates: [1, 2]\n"
    entries, diagnostics = load(tmp_path, text)
    assert list(entries) == ["y"]
    assert [(d.line, d.col, d.code, d.severity) for d in diagnostics] == [
        (3, col, "bad-field", "error")
    ]


def test_entry_without_coordinates_points_at_its_slug(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, 'places:\n  x:\n    query: "X"\n')
    assert entries == {}
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(2, 3, "bad-field")]


def test_broken_yaml_reports_its_line_and_column(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, 'places:\n  x:\n    query: "unclosed\n')
    assert entries == {}
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert (d.path, d.line, d.col, d.code) == ("dossier/geocache.yml", 4, 1, "bad-geocache")
    assert d.message.startswith("invalid YAML: ")


def test_bad_indentation_reports_its_line(tmp_path: Path) -> None:
    _, diagnostics = load(tmp_path, "places:\n  x:\n    coordinates: [1, 2]\n   bad: 1\n")
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(4, 4, "bad-geocache")]


def test_non_utf8_bytes_report_where_they_are(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, b'places:\n  x:\n    query: "\xff"\n')
    assert entries == {}
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(3, 13, "bad-geocache")]


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "just text\n", "places: [1, 2]\n", "places: 3\n"])
def test_wrong_shapes_are_diagnosed(tmp_path: Path, text: str) -> None:
    entries, diagnostics = load(tmp_path, text)
    assert entries == {}
    assert [d.code for d in diagnostics] == ["bad-geocache"]


def test_duplicate_slug_keeps_the_first(tmp_path: Path) -> None:
    text = "places:\n  x:\n    coordinates: [1, 2]\n  x:\n    coordinates: [3, 4]\n"
    entries, diagnostics = load(tmp_path, text)
    assert entries["x"].coordinates == (1.0, 2.0)
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(4, 3, "bad-geocache")]


def test_bad_retrieved_date_keeps_the_coordinates(tmp_path: Path) -> None:
    text = "places:\n  x:\n    coordinates: [1, 2]\n    retrieved: 2026-13-45\n"
    entries, diagnostics = load(tmp_path, text)
    assert entries["x"].coordinates == (1.0, 2.0)
    assert entries["x"].retrieved is None
    assert [(d.line, d.col, d.code) for d in diagnostics] == [(4, 16, "bad-field")]


def test_unknown_top_level_key_is_a_warning(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, SAMPLE + "other: 1\n")
    assert list(entries) == ["mosul"]
    assert [(d.line, d.col, d.severity) for d in diagnostics] == [(8, 1, "warning")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        st.text(alphabet="places: x\n-[]{}0123456789.,\"'&*!|>#", max_size=200),
    )
)
def test_never_raises(data: bytes | str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "geocache.yml"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "replace"))
        entries, diagnostics = load_geocache(path, "g.yml")
    assert isinstance(entries, dict)
    assert all(d.line >= 1 and d.col >= 1 for d in diagnostics)


def test_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    entries, diagnostics = load(tmp_path, "[" * 1000)
    assert entries == {}
    assert [d.code for d in diagnostics] == ["bad-geocache"]


def test_written_text_is_sorted_and_matches_the_spec_layout(tmp_path: Path) -> None:
    path = tmp_path / "geocache.yml"
    write_geocache(path, {"mosul": MOSUL, "erbil": ERBIL})
    text = path.read_text(encoding="utf-8")
    body = text[text.index("places:") :]
    assert body == (
        "places:\n"
        "  erbil:\n"
        '    query: "Erbil, IQ"\n'
        "    coordinates: [36.19117, 44.00943]\n"
        "    provider: gazetteer\n"
        '    display_name: "Erbil, Iraq"\n'
        "  mosul:\n"
        '    query: "Mosul, IQ"\n'
        "    coordinates: [36.335, 43.1189]\n"
        "    provider: nominatim\n"
        '    display_name: "Mosul, Nineveh Governorate, Iraq"\n'
        "    retrieved: 2026-11-01\n"
    )
    assert text.startswith("# ")


def test_same_entries_give_the_same_bytes_whatever_their_order() -> None:
    assert render_geocache({"mosul": MOSUL, "erbil": ERBIL}) == render_geocache(
        {"erbil": ERBIL, "mosul": MOSUL}
    )


def test_load_then_write_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "geocache.yml"
    tricky = CacheEntry(
        slug="yes",  # a YAML 1.1 boolean as a key
        query='Quote " backslash \\ tab \t line\u2028sep é ش',
        coordinates=(-0.0000001, 179.99999999),
        provider="arcgis",
        display_name="",
        retrieved=None,
        extra={"note": "checked: by hand", "sources": ["a", "b"]},
    )
    numeric = CacheEntry("2020", "2020", (0.1 + 0.2, -33.3333333333), "nominatim")
    write_geocache(path, {"mosul": MOSUL, "yes": tricky, "2020": numeric})
    first = path.read_bytes()
    entries, diagnostics = load_geocache(path, "g.yml")
    assert diagnostics == []
    assert entries["yes"].query == tricky.query
    assert entries["yes"].extra == tricky.extra
    assert set(entries) == {"mosul", "yes", "2020"}
    write_geocache(path, entries)
    assert path.read_bytes() == first


def test_coordinates_have_fixed_precision_without_float_noise() -> None:
    assert format_coordinate(0.1 + 0.2) == "0.3"
    assert format_coordinate(36.335) == "36.335"
    assert format_coordinate(43.0) == "43.0"
    assert format_coordinate(-0.0000001) == "0.0"
    assert format_coordinate(12.3456789) == "12.345679"
    assert format_coordinate(-77.03637) == "-77.03637"


def test_empty_cache_writes_an_empty_mapping(tmp_path: Path) -> None:
    path = tmp_path / "geocache.yml"
    write_geocache(path, {})
    assert path.read_text(encoding="utf-8").endswith("places: {}\n")
    assert load_geocache(path, "g.yml") == ({}, [])


def test_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "dossier" / "geocache.yml"
    write_geocache(path, {"mosul": MOSUL})
    write_geocache(path, {"mosul": MOSUL, "erbil": ERBIL})
    assert sorted(p.name for p in path.parent.iterdir()) == ["geocache.yml"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "geocache.yml"
    write_geocache(path, {"mosul": MOSUL})
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_geocache(path, {"mosul": MOSUL, "erbil": ERBIL})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geocache.yml"]


def test_write_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "geocache.yml"
    write_geocache(path, {"mosul": MOSUL})
    os.chmod(path, 0o644)
    write_geocache(path, {"erbil": ERBIL})
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_rewrite_changes_only_the_entries_it_changed(tmp_path: Path):
    # An editor's file: comments, and entries written their own way (more decimals, a
    # datetime, an int query, a null display name). A run that adds one place and
    # corrects another leaves everything else exactly as it was.
    path = tmp_path / "geocache.yml"
    original = (
        "# Our desk's coordinates; Mosul checked by hand in 2025.\n"
        "places:\n"
        "  # checked on the map\n"
        "  al-asad:\n"
        "    query: 12345\n"
        "    coordinates: [33.78561234567, 42.44]  # precise\n"
        "    provider: nominatim\n"
        "    display_name: null\n"
        "    retrieved: 2026-11-01T12:30:00Z\n"
        "  erbil:\n"
        "    query: Erbil, IQ\n"
        "    coordinates: [36.1, 44.0]\n"
        "    provider: gazetteer\n"
        "  zakho:\n"
        '    query: "Zakho, IQ"\n'
        "    coordinates: [37.14, 42.68]\n"
        "    provider: gazetteer\n"
    )
    path.write_text(original, encoding="utf-8")
    entries, diagnostics = load_geocache(path, "geocache.yml")
    assert diagnostics == []
    entries["erbil"] = CacheEntry("erbil", "Erbil, IQ", (36.19, 44.01), "nominatim")
    entries["mosul"] = CacheEntry("mosul", "Mosul, IQ", (36.335, 43.1189), "nominatim")
    write_geocache(path, entries)
    text = path.read_text(encoding="utf-8")
    untouched_head = original[: original.index("  erbil:")]
    assert text.startswith(untouched_head)  # header, comments and al-asad byte for byte
    assert text.endswith(original[original.index("  zakho:") :])
    assert '  erbil:\n    query: "Erbil, IQ"\n    coordinates: [36.19, 44.01]\n' in text
    assert text.index("  erbil:") < text.index("  mosul:") < text.index("  zakho:")
    reread, problems = load_geocache(path, "geocache.yml")
    assert problems == [] and reread == entries
