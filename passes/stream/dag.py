"""The task DAG of a stream-level function, shared by the stream and memory passes.

Tasks are the ``stream.launch`` and ``stream.copy`` ops of a function body in program order.
A task runs on a lane (a stream for launches, a DMA queue for copies); tasks on one lane run in
program order, and a task starts after the timepoints it awaits. ``Clocks`` is the resulting
happens-before relation as one vector clock per task (the last task of each lane known to
have ended before it starts), so "is a ordered before b" is a dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.ir import Block, Operation, SSAValue

from ge_compiler.dialects import stream

Lane = tuple[str, int]
Task = stream.LaunchOp | stream.CopyOp


def lane_of(task: Operation) -> Lane:
    if isinstance(task, stream.LaunchOp):
        return ("launch", task.stream.value.data)
    assert isinstance(task, stream.CopyOp)
    return ("copy", task.queue.value.data)


def tasks_of(block: Block) -> list[Task]:
    return [o for o in block.ops if isinstance(o, stream.LaunchOp | stream.CopyOp)]


def data_operands(task: Task) -> Sequence[SSAValue]:
    """What a task reads (tensor form: its arguments; the awaited timepoints excluded)."""
    if isinstance(task, stream.LaunchOp):
        return task.args
    return [task.source]


@dataclass
class Clocks:
    """Happens-before over ``tasks`` (program order is a topological order)."""

    tasks: list[Task]
    lanes: list[Lane]
    clocks: list[dict[Lane, int]]

    @classmethod
    def of(cls, tasks: list[Task]) -> Clocks:
        index = {t: i for i, t in enumerate(tasks)}
        lanes = [lane_of(t) for t in tasks]
        clocks: list[dict[Lane, int]] = []
        last: dict[Lane, int] = {}
        for i, t in enumerate(tasks):
            lane = lanes[i]
            clock = dict(clocks[last[lane]]) if lane in last else {}
            for tp in t.awaits:
                src = index.get(tp.owner)  # type: ignore[arg-type]
                if src is not None:
                    merge(clock, clocks[src])
            clock[lane] = i
            clocks.append(clock)
            last[lane] = i
        return cls(tasks, lanes, clocks)

    def before(self, a: int, b: int) -> bool:
        """Task ``a`` has ended whenever task ``b`` runs (``a == b`` counts: a task's own
        reads precede its own writes)."""
        return self.clocks[b].get(self.lanes[a], -1) >= a


def merge(into: dict[Lane, int], other: dict[Lane, int]) -> None:
    for lane, seen in other.items():
        if into.get(lane, -1) < seen:
            into[lane] = seen


def rebuild(task: Task, awaits: Sequence[SSAValue], stream_id: int | None = None) -> Task:
    """Replace ``task`` by the same task awaiting ``awaits`` (on ``stream_id``, for a launch);
    every use of its results moves to the new op, which is returned."""
    if isinstance(task, stream.LaunchOp):
        new: Task = stream.LaunchOp(
            task.kernel.string_value(),
            list(task.args),
            [r.type for r in task.outputs],
            list(task.outs),
            list(awaits),
            task.stream.value.data if stream_id is None else stream_id,
        )
        if task.block_dim is not None:
            new.properties["block_dim"] = task.block_dim
    else:
        new = stream.CopyOp(
            task.kind.data,
            task.source,
            task.dest,
            list(awaits),
            task.queue.value.data,
        )
    new.attributes.update(task.attributes)
    new.location = task.location
    block = task.parent_block()
    assert block is not None
    block.insert_op_before(new, task)
    for old, fresh in zip(task.results, new.results, strict=True):
        old.replace_all_uses_with(fresh)
    block.erase_op(task)
    return new
