"""Every validation rule: one broken data folder each, and the exact line `validate` must print."""

from __future__ import annotations

import pytest

from corridors.assemble import load_atlas
from corridors.cli import run


def problems_of(world, tmp_path) -> list[str]:
    root = world.write(tmp_path / "data")
    return [str(p) for p in load_atlas(root).problems]


def test_valid_world_has_no_problems(world, tmp_path):
    assert problems_of(world, tmp_path) == []


def _broken_json(w):
    w.raw["nodes.geojson"] = b'{"type": "FeatureCollection",\n "features": [,]}'


def _broken_yaml(w):
    w.raw["corridors.yaml"] = b"- id: alpha\n  name: [unclosed\n"


def _not_utf8(w):
    w.raw["organisations.yaml"] = "- id: org\n  name: Caf\u00e9\n".encode("latin-1")


def _wrong_geometry(w):
    w.node("btown")["geometry"] = {"type": "LineString", "coordinates": [[18, 5], [19, 5]]}


def _out_of_range(w):
    w.node("aville")["geometry"]["coordinates"] = [2.0, 95.0]


def _swapped(w):
    w.node("btown")["geometry"]["coordinates"] = [5.0, 18.0]


def _outside_country(w):
    w.node("aville")["geometry"]["coordinates"] = [12.0, 5.0]


def _duplicate_id(w):
    w.nodes["features"].append(w.copy().node("btown"))


def _unknown_node(w):
    w.segment("border-btown")["properties"]["to"] = "ctown"


def _unknown_status(w):
    w.segment("border-btown")["properties"]["status"] = "dreamt"


def _unknown_mode(w):
    w.segment("aville-border")["properties"]["mode"] = "canal"


def _excerpt_unknown_corridor(w):
    w.links[0]["corridors"] = ["omega"]


def _quote_mismatch(w):
    w.links[0]["quote"] = "Something else entirely, forty chars!!!"


def _unknown_segment(w):
    w.corridors[0]["segments"].append("nowhere")


def _line_off_node(w):
    w.segment("border-btown")["geometry"]["coordinates"][-1] = [17.0, 5.0]


def _bad_date(w):
    w.segment("aville-border")["properties"]["opened"] = "May 1999"


def _straight_not_schematic(w):
    w.segment("border-btown")["properties"]["accuracy"] = "traced"


def _deep(w):
    w.raw["organisations.yaml"] = b"- id: org\n  name: " + b"[" * 100_000 + b"\n"


def _impossible_date(w):
    w.raw["corridors.yaml"] = b"- id: alpha\n  name: A\n  agreed: 2020-02-30\n"


def _alternatives_not_a_list(w):
    w.corridors[0]["alternatives"] = 5


def _infinite_length(w):
    w.segment("aville-border")["properties"]["published_lengths"] = [{"km": 1e309, "source": "x"}]


def _orphan_segment(w):
    w.corridors[0]["segments"] = ["aville-border"]


def _empty_corridors(w):
    w.raw["corridors.yaml"] = b"# nothing yet\n"


def _bad_article_name(w):
    w.articles["Bad_Name"] = w.articles.pop("test-article")


def _bad_article_date(w):
    w.articles["test-article"] = w.articles["test-article"].replace("date: 2022-01-02", "date: yesterday")


