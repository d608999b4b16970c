"""Corridor atlas: transport corridors between South and Central Asia, their geodata and articles."""

from .atlas import Atlas, load_atlas
from .errors import CorridorsError, Problem

__all__ = ["Atlas", "CorridorsError", "Problem", "load_atlas"]
