"""The dashboard as an ASGI application: `streamlit run corridors/serve/asgi.py` (what scripts/run.sh runs).

It is app.py, served by Streamlit as usual, with one addition in front: an address that is no page of the
app gets a short "no such page" (HTTP 404) with a link to each page, instead of a window that stays
blank (nosuchpage.py says why). In the production layout nginx gives the same answer itself."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse

ROOT = Path(__file__).resolve().parents[2]
APP_SCRIPT = ROOT / "app.py"
if str(ROOT) not in sys.path:  # run as a file (streamlit run), the checkout's package is found like app.py's
    sys.path.insert(0, str(ROOT))

from corridors.serve.nosuchpage import is_app_path, no_such_page_html  # noqa: E402


class NoSuchPage:
    """ASGI middleware: plain HTTP requests for other addresses get the "no such page" answer."""

    def __init__(self, app):
        self.app = app
        self.page = no_such_page_html()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not is_app_path(scope.get("path", "/")):
            response = HTMLResponse(self.page, status_code=404, headers={"Cache-Control": "no-cache"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


app = st.App(str(APP_SCRIPT), middleware=[Middleware(NoSuchPage)])
