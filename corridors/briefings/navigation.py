"""Where a presentation is: the briefing and stop named by the URL (`?briefing=ID&stop=N`, N from 1)."""

from __future__ import annotations

from collections.abc import Mapping

from corridors.safe import short_repr, whole_number

Q_BRIEFING, Q_STOP = "briefing", "stop"
ACTIONS = ("first", "prev", "next", "last")


def _first(params: Mapping, key: str) -> str | None:
    raw = params.get(key)
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else None
    return None if raw is None else str(raw).strip()


def read_position(params: Mapping, briefings: Mapping) -> tuple[str | None, int, list[str]]:
    """(briefing id or None, stop index from 0, notes on what in the link was ignored)."""
    notes: list[str] = []
    bid = _first(params, Q_BRIEFING)
    if bid is not None and bid not in briefings:
        notes.append(f"link parameter '{Q_BRIEFING}': no briefing {bid!r}")
        bid = None
    if bid is None:
        return None, 0, notes
    count = len(briefings[bid].stops)
    raw = _first(params, Q_STOP)
    if raw is None:
        return bid, 0, notes
    number = whole_number(raw, 1, count)  # bounded before conversion: 5,000 digits are just not a stop
    if number is None:
        notes.append(
            f"link parameter '{Q_STOP}': {short_repr(raw)} is not a stop of this briefing (1 to {count}); showing stop 1"
        )
        return bid, 0, notes
    return bid, number - 1, notes


def position_query(briefing_id: str, index: int) -> dict[str, str]:
    return {Q_BRIEFING: briefing_id, Q_STOP: str(index + 1)}


def step(index: int, count: int, action: str) -> int:
    """The stop index after first / prev / next / last, kept within 0..count-1."""
    target = {"first": 0, "prev": index - 1, "next": index + 1, "last": count - 1}[action]
    return max(0, min(target, count - 1))
