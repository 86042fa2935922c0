"""Hazard check: every pair of tasks that touch the same memory must be ordered.

Timing cannot show a missing event (the simulator may happen to run the two tasks in the right
order), so the order is checked structurally: a vector clock per task records, for each stream
and DMA queue, the last task there known to be complete before it (same-lane program order plus
waited events, a wait being on the latest record of its event before it). A read after a write,
a write after a read, or two writes of one buffer, or of two buffers whose bytes overlap in an
arena (the memory plan reused them), that are not so ordered is a race, reported instead of
simulated. This is the check of a memory plan that shares nothing with the planner: it reads
only the Schedule's offsets and events.
"""

from __future__ import annotations

from ge_compiler.errors import GeError
from ge_compiler.schedule import Schedule, Task

Lane = tuple[str, int]


def lane_of(t: Task) -> Lane:
    return (t.kind, t.stream)


def _lane_name(lane: Lane) -> str:
    return f"{'stream' if lane[0] == 'launch' else 'DMA queue'} {lane[1]}"


def overlapping(s: Schedule) -> list[list[int]]:
    """Per buffer, the buffers whose bytes overlap its own (itself included)."""
    result: list[list[int]] = [[i] for i in range(len(s.buffers))]
    by_arena: dict[str, list[int]] = {}
    for i, b in enumerate(s.buffers):
        if b.bytes > 0:
            by_arena.setdefault(b.arena, []).append(i)
    for ids in by_arena.values():
        ids.sort(key=lambda i: s.buffers[i].offset)
        open_: list[int] = []  # buffers that may still reach past the current offset
        for i in ids:
            start = s.buffers[i].offset
            open_ = [j for j in open_ if s.buffers[j].offset + s.buffers[j].bytes > start]
            for j in open_:
                result[i].append(j)
                result[j].append(i)
            open_.append(i)
    return result


def check_ordering(s: Schedule) -> None:
    aliases = overlapping(s)
    clocks: list[dict[Lane, int]] = []
    last_on_lane: dict[Lane, int] = {}
    event_clock: dict[int, dict[Lane, int]] = {}
    writer: dict[int, int] = {}
    readers: dict[int, list[int]] = {}
    for t in s.tasks:
        lane = lane_of(t)
        clock = dict(clocks[last_on_lane[lane]]) if lane in last_on_lane else {}
        for e in t.waits:
            if e not in event_clock:
                raise GeError(f"task {t.id} waits for event {e} before any task records it")
            for other, seen in event_clock[e].items():
                if clock.get(other, -1) < seen:
                    clock[other] = seen
        clock[lane] = t.id

        def ordered(before: int, clock: dict[Lane, int] = clock) -> bool:
            return clock.get(lane_of(s.tasks[before]), -1) >= before

        def race(what: str, other: int, mine: int, theirs: int, t: Task = t) -> GeError:
            where = f"buffer {mine}"
            if theirs != mine:
                a, b = s.buffers[mine], s.buffers[theirs]
                where += (
                    f" ({a.arena}[{a.offset}, {a.offset + a.bytes})), which overlaps buffer "
                    f"{theirs} ({b.arena}[{b.offset}, {b.offset + b.bytes}))"
                )
            return GeError(
                f"race: task {t.id} ({_lane_name(lane_of(t))}) {what} {where} of task "
                f"{other} ({_lane_name(lane_of(s.tasks[other]))}) with no event between them"
            )

        for b in t.inputs:
            for a in aliases[b]:
                if a in writer and not ordered(writer[a]):
                    raise race("reads", writer[a], b, a)
        for b in t.outputs:
            for a in aliases[b]:
                if a in writer and not ordered(writer[a]):
                    raise race("overwrites", writer[a], b, a)
                for r in readers.get(a, ()):
                    if not ordered(r):
                        raise race("overwrites what is still read from", r, b, a)
        for b in t.inputs:
            readers.setdefault(b, []).append(t.id)
        for b in t.outputs:
            writer[b] = t.id
            readers[b] = []
        clocks.append(clock)
        last_on_lane[lane] = t.id
        for e in t.records:
            event_clock[e] = clock
