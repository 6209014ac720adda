"""Distances on the Earth: on a sphere (fast, for ranking and search) and on the WGS 84
ellipsoid (for the distances a reader sees)."""

from __future__ import annotations

import math

from geographiclib.geodesic import Geodesic

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


#: The WGS 84 ellipsoid in km, as geopy's `geodesic` measures on it (same numbers; geopy's
#: own module would import every geocoder it has, about 0.3 s, to measure a distance).
_WGS84_KM = Geodesic(6378.137, 1 / 298.257223563)


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km between two ``(lat, lon)`` points on the WGS 84 ellipsoid."""
    return _WGS84_KM.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"]
