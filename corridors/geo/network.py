"""Paths through the corridor network (the graph itself is built by `geo.routes`)."""

from __future__ import annotations

from corridors.data.atlas import Atlas


def countries_on_path(atlas: Atlas, path: list[str]) -> list[str]:
    """The countries of a path's nodes, in order, without repeats in a row."""
    out: list[str] = []
    for node_id in path:
        code = atlas.nodes[node_id].country
        if not out or out[-1] != code:
            out.append(code)
    return out
