"""`dossier geocode` against a scripted Nominatim on 127.0.0.1 (never the real one)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mkdocs_dossier.model import Position
from mkdocs_dossier.places.geocache import (
    CacheEntry,
    load_geocache,
    render_geocache,
    write_geocache,
)
from mkdocs_dossier.places.geocode import GeocodeReport, PlaceQuery, geocode_places, query_for
from mkdocs_dossier.places.geoservice import GeocodeSetupError
from nominatim_server import (
    NominatimServer,
    dead_endpoint,
    empty,
    found,
    nominatim_fixture,  # noqa: F401 - the `nominatim` fixture
    slow,
    status,
    trickle,
)

USER_AGENT = "mkdocs-dossier-tests/1.0 (desk@example.org)"
TODAY = date(2026, 11, 1)
AL_ASAD = found(33.7856, 42.4412, "Al Asad Air Base, Al Anbar Governorate, Iraq")
TAJI = found(33.5286, 44.2567, "Camp Taji, Baghdad Governorate, Iraq")
UNION = found(33.3003, 44.3955, "Union III, Baghdad, Iraq")

# Entries already in the cache before a run, as `dossier geocode` wrote them earlier.
PRIOR = {
    "baghdad": CacheEntry(
        "baghdad", "Baghdad, IQ", (33.34058, 44.40088), "gazetteer", "Baghdad, Iraq", TODAY
    ),
    "zakho": CacheEntry(
        "zakho", "Zakho, IQ", (37.1436, 42.6819), "nominatim", "Zakho, Duhok, Iraq", TODAY
    ),
}


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def place(
    slug: str,
    name: str,
    country: str | None = "IQ",
    geocode: str | None = None,
    aliases: tuple[str, ...] = (),
) -> PlaceQuery:
    return PlaceQuery(
        slug=slug,
        name=name,
        query=query_for(name, country, geocode),
        country=country,
        aliases=list(aliases),
        position=Position(4, 1),
        path=f"dossier/places/{slug}.md",
    )


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "dossier" / "geocache.yml"


def run(
    places: list[PlaceQuery],
    cache: Path,
    fake: FakeClock,
    server: NominatimServer | None = None,
    **options: Any,
) -> tuple[GeocodeReport, str]:
    out = io.StringIO()
    kwargs: dict[str, Any] = {
        "online": True,
        "endpoint": server.url if server is not None else None,
        "user_agent": USER_AGENT,
        "timeout": 2.0,
        "clock": fake.clock,
        "sleep": fake.sleep,
        "out": out,
        "today": TODAY,
    }
    kwargs.update(options)
    report = geocode_places(places, cache, **kwargs)
    return report, out.getvalue()


def cached(cache: Path) -> dict[str, CacheEntry]:
    entries, diagnostics = load_geocache(cache, "dossier/geocache.yml")
    assert diagnostics == []
    return entries


# ------------------------------------------------------------------ the query


def test_query_is_the_geocode_field_else_name_and_country() -> None:
    assert query_for("Mosul", "IQ", None) == "Mosul, IQ"
    assert query_for("Mosul", "iq", "") == "Mosul, IQ"
    assert query_for("Mosul", None, None) == "Mosul"
    assert query_for("Al Asad", "IQ", "Ain al-Asad Airbase, Anbar") == "Ain al-Asad Airbase, Anbar"


# ------------------------------------------------------------------ online answers


def test_found_place_is_cached_with_provider_and_sent_user_agent(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.on("Al Asad Air Base, IQ", AL_ASAD)
    report, out = run([place("al-asad-air-base", "Al Asad Air Base")], cache, fake, nominatim)
    assert report.found == ["al-asad-air-base"]
    assert report.failed == [] and report.diagnostics == []
    assert cached(cache) == {
        "al-asad-air-base": CacheEntry(
            slug="al-asad-air-base",
            query="Al Asad Air Base, IQ",
            coordinates=(33.7856, 42.4412),
            provider="nominatim",
            display_name="Al Asad Air Base, Al Anbar Governorate, Iraq",
            retrieved=TODAY,
        )
    }
    [request] = nominatim.requests
    assert request.path == "/search"
    assert request.user_agent == USER_AGENT
    assert request.params["q"] == "Al Asad Air Base, IQ"
    assert request.params["format"] in ("json", "jsonv2")
    assert request.params["countrycodes"] == "iq"
    assert "[1/1] al-asad-air-base ... found (nominatim) 33.786, 42.441" in out


def test_no_result_is_reported_and_nothing_cached_for_it(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    before = cache.read_bytes()
    nominatim.on("Nowhere Base, IQ", empty())
    report, out = run([place("nowhere-base", "Nowhere Base")], cache, fake, nominatim)
    assert report.found == []
    assert report.failed == [("nowhere-base", "no result from nominatim for 'Nowhere Base, IQ'")]
    [diagnostic] = report.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.col) == (
        "dossier/places/nowhere-base.md",
        4,
        1,
    )
    assert (diagnostic.code, diagnostic.severity) == ("geocode-failed", "warning")
    assert cache.read_bytes() == before
    assert len(nominatim.requests) == 1  # an empty answer is an answer: not retried
    assert "failed: no result from nominatim" in out
    assert "0 found, 1 failed, 0 skipped" in out


def test_rate_limited_then_found_waits_what_the_server_asks(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.clock = fake.clock
    nominatim.on("Camp Taji, IQ", status(429, retry_after="7"), TAJI)
    report, out = run([place("camp-taji", "Camp Taji")], cache, fake, nominatim)
    assert report.found == ["camp-taji"]
    assert nominatim.queries() == ["Camp Taji, IQ", "Camp Taji, IQ"]
    assert 7 in fake.sleeps
    assert nominatim.requests[1].at - nominatim.requests[0].at >= 7
    assert "rate limited (HTTP 429); retry 1/2 in 7 s" in out


def test_server_error_then_found(nominatim: NominatimServer, cache: Path, fake: FakeClock) -> None:
    nominatim.on("Camp Taji, IQ", status(500), TAJI)
    report, out = run([place("camp-taji", "Camp Taji")], cache, fake, nominatim)
    assert report.found == ["camp-taji"]
    assert len(nominatim.requests) == 2
    assert fake.sleeps and fake.sleeps[0] >= 1
    assert "HTTP 500" in out
    assert cached(cache)["camp-taji"].coordinates == (33.5286, 44.2567)


def test_server_errors_past_the_retries_are_reported(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.on("Camp Taji, IQ", status(502))
    report, _ = run([place("camp-taji", "Camp Taji")], cache, fake, nominatim, retries=2)
    assert len(nominatim.requests) == 3
    [(slug, reason)] = report.failed
    assert slug == "camp-taji"
    assert "gave up after 3 attempts" in reason
    assert fake.sleeps == [1.0, 2.0]  # exponential backoff
    assert not cache.exists()


def test_timeout_is_retried_then_reported(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.on("Camp Taji, IQ", slow(5))
    report, _ = run(
        [place("camp-taji", "Camp Taji")], cache, fake, nominatim, timeout=0.3, retries=1
    )
    assert nominatim.queries() == ["Camp Taji, IQ", "Camp Taji, IQ"]
    assert report.failed == [("camp-taji", "timed out after 0.3 s (gave up after 2 attempts)")]
    assert report.diagnostics[0].code == "geocode-failed"


def test_a_trickling_answer_is_cut_off_at_the_deadline(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    # A byte every 0.2 s keeps every read inside a 1 s read timeout; only a deadline for
    # the whole request stops it, long before the 20 s answer is complete.
    nominatim.on("Camp Taji, IQ", trickle(20, interval=0.2))
    report, _ = run([place("camp-taji", "Camp Taji")], cache, fake, nominatim, timeout=1, retries=0)
    assert report.failed == [("camp-taji", "timed out after 1 s (gave up after 1 attempt)")]
    assert not nominatim.trickle_finished.is_set()


def test_server_down_is_reported_and_the_cache_kept(cache: Path, fake: FakeClock) -> None:
    write_geocache(cache, PRIOR)
    before = cache.read_bytes()
    report, out = run(
        [place("camp-taji", "Camp Taji")], cache, fake, endpoint=dead_endpoint(), retries=1
    )
    [(slug, reason)] = report.failed
    assert slug == "camp-taji"
    assert reason.startswith("service unavailable")
    assert cache.read_bytes() == before
    assert "1 failed" in out


def test_server_down_keeps_prior_and_new_offline_entries(cache: Path, fake: FakeClock) -> None:
    write_geocache(cache, PRIOR)
    prior_text = render_geocache(PRIOR)
    places = [place("erbil", "Erbil"), place("camp-taji", "Camp Taji")]
    report, _ = run(places, cache, fake, endpoint=dead_endpoint(), retries=0)
    assert report.found == ["erbil"]
    assert [slug for slug, _ in report.failed] == ["camp-taji"]
    entries = cached(cache)
    assert {slug: entries[slug] for slug in PRIOR} == PRIOR
    assert entries["erbil"].provider == "gazetteer"
    text = cache.read_text(encoding="utf-8")
    for slug in PRIOR:  # each earlier entry's lines are untouched
        block = prior_text[prior_text.index(f"  {slug}:") :].split("\n  ", 1)[0]
        assert block in text


def test_repeated_outage_stops_asking(cache: Path, fake: FakeClock) -> None:
    places = [place(f"base-{n}", f"Base Number {n}") for n in range(5)]
    report, out = run(places, cache, fake, endpoint=dead_endpoint(), retries=0)
    reasons = [reason for _, reason in report.failed]
    assert len(reasons) == 5
    assert all(r.startswith("service unavailable") for r in reasons[:3])
    assert all(r.startswith("not asked: nominatim failed 3 places in a row") for r in reasons[3:])


def test_refusal_stops_asking_about_other_places(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.on("Camp Taji, IQ", status(403))
    nominatim.on("Union III, IQ", UNION)
    places = [place("camp-taji", "Camp Taji"), place("union-iii", "Union III")]
    report, _ = run(places, cache, fake, nominatim)
    assert nominatim.queries() == ["Camp Taji, IQ"]  # 403 is not retried, nor repeated
    assert report.failed[0][1].startswith("HTTP 403: GeocoderInsufficientPrivileges")
    assert report.failed[1][1].startswith("not asked: nominatim refused an earlier request")


def test_requests_are_at_least_a_second_apart(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.clock = fake.clock
    nominatim.on("Al Asad Air Base, IQ", AL_ASAD)
    nominatim.on("Camp Taji, IQ", status(500), TAJI)
    nominatim.on("Union III, IQ", UNION)
    places = [
        place("al-asad-air-base", "Al Asad Air Base"),
        place("camp-taji", "Camp Taji"),
        place("union-iii", "Union III"),
    ]
    report, _ = run(places, cache, fake, nominatim)
    assert report.found == ["al-asad-air-base", "camp-taji", "union-iii"]
    times = [request.at for request in nominatim.requests]
    assert len(times) == 4
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:], strict=False))


def test_min_delay_is_configurable(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.clock = fake.clock
    nominatim.on("Al Asad Air Base, IQ", AL_ASAD)
    nominatim.on("Union III, IQ", UNION)
    places = [place("al-asad-air-base", "Al Asad Air Base"), place("union-iii", "Union III")]
    run(places, cache, fake, nominatim, min_delay_seconds=2.5)
    first, second = (request.at for request in nominatim.requests)
    assert second - first >= 2.5


# ------------------------------------------------------------------ the cache


def test_existing_entries_are_neither_reordered_nor_lost(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    nominatim.on("Camp Taji, IQ", TAJI)
    report, _ = run([place("camp-taji", "Camp Taji")], cache, fake, nominatim)
    assert report.found == ["camp-taji"]
    entries = cached(cache)
    assert list(entries) == ["baghdad", "camp-taji", "zakho"]
    assert {slug: entries[slug] for slug in PRIOR} == PRIOR
    assert cache.read_text(encoding="utf-8") == render_geocache(
        {**PRIOR, "camp-taji": entries["camp-taji"]}
    )


def test_cached_place_is_skipped(nominatim: NominatimServer, cache: Path, fake: FakeClock) -> None:
    write_geocache(cache, PRIOR)
    before = cache.read_bytes()
    report, out = run([place("zakho", "Zakho")], cache, fake, nominatim)
    assert report.skipped == ["zakho"]
    assert nominatim.requests == []
    assert cache.read_bytes() == before
    assert "[1/1] zakho ... already in the geocache" in out


def test_changed_query_is_looked_up_again(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    nominatim.on("Zakho border crossing", found(37.14, 42.58, "Ibrahim Khalil, Iraq"))
    report, _ = run(
        [place("zakho", "Zakho", geocode="Zakho border crossing")], cache, fake, nominatim
    )
    assert report.found == ["zakho"]
    entry = cached(cache)["zakho"]
    assert (entry.query, entry.coordinates) == ("Zakho border crossing", (37.14, 42.58))
    assert cached(cache)["baghdad"] == PRIOR["baghdad"]


def test_failed_relookup_keeps_the_old_entry(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    before = cache.read_bytes()
    report, _ = run(
        [place("zakho", "Zakho", geocode="Zakho border crossing")], cache, fake, nominatim
    )
    assert [slug for slug, _ in report.failed] == ["zakho"]
    assert cache.read_bytes() == before


def test_write_leaves_no_temporary_files(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    nominatim.on("Camp Taji, IQ", TAJI)
    nominatim.on("Union III, IQ", UNION)
    places = [
        place("erbil", "Erbil"),
        place("camp-taji", "Camp Taji"),
        place("union-iii", "Union III"),
    ]
    run(places, cache, fake, nominatim)
    assert sorted(p.name for p in cache.parent.iterdir()) == ["geocache.yml"]


def test_interrupt_keeps_what_was_found(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    nominatim.on("Camp Taji, IQ", status(500), TAJI)

    def interrupted_sleep(seconds: float) -> None:
        raise KeyboardInterrupt

    places = [place("erbil", "Erbil"), place("camp-taji", "Camp Taji")]
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        geocode_places(
            places,
            cache,
            online=True,
            endpoint=nominatim.url,
            user_agent=USER_AGENT,
            clock=fake.clock,
            sleep=interrupted_sleep,
            out=out,
            today=TODAY,
        )
    entries = cached(cache)
    assert set(entries) == {"baghdad", "erbil", "zakho"}
    assert "stopped by KeyboardInterrupt" in out.getvalue()


def test_online_answers_are_saved_one_by_one(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    nominatim.on("Camp Taji, IQ", TAJI)
    nominatim.on("Union III, IQ", status(500))
    saved_before_second_request: list[set[str]] = []

    def watching_sleep(seconds: float) -> None:
        saved_before_second_request.append(set(cached(cache)) if cache.exists() else set())
        fake.sleep(seconds)

    places = [place("camp-taji", "Camp Taji"), place("union-iii", "Union III")]
    run(places, cache, fake, nominatim, sleep=watching_sleep, retries=0)
    assert saved_before_second_request[0] == {"camp-taji"}


def test_cache_with_errors_is_not_touched(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("places:\n  x:\n    coordinates: [99, 0]\n", encoding="utf-8")
    before = cache.read_bytes()
    with pytest.raises(GeocodeSetupError) as caught:
        run([place("erbil", "Erbil")], cache, fake, nominatim)
    assert [(d.line, d.col, d.code) for d in caught.value.diagnostics] == [(3, 19, "bad-field")]
    assert cache.read_bytes() == before


# ------------------------------------------------------------------ offline, dry run, setup


def test_gazetteer_place_never_hits_the_server(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    places = [place("erbil", "Erbil"), place("basra", "Basra"), place("tel-aviv", "Tel Aviv", "IL")]
    report, out = run(places, cache, fake, nominatim)
    assert nominatim.requests == []
    assert report.found == ["erbil", "basra", "tel-aviv"]
    entries = cached(cache)
    assert entries["erbil"].provider == "gazetteer"
    assert entries["erbil"].display_name == "Erbil, Iraq"
    assert entries["erbil"].query == "Erbil, IQ"
    assert entries["erbil"].retrieved == TODAY
    lat, lon = entries["erbil"].coordinates  # as the installed GeoNames data has it
    assert (lat, lon) == pytest.approx((36.19, 44.01), abs=0.02)
    assert f"found (gazetteer) {lat:.3f}, {lon:.3f} Erbil, Iraq" in out


def test_gazetteer_answers_a_town_and_country_geocode_field(cache: Path, fake: FakeClock) -> None:
    report, _ = run([place("hq", "Regional HQ", geocode="Irbil, Iraq")], cache, fake, online=False)
    assert report.found == ["hq"]
    assert cached(cache)["hq"].display_name == "Erbil, Iraq"


def test_offline_run_reports_what_needs_online(cache: Path, fake: FakeClock) -> None:
    report, out = run([place("camp-taji", "Camp Taji")], cache, fake, online=False, user_agent=None)
    assert report.failed == [
        ("camp-taji", "not in the offline gazetteer (use --online to ask nominatim)")
    ]
    assert not cache.exists()


def test_dry_run_writes_nothing_and_asks_nobody(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    before = cache.read_bytes()
    nominatim.on("Camp Taji, IQ", TAJI)
    places = [place("erbil", "Erbil"), place("camp-taji", "Camp Taji")]
    report, out = run(places, cache, fake, nominatim, dry_run=True)
    assert cache.read_bytes() == before
    assert sorted(p.name for p in cache.parent.iterdir()) == ["geocache.yml"]
    assert nominatim.requests == []
    assert report.found == ["erbil"] and report.pending == ["camp-taji"]
    assert not report.written
    assert "erbil ... would add (gazetteer)" in out
    assert "camp-taji ... would ask nominatim for 'Camp Taji, IQ'" in out
    assert "dry run: nothing written" in out


@pytest.mark.parametrize("agent", [None, "", "   ", "geopy/2.5.0"])
def test_online_needs_an_identifying_user_agent(
    agent: str | None, cache: Path, fake: FakeClock
) -> None:
    with pytest.raises(GeocodeSetupError, match="User-Agent"):
        run(
            [place("camp-taji", "Camp Taji")], cache, fake, endpoint="127.0.0.1:9", user_agent=agent
        )
    assert not cache.exists()


def test_unknown_provider_is_a_setup_error(cache: Path, fake: FakeClock) -> None:
    with pytest.raises(GeocodeSetupError, match="unknown geocoding provider"):
        run([place("x", "X")], cache, fake, provider="no-such-service", endpoint="127.0.0.1:9")


def test_summary_lists_counts_and_failures(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    write_geocache(cache, PRIOR)
    nominatim.on("Camp Taji, IQ", TAJI)
    places = [
        place("zakho", "Zakho"),
        place("erbil", "Erbil"),
        place("camp-taji", "Camp Taji"),
        place("nowhere", "Nowhere Base"),
    ]
    report, out = run(places, cache, fake, nominatim)
    assert (len(report.found), len(report.failed), len(report.skipped)) == (2, 1, 1)
    assert "geocode: 2 found (1 gazetteer, 1 nominatim), 1 failed, 1 skipped" in out
    assert "dossier/places/nowhere.md:4:1: warning: no coordinates for 'Nowhere Base'" in out
    assert out.splitlines()[0].startswith("[1/4] zakho ...")


def test_cache_with_an_unknown_top_level_key_is_not_rewritten(cache: Path, fake: FakeClock) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("places: {}\nnotes: keep me\n", encoding="utf-8")
    with pytest.raises(GeocodeSetupError) as caught:
        run([place("erbil", "Erbil")], cache, fake, online=False)
    assert [(d.line, d.col, d.severity) for d in caught.value.diagnostics] == [(2, 1, "warning")]
    assert cache.read_text(encoding="utf-8") == "places: {}\nnotes: keep me\n"


def test_place_without_a_query_fails_without_asking(
    nominatim: NominatimServer, cache: Path, fake: FakeClock
) -> None:
    report, _ = run([place("x", "  ", country=None)], cache, fake, nominatim)
    assert report.failed == [("x", "nothing to ask: no name and no geocode query")]
    assert nominatim.requests == []
