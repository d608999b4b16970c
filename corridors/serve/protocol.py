"""A client of Streamlit's websocket protocol, as the browser speaks it (no browser needed).

The browser opens `ws(s)://HOST/PATH/_stcore/stream` (subprotocol "streamlit"), sends a `BackMsg`
with `rerun_script` (the page's query string, the widget values), and the server answers with
`ForwardMsg`s: `new_session`, the page's elements as `delta`s, then `script_finished`. Large element
messages the browser already holds are sent as a reference (`ref_hash`) when the browser lists their
hashes in `cached_message_hashes`; this client keeps such a cache as the browser does.

The messages are Streamlit's own protobufs (`streamlit.proto`), so a change of protocol breaks the
client loudly, not silently. The map is the streamlit-folium component's element: its JSON
arguments carry the base map's script and the layers (`feature_group`): a small script naming the pack
(maps/pack.py, a file fetched once, as the browser does) and what to draw from it, from which the
corridors drawn are read.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from corridors.maps.pack import lines_drawn

MAP_COMPONENT = "streamlit_folium.st_folium"
_VIEW_RE = re.compile(r"window\.atlasMap\.draw\(map_div,g,(\"[^\"]*\"),(\{.*?\})\);\}\)\(\);", re.S)
_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


class ProtocolError(Exception):
    """The server said or did something a browser would not accept."""


def stream_url(base_url: str) -> str:
    """http://host:port/path -> ws://host:port/path/_stcore/stream (https -> wss)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{base_url}: only http:// or https:// URLs")
    scheme = "wss" if parts.scheme == "https" else "ws"
    path = parts.path.rstrip("/") + "/_stcore/stream"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


@functools.lru_cache(maxsize=8)
def fetch_pack(address: str) -> dict:
    """The map's pack at an absolute address (its name is its content's hash: fetched once per process)."""
    with urllib.request.urlopen(address, timeout=60) as response:
        return json.loads(response.read())


@dataclass
class MapPayload:
    """The map component's arguments as received."""

    args: dict
    size: int  # bytes of the ForwardMsg that carried it
    base_url: str = ""  # the server's address, against which the pack's is taken

    @property
    def view(self) -> tuple[str, dict] | None:
        """The pack's address (absolute) and the view drawn from it, read from the layers' script."""
        found = _VIEW_RE.search(self.args.get("feature_group") or "")
        if not found:
            return None
        address = json.loads(found.group(1))
        return urljoin(self.base_url.rstrip("/") + "/", address.lstrip("/")), json.loads(found.group(2))

    @property
    def corridors(self) -> set[str]:
        """Corridor ids drawn in the layers (the view's lines, named from the pack)."""
        found = self.view
        if found is None:
            return set()
        address, view = found
        found_pack = fetch_pack(address)
        return {found_pack["corridors"][ci][0] for ci in lines_drawn(found_pack, view)}

    @property
    def layers_script(self) -> str:
        return self.args.get("feature_group") or ""


@dataclass
class RunResult:
    """What one script run sent: elements seen, the map (if any), bytes, and when the map arrived."""

    map: MapPayload | None = None
    map_at: float | None = None  # perf_counter() when the map's message arrived
    finished_at: float | None = None
    bytes: int = 0  # the messages' own bytes (after any decompression)
    wire: int = 0  # bytes that came over the socket for them (compressed, when the server compresses)
    messages: int = 0
    exception: str | None = None
    elements: set[str] = field(default_factory=set)  # kinds of element on the page (checkbox, html, ...)


@dataclass
class Session:
    """One browser tab's websocket session with a Streamlit app."""

    base_url: str
    query: str = ""
    timeout: float = 60.0
    deflate: bool = True  # offer permessage-deflate, as browsers do (used when the server enables it)
    checkboxes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # user key -> (widget id, value)
    _cache: dict[str, ForwardMsg] = field(default_factory=dict)
    _ws: object = None
    session_id: str = ""
    received: int = 0  # bytes read from the socket so far (what travelled, compressed or not)

    async def connect(self, cookie: str = "", resume: str = "") -> None:
        """Open the websocket; `cookie` as the browser would send it; `resume` a session id to take up
        again (what the browser does after losing the connection: the server keeps the session a while)."""
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN", resume] if resume else ["streamlit"]
        self._ws = await asyncio.wait_for(
            websockets.connect(
                stream_url(self.base_url),
                subprotocols=protocols,
                max_size=None,
                compression="deflate" if self.deflate else None,
                open_timeout=self.timeout,
                additional_headers={"Cookie": cookie} if cookie else None,
            ),
            self.timeout,
        )
        # bytes as they arrive on the socket (frames, compressed when the server compresses): counted here
        receive = self._ws.data_received

        def counted(data: bytes) -> None:
            self.received += len(data)
            receive(data)

        self._ws.data_received = counted

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self):
        await self.connect()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    def _rerun_msg(self, widgets: dict[str, bool] | None = None) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = ""
        state.cached_message_hashes.extend(self._cache)
        for widget_id, value in (widgets or {}).items():
            w = state.widget_states.widgets.add()
            w.id = widget_id
            w.bool_value = value
        return msg.SerializeToString()

    async def run(self, widgets: dict[str, bool] | None = None) -> RunResult:
        """Ask for a script run (first load, or a widget change) and read until it has finished."""
        if self._ws is None:
            raise ProtocolError("not connected")
        await self._ws.send(self._rerun_msg(widgets))
        return await self._read_run()

    async def _read_run(self) -> RunResult:
        result = RunResult()
        before = self.received
        deadline = time.perf_counter() + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:.0f} s")
            data = await asyncio.wait_for(self._ws.recv(), left)
            if isinstance(data, str):
                raise ProtocolError("text frame from the server (Streamlit sends binary protobufs)")
            result.bytes += len(data)
            result.messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                cached = self._cache.get(msg.ref_hash)
                if cached is None:
                    raise ProtocolError(f"reference to a message this client never received: {msg.ref_hash}")
                msg, kind = cached, cached.WhichOneof("type")
            elif msg.metadata.cacheable and msg.hash:
                self._cache[msg.hash] = msg
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta":
                self._on_delta(msg, len(data), result)
            elif kind == "script_finished":
                if msg.script_finished != _EARLY:
                    result.finished_at = time.perf_counter()
                    result.wire = self.received - before
                    return result
            elif kind == "page_not_found":
                raise ProtocolError("page not found")

    def _on_delta(self, msg: ForwardMsg, size: int, result: RunResult) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        result.elements.add(kind)
        if kind == "component_instance" and element.component_instance.component_name == MAP_COMPONENT:
            result.map = MapPayload(json.loads(element.component_instance.json_args), size, self.base_url)
            result.map_at = time.perf_counter()
        elif kind == "checkbox":
            box = element.checkbox
            user_key = box.id.split("-", 2)[2] if box.id.startswith("$$ID-") else box.id
            if box.set_value:  # the server sets it (session state); else the browser keeps what it has
                self.checkboxes[user_key] = (box.id, box.value)
            elif user_key not in self.checkboxes:
                self.checkboxes[user_key] = (box.id, box.default)
        elif kind == "exception":
            result.exception = element.exception.message or element.exception.type

    async def toggle(self, user_key: str) -> RunResult:
        """Flip one checkbox (by its widget key), as a click does: one rerun with the new value."""
        if user_key not in self.checkboxes:
            raise ProtocolError(f"no checkbox with key {user_key!r} on the page")
        widget_id, value = self.checkboxes[user_key]
        self.checkboxes[user_key] = (widget_id, not value)
        return await self.run({widget_id: not value})