CASES = {
    "malformed JSON": (_broken_json, "nodes.geojson: line 2 column 15: malformed JSON: Expecting value"),
    "malformed YAML": (
        _broken_yaml,
        "corridors.yaml: line 3 column 1: malformed YAML: did not find expected ',' or ']'",
    ),
    "not UTF-8": (_not_utf8, "organisations.yaml: line 2: is not UTF-8 text (byte 0xe9 at offset 21)"),
    "wrong geometry type": (
        _wrong_geometry,
        "nodes.geojson: feature 2 (id 'btown'): geometry is LineString, expected Point",
    ),
    "coordinates out of range": (
        _out_of_range,
        "nodes.geojson: feature 0 (id 'aville'): coordinates [2.0, 95.0] "
        "out of range: longitude must be within -180..180 and latitude "
        "within -90..90",
    ),
    "swapped lat/lon": (
        _swapped,
        "nodes.geojson: node 'btown': lies 1037 km outside its country BBB "
        "(at lon 5.0, lat 18.0); latitude and longitude look swapped",
    ),
    "outside country": (
        _outside_country,
        "nodes.geojson: node 'aville': lies 222 km outside its country AAA (at lon 12.0, lat 5.0)",
    ),
    "duplicate id": (
        _duplicate_id,
        "nodes.geojson: feature 3 (id 'btown'): duplicate node id 'btown' "
        "(first in {root}/nodes.geojson: feature 2 (id 'btown'))",
    ),
    "unknown node": (_unknown_node, "segments/alpha.geojson: segment 'border-btown': 'to' names unknown node 'ctown'"),
    "unknown status": (
        _unknown_status,
        "segments/alpha.geojson: feature 1 (id 'border-btown'): unknown status "
        "'dreamt'; expected one of: operational, under_construction, planned, "
        "proposed",
    ),
    "unknown mode": (
        _unknown_mode,
        "segments/alpha.geojson: feature 0 (id 'aville-border'): unknown mode 'canal'; expected one of: road, rail",
    ),
    "excerpt links unknown corridor": (
        _excerpt_unknown_corridor,
        "links.yaml: line 1, excerpt 0: links unknown corridor 'omega'",
    ),
    "quote mismatch": (
        _quote_mismatch,
        "links.yaml: line 1, excerpt 0: quote does not match the paragraph's text at 0..40: "
        "the text there is 'The Alpha Railway links Aville and Btown'",
    ),
    "unknown segment": (_unknown_segment, "corridors.yaml: corridor 'alpha': unknown segment 'nowhere'"),
    "line off its node": (
        _line_off_node,
        "segments/alpha.geojson: segment 'border-btown': line ends 110.9 km from its 'to' node 'btown'",
    ),
    "straight line not schematic": (
        _straight_not_schematic,
        "segments/alpha.geojson: segment 'border-btown': line "
        "runs straight from end to end but accuracy is 'traced': mark it 'schematic' or "
        "add the places it passes",
    ),
    "nesting too deep": (_deep, "organisations.yaml: line 2: nests lists or mappings more than 100 levels deep"),
    "impossible date": (
        _impossible_date,
        "corridors.yaml: line 3, corridor 'alpha': 'agreed' '2020-02-30' is not a date that exists",
    ),
    "alternatives not a list": (
        _alternatives_not_a_list,
        "corridors.yaml: line 3, corridor 'alpha': 'alternatives' must be a list, not a whole number 5",
    ),
    "infinite length": (
        _infinite_length,
        "segments/alpha.geojson: file: malformed JSON: Infinity is not a JSON number",
    ),
    "segment in no route": (
        _orphan_segment,
        "segments/alpha.geojson: segment 'border-btown': is in no corridor's "
        "segments or alternatives, so it is never drawn",
    ),
    "empty corridors file": (_empty_corridors, "corridors.yaml: file: has no corridors"),
    "article file name": (
        _bad_article_name,
        "articles/Bad_Name.md: file name: 'Bad_Name' is not an article id "
        "(lower-case letters, digits and single hyphens, then .md)",
    ),
    "article date": (
        _bad_article_date,
        "articles/test-article.md: line 5, front matter: 'date' 'yesterday' is not a "
        "date (YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    "bad date": (
        _bad_date,
        "segments/alpha.geojson: feature 0 (id 'aville-border'): 'opened' 'May 1999' is not a "
        "date (YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_rule_prints_its_line_and_validate_exits_1(world, tmp_path, capsys, name):
    breaker, expected = CASES[name]
    breaker(world)
    root = world.write(tmp_path / "data")
    expected_line = f"{root}/{expected.format(root=root)}"
    assert run(["validate", "--data", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert expected_line in out, "\n".join(out)


def test_all_problems_are_reported_at_once(world, tmp_path):
    _unknown_status(world)
    _unknown_mode(world)
    _excerpt_unknown_corridor(world)
    found = problems_of(world, tmp_path)
    assert len(found) == 3, found
    assert all(": " in line and "Traceback" not in line for line in found)


def test_missing_folder_is_one_clear_line(tmp_path, capsys):
    assert run(["validate", "--data", str(tmp_path / "nope")]) == 1
    assert capsys.readouterr().out.strip() == f"{tmp_path / 'nope'}: folder: does not exist or is not a folder"


def test_missing_file_is_named(world, tmp_path):
    root = world.write(tmp_path / "data")
    (root / "nodes.geojson").unlink()
    found = [str(p) for p in load_atlas(root).problems]
    assert f"{root}/nodes.geojson: file: is missing" in found


def test_loading_never_writes_to_the_data_folder(world, tmp_path):
    root = world.write(tmp_path / "data")
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    load_atlas(root)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_windows_line_endings_and_a_bom_are_fine(world, tmp_path):
    world.articles["test-article"] = "\ufeff" + world.articles["test-article"].replace("\n", "\r\n")
    world.raw["corridors.yaml"] = yaml_crlf(world.corridors)
    assert problems_of(world, tmp_path) == []


def yaml_crlf(data) -> bytes:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True).replace("\n", "\r\n").encode("utf-8")


def test_info_and_export_refuse_a_missing_folder(tmp_path, capsys):
    assert run(["info", "--data", str(tmp_path / "nope")]) == 1
    assert run(["export", "--out", str(tmp_path / "x.geojson"), "--data", str(tmp_path / "nope")]) == 1
    assert not (tmp_path / "x.geojson").exists()
