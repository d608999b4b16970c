"""The corridor network as a graph (networkx): nodes are places, edges are segments."""

from __future__ import annotations

import networkx as nx

from corridors.data.atlas import Atlas
from corridors.data.geodesic import line_length_km


def network_graph(atlas: Atlas, modes: tuple[str, ...] = ("road", "rail")) -> nx.MultiGraph:
    """Undirected multigraph of segments of the given modes, weighted by drawn km."""
    graph = nx.MultiGraph()
    for node in atlas.nodes.values():
        graph.add_node(node.id, country=node.country, name=node.name)
    for seg in atlas.segments.values():
        if seg.mode in modes and seg.from_node in atlas.nodes and seg.to_node in atlas.nodes:
            graph.add_edge(
                seg.from_node,
                seg.to_node,
                key=seg.id,
                km=line_length_km(seg.line),
                status=seg.status,
                corridor=seg.corridor,
            )
    return graph


def shortest_route(atlas: Atlas, source: str, target: str, modes: tuple[str, ...] = ("road", "rail")) -> list[str]:
    """Node ids of the shortest path (by drawn km) between two places; [] when none exists."""
    graph = network_graph(atlas, modes)
    try:
        return nx.shortest_path(graph, source, target, weight="km")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def countries_on_path(atlas: Atlas, path: list[str]) -> list[str]:
    """The countries of a path's nodes, in order, without repeats in a row."""
    out: list[str] = []
    for node_id in path:
        code = atlas.nodes[node_id].country
        if not out or out[-1] != code:
            out.append(code)
    return out
