"""An independent check of a memory plan: offsets, arena size and who may be live together.

The planner (``passes/memory/placement.py``) is a heuristic with enough moving parts (orders,
gap selection, compaction) to get wrong; this module shares no code with it and uses a
different method, so one bug cannot hide itself in both. It checks the bytes a buffer really
touches, ``[offset, offset + size)``: with aligned offsets that is the same as checking aligned
footprints, since a later aligned offset that clears ``offset + size`` also clears it rounded up.

Liveness comes in one of two forms:

- intervals, ``(start, end)`` inclusive steps of one linear schedule (tuples, objects with
  ``start``/``end`` attributes, or ``Intervals``): swept over time, keeping the live buffers
  sorted by offset; a new buffer can only overlap its neighbours there, so a valid plan costs
  O(n log n) plus list insertion;
- adjacency lists, ``conflicts[i]`` = buffers that may be live with buffer i (lists or sets, or
  ``Conflicts``): every listed pair is checked.

Messages name both buffers and their byte ranges so a wrong plan can be debugged from the text.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ge_compiler.errors import GeError

__all__ = ["Conflicts", "Intervals", "check_plan", "raise_on_violation"]


@dataclass(frozen=True)
class Intervals:
    """Unambiguous liveness as ``(start, end)`` inclusive step ranges, one per buffer."""

    ranges: Sequence[tuple[int, int]]


@dataclass(frozen=True)
class Conflicts:
    """Unambiguous liveness as adjacency lists: ``lists[i]`` may be live together with i."""

    lists: Sequence[Sequence[int]]


def _as_liveness(liveness: Any) -> Intervals | Conflicts:
    """Tuples / objects with start and end are intervals; lists and sets are adjacency lists."""
    if isinstance(liveness, Intervals | Conflicts):
        return liveness
    items = list(liveness)
    if all(hasattr(x, "start") and hasattr(x, "end") for x in items) and items:
        return Intervals([(int(x.start), int(x.end)) for x in items])
    if all(isinstance(x, tuple) for x in items) and items:
        if not all(len(x) == 2 for x in items):
            raise ValueError("interval tuples must be (start, end) pairs")
        return Intervals([(int(s), int(e)) for s, e in items])
    if all(isinstance(x, list | set | frozenset | range) for x in items):
        return Conflicts([sorted(x) for x in items])
    raise ValueError(
        "liveness must be (start, end) tuples, objects with start/end, adjacency lists/sets, "
        "or an Intervals / Conflicts wrapper (not a mix)"
    )


def _span(off: int, size: int) -> str:
    return f"[{off}, {off + size})"


def check_plan(
    sizes: Sequence[int],
    offsets: Sequence[int],
    arena_size: int,
    conflicts_or_intervals: Any,
    alignment: int = 1,
    names: Sequence[str] | None = None,
) -> list[str]:
    """Every violation of the plan, as one human-readable line each (empty: the plan is valid).

    Checked: one offset per buffer, sizes > 0, offsets multiples of ``alignment``, buffers
    inside ``[0, arena_size)``, and no two buffers that may be live together sharing a byte.
    """
    n = len(sizes)
    label = [f"buffer {i}" + (f" ({names[i]})" if names else "") for i in range(n)]
    out: list[str] = []
    if len(offsets) != n:
        return [f"{len(offsets)} offsets for {n} buffers"]
    if names is not None and len(names) != n:
        return [f"{len(names)} names for {n} buffers"]
    if alignment <= 0:
        return [f"alignment must be positive, got {alignment}"]
    for i in range(n):
        s, o = sizes[i], offsets[i]
        if s <= 0:
            out.append(f"{label[i]}: size {s} is not positive")
        if o % alignment:
            out.append(f"{label[i]}: offset {o} is not a multiple of the alignment {alignment}")
        if o < 0 or o + max(s, 0) > arena_size:
            out.append(f"{label[i]}: bytes {_span(o, s)} lie outside the arena [0, {arena_size})")
    live = _as_liveness(conflicts_or_intervals)
    if isinstance(live, Intervals):
        out += _overlaps_by_sweep(sizes, offsets, live.ranges, label)
    else:
        out += _overlaps_by_pairs(sizes, offsets, live.lists, label)
    return out


def _overlaps_by_pairs(
    sizes: Sequence[int], offsets: Sequence[int], lists: Sequence[Sequence[int]], label: list[str]
) -> list[str]:
    n = len(sizes)
    if len(lists) != n:
        return [f"{len(lists)} conflict lists for {n} buffers"]
    out: list[str] = []
    seen: set[tuple[int, int]] = set()
    for i, row in enumerate(lists):
        for j in row:
            if not 0 <= j < n:
                out.append(f"{label[i]}: conflict list names buffer {j}, but there are {n}")
                continue
            a, b = min(i, j), max(i, j)
            if a == b or (a, b) in seen or sizes[a] <= 0 or sizes[b] <= 0:
                continue
            seen.add((a, b))
            if offsets[a] < offsets[b] + sizes[b] and offsets[b] < offsets[a] + sizes[a]:
                out.append(
                    f"{label[a]} {_span(offsets[a], sizes[a])} overlaps {label[b]} "
                    f"{_span(offsets[b], sizes[b])} and they may be live at the same time"
                )
    return out


def _overlaps_by_sweep(
    sizes: Sequence[int],
    offsets: Sequence[int],
    ranges: Sequence[tuple[int, int]],
    label: list[str],
) -> list[str]:
    """Sweep steps; the live buffers are kept sorted by (offset, end, index).

    If the live buffers are pairwise disjoint, a new one can only overlap buffers that start
    inside it (to its right in the list) or its left neighbour. Once some live pair overlaps,
    that shortcut is unsound, so until it ends the left scan goes all the way.
    """
    n = len(sizes)
    if len(ranges) != n:
        return [f"{len(ranges)} live ranges for {n} buffers"]
    out: list[str] = []
    for i, (s, e) in enumerate(ranges):
        if e < s:
            out.append(f"{label[i]}: live range ends at step {e} before it starts at {s}")
    # Empty buffers (already reported) touch no byte.
    order = sorted((i for i in range(n) if sizes[i] > 0), key=lambda i: (ranges[i][0], i))
    live: list[tuple[int, int, int]] = []  # (offset, end byte, index), sorted
    expiry: list[tuple[int, int]] = []  # (last step, index)
    bad_pairs: list[int] = []  # last step both are live, per live overlapping pair
    for i in order:
        step = ranges[i][0]
        while expiry and expiry[0][0] < step:
            _, j = heapq.heappop(expiry)
            key = (offsets[j], offsets[j] + sizes[j], j)
            del live[bisect_left(live, key)]
        while bad_pairs and bad_pairs[0] < step:
            heapq.heappop(bad_pairs)
        lo, hi = offsets[i], offsets[i] + sizes[i]
        key = (lo, hi, i)
        pos = bisect_left(live, key)
        hits: list[int] = []
        k = pos
        while k < len(live) and live[k][0] < hi:  # starts inside [lo, hi)
            hits.append(live[k][2])
            k += 1
        k = pos - 1
        while k >= 0:  # starts at or below lo: overlaps iff it ends above lo
            if live[k][1] > lo and live[k][0] < hi:
                hits.append(live[k][2])
            elif not bad_pairs:
                break
            k -= 1
        for j in sorted(hits):
            a, b = min(i, j), max(i, j)
            both = (max(ranges[a][0], ranges[b][0]), min(ranges[a][1], ranges[b][1]))
            out.append(
                f"{label[a]} {_span(offsets[a], sizes[a])} overlaps {label[b]} "
                f"{_span(offsets[b], sizes[b])} while both are live (steps {both[0]}..{both[1]})"
            )
            heapq.heappush(bad_pairs, both[1])
        insort(live, key)
        heapq.heappush(expiry, (ranges[i][1], i))
    return out


def raise_on_violation(
    sizes: Sequence[int],
    offsets: Sequence[int],
    arena_size: int,
    conflicts_or_intervals: Any,
    alignment: int = 1,
    names: Sequence[str] | None = None,
    what: str = "memory plan",
    shown: int = 5,
) -> None:
    """``check_plan``, raising ``GeError`` with the first ``shown`` violations if any."""
    errors = check_plan(sizes, offsets, arena_size, conflicts_or_intervals, alignment, names)
    if errors:
        more = f" (and {len(errors) - shown} more)" if len(errors) > shown else ""
        raise GeError(f"invalid {what}: " + "; ".join(errors[:shown]) + more)
