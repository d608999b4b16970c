"""The time model's interfaces: `info` (text and JSON), `changes`, the GeoJSON export and `routes --asof`."""

from __future__ import annotations

import json
import os
import re

import pytest

from corridors.cli import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEODATA = os.path.join(ROOT, "geodata")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _json(capsys, *argv) -> object:
    assert run(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_info_json_gives_every_status_its_date_source_and_history(capsys):
    records = _json(capsys, "info", "--json", "--data", GEODATA)
    assert records
    for corridor in records:
        for record in [corridor, *corridor["segments"], *(s for a in corridor["alternatives"] for s in a["segments"])]:
            assert DATE.match(record["as_of"]), record["id"]
            assert record["status_source"].strip(), record["id"]
            assert isinstance(record["events"], list)
            for event in record["events"]:
                assert {"date", "kind", "source"} <= set(event) <= {"date", "kind", "source", "note", "announced"}
                assert DATE.match(event["date"]) and event["source"]
        assert corridor["data_updated"] == "2026-12-01"
    kti = next(r for r in records if r["id"] == "kti")
    assert {
        "date": "2014-12-03",
        "kind": "opened",
        "source": "tass.com/world/764933 (inaugurated at Ak-Yayla 3 Dec 2014)",
    } in kti["events"]
    kkh = next(r for r in records if r["id"] == "kkh")
    pass_segment = next(s for s in kkh["segments"] if s["id"] == "kkh-sost-khunjerab")
    assert [(c["from"], c["to"]) for c in pass_segment["closures"]] == [("12-01", "04-01")]


def test_info_text_gives_the_data_date_and_as_of_beside_statuses(world, tmp_path, capsys):
    root = world.write(tmp_path / "data")
    assert run(["info", "--data", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Data as of 2026-12-01"
    assert "Alpha Railway [alpha] — rail, operational as of 2022-01" in out
    assert "  status source: test" in out
    assert "  history: 1999-05 opened" in out
    assert any(line.strip().startswith("Aville – Border Post:") and "operational as of 2022-01" in line for line in out)


def test_info_text_shows_a_seasonal_closure(capsys):
    assert run(["info", "--data", GEODATA]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Data as of 2026-12-01\n")
    assert (
        "closed every year from 1 Dec, open again from 1 Apr, until 2024-12-02 (open all year since) "
        "(sayyahat.com 2019/04/01" in out
    )


def _history_world(world):
    props = world.segment("border-btown")["properties"]
    props["events"] = [
        {"date": "2020", "kind": "agreed", "source": "treaty"},
        {"date": "2024-02-21", "kind": "construction_started", "source": "ministry", "note": "ground broken"},
        {"date": "2028", "kind": "opened", "source": "minister", "announced": True},
    ]
    props["status"] = "under_construction"
    return world


def test_changes_text_lists_the_events_by_corridor(world, tmp_path, capsys):
    root = _history_world(world).write(tmp_path / "data")
    assert run(["changes", "--since", "2024-01", "--data", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Changes from 2024-01-01 to 2026-12-01 (data as of 2026-12-01): 1 event on 1 corridor; "
        "887 km drawn changed status"
    )
    assert "Alpha Railway [alpha]" in out
    assert "  2024-02-21  construction started — Border Post – Btown [border-btown]" in out
    assert "              ground broken" in out and "              source: ministry" in out
    assert "status changed: border-btown planned → under construction" in out
    assert "2028" not in out  # announced, not happened


def test_changes_json(world, tmp_path, capsys):
    root = _history_world(world).write(tmp_path / "data")
    report = _json(capsys, "changes", "--since", "2019", "--until", "2024-06", "--json", "--data", str(root))
    assert (report["from_day"], report["to_day"], report["data_updated"]) == ("2019-01-01", "2024-06-30", "2026-12-01")
    (group,) = report["corridors"]
    assert group["id"] == "alpha" and group["name"] == "Alpha Railway"
    assert group["events"] == [
        {
            "date": "2020",
            "kind": "agreed",
            "source": "treaty",
            "corridor_id": "alpha",
            "corridor_name": "Alpha Railway",
            "segment_id": "border-btown",
            "segment_name": "Border Post – Btown",
        },
        {
            "date": "2024-02-21",
            "kind": "construction_started",
            "source": "ministry",
            "corridor_id": "alpha",
            "corridor_name": "Alpha Railway",
            "segment_id": "border-btown",
            "segment_name": "Border Post – Btown",
            "note": "ground broken",
        },
    ]
    assert group["status_changes"][0]["before"] is None and group["status_changes"][0]["after"] == "under_construction"
    later = _json(capsys, "changes", "--since", "2025", "--until", "2030", "--announced", "--json", "--data", str(root))
    assert [e["announced"] for e in later["corridors"][0]["events"]] == [True]


def test_changes_of_a_corridor_as_a_whole_have_no_segment(world, tmp_path, capsys):
    root = world.write(tmp_path / "data")
    report = _json(capsys, "changes", "--since", "1999-05", "--until", "1999-05", "--json", "--data", str(root))
    ids = [(e["corridor_id"], e["segment_id"]) for e in report["corridors"][0]["events"]]
    assert ids == [("alpha", None), ("alpha", "aville-border")]


@pytest.mark.parametrize(
    "argv, line",
    [
        (["--since", "2024-13"], "--since: '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (["--since", "last week"], "--since: 'last week' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (["--since", "2024", "--until", "2023-02-30"], "--until: '2023-02-30' is not a date that exists"),
        (["--since", "2024", "--until", "2023"], "--since/--until: the span is empty: 2023-12-31 is before 2024-01-01"),
    ],
)
def test_changes_refuses_a_bad_date_in_one_line(world, tmp_path, capsys, argv, line):
    root = world.write(tmp_path / "data")
    assert run(["changes", *argv, "--data", str(root)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line] and captured.out == ""


def test_changes_since_2024_on_the_shipped_data(capsys):
    report = _json(capsys, "changes", "--since", "2024-01", "--json", "--data", GEODATA)
    assert report["to_day"] == "2026-12-01"
    for group in report["corridors"]:
        for event in group["events"]:
            assert event["date"] >= "2024" and event["corridor_id"] == group["id"] and event["source"]


def test_the_geojson_export_gives_each_segment_its_dates(world, tmp_path, capsys):
    root = world.write(tmp_path / "data")
    out = tmp_path / "out.geojson"
    assert run(["export", "--format", "geojson", "--out", str(out), "--data", str(root)]) == 0
    data = json.loads(out.read_text())
    assert data["data_updated"] == "2026-12-01"
    props = {f["properties"]["segment_id"]: f["properties"] for f in data["features"]}
    assert props["aville-border"]["as_of"] == "2022-01" and props["aville-border"]["status_source"] == "test"
    assert props["aville-border"]["events"] == [
        {"date": "1995", "kind": "agreed", "source": "test"},
        {"date": "1999-05", "kind": "opened", "source": "book"},
    ]
    assert props["border-btown"]["closures"] == []


def _closure_world(world):
    """Aville–Border closes every winter; Border–Btown is agreed in 2020 and opens in 2024."""
    world.segment("aville-border")["properties"]["closures"] = [
        {"from": "12-01", "to": "04-01", "source": "pass agreement"}
    ]
    props = world.segment("border-btown")["properties"]
    props["events"] = [
        {"date": "2020", "kind": "agreed", "source": "treaty"},
        {"date": "2024-05-01", "kind": "opened", "source": "ministry"},
        {"date": "2025-08", "kind": "suspended", "source": "floods"},
        {"date": "2027", "kind": "resumed", "source": "minister", "announced": True},
    ]
    props["status"] = "operational"
    return world


def test_routes_as_of_a_date(world, tmp_path, capsys):
    root = _closure_world(world).write(tmp_path / "data")
    assert run(["routes", "AAA", "BBB", "--asof", "2019", "--json", "--data", str(root)]) == 2  # no way: exit 2
    before = json.loads(capsys.readouterr().out)
    assert before["as_of"] == "2019-12-31" and before["routes"] == []
    assert before["message"].endswith("on the corridors in the data as of 2019-12-31")
    planned = _json(capsys, "routes", "AAA", "BBB", "--asof", "2021-07", "--json", "--data", str(root))
    (way,) = planned["routes"]
    assert way["as_of"] == "2021-07-31" and way["open"] is True and way["closures"] == []
    assert way["km_by_status"]["planned"] > 800 and [m["segment"] for m in way["missing_links"]] == ["border-btown"]
    winter = _json(capsys, "routes", "AAA", "BBB", "--asof", "2025-01", "--json", "--data", str(root))
    (way,) = winter["routes"]
    assert way["open"] is False and way["missing_links"] == [] and way["suspended"] == []
    assert way["closures"] == [
        {
            "segment": "aville-border",
            "from_name": "Aville",
            "to_name": "Border Post",
            "from": "12-01",
            "to": "04-01",
            "source": "pass agreement",
            "note": "",
            "until": None,
        }
    ]
    summer = _json(capsys, "routes", "AAA", "BBB", "--asof", "2025-06-30", "--json", "--data", str(root))
    assert summer["routes"][0]["open"] is True
    flooded = _json(capsys, "routes", "AAA", "BBB", "--asof", "2025-09", "--json", "--data", str(root))
    assert flooded["routes"][0]["open"] is False and flooded["routes"][0]["suspended"] == ["border-btown"]
    hoped = _json(capsys, "routes", "AAA", "BBB", "--asof", "2028-06", "--announced", "--json", "--data", str(root))
    assert hoped["announced"] is True and hoped["routes"][0]["open"] is True


def test_routes_without_asof_are_as_before(world, tmp_path, capsys):
    root = _closure_world(world).write(tmp_path / "data")
    result = _json(capsys, "routes", "AAA", "BBB", "--json", "--data", str(root))
    assert result["as_of"] is None and result["routes"][0]["open"] is None


def test_routes_as_of_text(world, tmp_path, capsys):
    root = _closure_world(world).write(tmp_path / "data")
    assert run(["routes", "AAA", "BBB", "--asof", "2025-01", "--data", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Ways from Aland to Bland by road or rail as of 2025-01-31: 1"
    assert "  on 2025-01-31: closed:" in out
    assert "    Aville – Border Post: closed every year from 1 Dec, open again from 1 Apr (pass agreement)" in out


def test_routes_refuse_a_bad_date_in_one_line(world, tmp_path, capsys):
    root = world.write(tmp_path / "data")
    assert run(["routes", "AAA", "BBB", "--asof", "2025-02-30", "--data", str(root)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["--asof: '2025-02-30' is not a date that exists"] and captured.out == ""


def test_pakistan_to_kazakhstan_in_2014_and_in_a_winter(capsys):
    in_2014 = _json(capsys, "routes", "PAK", "KAZ", "--asof", "2014", "--json", "--data", GEODATA)
    labels = [w["label"] for w in in_2014["routes"]]
    assert "via Afghanistan, Uzbekistan" not in labels  # the Trans-Afghan railway was agreed in 2021
    assert "via Iran, Turkmenistan" in labels  # KTI opened on 3 Dec 2014
    winter = _json(capsys, "routes", "PAK", "KAZ", "--asof", "2024-01", "--json", "--data", GEODATA)
    by_label = {w["label"]: w for w in winter["routes"]}
    assert by_label["via China, Kyrgyzstan"]["open"] is False  # the Khunjerab crossing closed for the winter
    assert {c["segment"] for c in by_label["via China, Kyrgyzstan"]["closures"]} == {
        "kkh-sost-khunjerab",
        "kkh-khunjerab-tashkurgan",
    }
    assert by_label["via Iran, Turkmenistan"]["open"] is True
    # open all year since 2 December 2024 (dawn.com/news/1876341): the winter of 2026 closes nothing there
    winter = _json(capsys, "routes", "PAK", "KAZ", "--asof", "2026-01", "--json", "--data", GEODATA)
    by_label = {w["label"]: w for w in winter["routes"]}
    assert by_label["via China, Kyrgyzstan"]["open"] is True and by_label["via China, Kyrgyzstan"]["closures"] == []
