"""Event-driven, cycle-approximate execution of a Schedule.

Each stream and DMA queue is an in-order lane; a task becomes eligible when the previous task of
its lane has finished, the host has issued it and every event it waits for is recorded. Eligible
tasks start, in order of eligibility, when their resources allow:

- a kernel takes ``c`` free cores of its engine (cube cores, or vector cores; a cube kernel
  with a vector epilogue also takes the vector cores paired with its cube cores), ``c`` being
  its ``block_dim`` (default: as many as it has tiles) limited by what is free, and it grows
  as cores free up (after queued kernels are served);
- HBM bandwidth is shared by every running kernel and device copy: each asks for the rate at
  which it could move its bytes if memory were free, and the bandwidth is water-filled among
  them (max-min fairness); the host link is shared the same way by host copies.

A task lasts its fixed overhead (kernel start, DMA set-up) plus the time
its cores and bandwidth share allow; it progresses as a fluid whose rate is recomputed whenever
a task starts or ends. Launch modes: ``host`` (the host issues the tasks one after
another, ``host_launch_us`` each) and ``sink`` (one ``sink_launch_us`` call for the whole
graph, then the device's task scheduler issues them ``sink_dispatch_us`` apart). Malformed
schedules and schedules whose tasks race on a buffer are refused (``ordering.py``).
Deterministic: the same Schedule and config give the same numbers.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ge_compiler.device.config import DeviceConfig
from ge_compiler.device.ordering import check_ordering
from ge_compiler.device.timing import TaskProfile, task_profile
from ge_compiler.errors import GeError
from ge_compiler.schedule import Schedule

LAUNCH_MODES = ("host", "sink")
_EPS = 1e-12


@dataclass(frozen=True)
class TaskRun:
    task: int
    start_us: float
    end_us: float
    cores: int
    profile: TaskProfile


@dataclass
class Simulation:
    latency_us: float
    start_us: list[float]
    end_us: list[float]
    cores: list[int]
    profiles: list[TaskProfile]
    lane_busy_us: dict[str, float] = field(default_factory=dict)

    @property
    def runs(self) -> list[TaskRun]:
        return [
            TaskRun(i, a, b, c, p)
            for i, (a, b, c, p) in enumerate(
                zip(self.start_us, self.end_us, self.cores, self.profiles, strict=True)
            )
        ]

    @property
    def hbm_bytes(self) -> int:
        return sum(p.hbm_bytes for p in self.profiles)

    @property
    def link_bytes(self) -> int:
        return sum(p.link_bytes for p in self.profiles)


def wait_sources(s: Schedule) -> list[list[int]]:
    """Per task, the recording tasks it waits for: for each waited event, its last recorder
    before the task in program order."""
    last: dict[int, int] = {}
    sources = []
    for t in s.tasks:
        sources.append([last[e] for e in t.waits])
        for e in t.records:
            last[e] = t.id
    return sources


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


def _per(duration: float) -> float:
    """Progress rate of a task lasting ``duration`` (a task with nothing to do ends at once)."""
    return 1.0 / duration if duration > 0 else math.inf


def water_fill(demands: list[float], capacity: float) -> list[float]:
    """Max-min fair shares of ``capacity`` for the given demands (inf = as much as possible)."""
    if sum(demands) <= capacity:
        return demands
    alloc = [0.0] * len(demands)
    order = sorted(range(len(demands)), key=demands.__getitem__)
    left, remaining = capacity, len(demands)
    for i in order:
        share = left / remaining
        alloc[i] = min(demands[i], share)
        left -= alloc[i]
        remaining -= 1
    return alloc


class _Engine:
    """The mutable state of one simulation run (kept in one place for speed and clarity)."""

    def __init__(
        self,
        s: Schedule,
        cfg: DeviceConfig,
        launch_mode: str,
        requests: int,
        conditions: Mapping[int, bool] | None = None,
    ):
        if launch_mode not in LAUNCH_MODES:
            raise GeError(
                f"launch mode must be one of {', '.join(LAUNCH_MODES)}, got '{launch_mode}'"
            )
        if requests < 1:
            raise GeError(f"requests must be >= 1, got {requests}")
        s.validate()
        check_limits(s, cfg)  # a loop's tasks are resident once, however often they run
        s = s.expanded()
        check_ordering(s)
        self.s, self.cfg = s, cfg
        base, nt = s.tasks, len(s.tasks)
        n = nt * requests
        # Request r's copy of task i is task r * nt + i, with its own events (and its own
        # workspace: buffers only matter for the race check, done once on the base schedule).
        # Event ids may be reused, so an event here is one record: the recording task's index;
        # a wait is on the last record of its event before it in program order (as the host
        # issues them).
        self.prof = profiles(s, cfg, conditions) * requests
        sources = wait_sources(s)
        self.waits = [
            [src + r * nt for src in sources[i]] if sources[i] else []
            for r in range(requests)
            for i in range(nt)
        ]
        self.records = [[t.id + r * nt] if t.records else [] for r in range(requests) for t in base]
        self.block_dim = [t.block_dim for t in base] * requests
        self.hbm = [p.hbm_bytes for p in self.prof]
        self.link = [p.link_bytes for p in self.prof]
        self.hbm_bw, self.link_bw = cfg.hbm_bytes_per_us, cfg.host_link_bytes_per_us
        # Tasks are issued one after another by the host (host mode) or by the device's task
        # scheduler after one model-execute call (sink mode). Preloaded weight copies are not
        # part of an inference: never issued, no overhead.
        live = [not p.preloaded for p in self.prof]
        first, each = (
            (cfg.sink_launch_us, cfg.sink_dispatch_us)
            if launch_mode == "sink"
            else (0.0, cfg.host_launch_us)
        )
        self.issue = [0.0] * n
        issued = 0
        for i in range(n):  # a task is issued when its launch call returns
            issued += live[i]
            self.issue[i] = first + issued * each
        self.overhead = [
            (cfg.kernel_overhead_us if t.kind == "launch" else cfg.dma_latency_us) * live[i]
            for i, t in enumerate(base)
        ] * requests
        lanes: dict[tuple[str, int], list[int]] = {}
        for r in range(requests):
            for t in base:
                lanes.setdefault((t.kind, t.stream), []).append(t.id + r * nt)
        self.lane_names = [f"{'stream' if k == 'launch' else 'dma'}{sid}" for k, sid in lanes]
        self.lanes = list(lanes.values())
        self.head = [0] * len(self.lanes)
        self.event_time: dict[int, float] = {}
        self.free = {"aic": cfg.ai_cores, "aiv": cfg.vector_cores}
        self.start = [0.0] * n
        self.end = [0.0] * n
        self.cores = [0] * n
        self.solo = [0.0] * n
        """Duration on the task's cores with HBM unconstrained (0 for copies)."""
        self.aiv_held = [0] * n

    def try_start(self, tid: int) -> bool:
        p = self.prof[tid]
        if p.engine in ("link", "hbm"):
            self.cores[tid] = 0
            return True
        want = self.block_dim[tid] or p.tiles
        avail = self.free[p.engine]
        if p.aiv_per_tile:
            avail = min(avail, self.free["aiv"] // p.aiv_per_tile)
        c = min(want, p.tiles, avail)
        if c < 1:
            return False
        self.cores[tid] = c
        self.solo[tid] = p.time_on(c)
        self.free[p.engine] -= c
        self.aiv_held[tid] = c * p.aiv_per_tile
        self.free["aiv"] -= self.aiv_held[tid]
        return True

    def grow(self, tid: int) -> None:
        """Give a running kernel more of the cores it asked for, as they free up (the block
        scheduler dispatches its remaining blocks to every idle core)."""
        p = self.prof[tid]
        want = min(self.block_dim[tid] or p.tiles, p.tiles)
        avail = self.free[p.engine]
        if p.aiv_per_tile:
            avail = min(avail, self.free["aiv"] // p.aiv_per_tile)
        extra = min(want - self.cores[tid], avail)
        if extra < 1:
            return
        self.cores[tid] += extra
        self.free[p.engine] -= extra
        self.aiv_held[tid] += extra * p.aiv_per_tile
        self.free["aiv"] -= extra * p.aiv_per_tile
        self.solo[tid] = p.time_on(self.cores[tid])

    def wants_more(self, tid: int) -> bool:
        p = self.prof[tid]
        return p.engine in ("aic", "aiv") and self.cores[tid] < min(
            self.block_dim[tid] or p.tiles, p.tiles
        )

    def release(self, tid: int) -> None:
        p = self.prof[tid]
        if p.engine in ("aic", "aiv"):
            self.free[p.engine] += self.cores[tid]
            self.free["aiv"] += self.aiv_held[tid]

    def rates(self, fluid: list[int]) -> list[float]:
        """Progress per us (fraction of the task) of each running task.

        A task lasts ``overhead + max(solo, bytes / bandwidth share)``; its share comes from
        water-filling the bandwidth over the running tasks' demands ``bytes / solo``. Rates
        are recomputed whenever the running set changes (a fluid model).
        """
        hbm, link, solo, overhead = self.hbm, self.link, self.solo, self.overhead
        hbm_bw, link_bw = self.hbm_bw, self.link_bw
        if len(fluid) == 1:  # the common case: nothing to share
            t = fluid[0]
            return [_per(overhead[t] + max(solo[t], hbm[t] / hbm_bw, link[t] / link_bw))]
        hbm_at = [i for i, tid in enumerate(fluid) if hbm[tid]]
        link_at = [i for i, tid in enumerate(fluid) if link[tid]]
        if len(hbm_at) <= 1 and len(link_at) <= 1:  # no contention either
            return [
                _per(overhead[t] + max(solo[t], hbm[t] / hbm_bw, link[t] / link_bw)) for t in fluid
            ]
        busy = [solo[tid] for tid in fluid]
        if hbm_at:
            demand = [
                hbm[fluid[i]] / solo[fluid[i]] if solo[fluid[i]] > 0 else math.inf for i in hbm_at
            ]
            for i, bw in zip(hbm_at, water_fill(demand, self.hbm_bw), strict=True):
                busy[i] = max(busy[i], hbm[fluid[i]] / bw)
        if link_at:
            share = self.link_bw / len(link_at)
            for i in link_at:
                busy[i] = max(busy[i], link[fluid[i]] / share)
        return [_per(overhead[tid] + b) for tid, b in zip(fluid, busy, strict=True)]


SKIPPED = TaskProfile(
    engine="link", tiles=1, tile_us=0.0, fill_us=0.0, hbm_bytes=0, min_hbm_bytes=0,
    link_bytes=0, cube_flops=0, vector_flops=0, cube_peak_us=0.0, vector_peak_us=0.0,
    aiv_per_tile=0, preloaded=True,
)  # fmt: skip
"""A task of the branch not taken: no time, no overhead, no resources (events still fire)."""


def profiles(
    s: Schedule, cfg: DeviceConfig, conditions: Mapping[int, bool] | None = None
) -> list[TaskProfile]:
    """Every task's profile; identical tasks (e.g. across requests) share one computation."""
    cache: dict[tuple, TaskProfile] = {}
    out = []
    size = [b.bytes for b in s.buffers].__getitem__
    for t in s.tasks:
        if not s.runs(t, conditions):
            out.append(SKIPPED)
            continue
        key = (
            t.kernel or t.copy_kind,
            tuple(map(size, t.inputs)),
            tuple(map(size, t.outputs)),
            s.is_preloaded(t),
        )
        p = cache.get(key)
        if p is None:
            p = cache[key] = task_profile(s, t, cfg)
        out.append(p)
    return out


def simulate(
    s: Schedule,
    cfg: DeviceConfig,
    launch_mode: str = "host",
    requests: int = 1,
    conditions: Mapping[int, bool] | None = None,
) -> Simulation:
    """Run ``requests`` independent requests of the schedule (see ``requests.py``);
    ``conditions`` gives the value of each branch condition input (default: true). Loops run
    unrolled: the simulation's task indices are those of ``s.expanded()``."""
    eng = _Engine(s, cfg, launch_mode, requests, conditions)
    lanes, head, issue, waits, records = eng.lanes, eng.head, eng.issue, eng.waits, eng.records
    start, end, try_start, release, rates_of = (
        eng.start,
        eng.end,
        eng.try_start,
        eng.release,
        eng.rates,
    )
    event_time = eng.event_time
    lane_of = {tid: lane for lane, ts in enumerate(lanes) for tid in ts}
    now = 0.0
    queued: list[int] = []  # eligible, waiting for cores, in order of eligibility
    remaining: dict[int, float] = {}  # running: fraction of the work left
    issue_heap: list[tuple[float, int]] = []  # lanes whose head the host has not issued yet
    on_event: dict[int, list[int]] = {}  # event -> lanes whose head waits for it
    dirty = list(range(len(lanes)))  # lanes whose head must be (re)examined
    hungry: list[int] = []  # running kernels on fewer cores than they asked for
    freed = False  # cores were released since the last look at the hungry kernels
    done, n = 0, len(issue)
    while done < n:
        while issue_heap and issue_heap[0][0] <= now + _EPS:
            dirty.append(heapq.heappop(issue_heap)[1])
        for lane in dirty:
            if head[lane] >= len(lanes[lane]):
                continue
            tid = lanes[lane][head[lane]]
            if issue[tid] > now + _EPS:
                heapq.heappush(issue_heap, (issue[tid], lane))
                continue
            for e in waits[tid]:
                if e not in event_time:
                    on_event.setdefault(e, []).append(lane)
                    break
            else:
                queued.append(tid)
        dirty = []
        if queued:
            waiting = []
            for tid in queued:
                if try_start(tid):
                    start[tid] = now
                    remaining[tid] = 1.0
                    if eng.wants_more(tid):
                        hungry.append(tid)
                else:
                    waiting.append(tid)
            queued = waiting
        if hungry and freed:  # freed cores go to queued tasks first, then to running kernels
            still = []
            for tid in hungry:
                if tid in remaining:
                    eng.grow(tid)
                    if eng.wants_more(tid):
                        still.append(tid)
            hungry = still
        freed = False
        nxt = math.inf
        if issue_heap and issue_heap[0][0] < nxt:
            nxt = issue_heap[0][0]
        finished = []
        if remaining:
            fluid = list(remaining)
            rates = rates_of(fluid)
            ends = [now + remaining[tid] / r for tid, r in zip(fluid, rates)]  # noqa: B905
            first = min(ends)
            if first < nxt:
                nxt = first
            dt = nxt - now
            limit = nxt + _EPS
            for tid, r, t_end in zip(fluid, rates, ends):  # noqa: B905
                if t_end <= limit:
                    finished.append(tid)
                else:
                    remaining[tid] -= r * dt
        if nxt == math.inf:
            raise GeError("simulation deadlock: no task can start (an event is never recorded)")
        now = nxt
        for tid in finished:
            del remaining[tid]
            end[tid] = now
            release(tid)
            freed = True
            for e in records[tid]:
                event_time[e] = now
                dirty.extend(on_event.pop(e, ()))
            lane = lane_of[tid]
            head[lane] += 1
            dirty.append(lane)
            done += 1
    busy: dict[str, float] = {}
    for lane, ts in enumerate(lanes):
        busy[eng.lane_names[lane]] = sum(eng.end[t] - eng.start[t] for t in ts)
    return Simulation(max(eng.end, default=0.0), eng.start, eng.end, eng.cores, eng.prof, busy)
