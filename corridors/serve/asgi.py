"""The dashboard as an ASGI application: `streamlit run corridors/serve/asgi.py` (what scripts/run.sh runs).

It is app.py, served by Streamlit as usual, with two additions: an address that is no page of the app gets
a short "no such page" (HTTP 404) with a link to each page, instead of a window that stays blank
(nosuchpage.py says why; in the production layout nginx gives the same answer itself); and at start the
server opens the map page once itself, so its first visitor does not wait for the atlas and the map."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse

ROOT = Path(__file__).resolve().parents[2]
APP_SCRIPT = ROOT / "app.py"
if str(ROOT) not in sys.path:  # run as a file (streamlit run), the checkout's package is found like app.py's
    sys.path.insert(0, str(ROOT))

from corridors.serve.bundles import BundleFiles, bundle_roots  # noqa: E402
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


async def _first_visit() -> None:
    """Open the map page once, as a browser's first visit would (Streamlit's websocket protocol, protocol.py),
    so the atlas, the map's data and the default view's map are made before a visitor asks: the first visit
    after a start otherwise waited for all of them. Any failure is left for the page to report as usual."""
    from streamlit import config

    from corridors.serve.protocol import Session

    address = config.get_option("server.address") or "127.0.0.1"
    url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{config.get_option('server.port')}"
    for _ in range(100):  # the server answers once the lifespan has yielded
        await asyncio.sleep(0.1)
        try:
            async with Session(url, timeout=120) as session:
                await session.run()
            return
        except OSError:
            continue
        except Exception:  # noqa: BLE001 - a first visit that fails changes nothing for the next
            return


@contextlib.asynccontextmanager
async def _lifespan(_app):
    task = asyncio.create_task(_first_visit())
    yield
    task.cancel()


def _roots():
    from streamlit import config

    return bundle_roots(ROOT, config.get_option("server.baseUrlPath") or "")


app = st.App(
    str(APP_SCRIPT),
    middleware=[Middleware(BundleFiles, roots=_roots()), Middleware(NoSuchPage)],
    lifespan=_lifespan,
)
