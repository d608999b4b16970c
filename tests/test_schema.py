"""The strict schema and the crash-proof readers: one broken data folder per rule or crash, with the exact
line `validate` prints, and the guarantee that nothing crashes, hangs or prints a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from corridors.assemble import load_atlas
from corridors.cli import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEEP = "".join("- " for _ in range(20_000)) + "x\n"  # ~40 KB of block nesting: overflowed libyaml's C stack


def _corridors_yaml(extra: str) -> bytes:
    return (
        "- id: alpha\n  name: Alpha Railway\n  mode: rail\n  status: operational\n  description: d\n"
        "  segments: [aville-border, border-btown]\n  as_of: '2022'\n  status_source: test\n" + extra
    ).encode()


CASES = {
    "deep block YAML": (
        lambda w: w.raw.update({"corridors.yaml": DEEP.encode()}),
        "corridors.yaml: line 1: nests lists or mappings more than 100 levels deep",
    ),
    "deep block YAML in links": (
        lambda w: w.raw.update(
            {
                "links.yaml": (
                    "- article: x\n  corridors:\n" + "".join("  " * i + "- \n" for i in range(2, 300)) + "x\n"
                ).encode()
            }
        ),
        "links.yaml: line 101: nests lists or mappings more than 100 levels deep",
    ),
    "deep block YAML in front matter": (
        lambda w: w.articles.update({"test-article": "---\ntitle: T\nx:\n" + DEEP + "---\n\nText.\n"}),
        "articles/test-article.md: line 4: nests lists or mappings more than 100 levels deep",
    ),
    "comma splits a flow value": (
        lambda w: w.raw.update(
            {
                "corridors.yaml": _corridors_yaml(
                    "  published_lengths:\n    - {km: 540, covers: section, source: tehrantimes.com (1998-05-27, "
                    "Kerman–Zahedan railroad), scope: Kerman–Zahedan}\n"
                )
            }
        ),
        "corridors.yaml: line 10, corridor 'alpha': 'published_lengths' item 0: unknown key 'Kerman–Zahedan "
        "railroad)'; allowed: km, source, covers, scope — in a YAML {…} mapping a comma ends the value: put "
        "text with commas in quotes",
    ),
    "misspelt key": (
        lambda w: w.corridors[0].update(stauts=w.corridors[0].pop("status")),
        "corridors.yaml: line 21, corridor 'alpha': unknown key 'stauts' (did you mean 'status'?)",
    ),
    "misspelt key in a segment": (
        lambda w: w.segment("aville-border")["properties"].update(lenght_km=5),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): unknown key 'lenght_km'; allowed: id, from, to, "
        "mode, status, accuracy, sources, gauge_mm, gauge_change_mm, via, agreed, opened, published_lengths, costs, note, "
        "as_of, status_source, status_note, events, closures",
    ),
    "duplicate key": (
        lambda w: w.raw.update({"organisations.yaml": b"- id: org\n  name: Org\n  name: Other\n"}),
        "organisations.yaml: line 3: duplicate key 'name' (first on line 2)",
    ),
    "duplicate key in JSON": (
        lambda w: w.raw.update({"nodes.geojson": b'{"type": "FeatureCollection",\n "type": "x", "features": []}'}),
        "nodes.geojson: line 2: duplicate key 'type' in one object",
    ),
    "gauge out of range": (
        lambda w: w.segment("aville-border")["properties"].update(gauge_mm=10**100),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'gauge_mm' 1000000000000000000000000000000000000… "
        "is out of range (input should be less than or equal to 2000)",
    ),
    "gauge in metres": (
        lambda w: w.segment("aville-border")["properties"].update(gauge_mm=1.52),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'gauge_mm' must be a whole number, not a number 1.52",
    ),
    "position with 4 numbers": (
        lambda w: w.node("aville")["geometry"].update(coordinates=[2.0, 5.0, 0, 1]),
        "nodes.geojson: feature 0 (id 'aville'): position [2.0, 5.0, 0, 1] is not [longitude, latitude] (or "
        "[longitude, latitude, height])",
    ),
    "opened before agreed": (
        lambda w: w.corridors[0].update(agreed="2010-05", opened="2009"),
        "corridors.yaml: line 1, corridor 'alpha': opened 2009 is before it was agreed (2010-05)",
    ),
    "operational but opens in the future": (
        lambda w: w.segment("aville-border")["properties"].update(opened="2099-01-01"),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): is operational but its opening date 2099-01-01 "
        "is in the future",
    ),
    "a timestamp where a date is meant": (
        lambda w: w.raw.update({"corridors.yaml": _corridors_yaml("  opened: 2014-12-03 10:00:00\n")}),
        "corridors.yaml: line 9, corridor 'alpha': 'opened' '2014-12-03 10:00:00' is not a date (YYYY, YYYY-MM "
        "or YYYY-MM-DD)",
    ),
    "an unquoted year": (
        lambda w: w.raw.update({"organisations.yaml": b"- id: org\n  name: Org\n  founded: 1985\n"}),
        "organisations.yaml: line 3, organisation 'org': 'founded' must be a date in quotes, like \"1985\", not a "
        "whole number",
    ),
    "a route lists a segment twice": (
        lambda w: w.corridors[0].update(segments=["aville-border", "border-btown", "aville-border"]),
        "corridors.yaml: line 18, corridor 'alpha': 'segments': lists 'aville-border' twice",
    ),
    "empty countries.geojson": (
        lambda w: w.countries.update(features=[]),
        "countries.geojson: file: has no countries: the map and the countries crossed need them",
    ),
    "non-finite coordinate in a country": (
        lambda w: w.raw.update(
            {"countries.geojson": json.dumps(w.countries).replace("[20, 10]", "[1e999, 10]", 1).encode()}
        ),
        "countries.geojson: feature 1: polygon position [inf, 10.0] is not [longitude, latitude] (or [longitude, "
        "latitude, height])",
    ),
    "zero-length segment": (
        lambda w: w.segment("border-btown")["geometry"].update(coordinates=[[10.0, 5.0], [10.0, 5.0]]),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): line has no length: all its positions are the "
        "same point",
    ),
    "segment from a place back to itself": (
        lambda w: w.segment("border-btown")["properties"].update(to="border"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): runs from 'border' back to itself: a segment joins "
        "two different places",
    ),
    "YAML alias": (
        lambda w: w.raw.update({"organisations.yaml": b"- &o\n  id: org\n  name: Org\n- *o\n"}),
        "organisations.yaml: line 4: uses the alias *o; data files do not use YAML anchors and aliases",
    ),
    "published length without what it covers": (
        lambda w: w.corridors[0].update(published_lengths=[{"km": 10, "source": "s"}]),
        "corridors.yaml: line 13, corridor 'alpha': 'published_lengths' item 0 'covers' is missing",
    ),
    "a section without its scope": (
        lambda w: w.corridors[0].update(published_lengths=[{"km": 10, "source": "s", "covers": "section"}]),
        "corridors.yaml: line 13, corridor 'alpha': 'published_lengths' item 0: covers 'section' but has no 'scope' "
        "saying which part or what it measures",
    ),
    "a cost without its currency": (
        lambda w: w.corridors[0].update(costs=[{"amount": 4.6, "scale": "billion", "source": "s"}]),
        "corridors.yaml: line 5, corridor 'alpha': 'costs' item 0 'currency' is missing",
    ),
    "a cost in an unknown scale": (
        lambda w: w.corridors[0].update(costs=[{"amount": 4.6, "currency": "USD", "scale": "bn", "source": "s"}]),
        "corridors.yaml: line 7, corridor 'alpha': 'costs' item 0: unknown scale 'bn'; expected one of: thousand, "
        "million, billion",
    ),
    "a negative cost": (
        lambda w: w.segment("aville-border")["properties"].update(
            costs=[{"amount": -5, "currency": "USD", "scale": "million", "source": "s"}]
        ),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'costs' item 0 'amount' -5 is out of range (input "
        "should be greater than 0)",
    ),
    "a cost of a section without its scope": (
        lambda w: w.corridors[0].update(
            costs=[{"amount": 2, "currency": "USD", "scale": "billion", "source": "s", "covers": "section"}]
        ),
        "corridors.yaml: line 5, corridor 'alpha': 'costs' item 0: covers 'section' but has no 'scope' saying "
        "which part or what it pays for",
    ),
    "segments is a file": (
        lambda w: (w.segments.clear(), w.raw.update({"segments": b"oops"})),
        "segments/: folder: is a file, not a folder",
    ),
    "a road with a gauge": (
        lambda w: w.segment("aville-border")["properties"].update(mode="road"),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): is a road segment but gives a rail gauge",
    ),
    "NO read as false": (
        lambda w: w.raw.update({"organisations.yaml": b"- id: org\n  name: Org\n  members:\n    - {country: NO}\n"}),
        "organisations.yaml: line 4, organisation 'org': 'members' item 0 'country' must be text, not true/false "
        "False (YAML reads an unquoted yes, no, on, off, true or false as true/false: put it in quotes)",
    ),
    "a segment file over the limit": (
        lambda w: w.raw.update(
            {"segments/alpha.geojson": b'{"type":"FeatureCollection","features":[' + b" " * (6 * 1024 * 1024) + b"]}"}
        ),
        "segments/alpha.geojson: file: is 6.0 MB, more than the 5.0 MB allowed for a segment file (a corridor "
        "traced in detail needs well under 1 MB)",
    ),
    "a front matter key of the wrong type": (
        lambda w: w.articles.update(
            {"test-article": w.articles["test-article"].replace("title: Test article", "title: [a, b]")}
        ),
        "articles/test-article.md: line 2, front matter: 'title' must be text, not a list ['a', 'b']",
    ),
    "transit: misspelt key": (
        lambda w: w.raw.update(
            {
                "transit.yaml": b"speeds:\n  - {country: AAA, mode: rail, kind: with_delay, kmh: 20, year: 2021, "
                b"source: s}\n"
            }
        ),
        "transit.yaml: line 2, speed 1: unknown key 'kmh' (did you mean 'km_h'?)",
    ),
    "transit: low above high": (
        lambda w: w.raw.update(
            {
                "transit.yaml": b"speeds: []\ncrossings:\n  - nodes: [border]\n    bcp: B\n    country: AAA\n"
                b"    mode: rail\n    direction: outbound\n    year: 2021\n    source: s\n    hours: [9, 3]\n"
            }
        ),
        "transit.yaml: line 10, crossing 1: 'hours': low 9 is above high 3",
    ),
    "transit: unknown node": (
        lambda w: w.raw.update(
            {"transit.yaml": b"gauge_breaks:\n  - {nodes: [bordr], what: w, hours: 2, year: 2020, source: s}\n"}
        ),
        "transit.yaml: line 2, gauge break 1: unknown node 'bordr' (did you mean 'border'?): no such place in "
        "nodes.geojson",
    ),
    "transit: derived speed without its working": (
        lambda w: w.raw.update(
            {
                "transit.yaml": b"speeds:\n  - {country: AAA, mode: rail, kind: derived, km_h: 20, year: 2021, "
                b"source: s}\n"
            }
        ),
        "transit.yaml: line 2, speed 1: is 'derived' but has no 'note' saying from which distance and time",
    ),
    "transit: future year": (
        lambda w: w.raw.update(
            {
                "transit.yaml": b"runs:\n  - {id: r, what: w, countries: [AAA], modes: [rail], days: 2, year: 2999, "
                b"source: s}\n"
            }
        ),
        "transit.yaml: line 2, run 'r': 'year' 2999 is in the future: give the year the figure was measured or "
        "announced",
    ),
    "transit: unknown section": (
        lambda w: w.raw.update({"transit.yaml": b"speeds: []\nborders: []\n"}),
        "transit.yaml: line 2, file: unknown key 'borders'; allowed: speeds, crossings, gauge_breaks, runs, "
        "corridor_costs",
    ),
    "transit: a figure that is no number": (
        lambda w: w.raw.update(
            {
                "transit.yaml": b"runs:\n  - id: r\n    what: w\n    countries: [AAA]\n    modes: [rail]\n"
                b"    days: soon\n    year: 2020\n    source: s\n"
            }
        ),
        "transit.yaml: line 6, run 'r': 'days' 'soon' must be a number above 0 or a [low, high] pair of them",
    ),
    # ---- the time model: every status has a date and a source; events; seasonal closures; atlas.yaml ----
    "a segment status without as_of": (
        lambda w: w.segment("aville-border")["properties"].pop("as_of"),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'as_of' is missing",
    ),
    "a corridor status without its source": (
        lambda w: w.corridors[0].pop("status_source"),
        "corridors.yaml: line 1, corridor 'alpha': 'status_source' is missing",
    ),
    "as_of that is not a date": (
        lambda w: w.segment("border-btown")["properties"].update(as_of="2023-02-29"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): 'as_of' '2023-02-29' is not a date that exists",
    ),
    "an unknown event kind": (
        lambda w: w.corridors[0]["events"][0].update(kind="inaugurated"),
        "corridors.yaml: line 7, corridor 'alpha': 'events' item 0: unknown kind 'inaugurated'; expected one of: "
        "proposed, agreed, construction_started, opened, suspended, resumed, closed, upgrade_agreed, upgrade_started, "
        "upgrade_completed",
    ),
    "an event date that does not exist": (
        lambda w: w.segment("border-btown")["properties"]["events"][0].update(date="2020-13"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): 'events' item 0 'date' '2020-13' is not a date "
        "(YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    "an event without a source": (
        lambda w: w.segment("border-btown")["properties"]["events"][0].pop("source"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): 'events' item 0 'source' is missing",
    ),
    "events out of date order": (
        lambda w: w.segment("aville-border")["properties"]["events"].reverse(),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'events': item 1 (agreed 1995) comes after item 0 "
        "(opened 1999-05) but is earlier: list events in date order",
    ),
    "an unknown key in an event": (
        lambda w: w.segment("border-btown")["properties"]["events"][0].update(sorce="x"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): 'events' item 0: unknown key 'sorce' (did you mean "
        "'source'?)",
    ),
    "announced that is not true or false": (
        lambda w: w.segment("border-btown")["properties"]["events"][0].update(announced="yes"),
        "segments/alpha.geojson: feature 1 (id 'border-btown'): 'events' item 0 'announced' must be true or false, "
        "not text 'yes'",
    ),
    "opened disagrees with the first opened event": (
        lambda w: w.segment("aville-border")["properties"].update(opened="1999-06"),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): gives opened 1999-06 but its first 'opened' event "
        "is dated 1999-05",
    ),
    "agreed without an agreed event": (
        lambda w: w.corridors[0].update(agreed="1995"),
        "corridors.yaml: line 1, corridor 'alpha': gives agreed 1995 but has no 'agreed' event: add {date: "
        "\"1995\", kind: agreed, source: …} to 'events'",
    ),
    "an event after the updated date that is not announced": (
        lambda w: w.segment("border-btown")["properties"]["events"].append(
            {"date": "2027", "kind": "opened", "source": "minister"}
        ),
        "segments/alpha.geojson: segment 'border-btown' event 1: opened 2027 is after the data's updated date "
        "2026-12-01 (atlas.yaml): an event that has not happened is marked 'announced: true'",
    ),
    "as_of after the updated date": (
        lambda w: w.corridors[0].update(as_of="2027-01"),
        "corridors.yaml: corridor 'alpha': 'as_of' 2027-01 is after the data's updated date 2026-12-01 (atlas.yaml)",
    ),
    "a closure on a day that does not exist": (
        lambda w: w.segment("aville-border")["properties"].update(
            closures=[{"from": "12-01", "to": "02-30", "source": "s"}]
        ),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'closures' item 0 'to' '02-30' is not a day of "
        "the year that exists",
    ),
    "a closure date written as a date": (
        lambda w: w.segment("aville-border")["properties"].update(
            closures=[{"from": "2024-12-01", "to": "04-01", "source": "s"}]
        ),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'closures' item 0 'from' '2024-12-01' is not a "
        "day of the year (MM-DD, like 12-01)",
    ),
    "a closure that ends the day it starts": (
        lambda w: w.segment("aville-border")["properties"].update(
            closures=[{"from": "04-01", "to": "04-01", "source": "s"}]
        ),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'closures' item 0: runs from 04-01 to 04-01: a "
        "closure ends on a later day (it may run over the year's end)",
    ),
    "a closure without a source": (
        lambda w: w.segment("aville-border")["properties"].update(closures=[{"from": "12-01", "to": "04-01"}]),
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'closures' item 0 'source' is missing",
    ),
    "closures on a corridor": (
        lambda w: w.corridors[0].update(closures=[{"from": "12-01", "to": "04-01", "source": "s"}]),
        "corridors.yaml: line 5, corridor 'alpha': unknown key 'closures': seasonal closures belong to the "
        "segments that close (in segments/<corridor>.geojson)",
    ),
    "an empty atlas.yaml": (
        lambda w: setattr(w, "atlas", None),
        "atlas.yaml: file: must be a mapping of keys to values, not empty",
    ),
    "atlas.yaml updated to the month only": (
        lambda w: w.atlas.update(updated="2026-12"),
        "atlas.yaml: line 1, file: 'updated' '2026-12' is not a full date YYYY-MM-DD (the day the data was last "
        "checked against sources)",
    ),
    "atlas.yaml with an unknown key": (
        lambda w: w.atlas.update(upated="2026-12-01"),
        "atlas.yaml: line 1, file: unknown key 'upated' (did you mean 'updated'?)",
    ),
    "a status its history contradicts": (
        lambda w: w.segment("border-btown")["properties"].update(status="operational"),
        "segments/alpha.geojson: segment 'border-btown': status is 'operational' but on the data's updated date "
        "2026-12-01 (atlas.yaml) its history says it was 'planned': add the event that changed it, or correct the "
        "status",
    ),
    "a corridor status its history contradicts": (
        lambda w: w.corridors[0].update(status="planned"),
        "corridors.yaml: corridor 'alpha': status is 'planned' but on the data's updated date 2026-12-01 "
        "(atlas.yaml) its history says it was 'operational' (by its own events and the km of its main alignment): "
        "add the event that changed it, or correct the status",
    ),
}


def test_atlas_yaml_is_required(world, tmp_path, capsys):
    root = world.write(tmp_path / "data")
    (root / "atlas.yaml").unlink()
    assert run(["validate", "--data", str(root)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{root}/atlas.yaml: file: is missing"]


@pytest.mark.parametrize("name", CASES)
def test_each_schema_rule_prints_its_line(world, tmp_path, capsys, name):
    breaker, expected = CASES[name]
    breaker(world)
    root = world.write(tmp_path / "data")
    assert run(["validate", "--data", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{root}/{expected}" in out, "\n".join(out)
    assert len(out) <= 2, "one defect, one or two lines, not a cascade:\n" + "\n".join(out)


def test_the_real_data_is_clean(capsys):
    assert run(["validate", "--data", os.path.join(ROOT, "geodata")]) == 0


def _cli(*args, timeout=60, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.run(
        [sys.executable, "-m", "corridors", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        **kwargs,
    )


@pytest.mark.parametrize("target", ["corridors.yaml", "links.yaml", "articles/test-article.md"])
def test_deep_yaml_never_kills_a_command(world, tmp_path, target):
    """In a child process, so a segfault would show as a negative return code, not kill the test run."""
    text = ("---\ntitle: T\nx:\n" + DEEP + "---\n\nText.\n") if target.endswith(".md") else DEEP
    world.raw[target] = text.encode()
    root = world.write(tmp_path / "data")
    for command in (["validate"], ["export", "--out", str(tmp_path / "o.geojson")]):
        done = _cli(*command, "--data", str(root))
        assert done.returncode in (0, 1), (command, done.returncode, done.stderr[-500:])
        assert "Traceback" not in done.stderr
        if command == ["validate"]:
            assert "nests lists or mappings more than 100 levels deep" in done.stdout


def test_a_named_pipe_is_refused_without_hanging(world, tmp_path):
    root = world.write(tmp_path / "data")
    os.mkfifo(root / "segments" / "beta.geojson")
    (root / "nodes.geojson").unlink()
    os.mkfifo(root / "nodes.geojson")
    done = _cli("validate", "--data", str(root), timeout=30)
    lines = done.stdout.splitlines()
    assert f"{root}/segments/beta.geojson: file: is a named pipe, not a regular file" in lines
    assert f"{root}/nodes.geojson: file: is not a regular file" in lines


def test_zero_length_segment_info_prints_no_traceback(world, tmp_path):
    world.segment("border-btown")["geometry"]["coordinates"] = [[10.0, 5.0], [10.0, 5.0]]
    root = world.write(tmp_path / "data")
    done = _cli("info", "--data", str(root))
    assert done.returncode == 0 and "Traceback" not in done.stderr and "Alpha Railway" in done.stdout


def test_a_50_mb_segment_file_is_refused_quickly_in_bounded_memory(world, tmp_path):
    root = world.write(tmp_path / "data")
    line = ",".join(f"[{10 + i * 1e-6:.6f},5.0]" for i in range(2_000_000))
    (root / "segments" / "alpha.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
        '{"type":"LineString","coordinates":[' + line + "]}}]}",
        encoding="utf-8",
    )
    assert os.path.getsize(root / "segments" / "alpha.geojson") > 30_000_000
    started = time.perf_counter()
    problems = [str(p) for p in load_atlas(root).problems]
    assert time.perf_counter() - started < 5
    assert any("more than the 5.0 MB allowed for a segment file" in p for p in problems), problems


def test_info_json_in_a_closed_pipe_exits_quietly():
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run(
        f"'{sys.executable}' -m corridors info --json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip() == "[" and done.stderr == ""


def test_terminal_output_neutralises_controls_and_bidi_overrides(world, tmp_path, capsys):
    world.corridors[0]["name"] = "Alpha\u202eyawliaR\x1b[2J"
    root = world.write(tmp_path / "data")
    assert run(["info", "--data", str(root)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x1b" not in out
    assert "Alpha\\u202eyawliaR\\u001b[2J [alpha]" in out
    assert run(["info", "--json", "--data", str(root)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "Alpha\u202eyawliaR\x1b[2J"  # same data, escaped


def test_costs_load_and_reach_info_json(world, tmp_path, capsys):
    world.corridors[0].update(
        costs=[
            {"amount": 4.6, "currency": "USD", "scale": "billion", "source": "a", "date": "2025-07"},
            {"amount": 264, "currency": "AFN", "scale": "million", "source": "b", "covers": "other", "scope": "design"},
        ]
    )
    world.segment("aville-border")["properties"].update(
        costs=[{"amount": 53, "currency": "USD", "scale": "million", "source": "c"}]
    )
    root = world.write(tmp_path / "data")
    assert run(["validate", "--data", str(root)]) == 0
    capsys.readouterr()
    atlas = load_atlas(root)
    first = atlas.corridors["alpha"].costs[0]
    assert (first.amount, first.currency, first.scale, first.date, first.covers) == (
        4.6,
        "USD",
        "billion",
        "2025-07",
        "route",
    )
    assert run(["info", "--json", "--data", str(root)]) == 0
    [rec] = json.loads(capsys.readouterr().out)
    assert [(c["amount"], c["currency"], c["scope"]) for c in rec["costs"]] == [
        (4.6, "USD", ""),
        (264, "AFN", "design"),
    ]
    seg = next(s for s in rec["segments"] if s["id"] == "aville-border")
    assert seg["costs"] == [
        {
            "amount": 53,
            "currency": "USD",
            "scale": "million",
            "source": "c",
            "covers": "route",
            "scope": "",
            "date": None,
            "note": "",
        }
    ]
