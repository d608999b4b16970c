"""A briefing stop (or the atlas) as a 1920x1080 PNG, drawn offline with geopandas and matplotlib.

The map is in Web Mercator, as on screen: the offline country shapes, the stop's corridors in their map
colours and line styles (highlighted ones wider, over a white casing; the others fainter), place and
country names placed without overlap (largest size, for a projector), the stop's title, a legend, a
scale bar and the data's attribution. No network, no browser.
"""

from __future__ import annotations

import io
import math
import textwrap

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from corridors import settings
from corridors.briefings.model import Briefing
from corridors.data.atlas import Atlas
from corridors.data.dates import with_data_date
from corridors.exports.views import atlas_box, fit_box, stop_state, view_box, zoom_of
from corridors.maps.labels import label_size_px, map_labels, short_name
from corridors.maps.mapdata import MapData
from corridors.maps.timebar import asof_label
from corridors.maps.viewstate import ViewState, default_state

WIDTH, HEIGHT, DPI = 1920, 1080, 100
R = 6378137.0  # Web Mercator sphere (m)
PX = 72.0 / DPI  # points per pixel
LINE_SCALE = 1.6  # lines a little heavier than on screen: a projector washes them out
BORDER = "#9c968a"
ATTRIBUTION = (
    "Country shapes: Natural Earth admin-0 (public domain); borders as Natural Earth draws them, "
    "Kashmir is disputed.  Corridors: Corridor atlas data, lines drawn through sourced places "
    "(not traced); sources per segment in geodata/."
)


def _x(lon: float) -> float:
    return R * math.radians(lon)


def _y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _merc_array(xy):
    lon, lat = xy[:, 0], np.clip(xy[:, 1], -85.0, 85.0)
    return np.column_stack((R * np.radians(lon), R * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))))


def _merc(geom):
    return shapely.transform(geom, _merc_array)


def _nice_km(target: float) -> int:
    for km in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if km >= target:
            return km
    return 5000


def _countries(atlas: Atlas, box) -> gpd.GeoDataFrame:
    """The countries in view, in Web Mercator: the region's shapes, made whole with their part in the
    coarser world.geojson (when the data has one) so that a view past the region's edge shows land."""
    south, west, north, east = box
    area = shapely.box(west - 5, max(south - 5, -85), east + 5, min(north + 5, 85))
    shapes: dict[str, object] = {}
    for frame in (atlas.countries, atlas.world):
        if frame is None or frame.empty:
            continue
        for iso3, geom in zip(frame["iso3"], frame.geometry):
            if geom is None or geom.is_empty or not geom.intersects(area):
                continue
            part = shapely.intersection(shapely.make_valid(geom), area)
            shapes[iso3] = shapely.union(shapes[iso3], part) if iso3 in shapes else part
    return gpd.GeoDataFrame({"iso3": list(shapes)}, geometry=[_merc(g) for g in shapes.values()], crs="EPSG:3857")


def _draw_lines(ax, data: MapData, state: ViewState, highlight: tuple[str, ...]) -> list[str]:
    """Corridors: the others first and fainter, the highlighted ones on top with a white casing."""
    visible = data.visible_segments(state)
    order = [c for c in visible if c not in highlight] + [c for c in visible if c in highlight]
    network = data.network_on(getattr(state, "asof", None))  # as of the stop's date: the segments then
    routes = data.corridor_segments if network is None else network.corridor_segments
    on_highlight = {s.id for c in highlight if c in routes for s in routes[c]}
    for cid in order:
        emphasised = cid in highlight
        faded = bool(highlight) and not emphasised
        own = {s.id for s in visible[cid]}
        for seg in routes[cid] if emphasised else visible[cid]:
            weight = (settings.STATUS_WEIGHT[seg.status] + (3 if emphasised else 0)) * LINE_SCALE * PX
            xs, ys = zip(*[(_x(x), _y(y)) for x, y in seg.line.coords])
            if emphasised:  # a white casing under the whole route, shared stretches drawn by another too
                ax.plot(
                    xs,
                    ys,
                    color="white",
                    linewidth=weight + 4,
                    solid_capstyle="round",
                    zorder=4 if seg.id in own else 2.5,
                )
            if seg.id not in own:
                continue
            dash = settings.STATUS_DASH[seg.status]
            style = _dashes(dash, weight)
            dim = faded and seg.id not in on_highlight  # a shared stretch of a highlighted route stays strong
            ax.plot(
                xs,
                ys,
                color=data.colours[cid],
                linewidth=weight,
                linestyle=style,
                alpha=0.45 if dim else 1,
                solid_capstyle="round",
                dash_capstyle="butt",
                zorder=5 if emphasised else 3,
            )
    return order


def _dashes(dash: str | None, linewidth: float):
    """Leaflet's dash pattern (px, whatever the width) as a matplotlib line style (scaled by the width)."""
    if not dash:
        return "solid"
    return (0, tuple(float(v) * LINE_SCALE * PX / linewidth for v in dash.split()))


def _overlaps(a, b, pad: float = 4) -> bool:
    return a.x0 < b.x1 + pad and b.x0 < a.x1 + pad and a.y0 < b.y1 + pad and b.y0 < a.y1 + pad


