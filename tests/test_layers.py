"""The package's layers, checked on every module's imports (parsed with `ast`, function-level ones too).

Layers, bottom up; a module may import its own layer (its own package) and any layer below, never a layer
beside or above it:

    foundation   corridors.errors, settings, safe, timing
    data         corridors/data/       read and check the files; the model (Atlas, frozen records)
    geo, text    corridors/geo/, text/ measures and ways on the network; articles and linking
    briefings    corridors/briefings/  the briefings' model and files
    assemble,    corridors/assemble.py (load_atlas: the linked atlas),
    summaries    corridors/summaries.py (corridor summaries for the views)
    maps         corridors/maps/       folium maps, pure (no Streamlit)
    exports      corridors/exports/    PNG, HTML and GeoJSON files
    ui, serve    corridors/ui/ (the Streamlit views), corridors/serve/ (serving and the load test)
    commands     corridors/cli.py, bench.py, __main__.py, corridors/__init__.py

Streamlit: domain code never imports Streamlit (nor streamlit-folium). Allowed: corridors/ui/ (the views);
corridors/bench.py (it drives the whole app through Streamlit's AppTest to time a rerun); and in
corridors/serve/ only Streamlit's protobuf messages (`streamlit.proto`), which the load test's client needs
to speak the app's websocket protocol (serve/protocol.py) — it never runs Streamlit code in-process.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "corridors"

TIERS = [
    {"foundation"},
    {"data"},
    {"geo", "text"},
    {"briefings"},
    {"assemble", "summaries"},
    {"maps"},
    {"exports"},
    {"ui", "serve"},
    {"commands"},
]
RANK = {layer: i for i, tier in enumerate(TIERS) for layer in tier}
FOUNDATION = {"errors", "settings", "safe", "timing"}
COMMANDS = {"cli", "bench", "__main__", "__init__"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer of a module of the package, by its dotted name."""
    parts = module.split(".")[1:]
    if not parts:
        return "commands"  # corridors/__init__.py
    head = parts[0]
    if head in FOUNDATION:
        return "foundation"
    if head in COMMANDS:
        return "commands"
    assert head in RANK, f"{module}: no layer for {head!r}: add it to the table in tests/test_layers.py"
    return head


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in a file, at any depth, relative ones resolved."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from corridors import settings` imports the module corridors.settings, not corridors/__init__.py
            subs = [f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}")]
            out += [(node.lineno, m) for m in subs] or [(node.lineno, module)]
    return out


def test_the_table_names_every_module():
    assert {layer_of(_name(p)) for p in _modules()} == set(RANK)


def test_every_import_goes_down_the_layers():
    wrong = []
    for path in _modules():
        here = layer_of(_name(path))
        for line, module in imports(path):
            if module != "corridors" and not module.startswith("corridors."):
                continue
            there = layer_of(module)
            if there != here and RANK[there] >= RANK[here]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {module} ({there})")
    assert not wrong, "\n".join(wrong)


def test_data_imports_nothing_of_the_package_above_it():
    allowed = {"corridors.errors", "corridors.settings", "corridors.safe"}
    for path in (PACKAGE / "data").rglob("*.py"):
        for line, module in imports(path):
            if module.startswith("corridors"):
                assert module.startswith("corridors.data") or module in allowed, f"{path.name}:{line} {module}"


def _streamlit_imports(path: Path) -> list[str]:
    return [m for _, m in imports(path) if m.split(".")[0] in ("streamlit", "streamlit_folium")]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_code_never_imports_streamlit(path):
    found = _streamlit_imports(path)
    relative = path.relative_to(PACKAGE)
    if relative.parts[0] == "ui" or relative in (Path("bench.py"), Path("serve/asgi.py")):
        return  # the views; the benchmark, which times the app's rerun through AppTest; the entry point (app.py
        # as Streamlit's ASGI app)
    if relative.parts[0] == "serve":  # the load test's client speaks the app's protocol: its messages only
        found = [m for m in found if not m.startswith("streamlit.proto.")]
    assert not found, f"{relative} imports {found}"


def test_the_checks_see_function_level_and_relative_imports():
    found = dict((m, line) for line, m in imports(PACKAGE / "cli.py"))
    assert "corridors.geo.routes" in found  # imported inside cmd_routes
    assert "corridors.serve.supervisor" in found
    assert "corridors.ui.links" in {m for _, m in imports(PACKAGE / "ui" / "map_page.py")}  # from . import links
    assert "streamlit.proto.BackMsg_pb2" in _streamlit_imports(PACKAGE / "serve" / "protocol.py")
    assert "streamlit.testing.v1" in _streamlit_imports(PACKAGE / "bench.py")
