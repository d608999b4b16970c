"""Timing for the benchmark scripts (`python -m corridors bench`): median wall time of repeated calls."""

from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median wall time in ms over `repeat` calls of `fn`, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result
