"""insert-events: the fewest awaits that still order every data dependence.

A task must start after each producer of its data. A producer on the same lane (stream or DMA
queue) is ordered by program order; one that already happens-before the task through another
await (or through the lane's previous task) needs nothing. So, per task in program order, the
producers are visited latest first against the task's vector clock, and an await is added only
for a producer the clock does not cover yet: the awaits are exactly the cross-lane edges of the
transitive reduction of the happens-before order, never a barrier. Codegen turns each awaited
timepoint into a record/wait pair and reuses event ids once every wait on them has passed.

Copies of weights record events that can never be reused (the DMA queue runs ahead of the
streams waiting for it): past half the device's ``max_events``, copy waits are coarsened to
every k-th copy of a queue (``coarsen_copy_waits``).

A stream holding more launches than the device's ``max_tasks_per_stream`` is split: its tasks
beyond the limit move to a fresh stream that awaits the last task of the full one.

Tensor form only: there the data dependences are all the ordering a function needs (memory
reuse, which adds write-after-read orderings, is planned afterwards and respects these events).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ge_compiler.device.config import DEFAULT_DEVICE, load_config
from ge_compiler.dialects import stream
from ge_compiler.errors import GeError
from ge_compiler.passes.stream.dag import (
    Lane,
    Task,
    data_operands,
    lane_of,
    merge,
    rebuild,
    tasks_of,
)


def split_streams(tasks: list[Task], limit: int) -> tuple[list[int | None], dict[int, int]]:
    """New stream ids (None: unchanged) so no stream holds more than ``limit`` launches, and
    for each task opening a continuation stream, the task it must await."""
    used = {t.stream.value.data for t in tasks if isinstance(t, stream.LaunchOp)}
    fresh = (s for s in range(len(tasks) + len(used) + 1) if s not in used)
    current: dict[int, int] = {}  # original stream -> the stream its tasks go to now
    count: dict[int, int] = {}
    last: dict[int, int] = {}  # current stream -> its last task
    new_ids: list[int | None] = []
    chained: dict[int, int] = {}
    for i, t in enumerate(tasks):
        if not isinstance(t, stream.LaunchOp):
            new_ids.append(None)
            continue
        orig = t.stream.value.data
        sid = current.setdefault(orig, orig)
        if count.get(sid, 0) >= limit:
            previous, sid = last[sid], next(fresh)
            current[orig] = sid
            chained[i] = previous
        count[sid] = count.get(sid, 0) + 1
        last[sid] = i
        new_ids.append(None if sid == orig else sid)
    return new_ids, chained


@dataclass(frozen=True)
class InsertEventsPass(ModulePass):
    """Minimal awaits on cross-lane dependences; streams split at the device's task limit."""

    name = "insert-events"
    device: str = DEFAULT_DEVICE

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cfg = load_config(self.device)
        for f in [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]:
            tasks = tasks_of(f.body.block)
            if any(isinstance(t, stream.LaunchOp) and t.outs for t in tasks):
                raise GeError("insert-events works on the stream level (tensor form)")
            self.insert(tasks, cfg.max_tasks_per_stream, cfg.max_events // 2)

    @staticmethod
    def insert(tasks: list[Task], limit: int, event_budget: int) -> None:
        new_ids, chained = split_streams(tasks, limit)
        index = {t: i for i, t in enumerate(tasks)}
        lanes = [
            lane_of(t) if new_ids[i] is None else ("launch", new_ids[i])
            for i, t in enumerate(tasks)
        ]
        states = {
            tuple(t.attributes["ge.state"].get_values()): i  # type: ignore[union-attr]
            for i, t in enumerate(tasks)
            if "ge.state" in t.attributes
        }
        deps = []
        for i, t in enumerate(tasks):
            mine = {index[v.owner] for v in data_operands(t) if v.owner in index}
            if i in chained:
                mine.add(chained[i])
            carry = t.attributes.get("ge.carry")
            if carry is not None:  # it writes a loop state's buffer: after the state's init
                mine.add(states[tuple(carry.get_values())])  # type: ignore[union-attr]
            deps.append(mine)
        awaited = minimal_awaits(lanes, deps)
        if coarsen_copy_waits(tasks, lanes, awaited, event_budget):
            # a moved wait may now be implied by another one: minimize again
            awaited = minimal_awaits(lanes, [set(ds) for ds in awaited])
        for i, t in enumerate(tasks):
            awaits = [tasks[d].done for d in awaited[i]]
            if new_ids[i] is not None or list(t.awaits) != awaits:
                tasks[i] = rebuild(t, awaits, new_ids[i])


def minimal_awaits(lanes: list[Lane], deps: list[set[int]]) -> list[list[int]]:
    """Per task, the dependences not already ordered before it by its lane or by another
    await (visited latest first against the task's vector clock)."""
    clocks: list[dict[Lane, int]] = []
    last: dict[Lane, int] = {}
    awaited: list[list[int]] = []
    for i, lane in enumerate(lanes):
        clock = dict(clocks[last[lane]]) if lane in last else {}
        mine = []
        for d in sorted(deps[i], reverse=True):
            if clock.get(lanes[d], -1) >= d:
                continue  # same lane, or already ordered through another await
            mine.append(d)
            merge(clock, clocks[d])
        clock[lane] = i
        clocks.append(clock)
        last[lane] = i
        awaited.append(mine)
    return awaited


def coarsen_copy_waits(
    tasks: list[Task], lanes: list[Lane], awaited: list[list[int]], budget: int
) -> bool:
    """Copies record events that can never be reused (a DMA queue runs ahead of the streams
    that wait for it), so a model with more weights than the device has events cannot give
    each copy its own. Past ``budget`` awaited copies, a wait moves to the next "anchor" copy
    on the same queue (every k-th awaited one), which implies it by queue order: a kernel may
    start a little later, but the event count stays within budget."""
    copies = sorted({d for ds in awaited for d in ds if lanes[d][0] == "copy"})
    if len(copies) <= budget:
        return False
    k = -(-len(copies) // max(1, budget))
    per_queue: dict[Lane, list[int]] = {}
    for n, c in enumerate(copies):
        if n % k == k - 1 or n == len(copies) - 1:
            per_queue.setdefault(lanes[c], []).append(c)
    for i, ds in enumerate(awaited):
        moved = []
        for d in ds:
            if lanes[d][0] == "copy":
                anchors = per_queue.get(lanes[d], [])
                j = bisect_left(anchors, d)
                if j < len(anchors) and anchors[j] < i:
                    d = anchors[j]
            if d not in moved:
                moved.append(d)
        awaited[i] = moved
    return True
