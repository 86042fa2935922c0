"""assign-streams: its graph algorithms against brute force and a separate Hopcroft-Karp, and
the pass on random DAGs (streams = chains of a minimum path cover, pinned launches kept)."""

from __future__ import annotations

import itertools
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects import stream
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context
from ge_compiler.passes import get_all_passes
from ge_compiler.passes.stream.assign_streams import (
    PINNED,
    AssignStreamsPass,
    max_matching,
    transitive_reduction,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def dags(draw: st.DrawFn, max_n: int = 9) -> list[list[int]]:
    """Predecessor lists of a DAG whose node order is topological."""
    n = draw(st.integers(1, max_n))
    return [sorted(draw(st.sets(st.integers(0, v - 1), max_size=v)) if v else []) for v in range(n)]


def reachable(preds: list[list[int]]) -> list[set[int]]:
    """All ancestors of each node, by a plain search (no bitsets)."""
    result = []
    for v in range(len(preds)):
        seen, todo = set(), list(preds[v])
        while todo:
            u = todo.pop()
            if u not in seen:
                seen.add(u)
                todo.extend(preds[u])
        result.append(seen)
    return result


@SETTINGS
@given(dags())
def test_transitive_reduction_matches_brute_force(preds: list[list[int]]) -> None:
    """An edge u -> v survives iff no other path leads from u to v (and the reduction keeps
    reachability)."""
    reduced = transitive_reduction(preds)
    anc = reachable(preds)
    for v, ps in enumerate(preds):
        implied = {p for p in ps if any(p in anc[q] for q in ps if q != p)}
        assert sorted(reduced[v]) == sorted(set(ps) - implied)
    assert reachable(reduced) == anc


def brute_force_matching(succs: list[list[int]]) -> int:
    edges = [(u, v) for u, vs in enumerate(succs) for v in vs]
    for k in range(len(edges), 0, -1):
        for pick in itertools.combinations(edges, k):
            if len({u for u, _ in pick}) == k and len({v for _, v in pick}) == k:
                return k
    return 0


def hopcroft_karp(succs: list[list[int]], n: int) -> int:
    """Maximum bipartite matching size, written independently (BFS layers + DFS)."""
    inf = float("inf")
    left, right = [-1] * n, [-1] * n
    dist = [0.0] * n

    def bfs() -> bool:
        q: deque[int] = deque()
        for u in range(n):
            dist[u] = 0 if left[u] == -1 else inf
            if left[u] == -1:
                q.append(u)
        found = False
        while q:
            u = q.popleft()
            for v in succs[u]:
                w = right[v]
                if w == -1:
                    found = True
                elif dist[w] == inf:
                    dist[w] = dist[u] + 1
                    q.append(w)
        return found

    def dfs(u: int) -> bool:
        for v in succs[u]:
            w = right[v]
            if w == -1 or (dist[w] == dist[u] + 1 and dfs(w)):
                left[u], right[v] = v, u
                return True
        dist[u] = inf
        return False

    size = 0
    while bfs():
        size += sum(dfs(u) for u in range(n) if left[u] == -1)
    return size


def succs_of(preds: list[list[int]]) -> list[list[int]]:
    succs: list[list[int]] = [[] for _ in preds]
    for v, ps in enumerate(preds):
        for u in ps:
            succs[u].append(v)
    return succs


def check_matching(succs: list[list[int]], match: list[int]) -> int:
    """``match[v] = u`` must use edges u -> v, each left node at most once; returns its size."""
    used = [u for u in match if u != -1]
    assert len(used) == len(set(used))
    for v, u in enumerate(match):
        assert u == -1 or v in succs[u]
    return len(used)


@SETTINGS
@given(dags(max_n=7))
def test_max_matching_is_maximum_vs_brute_force(preds: list[list[int]]) -> None:
    """Small DAGs: a valid matching as large as the best of all edge subsets."""
    succs = succs_of(preds)
    assert check_matching(succs, max_matching(succs, len(preds))) == brute_force_matching(succs)


@SETTINGS
@given(
    st.integers(2, 30).flatmap(
        lambda n: st.lists(st.sets(st.integers(0, n - 1)), min_size=n, max_size=n)
    )
)
def test_max_matching_is_maximum_vs_hopcroft_karp(rows: list[set[int]]) -> None:
    """Larger general bipartite graphs (not only DAG edges): same size as Hopcroft-Karp."""
    n = len(rows)
    succs = [sorted(r) for r in rows]
    assert check_matching(succs, max_matching(succs, n)) == hopcroft_karp(succs, n)


# --------------------------------------------------------------------------- the pass


@dataclass(repr=False)
class Drawn:
    """A drawn graph; its repr (hypothesis' failure report) is the DAG, not the IR."""

    module: ModuleOp
    n: int
    preds: list[list[int]]
    hints: list[int | None]

    def __repr__(self) -> str:
        return f"Drawn(preds={self.preds}, hints={self.hints})"


@st.composite
def graphs(draw: st.DrawFn, pin: bool = False) -> Drawn:
    """A random DAG of elementwise ops on 4x8 f32 (op k = kernel k); optional stream hints."""
    b = GraphBuilder("f32")
    preds: list[list[int]] = []
    hints: list[int | None] = []
    with b.module("main"):
        x = b.input("x", [4, 8])
        values: list[Tensor] = []
        for _ in range(draw(st.integers(1, 10))):
            hint = draw(st.sampled_from([None, None, None, 1, 3])) if pin else None
            args = [draw(st.integers(-1, len(values) - 1)) for _ in range(draw(st.integers(1, 2)))]
            ops = [x if a == -1 else values[a] for a in args]
            with b.stream(hint) if hint is not None else nullcontext():
                values.append(b.relu(ops[0]) if len(ops) == 1 else b.add(ops[0], ops[1]))
            preds.append(sorted({a for a in args if a >= 0}))
            hints.append(hint)
        b.output(*[v for v in values if not v.value.uses] or values[-1:])
    return Drawn(b.build(), len(values), preds, hints)


def lower(module: ModuleOp, spec: str) -> list[stream.LaunchOp]:
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)
    f = next(o for o in module.ops if isinstance(o, func.FuncOp))
    return [o for o in f.body.block.ops if isinstance(o, stream.LaunchOp)]


