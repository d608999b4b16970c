"""`python -m corridors`: validate, describe and export the corridor atlas."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from corridors.data.atlas import load_atlas
from corridors.data.export import FORMATS, export
from corridors.data.report import atlas_info, format_info
from corridors.errors import CorridorsError, Problem
from corridors.exports.write import FORMATS as EXPORT_FORMATS
from corridors.exports.write import export_files
from corridors.safe import terminal_text


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
        choices=(*FORMATS, *EXPORT_FORMATS),
        default="geojson",
        help="geojson: the segments; png: 1920x1080 image per briefing stop (or the atlas) into folder "
        "OUT; html: one self-contained file that plays the briefing (or shows the atlas)",
    )
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
    if not atlas.data_dir.is_dir():
        raise CorridorsError(atlas.problems)
    _warn(atlas.problems)
    return atlas


def cmd_info(args) -> int:
    atlas = _load(args)
    records = atlas_info(atlas)
    _print(json.dumps(records, ensure_ascii=False, indent=2) if args.json else format_info(records, atlas.updated))
    return 0


def cmd_export(args) -> int:
    if args.format in EXPORT_FORMATS:
        written = export_files(_load(args), args.format, Path(args.out), args.briefing, args.force)
        for path in written:
            _print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        return 0
    if args.briefing:
        raise CorridorsError(Problem("--briefing", "option", "applies to --format png or html only"))
    out = Path(args.out)
    if out.exists() and not args.force:
        raise CorridorsError(Problem(str(out), "file", "already exists; pass --force to replace it"))
    if out.is_dir():
        raise CorridorsError(Problem(str(out), "file", "is a folder, not a file"))
    atlas = _load(args)
    try:
        count = export(atlas, args.format, out)
    except OSError as exc:
        raise CorridorsError(Problem(str(out), "file", f"cannot be written ({exc.strerror or exc})")) from None
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
        raise CorridorsError(Problem(str(source), "file", f"cannot be read ({exc.strerror or exc})")) from None
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
    path, links_path = store_article(atlas, article, excerpts, force=args.force)
    _print(f"wrote {path} and recorded its {len(excerpts)} excerpt(s) in {links_path}")
    touched = {str(path), str(links_path)}
    after = [p for p in load_atlas(args.data).problems if p.file in touched]
    for problem in after:  # e.g. a curated excerpt of a replaced article that no longer matches its text
        _print(f"warning: {problem}", file=sys.stderr)
    return 0


def cmd_routes(args) -> int:
    from corridors.geo.routes import RouteError, find_routes, format_routes

    atlas = _load(args)
    try:
        result = find_routes(atlas, args.origin, args.destination, args.mode)
    except RouteError as exc:
        raise CorridorsError(Problem(str(atlas.data_dir), "routes", str(exc))) from None
    _print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_routes(result))
    return 0 if result["routes"] else 2


def cmd_changes(args) -> int:
    from corridors.geo.timeline import changes_report, format_changes

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
