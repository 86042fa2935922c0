"""Offset placement of buffers in one arena: the algorithms behind ``plan-memory``.

Placing buffers with known lifetimes at offsets so that no two buffers that may be live at the
same time overlap, in the smallest arena, is dynamic storage allocation (NP-hard), so we run
cheap greedy heuristics and keep the best. The ones that matter come from Pisarchyk & Lee,
"Efficient Memory Management for Deep Neural Net Inference" (MLSys 2020, arXiv:2001.03288):
*greedy by size* (largest buffer first, each into the smallest gap left by the already placed
buffers it conflicts with, else on top of them) and *greedy by breadth* (operators by the bytes
live at them, largest first; each operator's buffers largest first). We add orders by lifetime
length, by first use and by conflict weight, each with best-fit and first-fit gap selection,
and finish each with compaction passes that can only shrink the arena (see ``_shake``).

"May be live at the same time" is a conflict graph. For a single linear schedule it is the
interval graph of the ``[start, end]`` step ranges, built here by a sweep in
O(n log n + conflicting pairs); multi-stream schedules, where overlap is a partial-order
question, pass their own adjacency lists. Every strategy costs O(n log n + sum over buffers of
k log k), k = conflicting buffers placed before it: never O(n^2) over all pairs.

This module is pure (no IR): ``ge_compiler.device.plan_check`` re-checks its results with
separate code.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ORDERS",
    "Placement",
    "Request",
    "aligned_size",
    "candidates",
    "interval_conflicts",
    "max_live_bytes",
    "place",
    "place_with",
]


@dataclass(frozen=True)
class Request:
    """One buffer to place: ``size`` bytes, live from step ``start`` to ``end`` inclusive."""

    size: int
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    """Aligned offsets (one per request), the arena size they need, and the winning heuristic."""

    offsets: list[int]
    size: int
    strategy: str


def aligned_size(size: int, alignment: int) -> int:
    """``size`` rounded up to a multiple of ``alignment``: the bytes a buffer really takes."""
    return -(-size // alignment) * alignment


def _validate(requests: Sequence[Request], alignment: int) -> None:
    if not isinstance(alignment, int) or alignment <= 0:
        raise ValueError(f"alignment must be a positive integer, got {alignment!r}")
    for i, r in enumerate(requests):
        if r.size <= 0:
            raise ValueError(f"request {i}: size must be > 0, got {r.size}")
        if r.end < r.start:
            raise ValueError(f"request {i}: end {r.end} is before start {r.start}")


def interval_conflicts(requests: Sequence[Request]) -> list[list[int]]:
    """Adjacency lists of the interval graph (closed intervals intersect), by a sweep.

    Sorted by start, each request conflicts exactly with the requests still active (end >= its
    start), so the cost is O(n log n + number of conflicting pairs).
    """
    n = len(requests)
    adj: list[list[int]] = [[] for _ in range(n)]
    order = sorted(range(n), key=lambda i: (requests[i].start, i))
    expiry: list[tuple[int, int]] = []  # (end, index) of the active requests
    active: dict[int, None] = {}  # insertion-ordered set, for determinism
    for i in order:
        s = requests[i].start
        while expiry and expiry[0][0] < s:
            _, j = heapq.heappop(expiry)
            del active[j]
        for j in active:
            adj[i].append(j)
            adj[j].append(i)
        active[i] = None
        heapq.heappush(expiry, (requests[i].end, i))
    return adj


def _normalize_conflicts(conflicts: Sequence[Sequence[int]], n: int) -> list[list[int]]:
    """Symmetric, self-loop-free, duplicate-free adjacency lists (callers may give one side)."""
    if len(conflicts) != n:
        raise ValueError(f"conflicts has {len(conflicts)} lists for {n} requests")
    sets: list[set[int]] = [set() for _ in range(n)]
    for i, row in enumerate(conflicts):
        for j in row:
            if not 0 <= j < n:
                raise ValueError(f"conflicts[{i}] names request {j}, out of range 0..{n - 1}")
            if j != i:
                sets[i].add(j)
                sets[j].add(i)
    return [sorted(s) for s in sets]


def _breadth(requests: Sequence[Request], sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """Distinct start steps, and the live (aligned) bytes at each of them.

    The live bytes only grow at a start, so the maxima over all steps are among these points.
    """
    points = sorted({r.start for r in requests})
    delta = [0] * (len(points) + 1)
    for r, a in zip(requests, sizes, strict=True):
        delta[bisect_left(points, r.start)] += a
        delta[bisect_right(points, r.end)] -= a
    live, acc = [], 0
    for d in delta[:-1]:
        acc += d
        live.append(acc)
    return points, live


def max_live_bytes(requests: Sequence[Request], alignment: int = 512) -> int:
    """Lower bound on any interval-schedule arena: the most aligned bytes live at one step."""
    _validate(requests, alignment)
    if not requests:
        return 0
    sizes = [aligned_size(r.size, alignment) for r in requests]
    return max(_breadth(requests, sizes)[1])


# -- orders ------------------------------------------------------------------------------------

_Order = Callable[[Sequence[Request], list[int], list[list[int]]], list[int]]


def _by_size(reqs: Sequence[Request], a: list[int], adj: list[list[int]]) -> list[int]:
    """Greedy by size (Pisarchyk & Lee, Alg. 3): big buffers first, small ones fill the gaps."""
    return sorted(range(len(a)), key=lambda i: (-a[i], reqs[i].start - reqs[i].end, i))


def _by_breadth(reqs: Sequence[Request], a: list[int], adj: list[list[int]]) -> list[int]:
    """Greedy by breadth (Pisarchyk & Lee, Alg. 4) without visiting every (operator, tensor).

    The paper walks operators by decreasing breadth and places each operator's unplaced
    tensors largest first; a tensor is therefore placed at the widest operator in its
    lifetime (lowest step among equals). A sparse table gives that operator per tensor in
    O(log n), so sorting by (its rank, -size) is the same order in O(n log n).
    """
    points, live = _breadth(reqs, a)
    m = len(points)
    rank_of = sorted(range(m), key=lambda p: (-live[p], p))
    rank = [0] * m
    for r, p in enumerate(rank_of):
        rank[p] = r
    table = [rank]
    k = 1
    while 2 * k <= m:
        prev = table[-1]
        table.append([min(prev[p], prev[p + k]) for p in range(m - 2 * k + 1)])
        k *= 2

    def widest(i: int) -> int:
        lo = bisect_left(points, reqs[i].start)
        hi = bisect_right(points, reqs[i].end)  # exclusive, > lo
        level = (hi - lo).bit_length() - 1
        row = table[level]
        return min(row[lo], row[hi - (1 << level)])

    key = {i: widest(i) for i in range(len(a))}
    return sorted(range(len(a)), key=lambda i: (key[i], -a[i], i))


def _by_lifetime(reqs: Sequence[Request], a: list[int], adj: list[list[int]]) -> list[int]:
    """Long-lived buffers first: they constrain the most others, so they go to the bottom."""
    return sorted(range(len(a)), key=lambda i: (reqs[i].start - reqs[i].end, -a[i], i))


def _by_first_use(reqs: Sequence[Request], a: list[int], adj: list[list[int]]) -> list[int]:
    """Schedule order, like an online allocator: good when lifetimes nest like a stack."""
    return sorted(range(len(a)), key=lambda i: (reqs[i].start, -a[i], i))


def _by_weight(reqs: Sequence[Request], a: list[int], adj: list[list[int]]) -> list[int]:
    """Own plus conflicting bytes, largest first: breadth's analogue for a conflict graph."""
    w = [a[i] + sum(a[j] for j in adj[i]) for i in range(len(a))]
    return sorted(range(len(a)), key=lambda i: (-w[i], -a[i], i))