@SETTINGS
@given(graphs())
def test_streams_are_a_minimum_path_cover(drawn: Drawn) -> None:
    """With every chain worth a stream, the streams used are n - (maximum matching of the
    transitive reduction) (Dilworth/Fulkerson), and each stream is a path of the DAG."""
    module, n, preds = drawn.module, drawn.n, drawn.preds
    launches = lower(
        module, "convert-graph-to-stream,assign-streams{min-gain-us=0.0 max-streams=100}"
    )
    assert len(launches) == n
    anc = reachable(preds)
    reduced = [sorted(set(ps) - {p for p in ps for q in ps if p in anc[q]}) for ps in preds]
    expected = n - hopcroft_karp(succs_of(reduced), n)
    sid = [t.stream.value.data for t in launches]
    assert len(set(sid)) == expected
    for s in set(sid):
        members = [i for i in range(n) if sid[i] == s]
        for a, b in itertools.pairwise(members):
            assert a in preds[b], f"stream {s} is not a chain of data edges: {members}"
        assert all(a in anc[b] for a, b in itertools.pairwise(members))


@SETTINGS
@given(graphs(pin=True), st.integers(1, 3))
def test_pinned_kept_and_max_streams_respected(drawn: Drawn, cap: int) -> None:
    """Pinned launches keep their hinted stream; all launches use at most max-streams streams
    (or the pinned ones, if more); unpinned ones get streams of their own, never a pinned
    stream's id, while the budget lasts (else they share the lowest pinned stream)."""
    module = drawn.module
    before = lower(module, "convert-graph-to-stream")
    pinned = {
        t.kernel.string_value(): t.stream.value.data for t in before if PINNED in t.attributes
    }
    after = lower(module, f"assign-streams{{min-gain-us=0.0 max-streams={cap}}}")
    got = {t.kernel.string_value(): t.stream.value.data for t in after}
    assert {k: got[k] for k in pinned} == pinned
    pinned_streams = set(pinned.values())
    free = {s for k, s in got.items() if k not in pinned}
    assert len(set(got.values())) <= max(cap, len(pinned_streams))
    if cap > len(pinned_streams):
        assert not free & pinned_streams
    elif free:
        assert free == {min(pinned_streams)}


def test_max_streams_zero_is_an_error() -> None:
    with pytest.raises(GeError, match="max-streams must be >= 1"):
        AssignStreamsPass(max_streams=0).apply(make_context(), ModuleOp([]))
