"""`python -m corridors`: validate, describe and export the corridor atlas."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corridors import settings
from corridors.assemble import load_atlas
from corridors.errors import CorridorsError, Problem, os_problem
from corridors.exports.geojson import FORMATS, export
from corridors.exports.gis import FORMATS as GIS_FORMATS
from corridors.exports.write import FORMATS as EXPORT_FORMATS
from corridors.exports.write import export_files, out_kind
from corridors.safe import one_line, terminal_text
from corridors.summaries import CorridorSummary, atlas_info

if TYPE_CHECKING:
    from corridors.geo.routes import Routes


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", help="data folder (default: $CORRIDORS_DATA, else ./geodata)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number ≥ 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m corridors", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a data folder; print one line per problem")
    _data_arg(p)

    p = sub.add_parser("info", help="list every corridor with countries and lengths")
    _data_arg(p)
    p.add_argument("--json", action="store_true", help="print a JSON list of objects (stable for scripts)")

    p = sub.add_parser("export", help="write every segment to a file; or PNG slides, or a self-contained HTML map")
    _data_arg(p)
    p.add_argument(
        "--format",
        choices=(*FORMATS, *GIS_FORMATS, *EXPORT_FORMATS),
        default="geojson",
        help="geojson: the segments; gpkg: a GeoPackage with layers segments, corridors, places, borders_crossed "
        "and events; csv: the segments to OUT and the corridors beside it (OUT-corridors.csv), UTF-8 for Excel; "
        "kml: the corridors in their colours with their facts, and the places; png: 1920x1080 image per briefing "
        "stop (or the atlas) into folder OUT; html: one self-contained file that plays the briefing (or shows "
        "the atlas)",
    )
    p.add_argument("--wkt", action="store_true", help="csv: add the geometry as a WKT column")
    p.add_argument("--briefing", metavar="ID", help="a briefing in geodata/briefings/ (png and html)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = sub.add_parser("add-article", help="check an article (.md or .txt), show its links, store it")
    _data_arg(p)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--id", help="article id (default: from its title)")
    p.add_argument("--force", action="store_true", help="replace an existing article with the same id")
    p.add_argument("--dry-run", action="store_true", help="check and show the links, write nothing")

    p = sub.add_parser("routes", help="compare the ways between two countries or places")
    _data_arg(p)
    p.add_argument("origin", metavar="FROM", help="country (name or ISO3 code) or place (name or id)")
    p.add_argument("destination", metavar="TO", help="country (name or ISO3 code) or place (name or id)")
    p.add_argument("--mode", choices=("road", "rail", "either"), default="either", help="default: either")
    p.add_argument("--json", action="store_true", help="print the ways as JSON (stable for scripts)")
    p.add_argument(
        "--asof",
        metavar="DATE",
        help="the network as it stood on DATE (YYYY, YYYY-MM or YYYY-MM-DD; a month or year means its last day)",
    )
    p.add_argument("--announced", action="store_true", help="with --asof: as if every announced date had happened")
    p.add_argument(
        "--month",
        type=int,
        choices=range(1, 13),
        metavar="1-12",
        help="say whether each way is open that month (seasonal closures)",
    )

    p = sub.add_parser("changes", help="the events between two dates, grouped by corridor, and km that changed status")
    _data_arg(p)
    p.add_argument("--since", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (from its first day)")
    p.add_argument("--until", metavar="DATE", help="to the last day of DATE (default: the data's updated date)")
    p.add_argument("--announced", action="store_true", help="include announced dates that have not happened")
    p.add_argument("--json", action="store_true", help="print JSON (stable for scripts)")

    p = sub.add_parser("bench", help="print load, build and rerun times and the map payload size")
    _data_arg(p)
    p.add_argument("--factor", type=_positive, default=100, help="size of the generated network (default 100×)")
    p.add_argument("--repeat", type=_positive, default=5, help="timed runs per figure (median; default 5)")
    _serve_parsers(sub)
    return parser


def _serve_parsers(sub) -> None:
    """`serve` and `loadtest` (corridors/serve/); their modules load only when they run."""
    p = sub.add_parser("serve", help="production layout: a Streamlit process per core behind nginx")
    p.add_argument("--port", type=_positive, default=8501, help="public port (default 8501)")
    p.add_argument("--workers", type=_positive, help="Streamlit processes (default: the number of cores)")
    p.add_argument("--run-dir", metavar="DIR", help="nginx.conf, logs, static files (default run/serve-PORT)")
    p.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default all)")
    p.add_argument("--post-script-gc", action="store_true", help="collect garbage after every script run")
    p.add_argument(
        "--no-ws-compression", action="store_true", help="send the websocket uncompressed (less CPU, 4× the bytes)"
    )
    p = sub.add_parser("loadtest", help="open many sessions at once over Streamlit's websocket; print times")
    _data_arg(p)
    p.add_argument("--url", help="the dashboard (default http://127.0.0.1:8501; only this machine unless given)")
    p.add_argument("--sessions", type=_positive, default=50, help="sessions (default 50, at most 500)")
    p.add_argument("--spread", type=float, default=0.0, metavar="S", help="open them over S seconds (default 0)")
    p.add_argument("--static", action="store_true", help="also fetch the page and static files like a first visit")
    p.add_argument("--toggle", action="store_true", help="then flip a layer in every session at once")
    p.add_argument("--toggle-key", default="overlay_nodes", help="the checkbox flipped (default overlay_nodes)")
    p.add_argument("--query", default="", help="query string of the link opened (a shared view)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds each wait may take (default 60)")


def _print(*values, file=None) -> None:
    """print(), with text from data or users made safe for a terminal (see safe.terminal_text)."""
    print(*(terminal_text(v) for v in values), file=file or sys.stdout)


def _warn(problems: list[Problem]) -> None:
    if problems:
        _print(
            f"warning: the data has {len(problems)} problem(s); `python -m corridors validate` lists them; "
            "showing what loaded",
            file=sys.stderr,
        )


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except CorridorsError as exc:
        for problem in exc.problems:
            _print(problem, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head` closed the pipe: stop quietly, as command-line tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # the last net: every path is checked where it is used, but never a traceback
        path = exc.filename if exc.filename is not None else "(a file)"
        _print(os_problem(path, "cannot be used", exc), file=sys.stderr)
        return 1


def cmd_validate(args) -> int:
    atlas = load_atlas(args.data)
    for problem in atlas.problems:
        _print(problem)
    if atlas.problems:
        return 1
    _print(
        f"ok: {len(atlas.corridors)} corridors, {len(atlas.segments)} segments, {len(atlas.nodes)} nodes, "
        f"{len(atlas.articles)} articles, {len(atlas.excerpts)} excerpts, "
        f"{len(atlas.briefings)} briefings in {atlas.data_dir}"
    )
    return 0


def _load(args):
    """The atlas for a command that reads it; a missing data folder is an error, other problems a warning."""
    atlas = load_atlas(args.data)
    if not atlas.readable:  # missing, not a folder, or not readable by this user: nothing to show
        raise CorridorsError(atlas.problems)
    _warn(atlas.problems)
    return atlas


def cmd_info(args) -> int:
    atlas = _load(args)
    records = atlas_info(atlas)
    _print(
        json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2)
        if args.json
        else format_info(records, atlas.updated)
    )
    return 0


def cmd_export(args) -> int:
    if args.format in EXPORT_FORMATS:
        written = export_files(_load(args), args.format, Path(args.out), args.briefing, args.force)
        for path in written:
            _print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        return 0
    if args.briefing:
        raise CorridorsError(Problem("--briefing", "option", "applies to --format png or html only"))
    if args.wkt and args.format != "csv":
        raise CorridorsError(Problem("--wkt", "option", "applies to --format csv only"))
    if args.format in GIS_FORMATS:
        from corridors.exports.gis import export_gis
        from corridors.maps.mapdata import MapData

        atlas = _load(args)
        for path, count in export_gis(atlas, MapData(atlas).colours, args.format, Path(args.out), args.force, args.wkt):
            _print(f"wrote {count} features to {path} ({path.stat().st_size:,} bytes)")
        return 0
    out = Path(args.out)
    kind = out_kind(out)
    if kind != "missing" and not args.force:
        raise CorridorsError(Problem(str(out), "file", "already exists; pass --force to replace it"))
    if kind == "folder":
        raise CorridorsError(Problem(str(out), "file", "is a folder, not a file"))
    atlas = _load(args)
    try:
        count = export(atlas, args.format, out)
    except OSError as exc:
        raise CorridorsError(os_problem(out, "cannot be written", exc)) from None
    _print(f"wrote {count} segments to {out}")
    return 0


def cmd_add_article(args) -> int:
    from corridors.text.intake import (
        MAX_ARTICLE_BYTES,
        describe_excerpt,
        propose_links,
        read_article,
        store_article,
    )

    source = Path(args.file)
    try:
        if not source.is_file():
            raise CorridorsError(Problem(str(source), "file", "does not exist or is not a file"))
        if source.stat().st_size > MAX_ARTICLE_BYTES:  # checked before reading it into memory
            raise CorridorsError(
                Problem(str(source), "file", f"is {source.stat().st_size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}")
            )
        data = source.read_bytes()
    except OSError as exc:
        raise CorridorsError(os_problem(source, "cannot be read", exc)) from None
    atlas = _load(args)
    article = read_article(data, str(source), args.id)
    excerpts, _ = propose_links(atlas, article)
    _print(f"article {article.id!r}: {article.title} — {len(article.paragraphs)} paragraphs")
    _print(f"proposed links ({len(excerpts)} excerpts):" if excerpts else "proposed links: none found")
    for excerpt in excerpts:
        _print("  " + describe_excerpt(atlas, article, excerpt))
    if args.dry_run:
        _print("dry run: nothing written")
        return 0
    # Checked before writing (e.g. a curated excerpt of a replaced article that no longer matches its
    # text is a warning); the write is the last step, so an interruption leaves the folder as it was.
    path, links_path = store_article(
        atlas, article, excerpts, force=args.force, warn=lambda p: _print(f"warning: {p}", file=sys.stderr)
    )
    _print(f"wrote {one_line(path)} and recorded its {len(excerpts)} excerpt(s) in {one_line(links_path)}")
    return 0


def cmd_routes(args) -> int:
    from corridors.geo.routes import RouteError, find_routes  # networkx: loaded only for this command

    atlas = _load(args)
    if args.asof is not None:
        from corridors.data.dates import as_day

        try:
            as_day(args.asof)
        except ValueError as exc:
            _print(f"--asof: {exc}", file=sys.stderr)
            return 2
    try:
        result = find_routes(
            atlas, args.origin, args.destination, args.mode, asof=args.asof, announced=args.announced, month=args.month
        )
    except RouteError as exc:
        raise CorridorsError(Problem(str(atlas.data_dir), "routes", str(exc))) from None
    _print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.json else format_routes(result))
    return 0 if result.routes else 2


def cmd_changes(args) -> int:
    from corridors.geo.timeline import changes_report

    atlas = _load(args)
    try:
        report = changes_report(atlas, args.since, args.until, args.announced)
    except ValueError as exc:
        option = "--until" if args.until is not None and _bad_date(args.until) else "--since"
        if "span is empty" in str(exc):
            option = "--since/--until"
        _print(f"{option}: {exc}", file=sys.stderr)
        return 2
    _print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_changes(report))
    return 0


def _bad_date(text: str) -> bool:
    from corridors.data.dates import is_date

    return not is_date(text.strip())


def cmd_bench(args) -> int:
    from corridors.bench import run_bench

    atlas = _load(args)
    if not atlas.corridors:
        raise CorridorsError(Problem(str(atlas.data_dir), "folder", "has no corridors to measure"))
    run_bench(atlas.data_dir.resolve(), factor=args.factor, repeat=args.repeat)
    return 0


_COMMANDS = {
    "validate": cmd_validate,
    "info": cmd_info,
    "export": cmd_export,
    "add-article": cmd_add_article,
    "routes": cmd_routes,
    "changes": cmd_changes,
    "bench": cmd_bench,
    "serve": lambda a: _serve(a),
    "loadtest": lambda a: _loadtest(a),
}


def _serve(args) -> int:
    from corridors.serve.supervisor import run

    return run(
        port=args.port,
        workers=args.workers,
        run_dir=args.run_dir,
        post_script_gc=args.post_script_gc,
        host=args.host,
        ws_compression=not args.no_ws_compression,
    )


def _loadtest(args) -> int:
    from corridors.serve.loadtest import main

    try:
        return main(args)
    except ValueError as exc:
        print(f"loadtest: {exc}", file=sys.stderr)
        return 2


# Text output: one formatter per record for what the commands print.


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def month_day_text(value: str) -> str:
    """'12-01' -> '1 Dec'."""
    return f"{int(value[3:])} {_MONTHS[int(value[:2]) - 1]}"


def closure_text(closure) -> str:
    """'closed every year from 1 Dec, open again from 1 Apr' (', until 2024-12-02: open all year since')."""
    text = f"closed every year from {month_day_text(closure.from_)}, open again from {month_day_text(closure.to)}"
    return text + (f", until {closure.until} (open all year since)" if closure.until else "")


def history_text(events) -> str:
    """'2007-10-16 agreed; 2009 construction started; 2027 opened (announced)'."""
    return "; ".join(f"{e.date} {e.kind.replace('_', ' ')}" + (" (announced)" if e.announced else "") for e in events)


def format_info(records: list[CorridorSummary], updated: str | None = None) -> str:
    """Human-readable text of `atlas_info` (what `info` prints), headed by the data's date when known."""
    out = [f"Data as of {updated}", ""] if updated else []
    for r in records:
        rng = r.published_length_range_km
        whole = (
            (f"{rng[0]:,g} km" if rng[0] == rng[1] else f"{rng[0]:,g}–{rng[1]:,g} km")
            if rng
            else "no published figure for the whole route as drawn"
        )
        parts = "; ".join(
            f"{p.km:,g} km {p.scope or p.covers} ({p.source})" for p in r.published_lengths if p.covers != "route"
        )
        role = " (connecting leg)" if r.role == "connecting" else ""
        out.append(f"{r.name} [{r.id}]{role} — {r.mode}, {r.status.replace('_', ' ')} as of {r.as_of}")
        out.append(f"  status source: {r.status_source}" + (f" ({r.status_note})" if r.status_note else ""))
        if r.events:
            out.append(f"  history: {history_text(r.events)}")
        if r.aliases:
            out.append(f"  also: {', '.join(r.aliases)}")
        out.append(f"  countries: {' → '.join(r.countries) or '?'}")
        out.append(f"  drawn length: {r.length_km:g} km")
        out.append(f"  published, whole route: {whole}")
        if parts:
            out.append(f"  published, parts and other measures: {parts}")
        km_status = ", ".join(f"{k.replace('_', ' ')} {v:,.0f} km" for k, v in r.km_by_status.items())
        out.append(f"  drawn km by status: {km_status}")
        for s in r.segments:
            gauge = f", {s.gauge}" if s.gauge else ""
            out.append(
                f"    {s.from_name} – {s.to_name}: {s.length_km:g} km, {s.mode}, "
                f"{s.status.replace('_', ' ')} as of {s.as_of}{gauge}, {s.accuracy}"
            )
            for c in s.closures:
                out.append(f"      {closure_text(c)} ({c.source})")
        for a in r.alternatives:
            out.append(f"  alternative {a.name} [{a.id}]: {a.length_km:g} km, {' → '.join(a.countries)}")
        out.append("")
    return "\n".join(out)


