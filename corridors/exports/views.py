"""What a briefing stop (or the atlas) shows, as a map view: the ViewState, the box, the effective zoom."""

from __future__ import annotations

import math

from corridors.briefings.model import Stop, View
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState, default_state

TILE_PX = 256


def stop_state(data: MapData, stop: Stop, labels: str = "large") -> ViewState:
    """The stop's corridors (those the atlas knows), every status and mode, places and borders drawn."""
    corridors = tuple(c for c in data.atlas.corridors if c in stop.corridors)
    return default_state(data.atlas.corridors).with_(corridors=corridors, labels=labels, asof=stop.asof)


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def view_box(view: View, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a view: its bounds, or what centre and zoom show in a width x height map."""
    if view.box is not None:
        return view.box
    (lat, lon), zoom = view.center, view.zoom
    world = TILE_PX * 2**zoom  # px around the world at this zoom
    half_lon = width_px / world * 180.0
    half_y = height_px / world * math.pi
    y = _merc_y(lat)
    return _lat_of(y - half_y), lon - half_lon, _lat_of(y + half_y), lon + half_lon


def fit_box(
    box: tuple[float, float, float, float], width_px: int, height_px: int, margin: float = 0.04
) -> tuple[float, float, float, float]:
    """Grow a (south, west, north, east) box (in Web Mercator) to the map's aspect, with a margin, centred."""
    south, west, north, east = box
    x0, x1 = math.radians(west), math.radians(east)
    y0, y1 = _merc_y(south), _merc_y(north)
    w, h = (x1 - x0) * (1 + 2 * margin), (y1 - y0) * (1 + 2 * margin)
    w, h = max(w, 1e-4), max(h, 1e-4)
    aspect = width_px / height_px
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return _lat_of(cy - h / 2), math.degrees(cx - w / 2), _lat_of(cy + h / 2), math.degrees(cx + w / 2)


def zoom_of(box: tuple[float, float, float, float], width_px: int) -> float:
    """The (fractional) Leaflet zoom at which the box's width fills `width_px`."""
    _, west, _, east = box
    return math.log2(width_px / TILE_PX * 360.0 / max(east - west, 1e-6))


def atlas_box(data: MapData) -> tuple[float, float, float, float]:
    """(south, west, north, east) of every corridor (the atlas's opening view)."""
    lines = [s.line for s in data.atlas.segments.values()]
    if not lines:
        return 20.0, 50.0, 50.0, 90.0
    import shapely

    west, south, east, north = shapely.total_bounds(lines)
    return south, west, north, east