def _draw_labels(ax, fig, data: MapData, state: ViewState, places: tuple[str, ...], box, reserved) -> int:
    """Place labels in priority order at their first candidate that fits; return how many were placed."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    zoom = zoom_of(box, WIDTH)
    size_pt = label_size_px(state.labels) * PX
    halo = [patheffects.withStroke(linewidth=4, foreground="white")]
    placed, count = list(reserved), 0
    for label in map_labels(data, state, places):
        if zoom < label.min_zoom:
            continue
        for j, (lon, lat) in enumerate(label.points):
            if label.kind == "country":
                kw = dict(
                    xytext=(0, 0),
                    ha="center",
                    va="center",
                    color="#5f574c",
                    fontweight="bold",
                    fontsize=size_pt * 1.05,
                    alpha=0.85,
                )
                text = label.text.upper()
            elif label.kind == "corridor":
                kw = dict(
                    xytext=(12, 8),
                    ha="left",
                    va="bottom",
                    color=label.colour,
                    fontweight="bold",
                    fontsize=size_pt * 1.05,
                )
                text = label.text
            else:  # a place: right of its point, else left
                kw = dict(
                    xytext=(-10, 0) if j == 1 else (10, 0),
                    ha="right" if j == 1 else "left",
                    va="center",
                    color="#1f1f1f",
                    fontweight="bold",
                    fontsize=size_pt,
                )
                text = label.text
            artist = ax.annotate(
                text,
                (_x(lon), _y(lat)),
                textcoords="offset points",
                path_effects=halo,
                zorder=8,
                annotation_clip=False,
                parse_math=False,
                **kw,
            )
            ext = artist.get_window_extent(renderer)
            inside = frame.x0 <= ext.x0 and ext.x1 <= frame.x1 and frame.y0 <= ext.y0 and ext.y1 <= frame.y1
            fits = True
            if label.kind == "country":
                span = abs(
                    ax.transData.transform((_x(lon + label.width_deg / 2), 0))[0]
                    - ax.transData.transform((_x(lon - label.width_deg / 2), 0))[0]
                )
                fits = ext.width <= span
            if inside and fits and not any(_overlaps(ext, q) for q in placed):
                placed.append(ext)
                count += 1
                if label.kind == "place":
                    ax.plot(
                        [_x(lon)],
                        [_y(lat)],
                        "o",
                        color="#222222",
                        markersize=6,
                        markeredgecolor="white",
                        markeredgewidth=1.5,
                        zorder=7,
                    )
                break
            artist.remove()
    return count


def _scale_bar(ax, box):
    """Draw the scale bar; return its label and the bar's corners in pixels (kept free of map labels)."""
    south, west, north, east = box
    lat = (south + north) / 2
    ground_km = (_x(east) - _x(west)) * math.cos(math.radians(lat)) / 1000
    km = _nice_km(ground_km / 8)
    length = km * 1000 / math.cos(math.radians(lat))  # mercator metres for `km` on the ground at this latitude
    x0 = _x(west) + (_x(east) - _x(west)) * 0.025
    y0 = _y(south) + (_y(north) - _y(south)) * 0.06
    tick = (_y(north) - _y(south)) * 0.008
    for colour, width in (("white", 7), ("#222222", 3)):
        ax.plot([x0, x0 + length], [y0, y0], color=colour, linewidth=width, solid_capstyle="butt", zorder=9)
        for x in (x0, x0 + length):
            ax.plot([x, x], [y0 - tick, y0 + tick], color=colour, linewidth=width, zorder=9)
    label = ax.text(
        x0 + length / 2,
        y0 + tick * 1.6,
        f"{km:,} km (at {lat:.0f}° N)",
        ha="center",
        va="bottom",
        fontsize=15,
        color="#222222",
        zorder=9,
        path_effects=[patheffects.withStroke(linewidth=4, foreground="white")],
    )
    return label, ax.transData.transform([(x0, y0 - tick * 2), (x0 + length, y0 + tick * 2)])


def _legend(ax, data: MapData, state: ViewState, order: list[str], highlight: tuple[str, ...]):
    visible = data.visible_segments(state)
    handles, bold = [], []
    for cid in sorted(order, key=lambda c: (c not in highlight, list(data.atlas.corridors).index(c))):
        width = (4 + (3 if cid in highlight else 0)) * LINE_SCALE * PX
        handles.append(
            Line2D([], [], color=data.colours[cid], linewidth=width, label=short_name(data.atlas.corridors[cid].name))
        )
        bold.append(cid in highlight)
    shown = {s.status for segs in visible.values() for s in segs}
    for status in settings.STATUSES:
        if status in shown:
            dash = settings.STATUS_DASH[status]
            style = _dashes(dash, 3 * LINE_SCALE * PX)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#333333",
                    linewidth=3 * LINE_SCALE * PX,
                    linestyle=style,
                    label=settings.STATUS_LABELS[status],
                )
            )
            bold.append(False)
    if not handles:
        return None
    legend = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=14,
        frameon=True,
        framealpha=0.92,
        borderpad=0.8,
        handlelength=3.2,
        title="Legend",
        title_fontsize=15,
    )
    legend.set_zorder(10)
    for text, strong in zip(legend.get_texts(), bold):
        text.set_parse_math(False)  # a name is text: a '$' in it starts no formula
        if strong:
            text.set_fontweight("bold")
    return legend


