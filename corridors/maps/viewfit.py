"""Fit a box into the map: the centre and zoom level that show it."""

from __future__ import annotations

import math

from corridors import settings
from corridors.safe import decimal_number


def fit_view(
    bounds: tuple[float, float, float, float], width_px: int = 600, height_px: int = settings.MAP_HEIGHT_PX
) -> tuple[tuple[float, float], int]:
    """Centre and the largest whole Web Mercator zoom at which (south, west, north, east) fits the map."""
    south, west, north, east = bounds
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85), -85)) / 2))  # noqa: E731
    lat_frac = max((merc(north) - merc(south)) / (2 * math.pi), 1e-6)
    lon_frac = max((east - west) / 360.0, 1e-6)
    zoom = math.floor(min(math.log2(height_px * 0.8 / 256 / lat_frac), math.log2(width_px * 0.8 / 256 / lon_frac)))
    return ((south + north) / 2, (west + east) / 2), max(2, min(zoom, 12))


def map_view_from(out) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) from what streamlit-folium returns ({"center": {"lat", "lng"}, "zoom"}), or None."""
    center, zoom = (out or {}).get("center") or {}, (out or {}).get("zoom")
    if not isinstance(center, dict):
        return None
    lat, lon = decimal_number(center.get("lat"), -1e6, 1e6), decimal_number(center.get("lng"), -1e6, 1e6)
    zoom = decimal_number(zoom, -1e3, 1e3)  # what the browser sends is bounded before it is used
    if lat is None or lon is None or zoom is None:
        return None
    zoom = int(zoom)
    lon = (lon + 180) % 360 - 180  # a map panned round the globe
    return round(max(-85.0, min(lat, 85.0)), 4), round(lon, 4), max(2, min(zoom, 14))


def map_bounds_from(out) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) from streamlit-folium's {"bounds": {"_southWest", "_northEast"}}, or None."""
    bounds = (out or {}).get("bounds") or {}
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        box = tuple(decimal_number(v, -1e6, 1e6) for v in (sw["lat"], sw["lng"], ne["lat"], ne["lng"]))
    except (KeyError, TypeError):
        return None
    return None if None in box else box


def near_view(a, b, pixels: float = 2.0) -> bool:
    """Two (lat, lon, zoom) views at the same zoom whose centres are within `pixels` screen pixels of each
    other (Web Mercator tiles of 256 px): a map settling where it was sent, not a user's pan."""
    if a[2] != b[2]:
        return False
    degrees_per_pixel = 360.0 / (256 * 2 ** a[2])
    squeeze = max(math.cos(math.radians(max(min(a[0], 85.0), -85.0))), 1e-3)  # a degree of latitude is longer
    return abs(a[1] - b[1]) <= pixels * degrees_per_pixel and abs(a[0] - b[0]) <= pixels * degrees_per_pixel * squeeze