ORDERS: dict[str, _Order] = {
    "size": _by_size,
    "breadth": _by_breadth,
    "lifetime": _by_lifetime,
    "first-use": _by_first_use,
    "weight": _by_weight,
}
FITS = ("best-fit", "first-fit")


# -- greedy placement --------------------------------------------------------------------------


# Above this many conflicting buffers, one buffer's gap search is done with numpy: long-lived
# buffers in big graphs conflict with thousands of others, where the Python loop costs ~100x.
_VECTOR_DEGREE = 48


class _Graph:
    """Aligned sizes and symmetric conflict lists, plus numpy copies of the long lists."""

    def __init__(self, a: list[int], adj: list[list[int]]):
        self.a = a
        self.adj = adj
        self.a_np = np.asarray(a, dtype=np.int64)
        self.adj_np = [
            np.asarray(row, dtype=np.intp) if len(row) > _VECTOR_DEGREE else None for row in adj
        ]


def _greedy(order: Sequence[int], g: _Graph, best_fit: bool) -> list[int]:
    """Place buffers in ``order``, each in a gap between its already placed conflicting buffers.

    Best-fit takes the smallest gap that fits (the lowest among equals), first-fit the lowest;
    with no gap, the buffer goes right above the highest of them. Offsets stay multiples of the
    alignment because all sizes in ``a`` are. The numpy path computes the same offsets.
    """
    a, adj = g.a, g.adj
    off = [-1] * len(a)
    off_np = np.full(len(a), -1, dtype=np.int64)
    for i in order:
        need = a[i]
        row = g.adj_np[i]
        if row is not None:
            o = off_np[row]
            placed = o >= 0
            lo = o[placed]
            if lo.size == 0:
                chosen = 0
            else:
                by_lo = np.argsort(lo, kind="stable")
                lo = lo[by_lo]
                hi = lo + g.a_np[row][placed][by_lo]
                reach = np.maximum.accumulate(hi)
                below = np.concatenate(([0], np.maximum(reach[:-1], 0)))
                gaps = lo - below
                fits = np.flatnonzero(gaps >= need)
                if fits.size == 0:
                    chosen = int(max(reach[-1], 0))
                elif best_fit:
                    chosen = int(below[fits[np.argmin(gaps[fits])]])
                else:
                    chosen = int(below[fits[0]])
            off[i] = chosen
            off_np[i] = chosen
            continue
        busy = sorted((off[j], off[j] + a[j]) for j in adj[i] if off[j] >= 0)
        top = 0
        chosen = -1
        best_gap = -1
        for lo_j, hi_j in busy:
            gap = lo_j - top
            if gap >= need:
                if not best_fit:
                    chosen = top
                    break
                if best_gap < 0 or gap < best_gap:
                    best_gap, chosen = gap, top
            if hi_j > top:
                top = hi_j
        off[i] = chosen if chosen >= 0 else top
        off_np[i] = off[i]
    return off


