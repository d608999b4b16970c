"""Speed-ups that must change no output: each faster function against the code it replaced (kept here as the
reference), on the bundled data, equal to the last bit (floats compared by their hex, reprs compared whole)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import numpy as np
import shapely
import yaml

from corridors.data import readers
from corridors.data.atlas import data_fingerprint
from corridors.data.loading import _FEATURE_RE, _feature_lines
from corridors.geo.geometry import _STEP_DEG, GEOD, _append_run, country_index, line_country_runs
from corridors.text.linking import _norms, tokens

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"


def _old_line_country_runs(line, countries):
    pts = np.asarray(shapely.segmentize(line, _STEP_DEG).coords)[:, :2]
    if len(pts) < 2:
        return []
    _, _, dist = GEOD.inv(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
    mids = (pts[:-1] + pts[1:]) / 2
    owner = np.full(len(mids), -1)
    west, south, east, north = shapely.bounds(line)
    for idx in countries.sindex.query(shapely.box(west, south, east, north)):
        polygon = countries.geometry.iloc[idx]
        shapely.prepare(polygon)
        inside = shapely.contains_xy(polygon, mids[:, 0], mids[:, 1]) & (owner < 0)
        owner[inside] = idx
    iso = countries["iso3"].to_numpy()
    runs = []
    for i, km in zip(owner, dist / 1000.0):
        if i >= 0:
            runs = _append_run(runs, iso[i], km)
    return runs


def _exact(runs) -> list:
    return [(type(code), code, type(km), float(km).hex()) for code, km in runs]


def test_country_runs_are_the_same_to_the_last_bit(real_atlas):
    countries = real_atlas.countries
    index = country_index(countries)
    lines = [s.line for s in real_atlas.segments.values()]
    # and lines that leave the region, run along a border, go to sea and come back, or stay in one country
    lines += [shapely.LineString([(60.0, 20.0), (80.0, 45.0)]), shapely.LineString([(30.0, 0.0), (31.0, 0.5)])]
    lines += [shapely.LineString([(66.0, 37.0), (66.0, 37.3)]), shapely.LineString([(55.0, 37.0), (50.0, 40.0)])]
    for line in lines:
        old = _old_line_country_runs(line, countries)
        assert _exact(line_country_runs(line, countries)) == _exact(old)
        assert _exact(line_country_runs(line, countries, index)) == _exact(old)
        assert repr(line_country_runs(line, countries, index)) == repr(old)


def test_the_lexicon_words_are_the_tokens_words(real_atlas):
    names = [c.name for c in real_atlas.corridors.values()] + [
        a for c in real_atlas.corridors.values() for a in c.aliases
    ]
    names += [n.name for n in real_atlas.nodes.values()] + [a for n in real_atlas.nodes.values() for a in n.aliases]
    names += ["Pakistan's rail", "'s", "x 's", "", "CPEC’s line", "A’s B's", "s's", "Mazar-i-Sharif s"]
    for name in names:
        assert _norms(name) == tuple(t.norm for t in tokens(name)), name


def test_feature_lines_are_counted_as_from_the_start():
    for path in [GEODATA / "nodes.geojson", *sorted((GEODATA / "segments").glob("*.geojson"))]:
        text = path.read_text(encoding="utf-8")
        assert _feature_lines(text) == [text.count("\n", 0, m.start()) + 1 for m in _FEATURE_RE.finditer(text)]
    text = '\n"type":"Feature"\n\n"type" : "Feature""type":"Feature"\n'
    assert _feature_lines(text) == [2, 4, 4] and _feature_lines("") == []


def _old_scalar(event):
    tag = event.tag
    if tag is None or tag == "!":
        tag = readers._RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    line = event.start_mark.line + 1
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    y = readers._Y
    if tag == y + "str" or tag == y + "timestamp":
        return event.value
    if tag == y + "null":
        return None
    if tag == y + "bool":
        return readers._CONSTRUCT.construct_yaml_bool(node)
    if tag == y + "int":
        return readers._CONSTRUCT.construct_yaml_int(node)
    if tag == y + "float":
        return readers._CONSTRUCT.construct_yaml_float(node)
    raise readers._Refused(line, f"uses the YAML tag {tag!r}, which data files do not allow")


def test_yaml_values_and_lines_are_read_as_before(monkeypatch):
    texts = [p.read_text(encoding="utf-8") for p in sorted(GEODATA.rglob("*.yaml"))]
    texts += ["a: 1\nb: 1.5\nc: yes\nd: ~\ne: 2020-02-30\nf: '1'\ng: !!python/name:os.system x\n", "[1, 0x1f, .inf]"]
    new = []
    for text in texts:
        problems = []
        found = readers.parse_yaml_located(text, "f", problems)
        new.append((repr(None if found is None else (found.value, found.lines)), problems))
    monkeypatch.setattr(readers, "_scalar", _old_scalar)
    old = []
    for text in texts:
        problems = []
        found = readers.parse_yaml_located(text, "f", problems)
        old.append((repr(None if found is None else (found.value, found.lines)), problems))
    assert new == old
    assert old[-2][1] and "python/name" in old[-2][1][0].what  # the refused tag is still refused


def _old_fingerprint(data_dir) -> str:
    root = Path(data_dir)
    stats = []
    for folder, dirs, files in os.walk(root, onerror=lambda exc: stats.append(("unreadable", exc.filename, 0))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError as exc:
                stats.append((path, exc.errno, 0))
                continue
            if stat.S_ISREG(info.st_mode):
                stats.append((os.path.relpath(path, root), info.st_mtime_ns, info.st_size))
    return hashlib.sha1(repr(sorted(stats, key=str)).encode()).hexdigest()


def test_the_data_fingerprint_is_the_same(monkeypatch):
    for given in (GEODATA, f"{GEODATA}/", f"{GEODATA}/./"):
        assert data_fingerprint(given) == _old_fingerprint(given)
    monkeypatch.chdir(ROOT)
    for given in ("geodata", "geodata/", "./geodata//"):
        assert data_fingerprint(given) == _old_fingerprint(given)