def pixel_at(box, lon: float, lat: float) -> tuple[int, int]:
    """The (x, y) pixel of a place in the PNG of a view whose box (before fitting to 16:9) is `box`."""
    south, west, north, east = fit_box(box, WIDTH, HEIGHT)
    x = (_x(lon) - _x(west)) / (_x(east) - _x(west)) * WIDTH
    y = (_y(north) - _y(lat)) / (_y(north) - _y(south)) * HEIGHT
    return round(x), round(y)


def render_png(
    data: MapData,
    state: ViewState,
    box,
    title: str,
    subtitle: str = "",
    progress: str = "",
    highlight: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
) -> bytes:
    """Draw one view as PNG bytes: `box` (south, west, north, east) is grown to 16:9 and fills the image.

    Every text from the data is drawn with `parse_math=False`: matplotlib would read `$...$` as a formula."""
    box = fit_box(box, WIDTH, HEIGHT)
    south, west, north, east = box
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)  # no pyplot: safe in Streamlit's threads
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(_x(west), _x(east))
    ax.set_ylim(_y(south), _y(north))
    ax.add_patch(
        Rectangle(
            (_x(west), _y(south)), _x(east) - _x(west), _y(north) - _y(south), color=settings.OFFLINE_SEA, zorder=0
        )
    )
    countries = _countries(data.atlas, box)
    if not countries.empty:
        countries.plot(ax=ax, color=settings.OFFLINE_LAND, edgecolor=BORDER, linewidth=1.0, zorder=1)
    order = _draw_lines(ax, data, state, highlight)
    when = asof_label(data.atlas, getattr(state, "asof", None))  # "as of 2014-12": the network drawn is that day's
    progress = " · ".join(p for p in (progress, when) if p)
    long_title = len(title) > 55
    heading = fig.text(
        0.018,
        0.965,
        textwrap.fill(title, 80) if long_title else title,
        parse_math=False,
        fontsize=26 if long_title else 34,
        fontweight="bold",
        color="#111111",
        va="top",
        ha="left",
        zorder=11,
        bbox=dict(boxstyle="round,pad=0.45", facecolor="white", alpha=0.92, edgecolor="#cccccc"),
    )
    if subtitle:
        below = heading.get_window_extent(fig.canvas.get_renderer()).y0 - 40  # under the title's box
        fig.text(
            0.018,
            below / HEIGHT,
            subtitle,
            parse_math=False,
            fontsize=16,
            color="#333333",
            va="top",
            ha="left",
            zorder=11,
            bbox=dict(boxstyle="round,pad=0.3", facecolor="white", alpha=0.85, edgecolor="none"),
        )
    if progress:
        fig.text(
            0.982,
            0.965,
            progress,
            parse_math=False,
            fontsize=18,
            color="#333333",
            va="top",
            ha="right",
            zorder=11,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="white", alpha=0.92, edgecolor="#cccccc"),
        )
    fig.text(
        0.5,
        0.006,
        with_data_date(ATTRIBUTION, data.atlas.updated),
        fontsize=10.5,
        color="#333333",
        va="bottom",
        ha="center",
        zorder=11,
        bbox=dict(boxstyle="square,pad=0.25", facecolor="white", alpha=0.8, edgecolor="none"),
    )
    scale_label, bar = _scale_bar(ax, box)
    legend = _legend(ax, data, state, order, highlight)
    renderer = fig.canvas.get_renderer()
    # Kept free of map labels: the title boxes (text plus their padding), the legend, the scale bar.
    reserved = [t.get_window_extent(renderer).expanded(1, 1).padded(16) for t in fig.texts]
    if legend is not None:
        reserved.append(legend.get_window_extent(renderer))
    reserved.append(Bbox.union([scale_label.get_window_extent(renderer), Bbox(bar)]).padded(6))
    _draw_labels(ax, fig, data, state, places, box, reserved)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 4})
    return out.getvalue()


def png_bytes(
    atlas: Atlas, briefing: Briefing | None = None, stop: int = 0, data: MapData | None = None, labels: str = "large"
) -> bytes:
    """Stop `stop` (0-based) of `briefing` as a 1920x1080 PNG; without a briefing, the whole atlas."""
    data = data or MapData(atlas)
    if briefing is None:
        state = default_state(atlas.corridors).with_(labels=labels)
        return render_png(
            data,
            state,
            atlas_box(data),
            "South–Central Asia transport corridors",
            subtitle="Road and rail corridors between South and Central Asia",
        )
    item = briefing.stops[stop]
    state = stop_state(data, item, labels)
    return render_png(
        data,
        state,
        view_box(item.view, WIDTH, HEIGHT),
        item.title,
        subtitle=briefing.title,
        progress=f"Stop {stop + 1} of {len(briefing.stops)}",
        highlight=item.highlight,
        places=item.places,
    )
