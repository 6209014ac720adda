"""The benchmark's report: the tree's peak memory split into the main process and its
forked worker (bench/measure.py), the profile of what the main process holds, by owner
(bench/prof.py `memory`), taken from a cold build, and the annotation section, measured
apart, kept when the report is written again."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import synthetic as corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import measure  # noqa: E402
import prof  # noqa: E402
import run as bench  # noqa: E402


def test_the_peak_names_the_part_a_forked_child_holds(tmp_path):
    # The parent holds little; the child it forks fills 60 MB of its own and waits.
    script = textwrap.dedent(
        """
        import os, time
        if os.fork() == 0:
            block = bytearray(os.urandom(60 * 2**20))
            time.sleep(1.5)
            os._exit(0)
        os.wait()
        """
    )
    run = measure.measured([sys.executable, "-c", script], tmp_path, {}, tmp_path / "log")
    assert run["children_mb"] > 50
    assert run["tree_mb"] - run["children_mb"] < run["children_mb"]
    assert measure.summary([{**run, "out_mb": 0.0}])["children_mb"] == run["children_mb"]


def test_an_allocation_belongs_to_the_newest_frame_of_the_plugin_else_its_library():
    owner = prof._owner
    site = "/venv/lib/python3.11/site-packages"
    assert owner([f"{site}/mkdocs_dossier/maps/shapes.py"]) == (
        "dossier: maps, country and water data"
    )
    assert owner([f"{site}/mkdocs_dossier/read/grammar.py"]).startswith("dossier: sources")
    # A template rendered for the plugin's page belongs to the plugin's pages.
    assert owner([f"{site}/jinja2/runtime.py", f"{site}/mkdocs_dossier/pages/render.py"]) == (
        "dossier: pages, hover cards"
    )
    assert owner([f"{site}/material/plugins/search/plugin.py"]) == "Material (search index)"
    assert owner([f"{site}/mkdocs/structure/pages.py"]) == "MkDocs (files, pages, nav)"
    assert owner(["/usr/lib/python3.11/multiprocessing/connection.py"]) == (
        "dossier: parts the worker made, waiting"
    )
    assert owner(["<frozen importlib._bootstrap>"]) == prof.OTHER
    assert owner([]) == prof.OTHER


def test_the_memory_profile_is_of_a_cold_build_and_reported_by_owner(tmp_path):
    corpus.generate(8, tmp_path)
    site = tmp_path / "dossier"
    # A persistent cache left by an earlier build would be read back instead of made.
    stale = site / ".cache" / "plugin" / "dossier" / "left-over"
    stale.parent.mkdir(parents=True)
    stale.write_text("x", encoding="utf-8")
    dossier = prof.memory(site)
    assert not stale.exists()
    for point in ("files", "end"):
        groups = dossier[point]["groups"]
        assert abs(sum(groups.values()) - dossier[point]["traced_mb"]) < 1e-6
        assert groups["dossier: sources and index (articles, entries, mentions, contexts)"] > 0
    assert dossier["end"]["groups"]["dossier: maps, country and water data"] > 0
    assert dossier["traced_peak_mb"] >= dossier["end"]["traced_mb"]
    lean = prof.memory(tmp_path / "lean")
    assert not any(owner.startswith("dossier") for owner in lean["end"]["groups"])
    lines = bench._memory_section({"dossier": dossier, "lean": lean}, 8)
    table = "\n".join(lines)
    assert "| dossier: maps, country and water data |" in table
    assert f"**{lean['end']['traced_mb']:.1f}**" in table


def test_writing_the_report_again_keeps_the_annotation_section(tmp_path):
    import annotate_eval

    path = tmp_path / "results.md"
    section = f"{annotate_eval.BEGIN}\n## Annotation\n\nrecall 96%\n{annotate_eval.END}\n"
    path.write_text("# Old report\n\nold figures\n\n" + section, encoding="utf-8")
    bench.write_report(path, "# New report\n\nnew figures\n")
    text = path.read_text(encoding="utf-8")
    assert text == "# New report\n\nnew figures\n\n" + section
    bench.write_report(path, "# Newer\n")
    assert path.read_text(encoding="utf-8") == "# Newer\n\n" + section
    bench.write_report(tmp_path / "fresh.md", "# First\n")
    assert (tmp_path / "fresh.md").read_text(encoding="utf-8") == "# First\n"


def test_a_ratio_that_rounds_onto_its_limit_shows_a_third_decimal():
    assert bench._ratio(1.1517, 1.15) == "1.152"  # over the limit, not "1.15 NOT met"
    assert bench._ratio(1.1483, 1.15) == "1.148"
    assert bench._ratio(0.9694, 1.15) == "0.97"
    assert bench._ratio(1.15, 1.15) == "1.15"


def test_the_map_time_is_measured_against_the_code_before_issue_16(tmp_path):
    """`make bench` times the maps of this code and of the code before issue 16 (from git)
    on one corpus, and reports the target, half of the latter, met or not."""
    import maps as map_bench

    found = map_bench.measure(40, 1, tmp_path)
    assert found["current"]["maps"] > 20 and len(found["current"]["cold"]) == 1
    if found["before_error"] is None:  # (a shallow clone has no history to take it from)
        assert found["before"]["maps"] == found["current"]["maps"]  # the same maps
        assert found["before"]["cold"][0] > 0 and found["before"]["warm"][0] > 0
    text = "\n".join(bench._maps_section(found))
    assert f"| this code | {found['current']['maps']} | " in text
    assert ("Target: at most half" in text) == (found["before_error"] is None)
    made_up = {
        "n": 2000,
        "current": {"maps": 3352, "cold": [2.9, 2.8], "warm": [1.4, 1.5]},
        "before": {"maps": 3352, "cold": [2.2, 2.0], "warm": [0.9, 0.8]},
    }
    text = "\n".join(bench._maps_section(made_up))
    assert "| a4a143d, before issue 16 | 3352 | 2.20, 2.00 | 2.10 | 0.85 | 0.63 |" in text
    assert (
        "Target: at most half of the map time before issue 16, 1.05 s: 2.85 s, **NOT met**." in text
    )
    made_up["current"]["cold"] = [1.0]
    assert "1.00 s, **met**" in "\n".join(bench._maps_section(made_up))
