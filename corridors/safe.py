"""Make text from data or users safe to place in HTML, including inside JS template literals.

folium does not escape tooltip or popup text, and it renders some of it inside JavaScript template
literals (`...`), where a backtick or `${` would end or run code. Escape everything that comes from
data with `html_text` before it reaches folium or the page.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse


def html_text(value: object) -> str:
    """HTML-escape `value` and neutralise the characters that matter inside a JS template literal."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never a javascript: link)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc or any(c in url for c in "\"'<> \n\r\t`\\"):
        return None
    # Brackets would end a Markdown link early: percent-encoded, the URL means the same.
    return url.translate({ord("("): "%28", ord(")"): "%29", ord("["): "%5B", ord("]"): "%5D"})


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def markdown_text(value: object) -> str:
    """Text for st.markdown/st.caption that renders literally: every Markdown character backslash-escaped."""
    text = "" if value is None else str(value)
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text).replace("\n", " ")
