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


_LABEL_ALWAYS = "\\`*_[]<>|~$:{}"
_LABEL_AT_START = "#+-=>!."


def markdown_label(value: object) -> str:
    """Text for a widget label (rendered as Markdown) with as few escapes as stay safe.

    Streamlit also gives the raw label to screen readers as the widget's name, so every backslash would
    be read out ("ML\\-1 railway \\(…\\)"). Only what can start Markdown anywhere is escaped (emphasis,
    code, links, HTML, tables, strikethrough, maths, emoji and colour directives); a hyphen, plus, dot or
    hash only at the start, where it could begin a list or heading; parentheses never (they only matter
    after a "]", which is escaped).
    """
    text = ("" if value is None else str(value)).replace("\n", " ").strip()
    out = "".join("\\" + c if c in _LABEL_ALWAYS else c for c in text)
    if out and out[0] in _LABEL_AT_START:
        out = "\\" + out
    head = out.split(" ", 1)[0]  # "1. Something" or "1) Something" would start an ordered list
    if head[:-1].isdigit() and head[-1:] in ".)":
        out = out[: len(head) - 1] + "\\" + out[len(head) - 1:]
    return out