def _status_word(status: str | None) -> str:
    return "not yet there" if status is None else status.replace("_", " ")


def format_changes(report: dict) -> str:
    """Readable text of `changes_report`."""
    head = (
        f"Changes from {report['from_day']} to {report['to_day']}"
        + (f" (data as of {report['data_updated']})" if report["data_updated"] else "")
        + (", announced dates included" if report["announced_included"] else "")
    )
    if not report["corridors"]:
        return head + ": none recorded"
    events, groups = report["events_count"], len(report["corridors"])
    out = [
        f"{head}: {events} event{'s' * (events != 1)} on {groups} corridor{'s' * (groups != 1)}; "
        f"{report['km_changed']:,.0f} km drawn changed status",
        "",
    ]
    for group in report["corridors"]:
        out.append(f"{group['name']} [{group['id']}]")
        for e in group["events"]:
            where = f"{e['segment_name']} [{e['segment_id']}]" if e["segment_id"] else "whole corridor"
            announced = " (announced, not happened)" if e.get("announced") else ""
            out.append(f"  {e['date']:<10}  {e['kind'].replace('_', ' ')}{announced} — {where}")
            if e.get("note"):
                out.append(f"              {e['note']}")
            out.append(f"              source: {e['source']}")
        for m in group["status_changes"]:
            out.append(
                f"  status changed: {m['segment_id']} {_status_word(m['before'])} → {_status_word(m['after'])} "
                f"({m['km']:,.1f} km)"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_routes(result: Routes) -> str:
    """Human-readable text of `find_routes` (what the CLI prints)."""
    from corridors.geo.transit import transit_lines

    mode = "road or rail" if result.mode == "either" else result.mode
    when = ""
    if result.as_of:
        when = f" as of {result.as_of}" + (" (if every announced date had happened)" if result.announced else "")
    out = [f"Ways from {result.from_.label} to {result.to_.label} by {mode}{when}: {len(result.routes)}"]
    if result.message:
        out.append(result.message)
    for way in result.routes:
        out.append("")
        out.append(f"{way.id}: {' → '.join(way.country_names)} ({way.label})")
        if way.as_of:
            unbuilt = len(way.missing_links)
            out.append(
                f"  on {way.as_of}: "
                + ("open: no seasonal closure or suspension applies" if way.open else "closed:")
                + (f" ({unbuilt} link{'s' * (unbuilt != 1)} not yet built, below)" if unbuilt else "")
            )
            for c in way.closures:
                out.append(f"    {c.from_name} – {c.to_name}: {closure_text(c)} ({c.source})")
            for sid in way.suspended:
                out.append(f"    {sid}: suspended or closed on that date")
        out.append(
            f"  {way.from_name} to {way.to_name}: {way.drawn_km:,.0f} km drawn"
            + (
                f"; published {way.published_km:,.0f} km for {way.published_legs} of {way.legs_count} legs"
                f" (drawn {way.drawn_km_of_published_legs:,.0f} km for those)"
                if way.published_km
                else "; no leg has a published length"
            )
        )
        out.append(
            "  by status: "
            + ", ".join(f"{settings.STATUS_LABELS[s].lower()} {km:,.0f} km" for s, km in way.km_by_status.items() if km)
        )
        out.append("  by mode: " + ", ".join(f"{m} {km:,.0f} km" for m, km in way.km_by_mode.items() if km))
        out.append("  countries: " + " → ".join(f"{c.name} {c.km:,.0f} km" for c in way.km_by_country))
        out.append(
            f"  border crossings ({len(way.borders)}): "
            + ("; ".join(f"{b.name} ({b.from_country} → {b.to_country}, {b.mode})" for b in way.borders) or "none")
        )
        out.append(
            "  gauge breaks: "
            + (
                "; ".join(f"{g.where}: {g.from_gauge_mm:,} mm → {g.to_gauge_mm:,} mm" for g in way.gauge_breaks)
                or "none"
            )
        )
        if way.gauge_unknown:
            out.append(
                "  rail gauge not stated: " + "; ".join(f"{g.from_name} – {g.to_name}" for g in way.gauge_unknown)
            )
        if way.mode_changes:
            out.append(
                "  mode changes: " + "; ".join(f"{m.where}: {m.from_mode} → {m.to_mode}" for m in way.mode_changes)
            )
        out.append(
            "  not yet built: "
            + (
                "; ".join(
                    f"{m.from_name} – {m.to_name} ({m.status.replace('_', ' ')}, {m.km:,.0f} km)"
                    for m in way.missing_links
                )
                or "none"
            )
        )
        out.append(
            "  corridors: "
            + "; ".join(c.name + (" (connecting leg)" if c.role == "connecting" else "") for c in way.corridors)
        )
        out.append(f"  places: {' – '.join(way.place_names)}")
        if way.transit is not None:
            out += transit_lines(way.transit)
        for ex in way.excerpts:
            out.append(f"  “{ex.text}” — {ex.article_title}")
    return "\n".join(out)
