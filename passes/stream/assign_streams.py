"""assign-streams: put independent kernels on their own streams so they can run concurrently.

Launches with an explicit stream hint (``pinned``: the op or its function carried
``stream_id``) keep their stream. The others are assigned as the ahead-of-time multi-stream
schedulers do (Nimble, Kwon et al. 2020): take the transitive reduction of the kernel DAG and a
maximum bipartite matching over its edges; matched edges chain kernels, so the chains are a
minimum path cover and every chain can be a stream with no event inside it.

A chain only earns a stream if it buys parallelism the device can use. With the cost model
shared with the device model (a kernel's tiles from the same tiling the device model uses), a
kernel leaves ``1 - tiles / cores`` of its unit idle; a chain's gain is the idle share of its
main chain's work it can fill, or its whole time if it runs on the other unit (vector work next
to cube work). Chains that gain less than ``min-gain-us``, or beyond ``max-streams``, fold back
into the stream of the chain that feeds them. Run ``insert-events`` afterwards: this pass makes
every cross-stream data dependence an await, the minimal set is that pass's job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.passes import ModulePass

from ge_compiler.device.config import DEFAULT_DEVICE, DeviceConfig, load_config
from ge_compiler.device.timing import gemm_tiling
from ge_compiler.dialects import stream
from ge_compiler.dtypes import shaped_bytes
from ge_compiler.errors import GeError
from ge_compiler.passes.stream.dag import lane_of, rebuild, tasks_of

PINNED = "pinned"
"""Unit attribute on a launch whose stream the user chose (set by convert-graph-to-stream)."""


@dataclass(frozen=True)
class KernelEstimate:
    us: float
    unit: str
    fill: float
    """Share of its unit's cores the kernel's tiles occupy (at most 1)."""


def estimate(launch: stream.LaunchOp, kernel: stream.KernelOp, cfg: DeviceConfig) -> KernelEstimate:
    """Roofline time and core fill of one launch, from its kernel's cost descriptor."""
    values = (*launch.args, *launch.outputs)
    nbytes = sum(shaped_bytes(v.type) for v in values if isinstance(v.type, TensorType))
    cube, vector = kernel.cube_flops.value.data, kernel.vector_flops.value.data
    dtype = None
    if kernel.body.block.args and isinstance(kernel.body.block.args[0].type, TensorType):
        dtype = str(kernel.body.block.args[0].type.get_element_type())
    us = (
        max(
            cube / cfg.cube_flops_per_us_for(dtype),
            vector / cfg.vector_flops_per_us,
            nbytes / cfg.hbm_bytes_per_us,
        )
        + cfg.kernel_overhead_us
    )
    if kernel.gemm is not None:
        tiles = gemm_tiling(cfg, list(kernel.gemm.get_values()), dtype).blocks
        return KernelEstimate(us, "cube", min(1.0, tiles / cfg.ai_cores))
    tiles = max(1, math.ceil(nbytes / (cfg.ub_bytes // 2)))
    unit = "cube" if cube else "vector"
    cores = cfg.ai_cores if cube else cfg.vector_cores
    return KernelEstimate(us, unit, min(1.0, tiles / cores))


def transitive_reduction(preds: list[list[int]]) -> list[list[int]]:
    """Per node (in topological order), its predecessors not implied through another one."""
    reach: list[int] = []  # bitset of all ancestors
    reduced: list[list[int]] = []
    for ps in preds:
        implied = 0
        for p in ps:
            implied |= reach[p]
        reduced.append([p for p in ps if not (implied >> p) & 1])
        anc = implied
        for p in ps:
            anc |= 1 << p
        reach.append(anc)
    return reduced


def max_matching(succs: list[list[int]], n: int) -> list[int]:
    """Maximum bipartite matching (Kuhn's augmenting paths, iterative): ``match[v] = u`` for
    each matched edge u -> v (else -1). Greedy first, in program order, so chains follow
    program order where they can."""
    match_right = [-1] * n
    match_left = [-1] * n
    for u in range(n):
        for v in succs[u]:
            if match_right[v] == -1:
                match_right[v], match_left[u] = u, v
                break
    for root in range(n):
        if match_left[root] != -1 or not succs[root]:
            continue
        # DFS for an augmenting path from the free left node ``root``
        parent: dict[int, int] = {}  # right node -> left node that reached it
        seen: set[int] = set()
        stack = [(root, iter(succs[root]))]
        found = -1
        while stack and found == -1:
            u, it = stack[-1]
            for v in it:
                if v in seen:
                    continue
                seen.add(v)
                parent[v] = u
                if match_right[v] == -1:
                    found = v
                else:
                    w = match_right[v]
                    stack.append((w, iter(succs[w])))
                break
            else:
                stack.pop()
        v = found
        while v != -1:  # flip the path
            u = parent[v]
            prev = match_left[u]
            match_right[v], match_left[u] = u, v
            v = prev
    return match_right


@dataclass(frozen=True)
class AssignStreamsPass(ModulePass):
    """Assign unhinted launches to streams (see the module docstring)."""

    name = "assign-streams"
    max_streams: int = 8
    min_gain_us: float = 2.0
    device: str = DEFAULT_DEVICE

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.max_streams < 1:
            raise GeError(f"assign-streams: max-streams must be >= 1, got {self.max_streams}")
        cfg = load_config(self.device)
        kernels = {k.sym_name.data: k for k in op.ops if isinstance(k, stream.KernelOp)}
        for f in [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]:
            self.assign(f, kernels, cfg)

    def assign(
        self, f: func.FuncOp, kernels: dict[str, stream.KernelOp], cfg: DeviceConfig
    ) -> None:
        launches = [t for t in tasks_of(f.body.block) if isinstance(t, stream.LaunchOp)]
        if not launches:
            return
        index = {t: i for i, t in enumerate(launches)}
        n = len(launches)
        preds = [sorted({index[v.owner] for v in t.args if v.owner in index}) for t in launches]
        reduced = transitive_reduction(preds)
        # a loop body stays on its one stream: iterations are ordered by stream order
        pinned = [PINNED in t.attributes or "ge.loop" in t.attributes for t in launches]
        succs: list[list[int]] = [[] for _ in range(n)]
        for v, ps in enumerate(reduced):
            for u in ps:
                if not pinned[u] and not pinned[v]:
                    succs[u].append(v)
        match = max_matching(succs, n)
        chain_of = [-1] * n
        chains: list[list[int]] = []
        for v in range(n):
            if pinned[v]:
                continue
            u = match[v]
            if u == -1:
                chain_of[v] = len(chains)
                chains.append([v])
            else:
                chain_of[v] = chain_of[u]
                chains[chain_of[v]].append(v)
        if not chains:
            return
        est = [estimate(t, kernels[t.kernel.string_value()], cfg) for t in launches]
        streams = self.choose_streams(chains, chain_of, reduced, est, launches, pinned, cfg)
        for i, t in enumerate(launches):
            if not pinned[i] and streams[chain_of[i]] != t.stream.value.data:
                # Make every cross-lane data dependence an await; insert-events minimizes.
                launches[i] = rebuild(t, list(t.awaits), streams[chain_of[i]])
        refresh_awaits(f)

    def choose_streams(
        self,
        chains: list[list[int]],
        chain_of: list[int],
        reduced: list[list[int]],
        est: list[KernelEstimate],
        launches: list[stream.LaunchOp],
        pinned: list[bool],
        cfg: DeviceConfig,
    ) -> list[int]:
        """A stream id per chain: the heaviest chain gets the lowest free id, chains worth a
        stream of their own the next ones, the rest fold into the stream of their feeder."""
        work = [sum(est[i].us for i in c) for c in chains]
        main = max(range(len(chains)), key=lambda c: (work[c], -chains[c][0]))
        cube_main = sum(est[i].us for i in chains[main] if est[i].unit == "cube")
        main_unit = "cube" if cube_main * 2 >= work[main] else "vector"

        def gain(c: int) -> float:
            return sum(
                est[i].us if est[i].unit != main_unit else est[i].us * (1 - est[i].fill)
                for i in chains[c]
            )

        used = {t.stream.value.data for t, p in zip(launches, pinned, strict=True) if p}
        budget = min(self.max_streams, cfg.max_streams) - len(used)
        free_ids = (s for s in range(cfg.max_streams + len(used) + 1) if s not in used)
        stream_of: dict[int, int] = {}
        if budget >= 1:
            stream_of[main] = next(free_ids)
            budget -= 1
        ranked = sorted((c for c in range(len(chains)) if c != main), key=lambda c: -gain(c))
        for c in ranked:
            if budget < 1 or gain(c) < self.min_gain_us:
                break
            stream_of[c] = next(free_ids)
            budget -= 1
        fallback = stream_of.get(main, min(used) if used else 0)
        result = []
        for c, members in enumerate(chains):  # chains are in order of their heads
            if c in stream_of:
                result.append(stream_of[c])
                continue
            head = members[0]
            feeders = [p for p in reduced[head] if not pinned[p]]
            result.append(result[chain_of[feeders[-1]]] if feeders else fallback)
        return result


def refresh_awaits(f: func.FuncOp) -> None:
    """Make each task await every producer of its data on another lane (plus what it awaited
    before): correct for any stream assignment, minimized by insert-events."""
    for t in tasks_of(f.body.block):
        lane = lane_of(t)
        needed = list(t.awaits)
        operands = t.args if isinstance(t, stream.LaunchOp) else [t.source]
        for v in operands:
            owner = v.owner
            if isinstance(owner, stream.LaunchOp | stream.CopyOp) and lane_of(owner) != lane:
                if owner.done not in needed:
                    needed.append(owner.done)
        if len(needed) != len(t.awaits):
            rebuild(t, needed)
