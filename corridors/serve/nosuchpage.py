"""Which addresses are the app's, and the short "no such page" for any other, outside Streamlit's script.

nginx answers other addresses itself in the production layout (nginx.conf.in, the same page). Under
`streamlit run`, Streamlit sends its own page for any address; its files are then asked for relative to the
address (/routes/extra/static/js/…), come back as that page too, and the window stays blank. The ASGI entry
(`asgi.py`) answers those addresses with this page instead. tests/test_serve.py checks that `PAGES` are
the app's pages (corridors/ui/links.py: ALL)."""

from __future__ import annotations

import re
from html import escape

PAGES = (("Map", ""), ("Articles", "articles"), ("Routes", "routes"), ("Timeline", "timeline"), ("Present", "present"))
# What Streamlit's own page, its components and the app's static files are served under.
STREAMLIT_PREFIXES = frozenset({"_stcore", "static", "component", "app", "media", "auth", "oauth2callback"})
_ROOT_FILE = re.compile(r"[^/]+\.(png|ico|json|txt|webmanifest|svg)")


def is_app_path(path: str) -> bool:
    """True for a page of the app ("/", "/routes", "/present/"; "/map" too), Streamlit's own addresses and
    the files at the root; False for any other (a typo, "/routes/extra/deeper", "/../etc/passwd")."""
    parts = (path or "/").split("/")[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if not parts:
        return True
    if "" in parts:  # "//", "/routes//x"
        return False
    if parts[0] in STREAMLIT_PREFIXES:
        return True
    if len(parts) == 1:
        return parts[0] in {slug for _, slug in PAGES} | {"map"} or bool(_ROOT_FILE.fullmatch(parts[0]))
    return False


def no_such_page_html() -> str:
    items = "\n".join(f'<li><a href="/{slug}">{escape(title)}</a></li>' for title, slug in PAGES)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>No such page · Corridor atlas</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
        '<body style="font-family: sans-serif; margin: 3rem auto; max-width: 40rem; line-height: 1.5">\n'
        "<h1>No such page</h1>\n<p>This address is not a page of the corridor atlas. Its pages:</p>\n"
        f"<ul>\n{items}\n</ul>\n</body></html>\n"
    )
