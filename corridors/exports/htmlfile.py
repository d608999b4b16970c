"""One self-contained HTML file: the whole atlas, or a briefing that plays with the arrow keys.

Leaflet's JS and CSS (from the installed django-js-lib-leaflet package), the styles, the data and the text
are all inlined; a Content-Security-Policy forbids every request (scripts run only when their hash is
listed, so even a string that escaped would run nothing). The data travels as JSON in a
`<script type="application/json">` with `<`, `>`, `&` escaped, and the page sets every text from it with
`textContent`. `atlas_html` and `briefing_html` return the file as bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache
from pathlib import Path

from corridors import settings
from corridors.briefings.excerpts import stop_excerpts
from corridors.briefings.model import Briefing
from corridors.data.atlas import Atlas
from corridors.data.dates import with_data_date
from corridors.data.excerpts import excerpts_for_corridor
from corridors.exports.views import atlas_box, stop_state
from corridors.maps.assets import leaflet_source_dir
from corridors.maps.labels import (
    label_size_px,
    labels_js,
    labels_payload,
    map_labels,
    safe_json,
    short_name,
)
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state
from corridors.safe import safe_url
from corridors.summaries import corridor_info

HERE = Path(__file__).parent
ATTRIBUTION = (
    "Country shapes: Natural Earth (public domain); Kashmir is disputed. Corridors: Corridor atlas data, "
    "lines through sourced places."
)


@lru_cache(maxsize=1)
def _leaflet() -> tuple[str, str]:
    folder = leaflet_source_dir()
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"url\((?!#)[^)]*\)", "none", css)  # its images are not used here, and would be requests
    return js, css


def _km(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _excerpt(article, text: str) -> dict:
    return {
        "text": text,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "url": safe_url(article.url),
    }


def _corridors(data: MapData, facts: bool) -> list[dict]:
    atlas, out = data.atlas, []
    names = atlas.country_names
    for cid, c in atlas.corridors.items():
        segs = data.corridor_segments[cid]
        nodes = list(dict.fromkeys(n for s in segs for n in (s.from_node, s.to_node, *s.via)))
        bounds = data.bounds(cid)
        record = {
            "id": cid,
            "name": c.name,
            "short": short_name(c.name),
            "colour": data.colours[cid],
            "status": c.status,
            "modeLabel": settings.MODE_LABELS[c.mode],
            "segs": [s.id for s in segs],
            "nodes": nodes,
            "statusesDrawn": sorted({s.status for s in segs}),
            "box": [round(v, 3) for v in bounds] if bounds else None,
        }
        if facts:
            info = corridor_info(atlas, cid)
            record.update(
                aliases=list(c.aliases),
                description=c.description,
                dates=", ".join(f"{k} {v}" for k, v in (("agreed", c.agreed), ("opened", c.opened)) if v),
                statusAsOf=f"Status as of {c.as_of} — source: {c.status_source}" if c.as_of else "",
                countries=[f"{names.get(code, code)} ({info.km_by_country[code]:,.0f} km)" for code in info.countries],
                length=f"{info.length_km:,.1f} km",
                published=[
                    f"{_km(p.km)} km" + (f" ({p.scope})" if p.scope else "") + f" — {p.source}"
                    for p in info.published_lengths
                ],
                excerpts=[_excerpt(v.article, v.text) for v in excerpts_for_corridor(atlas, cid)],
            )
        out.append(record)
    return out


def _payload(data: MapData, title: str, facts: bool) -> dict:
    atlas = data.atlas
    names = atlas.country_names
    land = {
        "type": "FeatureCollection",  # the region's countries and the coarser world beyond: fill only
        "features": [{"type": "Feature", "geometry": f["geometry"], "properties": {}} for f in data.country_features]
        + data.world_features,
    }
    borders = {
        "type": "FeatureCollection",  # outlines of the countries around the corridors, made whole
        "features": [
            {"type": "Feature", "geometry": f["geometry"], "properties": {}} for f in data.nearby_country_features
        ],
    }
    return {
        "title": title,
        "attribution": with_data_date(ATTRIBUTION, atlas.updated),
        "landColour": settings.OFFLINE_LAND,
        "land": land,
        "borders": borders,
        "corridors": _corridors(data, facts),
        "segments": {
            sid: {"o": s.corridor, "s": s.status, "g": data.segment_geometry[sid]} for sid, s in atlas.segments.items()
        },
        "nodes": {
            n.id: {
                "n": n.name,
                "k": n.kind,
                "c": names.get(n.country, n.country),
                "p": [round(n.lon, 4), round(n.lat, 4)],
            }
            for n in atlas.nodes.values()
        },
        "statuses": {
            s: {
                "label": settings.STATUS_LABELS[s],
                "dash": settings.STATUS_DASH[s],
                "weight": settings.STATUS_WEIGHT[s],
            }
            for s in settings.STATUSES
        },
        "statusOrder": list(settings.STATUSES),
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _page(payload: dict, briefing_mode: bool) -> bytes:
    leaflet_js, leaflet_css = _leaflet()
    scripts = [leaflet_js, labels_js(), (HERE / "player.js").read_text(encoding="utf-8")]
    for code in scripts:
        if re.search(r"</script|<!--", code, re.IGNORECASE):
            raise ValueError("an inlined script contains '</script' or '<!--'")
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_sha256(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    style = (HERE / "player.css").read_text(encoding="utf-8")
    title = html.escape(payload["title"], quote=True)
    mode = "briefing" if briefing_mode else "atlas"
    side = (
        '<section id="excerpts" aria-label="Excerpts"></section>'
        '<details id="notes"><summary>Speaker notes <kbd>N</kbd></summary><p id="notes-text"></p></details>'
        if briefing_mode
        else '<section id="facts" aria-live="polite"></section>'
    )
    controls = (
        '<nav id="controls" aria-label="Stops"><button type="button" id="prev">← Previous</button>'
        '<span id="progress"></span><button type="button" id="next">Next →</button>'
        '<span class="keys">Arrow keys, PageUp/PageDown, Home/End</span></nav>'
        if briefing_mode
        else ""
    )
    heading = (
        '<div id="title" class="kicker"></div><h1 id="stop-title"></h1>' if briefing_mode else '<h1 id="title"></h1>'
    )
    body = (
        f'<div id="app" class="mode-{mode}"><header id="bar">{heading}{controls}</header>'
        f'<div id="map" role="region" aria-label="Map"></div>'
        f'<aside id="side">{side}'
        f'<section id="layers"><h2>Layers</h2><div id="layers-body"></div></section>'
        f'<section id="legend"><h2>Legend</h2><div id="legend-body"></div></section></aside></div>'
    )
    doc = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{leaflet_css}</style><style>{style}</style></head>"
        f"<body>{body}"
        f'<script type="application/json" id="atlas-data">{safe_json(payload)}</script>'
        + "".join(f"<script>{s}</script>" for s in scripts)
        + "</body></html>\n"
    )
    return doc.encode("utf-8")


def atlas_html(atlas: Atlas, data: MapData | None = None) -> bytes:
    """The whole atlas as one self-contained page: corridors, toggles, legend, click for facts and excerpts."""
    data = data or MapData(atlas)
    state = default_state(atlas.corridors)
    payload = _payload(data, "South–Central Asia transport corridors", facts=True)
    payload.update(
        mode="atlas",
        box=[round(v, 3) for v in atlas_box(data)],
        labels=labels_payload(map_labels(data, state)),
        labelSize=label_size_px("normal"),
    )
    return _page(payload, briefing_mode=False)


def briefing_html(atlas: Atlas, briefing: Briefing, data: MapData | None = None, labels: str = "large") -> bytes:
    """A briefing as one self-contained page that plays from file:// with the arrow keys."""
    data = data or MapData(atlas)
    payload = _payload(data, briefing.title, facts=False)
    stops = []
    for stop in briefing.stops:
        state = stop_state(data, stop, labels)
        view = stop.view
        stops.append(
            {
                "title": stop.title,
                "corridors": list(state.corridors),
                "highlight": list(stop.highlight),
                "box": [round(v, 4) for v in view.box] if view.box else None,
                "center": list(view.center) if view.center else None,
                "zoom": view.zoom,
                "excerpts": [_excerpt(x.article, x.text) for x in stop_excerpts(atlas, stop)],
                "notes": stop.notes,
                "places": [p for p in stop.places if p in atlas.nodes],
                "labels": labels_payload(map_labels(data, state, stop.places)),
            }
        )
    payload.update(mode="briefing", stops=stops, labelSize=label_size_px(labels), description=briefing.description)
    return _page(payload, briefing_mode=True)
