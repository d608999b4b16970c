"""Vocabularies, styles and limits shared by the package, the app and the tests.

One source of truth: the validator checks data against these, the map draws with them, and the tests
import them instead of repeating literals.
"""

from __future__ import annotations

MODES = ("road", "rail")
STATUSES = ("operational", "under_construction", "planned", "proposed")
ACCURACIES = ("traced", "waypoints", "schematic")
NODE_KINDS = ("city", "station", "border_crossing", "pass", "port", "junction")

STATUS_LABELS = {
    "operational": "Operational",
    "under_construction": "Under construction",
    "planned": "Planned",
    "proposed": "Proposed",
}
MODE_LABELS = {"road": "Road", "rail": "Rail"}
ACCURACY_LABELS = {
    "traced": "traced along the route",
    "waypoints": "straight between named waypoints",
    "schematic": "schematic (not to scale)",
}
NODE_KIND_LABELS = {
    "city": "City",
    "station": "Station",
    "border_crossing": "Border crossing",
    "pass": "Mountain pass",
    "port": "Port",
    "junction": "Junction",
}

# Leaflet dash patterns per status: solid when it exists, dashed/dotted while it does not.
STATUS_DASH = {
    "operational": None,
    "under_construction": "10 6",
    "planned": "6 8",
    "proposed": "2 8",
}
STATUS_WEIGHT = {"operational": 4, "under_construction": 4, "planned": 3, "proposed": 3}

# Distinguishable on light and dark basemaps (Tableau 10 / ColorBrewer Dark2 mix).
CORRIDOR_PALETTE = (
    "#d62728",  # red
    "#1f77b4",  # blue
    "#2ca02c",  # green
    "#9467bd",  # purple
    "#ff7f0e",  # orange
    "#8c564b",  # brown
    "#e377c2",  # pink
    "#17becf",  # cyan
    "#bcbd22",  # olive
    "#7f7f7f",  # grey
)

# How far (km) a node may lie outside its declared country: border posts sit on the line.
NODE_COUNTRY_SLACK_KM = 5.0
# A corridor must run at least this far (km) inside a country for it to count as crossed, so that a
# line ending at, or touching, a border does not add the neighbour.
COUNTRY_MIN_RUN_KM = 3.0

DEFAULT_DATA_DIR = "geodata"
DATA_DIR_ENV = "CORRIDORS_DATA"
