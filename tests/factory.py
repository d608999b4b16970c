"""Writes tiny data folders for tests: a valid default world that each test breaks in one place."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml  # noqa: F401 - tests write YAML through dump_yaml

from corridors.data.files import dump_yaml


def _square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _node(node_id, name, kind, country, lon, lat, **extra):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": node_id, "name": name, "kind": kind, "country": country, "source": "test", **extra},
    }


def _segment(seg_id, a, b, coords, **extra):
    props = {
        "id": seg_id,
        "from": a,
        "to": b,
        "mode": "rail",
        "status": "operational",
        "gauge_mm": 1520,
        "accuracy": "waypoints",
        "sources": ["test"],
        "as_of": "2022-01",
        "status_source": "test",
        **extra,
    }
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}


ARTICLE = """---
title: Test article
outlet: Test Outlet
author:
date: 2022-01-02
url: https://example.org/a
categories: [Tests]
---

The Alpha Railway links Aville and Btown. It is operational.

Nobody mentions anything here.
"""


class DataFolder:
    """A valid tiny atlas: countries AAA and BBB, corridor 'alpha' (Aville – Border – Btown)."""

    def __init__(self) -> None:
        self.countries = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"iso3": "AAA", "name": "Aland"}, "geometry": _square(0, 0, 10, 10)},
                {"type": "Feature", "properties": {"iso3": "BBB", "name": "Bland"}, "geometry": _square(10, 0, 20, 10)},
            ],
        }
        self.nodes = {
            "type": "FeatureCollection",
            "features": [
                _node("aville", "Aville", "city", "AAA", 2.0, 5.0, aliases=["A-ville"]),
                _node("border", "Border Post", "border_crossing", "AAA", 10.0, 5.0),
                _node("btown", "Btown", "city", "BBB", 18.0, 5.0),
            ],
        }
        self.segments = {
            "alpha": {
                "type": "FeatureCollection",
                "features": [
                    _segment(
                        "aville-border",
                        "aville",
                        "border",
                        [[2.0, 5.0], [6.0, 5.5], [10.0, 5.0]],
                        via=["Midway"],
                        opened="1999-05",
                        events=[
                            {"date": "1995", "kind": "agreed", "source": "test"},
                            {"date": "1999-05", "kind": "opened", "source": "book"},
                        ],
                        published_lengths=[{"km": 900, "source": "book", "covers": "route"}],
                    ),
                    _segment(
                        "border-btown",
                        "border",
                        "btown",
                        [[10.0, 5.0], [18.0, 5.0]],
                        status="planned",
                        accuracy="schematic",
                        events=[{"date": "2020", "kind": "agreed", "source": "test"}],
                    ),
                ],
            }
        }
        self.corridors = [
            {
                "id": "alpha",
                "name": "Alpha Railway",
                "aliases": ["AR"],
                "mode": "rail",
                "status": "operational",
                "description": "A test corridor.",
                "segments": ["aville-border", "border-btown"],
                "published_lengths": [{"km": 1700, "source": "atlas", "covers": "route", "scope": "whole"}],
                "as_of": "2022-01",
                "status_source": "test",
                "events": [{"date": "1999-05", "kind": "opened", "source": "book"}],
            }
        ]
        self.atlas = {"updated": "2026-12-01"}  # atlas.yaml
        self.organisations = [
            {
                "id": "org",
                "name": "Test Organisation",
                "aliases": ["TO"],
                "members": [{"country": "AAA", "joined": "1990"}],
            }
        ]
        self.articles = {"test-article": ARTICLE}
        self.links = [
            {
                "article": "test-article",
                "paragraph": 0,
                "start": 0,
                "end": 40,
                "quote": "The Alpha Railway links Aville and Btown",
                "corridors": ["alpha"],
            }
        ]
        self.briefings: dict[str, dict] = {}  # id -> briefing (briefing_world() adds one)
        self.transit: dict | None = None  # geodata/transit.yaml when set (transit_world() sets one)
        self.raw: dict[str, bytes] = {}  # file name -> bytes written instead of the structure

    def copy(self) -> DataFolder:
        return copy.deepcopy(self)

    def write(self, root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        files = {
            "countries.geojson": json.dumps(self.countries),
            "nodes.geojson": json.dumps(self.nodes, ensure_ascii=False),
            "corridors.yaml": dump_yaml(self.corridors, sort_keys=True),
            "organisations.yaml": dump_yaml(self.organisations, sort_keys=True),
            "links.yaml": dump_yaml(self.links, sort_keys=True),
            "atlas.yaml": dump_yaml(self.atlas, sort_keys=True),
        }
        files.update(
            {f"segments/{cid}.geojson": json.dumps(fc, ensure_ascii=False) for cid, fc in self.segments.items()}
        )
        files.update({f"articles/{aid}.md": text for aid, text in self.articles.items()})
        if self.transit is not None:
            files["transit.yaml"] = yaml.safe_dump(self.transit, allow_unicode=True, sort_keys=False)
        files.update(
            {
                f"briefings/{bid}.yaml": yaml.safe_dump(b, allow_unicode=True, sort_keys=False)
                for bid, b in self.briefings.items()
            }
        )
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.raw.pop(name, None) or text.encode("utf-8"))
        for name, data in self.raw.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        return root

    def node(self, node_id: str) -> dict:
        return next(f for f in self.nodes["features"] if f["properties"]["id"] == node_id)

    def segment(self, seg_id: str) -> dict:
        return next(f for fc in self.segments.values() for f in fc["features"] if f["properties"]["id"] == seg_id)


HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">`${window.__pwned=3}`"


def hostile_world() -> DataFolder:
    """The default world with attacker-controlled text in every field that reaches the page."""
    w = DataFolder()
    w.corridors[0]["name"] = "Alpha " + HOSTILE
    w.corridors[0]["description"] = "Desc " + HOSTILE + " [click](javascript:alert(1))"
    w.corridors[0]["aliases"] = ["AR " + HOSTILE]
    w.node("aville")["properties"]["name"] = "Aville " + HOSTILE
    w.segment("aville-border")["properties"]["published_lengths"] = [
        {"km": 900, "source": "src " + HOSTILE, "covers": "route"}
    ]
    w.organisations[0]["name"] = "Org " + HOSTILE
    w.articles["test-article"] = (
        ARTICLE.replace("title: Test article", "title: \"T " + HOSTILE.replace('"', "'") + "\"")
        .replace("url: https://example.org/a", "url: \"javascript:alert(1)\"")
        .replace("The Alpha Railway links Aville and Btown.", "The Alpha Railway links Aville and Btown. " + HOSTILE)
    )
    return w


def briefing_world() -> DataFolder:
    """The default world with a named excerpt and a two-stop briefing 'tour' (bounds, then centre and zoom)."""
    w = DataFolder()
    w.links[0]["id"] = "alpha-links"
    w.briefings = {
        "tour": {
            "title": "Test tour",
            "description": "Two stops.",
            "stops": [
                {
                    "title": "Alpha",
                    "corridors": ["alpha"],
                    "highlight": ["alpha"],
                    "view": {"bounds": [[0, 0], [10, 20]]},
                    "excerpts": ["alpha-links"],
                    "places": ["aville"],
                    "notes": "Say hello.",
                },
                {
                    "title": "Zoomed",
                    "corridors": ["alpha"],
                    "view": {"center": [5, 10], "zoom": 6},
                    "excerpts": ["test-article/1"],
                },
            ],
        }
    }
    return w


def transit_world() -> DataFolder:
    """The default world with a gauge break at the border (1,520 mm in Aland, 1,435 mm in Bland) and
    transit figures: two rail speeds for Aland and none for Bland (a missing figure), Aland's outbound hours
    at the border post (two years) and Bland's inbound (one for the crossing, one country average, which the
    crossing's own figure overrides), a gauge-break time, a border cost, corridor costs, and three runs."""
    w = DataFolder()
    w.segment("border-btown")["properties"]["gauge_mm"] = 1435
    src = "example.org/cpmm-test"
    w.transit = {
        "speeds": [
            {"country": "AAA", "mode": "rail", "kind": "with_delay", "km_h": 20, "year": 2021, "source": src},
            {"country": "AAA", "mode": "rail", "kind": "without_delay", "km_h": 40, "year": 2022, "source": src},
            {"country": "AAA", "mode": "road", "kind": "with_delay", "km_h": 5, "year": 2022, "source": src},
        ],
        "crossings": [
            {
                "nodes": ["border"],
                "bcp": "Border Post",
                "country": "AAA",
                "mode": "rail",
                "direction": "outbound",
                "year": 2020,
                "hours": 10,
                "cost_usd": 100,
                "source": src,
            },
            {
                "nodes": ["border"],
                "bcp": "Border Post",
                "country": "AAA",
                "mode": "rail",
                "direction": "outbound",
                "year": 2021,
                "hours": 14,
                "source": src,
            },
            {
                "nodes": ["border"],
                "bcp": "Border Post",
                "country": "AAA",
                "mode": "rail",
                "direction": "inbound",
                "year": 2021,
                "hours": 99,
                "source": src,
            },
            {
                "nodes": ["border"],
                "bcp": "Bland crossings",
                "country": "BBB",
                "mode": "rail",
                "direction": "inbound",
                "year": 2022,
                "hours": [30, 50],
                "basis": "country_average",
                "source": src,
            },
            {
                "nodes": ["border"],
                "bcp": "Border Post",
                "country": "BBB",
                "mode": "rail",
                "direction": "both",
                "year": 2022,
                "hours": 4,
                "cost_usd": 50,
                "source": src,
            },
        ],
        "gauge_breaks": [
            {"nodes": ["border"], "what": "transshipment at the border post", "hours": 6, "year": 2019, "source": src},
        ],
        "runs": [
            {
                "id": "a-to-b",
                "what": "Aville to Btown",
                "countries": ["AAA", "BBB"],
                "modes": ["rail"],
                "days": 3,
                "year": 2023,
                "source": src,
            },
            {
                "id": "c-b-a",
                "what": "Cland to Aville",
                "countries": ["CCC", "BBB", "AAA"],
                "modes": ["road"],
                "days": [8, 9],
                "year": 2022,
                "source": src,
            },
            {
                "id": "c-only",
                "what": "within Cland",
                "countries": ["CCC", "DDD"],
                "modes": ["rail"],
                "days": 1,
                "year": 2022,
                "source": src,
            },
        ],
        "corridor_costs": [
            {"country": "AAA", "mode": "rail", "usd_per_500km_20t": 500, "year": 2021, "source": src},
            {"country": "AAA", "mode": "rail", "usd_per_500km_20t": 700, "year": 2022, "source": src},
        ],
    }
    return w
