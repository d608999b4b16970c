"""Fit a box into the map: the centre and zoom level that show it."""

from __future__ import annotations

import math

from corridors import settings


def fit_view(bounds: tuple[float, float, float, float], width_px: int = 600,
             height_px: int = settings.MAP_HEIGHT_PX) -> tuple[tuple[float, float], int]:
    """Centre and the largest whole Web Mercator zoom at which (south, west, north, east) fits the map."""
    south, west, north, east = bounds
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85), -85)) / 2))  # noqa: E731
    lat_frac = max((merc(north) - merc(south)) / (2 * math.pi), 1e-6)
    lon_frac = max((east - west) / 360.0, 1e-6)
    zoom = math.floor(min(math.log2(height_px * 0.8 / 256 / lat_frac), math.log2(width_px * 0.8 / 256 / lon_frac)))
    return ((south + north) / 2, (west + east) / 2), max(2, min(zoom, 12))
