"""Geodesic measures on the WGS84 ellipsoid (pyproj): lengths and distances in kilometres.

They live at the bottom layer because the checks of the data folder (a node far outside its country, a
line that misses its end node) need them; which countries a line crosses is `corridors.geo.geometry`."""

from __future__ import annotations

from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

GEOD = Geod(ellps="WGS84")


def line_length_km(line: LineString) -> float:
    """Geodesic length of a lon/lat line in kilometres."""
    return GEOD.geometry_length(line) / 1000.0


def distance_km(a: Point, b: Point) -> float:
    """Geodesic distance between two lon/lat points in kilometres."""
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000.0


def distance_to_polygon_km(point: Point, polygon) -> float:
    """0 inside the polygon, else geodesic km to its nearest edge."""
    if polygon.covers(point):
        return 0.0
    return distance_km(point, nearest_points(polygon, point)[0])
