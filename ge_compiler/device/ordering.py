"""Hazard check: every pair of tasks that touch the same buffer must be ordered.

Timing cannot show a missing event (the simulator may happen to run the two tasks in the right
order), so the order is checked structurally: a vector clock per task records, for each stream
and DMA queue, the last task there known to be complete before it (same-lane program order plus
waited events). A read after a write, a write after a read, or two writes of one buffer that
are not so ordered is a race, reported instead of simulated.
"""

from __future__ import annotations

from ge_compiler.errors import GeError
from ge_compiler.schedule import Schedule, Task

Lane = tuple[str, int]


def lane_of(t: Task) -> Lane:
    return (t.kind, t.stream)


def _lane_name(lane: Lane) -> str:
    return f"{'stream' if lane[0] == 'launch' else 'DMA queue'} {lane[1]}"


def check_ordering(s: Schedule) -> None:
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

        def race(what: str, other: int, buffer: int, t: Task = t) -> GeError:
            return GeError(
                f"race: task {t.id} ({_lane_name(lane_of(t))}) {what} buffer {buffer} of task "
                f"{other} ({_lane_name(lane_of(s.tasks[other]))}) with no event between them"
            )

        for b in t.inputs:
            if b in writer and not ordered(writer[b]):
                raise race("reads", writer[b], b)
        for b in t.outputs:
            if b in writer and not ordered(writer[b]):
                raise race("overwrites", writer[b], b)
            for r in readers.get(b, ()):
                if not ordered(r):
                    raise race("overwrites what is still read from", r, b)
        for b in t.inputs:
            readers.setdefault(b, []).append(t.id)
        for b in t.outputs:
            writer[b] = t.id
            readers[b] = []
        clocks.append(clock)
        last_on_lane[lane] = t.id
        for e in t.records:
            event_clock[e] = clock
