"""Make text from data or users safe to place in HTML, including inside JS template literals.

folium does not escape tooltip or popup text, and it renders some of it inside JavaScript template
literals (`...`), where a backtick or `${` would end or run code. Escape everything that comes from
data with `html_text` before it reaches folium or the page.
"""

from __future__ import annotations

import html
import math
import re
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
        out = out[: len(head) - 1] + "\\" + out[len(head) - 1 :]
    return out


# Characters that can make a terminal show something else than the text: C0/C1 controls (but newline and
# tab), and the Unicode bidirectional overrides and isolates that reorder what follows them.
_UNSEEN = {
    c: f"\\u{c:04x}"
    for c in [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


def terminal_text(value: object) -> str:
    """Text for a terminal: controls and bidi overrides shown as visible \\uXXXX escapes (in JSON output
    that is the same escape JSON itself uses, so the data read back is unchanged)."""
    return ("" if value is None else str(value)).translate(_UNSEEN)


_LINE_BREAKING = {**_UNSEEN, **{c: f"\\u{c:04x}" for c in (0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029)}}


def one_line(value: object) -> str:
    """Text that must stay on one line (a file name in a `file: where: what` problem line, a path): like
    terminal_text, and newlines, tabs and Unicode line separators escaped too."""
    return ("" if value is None else str(value)).translate(_LINE_BREAKING)


_SOURCE_URL = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s;,)]*[^\s;,).]", re.I)


def markdown_source(value: object) -> str:
    """A source citation for st.markdown: text escaped, and each URL or domain with a path in it a link."""
    text = "" if value is None else str(value)
    out, last = [], 0
    for match in _SOURCE_URL.finditer(text):
        url = safe_url(match.group(0) if "://" in match.group(0) else "https://" + match.group(0))
        if url is None:
            continue
        out.append(markdown_text(text[last : match.start()]))
        out.append(f"[{markdown_text(match.group(0))}]({url})")
        last = match.end()
    out.append(markdown_text(text[last:]))
    return "".join(out)


# ---- Numbers read from outside (links, files, the map component) ------------------------------------------
# Checked as text before any conversion: Python refuses to turn more than 4,300 digits into an int (a
# ValueError), and float() of a megabyte of digits still costs time. No number the app reads needs more.
MAX_NUMBER_CHARS = 24


def whole_number(value: object, low: int | None = None, high: int | None = None) -> int | None:
    """`value` as an int if it is plain ASCII digits (at most MAX_NUMBER_CHARS) within low..high, else None.

    No sign, spaces inside, underscores or other scripts' digits ("٣", "²"): a link says 3 as "3"."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if not (0 < len(text) <= MAX_NUMBER_CHARS and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")


def decimal_number(value: object, low: float | None = None, high: float | None = None) -> float | None:
    """`value` as a finite float if it is a plain decimal (at most MAX_NUMBER_CHARS) within low..high, else None.

    Refuses nan, inf, hex, underscores and anything longer, before float() sees it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value) if abs(value) < 1e300 else float("inf")
    elif isinstance(value, str):
        text = value.strip()
        if not (0 < len(text) <= MAX_NUMBER_CHARS and text.isascii() and _DECIMAL.fullmatch(text)):
            return None
        number = float(text)
    else:
        return None
    if not math.isfinite(number):
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def short_repr(value: object, limit: int = 40) -> str:
    """repr() of a value read from outside, cut to about `limit` characters (a link may hold thousands)."""
    text = str(value)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"
