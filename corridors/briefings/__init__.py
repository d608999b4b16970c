"""Briefings: named sequences of map views (stops) with excerpts and speaker notes, read from
geodata/briefings/<id>.yaml, played by the presentation page and drafted from the map page."""
