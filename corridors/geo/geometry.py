"""Geodesic measures on the WGS84 ellipsoid (pyproj) and which countries a line crosses."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

from corridors.settings import COUNTRY_MIN_RUN_KM

GEOD = Geod(ellps="WGS84")
# Densify lines to about 1 km steps before classifying by country, so a short border strip still shows.
_STEP_DEG = 0.01


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


def line_country_runs(line: LineString, countries: gpd.GeoDataFrame) -> list[tuple[str, float]]:
    """The countries a line passes through, in its direction, as (iso3, km) runs; sea and gaps skipped."""
    pts = np.asarray(shapely.segmentize(line, _STEP_DEG).coords)[:, :2]
    if len(pts) < 2:
        return []
    _, _, dist = GEOD.inv(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
    mids = (pts[:-1] + pts[1:]) / 2
    owner = np.full(len(mids), -1)
    west, south, east, north = shapely.bounds(line)
    # Prepared polygons make point-in-polygon tests fast; only countries whose box meets the line's.
    for idx in countries.sindex.query(shapely.box(west, south, east, north)):
        polygon = countries.geometry.iloc[idx]
        shapely.prepare(polygon)
        inside = shapely.contains_xy(polygon, mids[:, 0], mids[:, 1]) & (owner < 0)
        owner[inside] = idx
    iso = countries["iso3"].to_numpy()
    runs: list[tuple[str, float]] = []
    for i, km in zip(owner, dist / 1000.0):
        if i >= 0:
            runs = _append_run(runs, iso[i], km)
    return runs


def _append_run(runs: list[tuple[str, float]], code: str, km: float) -> list[tuple[str, float]]:
    if runs and runs[-1][0] == code:
        runs[-1] = (code, runs[-1][1] + km)
    else:
        runs.append((code, km))
    return runs


def route_countries(
    runs_in_order: Iterable[list[tuple[str, float]]], min_run_km: float = COUNTRY_MIN_RUN_KM
) -> list[tuple[str, float]]:
    """Join the runs of a route's pieces (each already in travel direction) into countries crossed.

    Runs shorter than `min_run_km` are dropped (a border post on the line or a clipped corner adds
    nothing); a country entered twice is listed once, where first entered, with its km summed.
    """
    joined: list[tuple[str, float]] = []
    for runs in runs_in_order:
        for code, km in runs:
            joined = _append_run(joined, code, km)
    kept: dict[str, float] = {}
    for code, km in joined:
        if km >= min_run_km:
            kept[code] = kept.get(code, 0.0) + km
    return list(kept.items())


def countries_along(
    lines: Iterable[LineString], countries: gpd.GeoDataFrame, min_run_km: float = COUNTRY_MIN_RUN_KM
) -> list[tuple[str, float]]:
    """The countries a route crosses, in route order, with the km run in each (lines in travel order)."""
    return route_countries((line_country_runs(line, countries) for line in lines), min_run_km)
