"""Read geodata/briefings/<id>.yaml into Briefings, checking every reference against the atlas.

Strict: an unknown key, an unknown corridor, place or excerpt, an empty list of stops, a view that is
not a box on the globe, or a highlight that is not shown is a Problem (`file: where: what`); a briefing
with problems is still loaded with what is valid (bad references dropped), so the app can play it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from corridors.briefings.model import Briefing, ExcerptRef, Stop, View
from corridors.data.files import path_kind
from corridors.data.loading import MAX_YAML_BYTES
from corridors.data.readers import Located, read_yaml_located
from corridors.data.schema import MAX_ZOOM, MIN_ZOOM, BriefingIn, StopIn, check, with_line  # noqa: F401
from corridors.errors import Problem, os_problem
from corridors.safe import whole_number

SUBDIR = "briefings"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _view(v) -> View:
    if v.bounds is not None:
        (south, west), (north, east) = v.bounds
        return View(bounds=((south, west), (north, east)))
    return View(center=(v.center[0], v.center[1]), zoom=v.zoom)


def parse_excerpt_ref(value: Any) -> ExcerptRef | None:
    """'EXCERPT-ID' or 'ARTICLE/PARAGRAPH' (paragraph numbered from 0); None when it is neither."""
    if not isinstance(value, str):
        return None
    article, slash, paragraph = value.partition("/")
    if slash:
        number = whole_number(paragraph) if ID_RE.match(article) else None
        return None if number is None else ExcerptRef(article=article, paragraph=number)
    return ExcerptRef(id=value) if ID_RE.match(value) else None


def check_excerpt_ref(atlas, ref: ExcerptRef) -> str | None:
    """Why `ref` names no excerpt of the atlas, or None when it does."""
    if ref.id is not None:
        if ref.id in atlas.named_excerpts:
            return None
        if ref.id in atlas.declared_excerpts or not atlas.links_readable:  # dropped there for a problem
            return f"excerpt {ref.id!r} has a problem in links.yaml (see there)"
        return f"unknown excerpt {ref.id!r}: no excerpt in links.yaml has this id"
    article = atlas.articles.get(ref.article)
    if article is None:
        return f"unknown article {ref.article!r} in excerpt {str(ref)!r}"
    if ref.paragraph >= len(article.paragraphs):
        return (
            f"article {ref.article!r} has no paragraph {ref.paragraph} (it has {len(article.paragraphs)}, "
            "numbered from 0)"
        )
    return None


def read_stop(atlas, item: Any, index: int, label: str, problems: list[Problem], line_of=None) -> Stop | None:
    """One stop: its shape by the schema (StopIn), then every id it names checked against the atlas; a bad
    reference is reported and dropped, the rest of the stop kept."""
    where = f"stop {index + 1}"
    s = check(StopIn, item, label, where, problems, line_of=line_of)
    if s is None:
        return None

    def problem(what: str, *loc) -> None:
        problems.append(Problem(label, with_line(where, line_of(loc) if line_of else None), what))

    corridors = tuple(s.corridors) if s.corridors is not None else tuple(atlas.corridors)
    for cid in corridors:
        if cid not in atlas.corridors and atlas.corridors_readable:
            hint = ""
            if cid in atlas.all_corridor_ids:
                hint = f" (it is an alignment of {atlas.corridor_of(cid).id!r}: name that corridor)"
            problem(f"unknown corridor {cid!r}{hint}", "corridors")
    corridors = tuple(c for c in corridors if c in atlas.corridors)
    for cid in s.highlight:
        if cid not in atlas.corridors:
            problem(f"highlight: unknown corridor {cid!r}", "highlight")
        elif cid not in corridors:
            problem(f"highlight: corridor {cid!r} is not among the corridors shown", "highlight")
    highlight = tuple(c for c in s.highlight if c in corridors)
    for node_id in s.places:
        if node_id not in atlas.declared_nodes and atlas.nodes_readable:
            problem(f"unknown place {node_id!r}: no node in nodes.geojson has this id", "places")
    places = tuple(p for p in s.places if p in atlas.nodes)
    refs = []
    for i, value in enumerate(s.excerpts):
        ref = parse_excerpt_ref(value)
        if ref is None:
            problem(
                f"excerpts item {i}: {value!r} is neither an excerpt id nor ARTICLE/PARAGRAPH (e.g. my-article/2)",
                "excerpts",
                i,
            )
            continue
        why = check_excerpt_ref(atlas, ref)
        if why:
            problem(f"excerpts item {i}: {why}", "excerpts", i)
        else:
            refs.append(ref)
    return Stop(
        title=s.title.strip(),
        corridors=corridors,
        highlight=highlight,
        view=_view(s.view),
        excerpts=tuple(refs),
        places=places,
        notes=s.notes.strip(),
        asof=s.asof,
    )


def briefing_from_data(
    data: Any, briefing_id: str, label: str, atlas, problems: list[Problem], located: Located | None = None
) -> Briefing | None:
    """A briefing from parsed YAML (a file's, or a draft's): shape by the schema, references by the atlas."""
    line_of = (lambda loc: located.line(loc)) if located else None
    b = check(BriefingIn, data, label, "briefing", problems, line_of=line_of)
    if b is None:
        return None
    stops = tuple(
        stop
        for stop in (
            read_stop(
                atlas,
                item,
                i,
                label,
                problems,
                (lambda loc, i=i: located.line(("stops", i, *loc))) if located else None,
            )
            for i, item in enumerate(b.stops)
        )
        if stop is not None
    )
    if not stops:
        return None
    return Briefing(id=briefing_id, title=b.title.strip(), description=b.description.strip(), stops=stops, date=b.date)


def read_briefing(path: Path, briefing_id: str, label: str, atlas, problems: list[Problem]) -> Briefing | None:
    located = read_yaml_located(path, label, problems, MAX_YAML_BYTES)
    if located is None:
        return None
    if not isinstance(located.value, dict):
        problems.append(
            Problem(
                label,
                "file",
                "must be a mapping with title, description and stops"
                + ("" if located.value is None else f", not {type(located.value).__name__}"),
            )
        )
        return None
    return briefing_from_data(located.value, briefing_id, label, atlas, problems, located)


def load_briefings(data_dir: Path, atlas) -> tuple[dict[str, Briefing], list[Problem]]:
    """Every briefing in data_dir/briefings/, by id (file name order), and the problems found in them."""
    briefings: dict[str, Briefing] = {}
    problems: list[Problem] = []
    folder = Path(data_dir) / SUBDIR
    kind, error = path_kind(folder)
    if error is None and kind != "folder":
        return briefings, problems
    try:
        if error is not None:
            raise error
        paths = sorted(folder.iterdir())
    except OSError as exc:
        return briefings, [os_problem(atlas.label(SUBDIR) + "/", "cannot be read", exc, "folder")]
    for path in paths:
        label = atlas.label(f"{SUBDIR}/{path.name}")
        if path.name.startswith("."):
            continue
        kind, error = path_kind(path)
        if error is not None:
            problems.append(os_problem(label, "cannot be read", error))
            continue
        if kind != "file":
            continue
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(label, "file name", "is not a briefing: name briefings <id>.yaml"))
            continue
        if not ID_RE.match(path.stem):
            problems.append(
                Problem(
                    label,
                    "file name",
                    f"{path.stem!r} is not a briefing id (lower-case letters, digits and single hyphens, then .yaml)",
                )
            )
            continue
        if path.stem in briefings:
            problems.append(Problem(label, "file name", f"briefing {path.stem!r} is also in another file"))
            continue
        briefing = read_briefing(path, path.stem, label, atlas, problems)
        if briefing is not None:
            briefings[briefing.id] = briefing
    return briefings, problems
