"""What precomputed basemap tiles would weigh (issue 16): the path text of every country
outline of the world, projected (Web Mercator) at a level of the maps' zoom ladder and
simplified and thinned as a map at that level draws it, per level and in all.

    .venv/bin/python bench/tile_size.py [FIRST LAST]   (default: levels 22 to 42)

Levels 22-42 are those the benchmark corpus's maps use at N=2000 (45 to 1,448 px a
degree); bench/NOTES.md ("Maps") compares the total with the package's data budget.
"""

from __future__ import annotations

import math
import sys
import zlib

from mkdocs_dossier.maps import shapes
from mkdocs_dossier.maps.projection import ZOOM_STEP
from mkdocs_dossier.places.countries import load_countries


def level_text(level: int) -> bytes:
    """Every outline's path text at `level`, as the maps write it."""
    k = ZOOM_STEP**level
    parts = []
    for country in load_countries():
        for index in range(len(country.polygons)):
            for ring in shapes._simplified(country, index, level):
                points = []
                for lon, lat in ring:
                    lat = max(-85.0, min(85.0, lat))
                    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
                    points.append((lon * k, -y * k))
                thin = shapes._thinned(points)
                if thin:
                    parts.append(shapes._encoded(thin, 0, 0))
    return "".join(parts).encode()


def main() -> None:
    first, last = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (22, 42)
    total = deflated = 0
    for level in range(first, last + 1):
        text = level_text(level)
        packed = len(zlib.compress(text, 9))
        total += len(text)
        deflated += packed
        print(
            f"level {level} ({ZOOM_STEP**level:.0f} px a degree): "
            f"{len(text) / 1e6:.2f} MB of path text, {packed / 1e6:.2f} MB deflated"
        )
    print(f"levels {first}-{last}: {total / 1e6:.1f} MB, {deflated / 1e6:.1f} MB deflated")


if __name__ == "__main__":
    main()
