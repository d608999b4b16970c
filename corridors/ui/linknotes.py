"""What a followed link held that its page did not understand: told to the reader once, on any page.

A page reads its link when it is opened or a link is followed, and gets notes on what it ignored. The
notes are kept here, with what the page showed for the link (`shown`: the view, the question, the stop,
without the map's pan and zoom), and said on every rerun while the page still shows that: the rerun that
records the map's first view does not clear them. Once the reader changes what is shown, they are gone.
"""

from __future__ import annotations

import streamlit as st

from corridors.safe import markdown_text, one_line

_KEY = "_link_notes"  # page -> (what the page showed for the link, the notes)
MAX_NOTE_CHARS = 300  # a link can hold 5,000 characters in one parameter; the note quotes at most this
HEADING = "Parts of this link were not understood and were left out:"


def message(notes: list[str]) -> str:
    """The notes as one Markdown text: a heading, then one escaped line each (long ones shortened)."""
    lines = []
    for note in notes:
        text = one_line(note)
        lines.append("- " + markdown_text(text if len(text) <= MAX_NOTE_CHARS else text[: MAX_NOTE_CHARS - 1] + "…"))
    return HEADING + "\n" + "\n".join(lines)


def show(page: str, notes: list[str], shown: object) -> None:
    """Say `notes` (new ones, from a link just read; else []) or those kept for `page` while it shows the same."""
    kept = st.session_state.setdefault(_KEY, {})
    if notes:
        kept[page] = (shown, list(notes))
    elif page in kept and kept[page][0] != shown:
        del kept[page]  # the reader has moved on: said once is enough
    if page in kept:
        st.warning(message(kept[page][1]), icon=":material/link_off:")
