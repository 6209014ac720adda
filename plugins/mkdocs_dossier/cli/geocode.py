"""`dossier geocode`: fill geocache.yml for places without coordinates."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..files import display_path
from ..model import Position
from ..pipeline import load_dossier
from ..site import Site, load_site
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def place_queries(site: Site) -> list[Any]:
    """A PlaceQuery for every place whose entry gives no coordinates (stubs included),
    except whole countries, which the build places from the shipped country shapes."""
    from ..places.geocode import PlaceQuery, query_for
    from ..places.locate import where_defined

    project = site.project
    dossier = load_dossier(project, site.pages)
    queries = []
    for entity in dossier.of_type("place"):
        if entity.coordinates_source in ("entry", "country"):
            continue
        path, position = where_defined(entity, dossier)
        if entity.source:
            position = entity.field_positions.get(
                "geocode", entity.field_positions.get("name", Position(1, 1))
            )
        queries.append(
            PlaceQuery(
                slug=entity.slug,
                name=entity.name,
                query=query_for(
                    entity.name, entity.fields.get("country"), entity.fields.get("geocode")
                ),
                country=entity.fields.get("country"),
                aliases=list(entity.aliases),
                position=position,
                path=path,
            )
        )
    return queries


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ..places.geocode import geocode_places
        from ..places.geoservice import GeocodeSetupError
    except ImportError as exc:  # pragma: no cover - only while the module is missing
        err.write(f"dossier geocode: geocoding is not available ({exc})\n")
        return EXIT_USAGE
    site = load_site(args.config)
    project = site.project
    places = place_queries(site)
    try:
        report = geocode_places(
            places,
            project.geocache,
            online=args.online,
            provider=args.provider,
            endpoint=args.endpoint,
            scheme=args.scheme,
            user_agent=args.user_agent,
            dry_run=args.dry_run,
            out=err,
            cache_display_path=display_path(project.geocache, project.root),
        )
    except GeocodeSetupError as exc:
        for diagnostic in exc.diagnostics:
            out.write(diagnostic.format() + "\n")
        err.write(f"dossier geocode: {exc}\n")
        return EXIT_USAGE
    # geocode_places has shown progress and every failure (as diagnostics) on `err`.
    return EXIT_PROBLEMS if report.failed else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options to the `dossier` parser."""
    parser = sub.add_parser("geocode", help="fill the geocache for places without coordinates")
    parser.add_argument("--online", action="store_true", help="ask a geocoding service too")
    parser.add_argument("--provider", default="nominatim", help="a geopy provider name")
    parser.add_argument("--endpoint", help="the service's host (or URL)")
    parser.add_argument("--scheme", choices=("http", "https"))
    parser.add_argument("--user-agent", help="identify yourself to the service")
    parser.add_argument("--dry-run", action="store_true", help="show what would change")
    parser.set_defaults(run=run)