def _arena(off: list[int], a: list[int]) -> int:
    return max((o + s for o, s in zip(off, a, strict=True)), default=0)


def _compact(off: list[int], g: _Graph) -> list[int]:
    """First-fit in order of the current offsets: never moves a buffer up, often down.

    When buffer i is re-placed, each conflicting buffer placed before it had a lower old offset,
    so it ended at or below i's old offset, and new offsets are at most old ones by induction:
    i's old offset is still free, so first-fit finds one no higher.
    """
    order = sorted(range(len(off)), key=lambda i: (off[i], i))
    return _greedy(order, g, best_fit=False)


def _shake(off: list[int], g: _Graph, rounds: int) -> list[int]:
    """Compact up (in the mirrored arena), then down, ``rounds`` times: the arena never grows.

    A single downward compaction stops where buffers rest on each other; pushing everything to
    the top first re-stacks them in a different order, which often frees room on the way down.
    """
    a = g.a
    off = _compact(off, g)
    for _ in range(rounds):
        top = _arena(off, a)
        up = _compact([top - o - s for o, s in zip(off, a, strict=True)], g)
        top = _arena(up, a)
        off = _compact([top - o - s for o, s in zip(up, a, strict=True)], g)
    return off


def _prepare(
    requests: Sequence[Request], alignment: int, conflicts: Sequence[Sequence[int]] | None
) -> _Graph:
    _validate(requests, alignment)
    a = [aligned_size(r.size, alignment) for r in requests]
    if conflicts is None:
        adj = interval_conflicts(requests)
        for row in adj:
            row.sort()
    else:
        adj = _normalize_conflicts(conflicts, len(requests))
    return _Graph(a, adj)


def place_with(
    requests: Sequence[Request],
    order: str,
    fit: str = "best-fit",
    alignment: int = 512,
    conflicts: Sequence[Sequence[int]] | None = None,
) -> Placement:
    """One heuristic alone (``order`` in ``ORDERS``, ``fit`` in ``FITS``), no compaction."""
    if order not in ORDERS or fit not in FITS:
        raise ValueError(f"unknown strategy {order}/{fit}")
    g = _prepare(requests, alignment, conflicts)
    off = _greedy(ORDERS[order](requests, g.a, g.adj), g, fit == "best-fit")
    return Placement(off, _arena(off, g.a), f"{order}/{fit}")


def candidates(
    requests: Sequence[Request],
    alignment: int = 512,
    conflicts: Sequence[Sequence[int]] | None = None,
) -> list[Placement]:
    """Every order x fit, in a fixed order (what ``place`` chooses from, before compaction)."""
    g = _prepare(requests, alignment, conflicts)
    out = []
    for name, order_fn in ORDERS.items():
        order = order_fn(requests, g.a, g.adj)
        for fit in FITS:
            off = _greedy(order, g, fit == "best-fit")
            out.append(Placement(off, _arena(off, g.a), f"{name}/{fit}"))
    return out


def place(
    requests: Sequence[Request],
    alignment: int = 512,
    conflicts: Sequence[Sequence[int]] | None = None,
    rounds: int = 1,
) -> Placement:
    """Offsets for ``requests`` in the smallest arena any of our heuristics finds.

    ``conflicts[i]`` lists the requests that may be live together with request i (symmetry is
    added, self-loops dropped); when None, requests conflict iff their step ranges intersect.
    Every order x fit candidate is then compacted (``_shake`` with ``rounds`` up-and-down
    passes; 0: down only), and ``strategy`` gets ``+compact`` when that helped. Ties go to the
    first candidate in ``ORDERS`` x ``FITS`` order, so the result is deterministic.
    """
    if not requests:
        _validate(requests, alignment)
        return Placement([], 0, "empty")
    g = _prepare(requests, alignment, conflicts)
    best: Placement | None = None
    for name, order_fn in ORDERS.items():
        order = order_fn(requests, g.a, g.adj)
        for fit in FITS:
            off = _greedy(order, g, fit == "best-fit")
            size = _arena(off, g.a)
            label = f"{name}/{fit}"
            shaken = _shake(off, g, rounds)
            if _arena(shaken, g.a) < size:
                off, size, label = shaken, _arena(shaken, g.a), label + "+compact"
            if best is None or size < best.size:
                best = Placement(off, size, label)
    assert best is not None
    return best
