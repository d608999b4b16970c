"""Vocabularies, styles and limits shared by the package, the app and the tests.

One source of truth: the validator checks data against these, the map draws with them, and the tests
import them instead of repeating literals.
"""

from __future__ import annotations

MODES = ("road", "rail")
STATUSES = ("operational", "under_construction", "planned", "proposed")
# Kinds of dated events in a corridor's or segment's history (geodata/README.md, "Events"), and the status each
# one sets; suspended/resumed/closed change whether it is open, upgrade_* are information for the timeline.
EVENT_STATUS = {
    "proposed": "proposed",
    "agreed": "planned",
    "construction_started": "under_construction",
    "opened": "operational",
}
EVENT_KINDS = (
    "proposed",
    "agreed",
    "construction_started",
    "opened",
    "suspended",
    "resumed",
    "closed",
    "upgrade_agreed",
    "upgrade_started",
    "upgrade_completed",
)
ACCURACIES = ("traced", "waypoints", "schematic")
NODE_KINDS = ("city", "station", "border_crossing", "pass", "port", "junction")
# The largest article file accepted (stored, uploaded or added), in bytes.
MAX_ARTICLE_BYTES = 1_000_000
# "article": a corridor the articles are about; "connecting": a leg that completes a way between countries.
CORRIDOR_ROLES = ("article", "connecting")

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

# Connecting legs (corridor role "connecting") are drawn quieter: muted colours, thinner, fainter.
CONNECTING_PALETTE = ("#7a7a7a", "#8a7f5c", "#5f7f8c", "#86698a", "#6f8a6a")
CONNECTING_WEIGHT_LESS, CONNECTING_OPACITY = 2, 0.7
CONNECTING_LABEL = "Connecting legs"

# The map's country filter: corridors crossing any chosen country, or the corridors chaining two together.
COUNTRY_MATCHES = {"any": "crosses any of", "connects": "connects two"}

# The Routes page: one colour per way (told apart from each other, not from the corridors).
ROUTE_PALETTE = ("#e6194b", "#4363d8", "#3cb44b", "#f58231", "#911eb4", "#00a3a3", "#f032e6", "#9a6324")

# An analyst's own layers (issue 20), in the session only: first colours offered (dark and saturated, to stand
# out over the corridor palette), and how many one session may hold (the server keeps them in memory).
OWN_LAYER_PALETTE = ("#000000", "#e6007e", "#0057e7", "#008744", "#ff6f00")
OWN_LAYERS_PER_SESSION = 10
OWN_LAYERS_MAX_VERTICES = 2_000_000  # all of a session's layers together (each file: data.userlayers.MAX_VERTICES)

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
# The folder of the loaded-atlas cache (corridors.data.cache); "off": no cache. Default: $XDG_CACHE_HOME/corridors,
# else ~/.cache/corridors.
CACHE_DIR_ENV = "CORRIDORS_CACHE_DIR"

# Basemaps: "offline" is drawn from countries.geojson and needs no network; the others are tile
# services known to xyzservices (their attribution comes from there too).
BASEMAPS = {
    "offline": "Offline (country shapes)",
    "OpenStreetMap.Mapnik": "OpenStreetMap",
    "CartoDB.Positron": "CartoDB Positron",
    "CartoDB.DarkMatter": "CartoDB Dark Matter",
    "Esri.WorldImagery": "Esri World Imagery",
}
DEFAULT_BASEMAP = "offline"
OFFLINE_LAND = "#efece4"
OFFLINE_SEA = "#c9dcea"

# Overlays beside the corridors: nodes, country borders, organisation membership.
BASE_OVERLAYS = {"nodes": "Places (cities, crossings, passes, ports)", "countries": "Country borders and names"}
DEFAULT_OVERLAYS = ("nodes", "countries")
# Names on the map (countries, places, corridors): off, or a text size; "large" is for a projector,
# read from the back of a room (22 px on a 1920x1080 screen is about 1/50 of its height).
LABEL_CHOICES = {"off": "Off", "normal": "Normal", "large": "Large (projector)"}
LABEL_SIZE_PX = {"normal": 14, "large": 22}
DEFAULT_LABELS = "normal"
# Drawn as thin dashed outlines with a faint fill, in hues kept apart from the corridor palette.
ORGANISATION_COLOURS = {"eco": "#b8860b", "sco": "#5f4bb6", "csto": "#555555"}

# What reaches the browser: lines simplified to ~500 m, countries to ~5 km; coordinates rounded.
MAP_LINE_TOLERANCE_DEG = 0.005
MAP_COUNTRY_TOLERANCE_DEG = 0.05
MAP_COORD_DECIMALS = 3  # ~100 m: finer than a line's width at the largest zoom used
MAP_COUNTRY_DECIMALS = 2  # ~1 km, for country shapes
MAP_HEIGHT_PX = 560  # fits a 1280x720 projector with the page header
MAP_OVERLAY_MARGIN_DEG = 3.0  # borders and memberships are sent for countries this near a corridor
MAP_CENTER = (36.0, 66.0)
MAP_ZOOM = 4
