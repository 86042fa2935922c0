"""First device model: a list scheduler that executes a Schedule in program order.

Resources: the host (issues tasks one after another in host-launch mode), each stream and DMA
queue (in order), the AI-core array (one kernel or device copy at a time in this version: no
core sharing between concurrent kernels yet), and the host link (one transfer at a time).
A task starts when its stream, its resource, the events it waits for and its issue time allow.
Schedules whose tasks race on a buffer are refused (``ordering.py``). Deterministic: the same
Schedule and config give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ge_compiler.device.config import DeviceConfig
from ge_compiler.device.ordering import check_ordering
from ge_compiler.device.timing import TaskWork, task_work
from ge_compiler.errors import GeError
from ge_compiler.schedule import Schedule

LAUNCH_MODES = ("host", "sink")


@dataclass(frozen=True)
class TaskRun:
    task: int
    start_us: float
    end_us: float
    work: TaskWork


@dataclass
class Simulation:
    latency_us: float
    runs: list[TaskRun]
    stream_busy_us: dict[str, float] = field(default_factory=dict)


def check_limits(s: Schedule, cfg: DeviceConfig) -> None:
    if len(s.streams) > cfg.max_streams:
        raise GeError(
            f"schedule uses {len(s.streams)} streams; {cfg.name} allows {cfg.max_streams}"
        )
    if s.num_events > cfg.max_events:
        raise GeError(f"schedule uses {s.num_events} events; {cfg.name} allows {cfg.max_events}")
    if len(s.tasks) > cfg.max_resident_tasks:
        raise GeError(
            f"schedule has {len(s.tasks)} tasks; {cfg.name} keeps {cfg.max_resident_tasks}"
        )
    per_stream: dict[int, int] = {}
    for t in s.tasks:
        if t.kind == "launch":
            per_stream[t.stream] = per_stream.get(t.stream, 0) + 1
    for sid, n in per_stream.items():
        if n > cfg.max_tasks_per_stream:
            raise GeError(
                f"stream {sid} holds {n} tasks; {cfg.name} allows {cfg.max_tasks_per_stream} "
                "per stream (split the stream)"
            )


def simulate(s: Schedule, cfg: DeviceConfig, launch_mode: str = "host") -> Simulation:
    if launch_mode not in LAUNCH_MODES:
        raise GeError(f"launch mode must be one of {', '.join(LAUNCH_MODES)}, got '{launch_mode}'")
    check_limits(s, cfg)
    check_ordering(s)
    host = cfg.sink_launch_us if launch_mode == "sink" else 0.0
    per_task = cfg.sink_dispatch_us if launch_mode == "sink" else 0.0
    queue_free: dict[tuple[str, int], float] = {}
    cores_free = 0.0
    link_free = 0.0
    event_time: dict[int, float] = {}
    runs: list[TaskRun] = []
    busy: dict[str, float] = {}
    for t in s.tasks:
        work = task_work(s, t, cfg)
        issue = host
        if launch_mode == "host":
            host += cfg.host_launch_us
        lane = ("stream" if t.kind == "launch" else "dma", t.stream)
        ready = max(issue, queue_free.get(lane, 0.0))
        for e in t.waits:
            ready = max(ready, event_time[e])
        overhead = per_task + (cfg.kernel_overhead_us if t.kind == "launch" else cfg.dma_latency_us)
        duration = work.roofline_us(cfg) + overhead
        on_cores = t.kind == "launch" or t.copy_kind == "d2d"
        start = max(ready, cores_free if on_cores else link_free)
        end = start + duration
        if on_cores:
            cores_free = end
        else:
            link_free = end
        queue_free[lane] = end
        for e in t.records:
            event_time[e] = end
        key = f"{lane[0]}{lane[1]}"
        busy[key] = busy.get(key, 0.0) + duration
        runs.append(TaskRun(t.id, start, end, work))
    latency = max((r.end_us for r in runs), default=0.0)
    return Simulation(latency, runs, busy)
