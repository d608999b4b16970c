"""Corridor atlas: transport corridors between South and Central Asia, their geodata and articles."""

from corridors.assemble import load_atlas
from corridors.data.atlas import Atlas
from corridors.errors import CorridorsError, Problem

__all__ = ["Atlas", "CorridorsError", "Problem", "load_atlas"]
