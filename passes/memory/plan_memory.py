"""plan-memory: place the activation buffers of a memory-level function so they share memory.

Two buffers may share bytes only if one is dead before the other is born on every possible
execution, not just in program order: with several streams, a buffer's last reader on stream 1
may still run while stream 0 already writes the next tensor. So a buffer ``b`` ends before ``c``
only if every task touching ``b`` happens-before ``c``'s first task (vector clocks over lane
order and awaited timepoints, ``passes/stream/dag.py``); otherwise they conflict. Nothing here
adds an event: the plan fits the ordering that insert-events made.

In place: an elementwise kernel (every op of its body elementwise, one result) whose output has
the size of an input that dies there (the launch is that input's last access, everything else
touching it is ordered before) writes over that input: the two buffers become one request.

Placement itself (several orders with best-fit, smallest arena kept) is
``passes/memory/placement.py``. Graph inputs, outputs and weights keep their own arenas; the
``activations`` arena shrinks to the plan. The device model re-checks the result independently
(``ge_compiler/device/ordering.py``: accesses to overlapping bytes must be ordered).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from ge_compiler.device.config import DEFAULT_DEVICE, load_config
from ge_compiler.dialects import memory, stream
from ge_compiler.errors import GeError
from ge_compiler.passes.conversion.stream_to_memory import loop_ranges
from ge_compiler.passes.memory.placement import Request, place
from ge_compiler.passes.stream.dag import Clocks, Lane, Task, tasks_of

ELEMENTWISE_OPS = frozenset(
    {
        "graph.neg", "graph.abs", "graph.exp", "graph.log", "graph.sqrt", "graph.rsqrt",
        "graph.reciprocal", "graph.relu", "graph.sigmoid", "graph.tanh", "graph.erf",
        "graph.silu", "graph.gelu", "graph.add", "graph.sub", "graph.mul", "graph.div",
        "graph.maximum", "graph.minimum", "graph.pow", "graph.where", "graph.cast",
        "stream.yield",
    }
)  # fmt: skip


def touched(task: Task) -> list[SSAValue]:
    if isinstance(task, stream.LaunchOp):
        return [*task.args, *task.outs]
    assert task.dest is not None
    return [task.source, task.dest]


def is_elementwise(kernel: stream.KernelOp) -> bool:
    return all(o.name in ELEMENTWISE_OPS for o in kernel.body.block.ops)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i


@dataclass(frozen=True)
class PlanMemoryPass(ModulePass):
    """Reuse activation memory across buffers that are never live together."""

    name = "plan-memory"
    device: str = DEFAULT_DEVICE
    in_place: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cfg = load_config(self.device)
        arenas = {a.sym_name.data: a for a in op.ops if isinstance(a, memory.ArenaOp)}
        if "activations" not in arenas:
            raise GeError("plan-memory needs a memory-level module (run convert-stream-to-memory)")
        kernels = {k.sym_name.data: k for k in op.ops if isinstance(k, stream.KernelOp)}
        functions = [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]
        for f in functions:
            size = self.plan(f, kernels, cfg.memory_alignment)
            arena = arenas["activations"]
            arena.properties["size"] = IntegerAttr(size, i64)
            arena.properties["alignment"] = IntegerAttr(cfg.memory_alignment, i64)

    def plan(self, f: func.FuncOp, kernels: dict[str, stream.KernelOp], alignment: int) -> int:
        block = f.body.block
        buffers = [
            b
            for b in block.ops
            if isinstance(b, memory.BufferOp) and b.arena.string_value() == "activations"
        ]
        if not buffers:
            return 0
        tasks = tasks_of(block)
        clocks = Clocks.of(tasks)
        index = {b.result: i for i, b in enumerate(buffers)}
        access: list[list[int]] = [[] for _ in buffers]
        for t_i, t in enumerate(tasks):
            for v in touched(t):
                if v in index and (not access[index[v]] or access[index[v]][-1] != t_i):
                    access[index[v]].append(t_i)
        for first, last in loop_ranges(tasks).values():
            for acc in access:  # live into a loop: read by every iteration, to its end
                if acc and acc[0] < first <= acc[-1] < last:
                    acc.append(last)
        uf = _UnionFind(len(buffers))
        if self.in_place:
            self.merge_in_place(tasks, kernels, buffers, index, access, clocks, uf)
        groups: dict[int, list[int]] = {}
        for i in range(len(buffers)):
            if access[i]:
                groups.setdefault(uf.find(i), []).append(i)
        roots = sorted(groups, key=lambda r: min(access[i][0] for i in groups[r]))
        members = [groups[r] for r in roots]
        g_access = [sorted({t for i in m for t in access[i]}) for m in members]
        requests = [
            Request(max(buffers[i].size_bytes for i in m), acc[0], acc[-1])
            for m, acc in zip(members, g_access, strict=True)
        ]
        conflicts = self.conflicts(g_access, clocks)
        placement = place(requests, alignment, conflicts)
        for m, offset in zip(members, placement.offsets, strict=True):
            for i in m:
                buffers[i].properties["offset"] = IntegerAttr(offset, i64)
        for i, b in enumerate(buffers):
            if not access[i]:  # never touched: keep it valid at offset 0
                b.properties["offset"] = IntegerAttr(0, i64)
        largest = max(b.size_bytes for b in buffers)
        return max(placement.size, (largest + alignment - 1) // alignment * alignment)

    @staticmethod
    def conflicts(accesses: list[list[int]], clocks: Clocks) -> list[list[int]]:
        """Pairs that may be live at once: neither's every access happens-before the other's
        first. Groups are sorted by first access, so only "earlier ends before later" is
        possible; a lane-wise maximum per group makes each test a few lookups."""
        last_on_lane: list[dict[Lane, int]] = []
        for acc in accesses:
            m: dict[Lane, int] = {}
            for t in acc:
                lane = clocks.lanes[t]
                m[lane] = max(m.get(lane, -1), t)
            last_on_lane.append(m)
        single_lane = len(set(clocks.lanes)) == 1
        adj: list[list[int]] = [[] for _ in accesses]
        alive: list[int] = []
        for c, acc in enumerate(accesses):
            first = acc[0]
            clock = clocks.clocks[first]
            still = []
            for b in alive:
                # c's first task touching b too (reading it while writing c) is a conflict:
                # only merge_in_place may let an elementwise kernel write over its input.
                ended = all(
                    t != first and clock.get(lane, -1) >= t for lane, t in last_on_lane[b].items()
                )
                if not ended:
                    adj[b].append(c)
                    adj[c].append(b)
                    still.append(b)
                elif not single_lane:
                    still.append(b)  # on another stream it may not have ended for later ones
            alive = still + [c]
        return adj

    @staticmethod
    def merge_in_place(
        tasks: list[Task],
        kernels: dict[str, stream.KernelOp],
        buffers: list[memory.BufferOp],
        index: dict[SSAValue, int],
        access: list[list[int]],
        clocks: Clocks,
        uf: _UnionFind,
    ) -> None:
        for t_i, t in enumerate(tasks):
            if not isinstance(t, stream.LaunchOp) or len(t.outs) != 1:
                continue
            out = index.get(t.outs[0])
            kernel = kernels.get(t.kernel.string_value())
            if out is None or kernel is None or not is_elementwise(kernel):
                continue
            for v in t.args:
                b = index.get(v)
                if b is None or b == out or buffers[b].size_bytes != buffers[out].size_bytes:
                    continue
                if list(t.args).count(v) != 1 or uf.find(b) == uf.find(out):
                    continue
                if access[b][-1] != t_i or access[out][0] != t_i:
                    continue
                if all(clocks.before(a, t_i) for a in access[b]):
                    uf.parent[uf.find(out)] = uf.find(b)
                    break
