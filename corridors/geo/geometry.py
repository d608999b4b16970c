"""Which countries a line, a segment or a route crosses, with the km run in each (geodesic, pyproj)."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString

from corridors.data.geodesic import GEOD
from corridors.settings import COUNTRY_MIN_RUN_KM

# Densify lines to about 1 km steps before classifying by country, so a short border strip still shows.
_STEP_DEG = 0.01


def country_index(countries: gpd.GeoDataFrame) -> tuple:
    """What `line_country_runs` looks up in the countries for every line: their spatial index, shapes and codes."""
    return countries.sindex, countries.geometry.array, countries["iso3"].to_numpy()


def line_country_runs(
    line: LineString, countries: gpd.GeoDataFrame, index: tuple | None = None
) -> list[tuple[str, float]]:
    """The countries a line passes through, in its direction, as (iso3, km) runs; sea and gaps skipped.
    `index`: `country_index(countries)`, when many lines are measured against the same countries."""
    pts = np.asarray(shapely.segmentize(line, _STEP_DEG).coords)[:, :2]
    if len(pts) < 2:
        return []
    _, _, dist = GEOD.inv(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
    mids = (pts[:-1] + pts[1:]) / 2
    owner = np.full(len(mids), -1)
    west, south, east, north = shapely.bounds(line)
    # The frame's own shapes, indexed without a pandas lookup for each
    sindex, polygons, iso = index if index is not None else country_index(countries)
    # Prepared polygons make point-in-polygon tests fast; only countries whose box meets the line's.
    for idx in sindex.query(shapely.box(west, south, east, north)):
        polygon = polygons[idx]
        shapely.prepare(polygon)
        inside = shapely.contains_xy(polygon, mids[:, 0], mids[:, 1]) & (owner < 0)
        owner[inside] = idx
    # The runs: consecutive steps in one country, their km added up in order, as plain floats (the same sums as
    # numpy's, bit for bit), then given back as numpy floats, as before.
    runs: list[tuple[str, float]] = []
    last, total = -1, 0.0
    for i, km in zip(owner.tolist(), (dist / 1000.0).tolist()):
        if i < 0:
            continue
        if last >= 0 and (i == last or iso[i] == iso[last]):
            total += km
        else:
            if last >= 0:
                runs.append((iso[last], np.float64(total)))
            last, total = i, km
    if last >= 0:
        runs.append((iso[last], np.float64(total)))
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


def segment_country_runs(atlas, segment_id: str) -> list[tuple[str, float]]:
    """(iso3, km) runs along a segment in its drawn direction; computed once per segment and atlas."""
    runs = atlas.country_runs
    if segment_id not in runs:
        index = atlas.caches.setdefault("country_index", {})  # once per atlas (its countries never change)
        if "index" not in index:
            index["index"] = country_index(atlas.countries)
        runs[segment_id] = line_country_runs(atlas.segments[segment_id].line, atlas.countries, index["index"])
    return runs[segment_id]


def countries_crossed(atlas, route_id: str) -> list[tuple[str, float]]:
    """Countries a corridor or alternative crosses, in route order, with km in each."""
    return route_countries(
        segment_country_runs(atlas, seg.id)[::-1] if flip else segment_country_runs(atlas, seg.id)
        for seg, flip in atlas.route_oriented(route_id)
    )
