"""The map page's date control: a slider over the network's months (from the first recorded event to the last
announced date) and a play button that steps through the years. Thin: the months, steps and labels are
corridors/maps/timebar.py's; the map reads the date from the view (ViewState.asof, the URL's `asof`).

Playing is a fragment that reruns itself every PLAY_INTERVAL_S seconds while it plays; each step asks for a
rerun of the page with the next year, and it stops by itself at the last month (or on Stop).
"""

from __future__ import annotations

import streamlit as st

from corridors.maps import timebar
from corridors.maps.viewstate import ViewState

KEY = "asof_month"  # the slider
_ASOF = "_asof"  # the view's date as given (a link's exact day stays until the slider moves)
_NEXT = "_asof_next"  # the month a play step asks for, applied before the slider is drawn
_PLAYING = "_asof_playing"
_TOGGLED = "_asof_toggled"
_FULL_RUN = "_asof_full_run"


def widget_values(atlas, state: ViewState) -> dict:
    """The control's values for a view (when a link is followed, or the map page is shown again)."""
    return {KEY: timebar.slider_month(atlas, state.asof), _ASOF: state.asof}


def current(atlas) -> str | None:
    """The view's date (None: today); a pending play step is applied first."""
    pending = st.session_state.pop(_NEXT, None)
    if pending is not None:
        st.session_state[KEY] = pending
        st.session_state[_ASOF] = timebar.asof_from_month(atlas, pending)
    if KEY in st.session_state and st.session_state[KEY] not in timebar.month_options(atlas):
        st.session_state[KEY] = timebar.slider_month(atlas, st.session_state.get(_ASOF))
    return st.session_state.get(_ASOF)


def _moved(atlas) -> None:
    st.session_state[_ASOF] = timebar.asof_from_month(atlas, st.session_state[KEY])


def _toggle(atlas) -> None:
    playing = not st.session_state.get(_PLAYING, False)
    st.session_state[_PLAYING] = playing
    st.session_state[_TOGGLED] = True
    if playing:
        options = timebar.month_options(atlas)
        start = timebar.play_start(options, st.session_state.get(KEY, options[-1]))
        if start != st.session_state.get(KEY):
            st.session_state[_NEXT] = start


def _month_label(atlas, month: str) -> str:
    if month == timebar.today_month(atlas):
        return f"today ({month})"
    return month


def render(atlas) -> None:
    """The slider and the play button, above the map."""
    options = timebar.month_options(atlas)
    # Set on every run, not only the first: a value set from the session marks the element (set_value), so a
    # run without it would send all 2,000 months again instead of a reference to the element the browser has.
    st.session_state[KEY] = st.session_state.get(KEY) or timebar.slider_month(atlas, st.session_state.get(_ASOF))
    slider, button = st.columns([4, 1], vertical_alignment="bottom")
    slider.select_slider(
        "Network as of",
        options,
        key=KEY,
        format_func=lambda m: _month_label(atlas, m),
        on_change=_moved,
        args=(atlas,),
        help="Slide through the network's history month by month (arrow keys step a month): lines not built "
        "yet are hidden, statuses and line styles are those of that date. Right of today: announced dates "
        "taken as if they hold. Play steps through the years.",
    )
    st.session_state[_FULL_RUN] = True
    with button:
        _player(atlas)
    asof = st.session_state.get(_ASOF)
    if timebar.is_future(atlas, asof):
        st.caption(
            f"{asof} is after the data's date ({timebar.today_month(atlas)}): the map shows what announced dates "
            "say, not what has happened."
        )


def _player(atlas) -> None:
    playing = st.session_state.get(_PLAYING, False)

    @st.fragment(run_every=timebar.PLAY_INTERVAL_S if playing else None)
    def player() -> None:
        full_run = st.session_state.pop(_FULL_RUN, False)
        if st.session_state.pop(_TOGGLED, False):
            st.rerun()  # the page again, with the fragment playing or not
        if st.session_state.get(_PLAYING) and not full_run:  # a tick
            step = timebar.play_next(timebar.month_options(atlas), st.session_state.get(KEY, ""))
            if step is None:
                st.session_state[_PLAYING] = False
            else:
                st.session_state[_NEXT] = step
            st.rerun()
        st.button(
            "Stop" if st.session_state.get(_PLAYING) else "Play",
            key="asof_play",
            icon=":material/stop:" if st.session_state.get(_PLAYING) else ":material/play_arrow:",
            on_click=_toggle,
            args=(atlas,),
            help="Step through the years, one a second and a half; stops at the last month.",
            width="stretch",
        )

    player()
