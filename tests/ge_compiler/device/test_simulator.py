"""The device model: on random race-free schedules it never beats the lower bounds, is
deterministic, keeps lane order, events and core counts, and pipelining requests never hurts;
hand-made schedules show launch modes, bandwidth sharing and core sharing; races, unknown events
and runtime limits are GeErrors."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ge_compiler.compiler import compile_module
from ge_compiler.device import simulator
from ge_compiler.device.bounds import lower_bounds
from ge_compiler.device.config import CONFIG_DIR, DeviceConfig, config_from_dict, load_config
from ge_compiler.device.simulator import (
    LAUNCH_MODES,
    Simulation,
    check_limits,
    simulate,
    water_fill,
)
from ge_compiler.errors import GeError
from ge_compiler.models import build_model
from ge_compiler.report import build_report
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

EPS = 1e-9

# --------------------------------------------------------------------------- random schedules


def lane(t: Task) -> tuple[str, int]:
    return (t.kind, t.stream)


@st.composite
def kernels_strategy(draw, i: int) -> Kernel:
    """A GEMM kernel (f16/f32/i8 or unknown dtype, optional vector epilogue), a cube kernel
    without GEMM dims, a vector kernel or an empty one."""
    kind = draw(st.sampled_from(["gemm", "gemm", "vector", "vector", "cube-no-gemm", "empty"]))
    name = f"k{i}"
    if kind == "gemm":
        dims = st.sampled_from([1, 15, 16, 100, 128, 512, 1024, 4096])
        gemm = [draw(st.integers(1, 4)), draw(dims), draw(dims), draw(dims)]
        dtype = draw(st.sampled_from(["f16", "f32", "i8", None]))
        epilogue = draw(st.sampled_from([0, 0, 10**3, 10**7]))
        return Kernel(name, "cube", 2 * math.prod(gemm), epilogue, "", gemm, dtype)
    if kind == "vector":
        return Kernel(name, "vector", 0, draw(st.integers(1, 10**9)), "")
    if kind == "cube-no-gemm":
        return Kernel(name, "cube", draw(st.sampled_from([2, 10**4, 10**6])), 0, "")
    return Kernel(name, "none", 0, 0, "")


@st.composite
def schedules(draw, max_tasks: int = 24) -> Schedule:
    """A random schedule made race-free: an event for every cross-lane read-after-write,
    write-after-write and write-after-read on a buffer."""
    n_streams = draw(st.integers(1, 4))
    n_queues = draw(st.integers(1, 3))
    n_buffers = draw(st.integers(1, 10))
    sizes = draw(st.lists(st.integers(1, 1 << 24), min_size=n_buffers, max_size=n_buffers))
    host = draw(st.lists(st.booleans(), min_size=n_buffers, max_size=n_buffers))
    weight = draw(st.lists(st.booleans(), min_size=n_buffers, max_size=n_buffers))
    kernels = {}
    for i in range(draw(st.integers(1, 4))):
        kernels[f"k{i}"] = draw(kernels_strategy(i))
    buffer_ids = st.integers(0, n_buffers - 1)
    block_dims = st.one_of(st.none(), st.integers(1, 64))

    tasks: list[Task] = []
    writer: dict[int, int] = {}
    readers: dict[int, list[int]] = {}
    event_of: dict[int, int] = {}
    for tid in range(draw(st.integers(0, max_tasks))):
        if n_buffers == 1 or draw(st.booleans()):
            t = Task(
                tid,
                "launch",
                draw(st.integers(0, n_streams - 1)),
                draw(st.lists(buffer_ids, max_size=3, unique=True)),
                draw(st.lists(buffer_ids, min_size=1, max_size=2, unique=True)),
                kernel=draw(st.sampled_from(sorted(kernels))),
                block_dim=draw(block_dims),
            )
        else:
            src = draw(buffer_ids)
            dst = draw(buffer_ids.filter(lambda b, src=src: b != src))
            t = Task(
                tid,
                "copy",
                draw(st.integers(0, n_queues - 1)),
                [src],
                [dst],
                copy_kind=draw(st.sampled_from(["h2d", "d2h", "d2d"])),
            )
        before = [writer[b] for b in (*t.inputs, *t.outputs) if b in writer]
        before += [r for b in t.outputs for r in readers.get(b, ())]
        for w in before:
            if lane(tasks[w]) != lane(t):
                e = event_of.setdefault(w, len(event_of))
                if e not in t.waits:
                    t.waits.append(e)
        for b in t.inputs:
            readers.setdefault(b, []).append(tid)
        for b in t.outputs:
            writer[b] = tid
            readers[b] = []
        tasks.append(t)
    for w, e in event_of.items():
        tasks[w].records.append(e)

    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for t in tasks:
        for b in (*t.inputs, *t.outputs):
            first.setdefault(b, t.id)
            last[b] = t.id
    buffers, offsets = [], {"host": 0, "act": 0}
    for i, size in enumerate(sizes):
        arena = "host" if host[i] else "act"
        binding = f"weight:w{i}" if host[i] and weight[i] else None
        buffers.append(
            BufferRef(
                arena, offsets[arena], size, [size], "i8", first.get(i, 0), last.get(i, 0), binding
            )
        )
        offsets[arena] += size
    return Schedule(
        model="random",
        function="f",
        arenas=[
            Arena("host", "host", offsets["host"], 1),
            Arena("act", "device", offsets["act"], 1),
        ],
        buffers=buffers,
        kernels=kernels,
        tasks=tasks,
        num_events=len(event_of),
        weights_resident=draw(st.booleans()),
    )


CONFIGS = {name: load_config(name) for name in ("910B2", "310P3")}
PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REQUESTS = (1, 3)


def at_least(x: float, bound: float) -> bool:
    return x >= bound * (1 - EPS) - EPS


@PROPERTY
@given(
    s=schedules(),
    device=st.sampled_from(sorted(CONFIGS)),
    mode=st.sampled_from(LAUNCH_MODES),
    requests=st.sampled_from(REQUESTS),
)
def test_latency_is_never_below_the_lower_bound(
    s: Schedule, device: str, mode: str, requests: int
) -> None:
    cfg = CONFIGS[device]
    sim = simulate(s, cfg, mode, requests)
    lb = lower_bounds(s, cfg)
    assert at_least(sim.latency_us, lb.latency_us)
    assert at_least(sim.latency_us, lb.critical_path_us)
    assert len(sim.runs) == len(s.tasks) * requests
    assert sim.latency_us == max((r.end_us for r in sim.runs), default=0.0)
    assert lb.memory_bytes <= sum(a.size for a in s.arenas if a.space == "device")
    if requests > 1:  # the bound of one request, times the requests, for resource totals
        for part in (lb.cube_us, lb.vector_us, lb.hbm_us, lb.host_link_us):
            assert at_least(sim.latency_us, requests * part)


@PROPERTY
@given(s=schedules(max_tasks=12), mode=st.sampled_from(LAUNCH_MODES))
def test_report_utilization_is_a_fraction(s: Schedule, mode: str) -> None:
    r = build_report(s, CONFIGS["910B2"], 3, mode, requests=2)
    for key, value in r["utilization"].items():
        assert 0.0 <= value <= 1.0 + 1e-6, key
    assert r["latency_us"] >= r["lower_bounds"]["latency_us"] * (1 - EPS) - EPS
    assert (r["throughput_qps"] > 0) == (r["latency_us"] > 0)


@PROPERTY
@given(s=schedules(), mode=st.sampled_from(LAUNCH_MODES), requests=st.sampled_from(REQUESTS))
def test_simulation_is_deterministic(s: Schedule, mode: str, requests: int) -> None:
    cfg = CONFIGS["910B2"]
    first = simulate(s, cfg, mode, requests)
    again = simulate(s, cfg, mode, requests)
    reloaded = simulate(Schedule.loads(s.dumps()), cfg, mode, requests)
    assert first == again == reloaded
    assert lower_bounds(s, cfg) == lower_bounds(Schedule.loads(s.dumps()), cfg)


def expanded(s: Schedule, requests: int) -> list[tuple[Task, int]]:
    """(base task, global index) of every task of every request."""
    n = len(s.tasks)
    return [(t, r * n + t.id) for r in range(requests) for t in s.tasks]


@PROPERTY
@given(
    s=schedules(),
    device=st.sampled_from(sorted(CONFIGS)),
    mode=st.sampled_from(LAUNCH_MODES),
    requests=st.sampled_from(REQUESTS),
)
def test_runs_respect_lanes_events_and_roofline(
    s: Schedule, device: str, mode: str, requests: int
) -> None:
    cfg = CONFIGS[device]
    sim = simulate(s, cfg, mode, requests)
    n = len(s.tasks)
    recorder = {e: t.id for t in s.tasks for e in t.records}
    lane_end: dict[tuple[str, int], float] = {}
    for t, g in expanded(s, requests):
        r = sim.runs[g]
        assert r.task == g
        assert r.end_us >= r.start_us
        assert at_least(r.end_us - r.start_us, r.profile.roofline_us(cfg))
        # in program order on its stream / queue, never overlapping the previous task there
        assert r.start_us >= lane_end.get(lane(t), 0.0)
        lane_end[lane(t)] = r.end_us
        for e in t.waits:  # request k waits for request k's recorder
            assert r.start_us >= sim.end_us[g - t.id + recorder[e]]
        if mode == "sink" and not s.is_preloaded(t):
            assert r.start_us >= cfg.sink_launch_us
    assert sum(sim.lane_busy_us.values()) == pytest.approx(
        sum(b - a for a, b in zip(sim.start_us, sim.end_us, strict=True))
    )
    assert len(sim.lane_busy_us) == len({lane(t) for t in s.tasks})
    assert (
        len(sim.start_us) == len(sim.end_us) == len(sim.cores) == len(sim.profiles) == n * requests
    )


class CoreLedger(simulator._Engine):
    """The simulator's engine with every hand-out, growth and release of cores checked.

    Kernels may gain cores while they run (never lose them), so the final counts in a
    Simulation do not tell what was in use at each instant: keep our own ledger instead.
    """

    last: CoreLedger | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held: dict[int, tuple[int, int]] = {}  # running kernel -> (AIC, AIV) it holds
        self.grown: set[int] = set()
        self.started_on: dict[int, int] = {}  # kernel -> cores it started on
        CoreLedger.last = self

    def _take(self, tid: int) -> None:
        p = self.prof[tid]
        c = self.cores[tid]
        assert 1 <= c <= min(self.block_dim[tid] or p.tiles, p.tiles)
        held = (c, c * p.aiv_per_tile) if p.engine == "aic" else (0, c)
        old = self.held.get(tid, (0, 0))
        assert held[0] >= old[0] and held[1] >= old[1]  # cores are never taken away
        self.held[tid] = held
        assert sum(a for a, _ in self.held.values()) <= self.cfg.ai_cores
        assert sum(v for _, v in self.held.values()) <= self.cfg.vector_cores
        assert self.free["aic"] == self.cfg.ai_cores - sum(a for a, _ in self.held.values())
        assert self.free["aiv"] == self.cfg.vector_cores - sum(v for _, v in self.held.values())

    def try_start(self, tid: int) -> bool:
        assert tid not in self.held
        started = super().try_start(tid)
        if started and self.prof[tid].engine in ("aic", "aiv"):
            self.started_on[tid] = self.cores[tid]
            self._take(tid)
        return started

    def grow(self, tid: int) -> None:
        assert tid in self.held  # only running kernels grow
        before = self.cores[tid]
        super().grow(tid)
        if self.cores[tid] > before:
            self.grown.add(tid)
            assert self.solo[tid] == self.prof[tid].time_on(self.cores[tid])
        self._take(tid)

    def release(self, tid: int) -> None:
        super().release(tid)
        if self.prof[tid].engine in ("aic", "aiv"):
            del self.held[tid]
        else:
            assert self.cores[tid] == 0


def simulate_with_ledger(s: Schedule, cfg: DeviceConfig, mode: str, requests: int):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(simulator, "_Engine", CoreLedger)
        sim = simulate(s, cfg, mode, requests)
    ledger = CoreLedger.last
    assert ledger is not None and ledger.held == {}  # every core given back
    assert ledger.free == {"aic": cfg.ai_cores, "aiv": cfg.vector_cores}
    return sim, ledger


@PROPERTY
@given(
    s=schedules(),
    device=st.sampled_from(sorted(CONFIGS)),
    mode=st.sampled_from(LAUNCH_MODES),
    requests=st.sampled_from(REQUESTS),
)
def test_cores_in_use_never_exceed_the_chip(
    s: Schedule, device: str, mode: str, requests: int
) -> None:
    cfg = CONFIGS[device]
    sim, ledger = simulate_with_ledger(s, cfg, mode, requests)
    assert sim == simulate(s, cfg, mode, requests)  # the ledger changes nothing
    for t, g in expanded(s, requests):
        p = sim.profiles[g]
        if t.kind == "launch":
            assert 1 <= sim.cores[g] <= p.tiles
            if t.block_dim:
                assert sim.cores[g] <= t.block_dim
        else:
            assert sim.cores[g] == 0
    for g in ledger.grown:  # only kernels that started short of what they asked for grow
        p = sim.profiles[g]
        assert sim.cores[g] <= min(ledger.block_dim[g] or p.tiles, p.tiles)


@PROPERTY
@given(s=schedules(max_tasks=16), mode=st.sampled_from(LAUNCH_MODES))
def test_pipelining_requests_never_hurts(s: Schedule, mode: str) -> None:
    cfg = CONFIGS["910B2"]
    one = simulate(s, cfg, mode).latency_us
    for n in (2, 3):
        sim = simulate(s, cfg, mode, n)
        # HBM is shared fairly, with no priority for the older request, so a later request can
        # slow an earlier one's critical path a little: 1% tolerance.
        assert sim.latency_us <= n * one * 1.01 + EPS  # QPS n / many >= 1 / one
        assert at_least(sim.latency_us, one)


def test_pipelining_one_tiny_kernel_in_host_mode() -> None:
    s = tiny_kernels(1)
    one = simulate(s, CFG, "host")
    two = simulate(s, CFG, "host", requests=2)
    assert two.latency_us <= 2 * one.latency_us
    # the host spends host_launch_us launching the kernel before it can start
    assert one.start_us == [CFG.host_launch_us]
    assert one.latency_us >= CFG.host_launch_us + CFG.kernel_overhead_us
    assert two.start_us == [CFG.host_launch_us, 2 * CFG.host_launch_us]


# --------------------------------------------------------------------------- hand-made schedules


CFG = CONFIGS["910B2"]


def schedule(
    kernels: dict[str, Kernel], tasks: list[Task], sizes: list[int], num_events: int = 0
) -> Schedule:
    """Device buffers of the given sizes (buffer 0 in host memory if the tasks copy h2d)."""
    buffers, offset = [], 0
    for size in sizes:
        buffers.append(BufferRef("act", offset, size, [size], "i8", 0, max(len(tasks) - 1, 0)))
        offset += size
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("act", "device", max(offset, 1), 1)],
        buffers=buffers,
        kernels=kernels,
        tasks=tasks,
        num_events=num_events,
    )


def gemm_kernel(name: str, m: int, n: int, k: int, dtype: str = "f16") -> Kernel:
    return Kernel(name, "cube", 2 * m * n * k, 0, "", [1, m, n, k], dtype)


def one_kernel(cube_flops: int, vector_flops: int = 0) -> Schedule:
    return schedule(
        {"k": Kernel("k", "cube", cube_flops, vector_flops, "")},
        [Task(0, "launch", 0, [], [0], kernel="k")],
        [8],
    )


def test_single_kernel_timing_host_and_sink() -> None:
    """A 1024x1024x4096 f16 GEMM alone on 910B2: its blocks on min(blocks, 24) cores."""
    m, n, k = 1024, 1024, 4096
    s = schedule(
        {"mm": gemm_kernel("mm", m, n, k)},
        [Task(0, "launch", 0, [0, 1], [2], kernel="mm")],
        [2 * m * k, 2 * k * n, 2 * m * n],
    )
    host = simulate(s, CFG, "host")
    p = host.profiles[0]
    assert host.cores == [min(p.tiles, CFG.ai_cores)]
    work = max(p.time_on(host.cores[0]), p.hbm_bytes / CFG.hbm_bytes_per_us)
    # issued when the host's launch call returns
    assert host.start_us == [CFG.host_launch_us]
    assert host.latency_us == pytest.approx(CFG.host_launch_us + work + CFG.kernel_overhead_us)
    assert host.lane_busy_us == {"stream0": pytest.approx(work + CFG.kernel_overhead_us)}
    sink = simulate(s, CFG, "sink")
    first = CFG.sink_launch_us + CFG.sink_dispatch_us
    assert sink.start_us == [pytest.approx(first)]
    assert sink.latency_us == pytest.approx(first + work + CFG.kernel_overhead_us)
    # a second request on the same stream runs after the first
    two = simulate(s, CFG, "sink", requests=2)
    assert two.start_us[1] == pytest.approx(two.end_us[0])
    assert two.latency_us == pytest.approx(first + 2 * (work + CFG.kernel_overhead_us))


def test_block_dim_limits_cores() -> None:
    s = schedule(
        {"mm": gemm_kernel("mm", 1024, 1024, 1024)},
        [Task(0, "launch", 0, [0, 1], [2], kernel="mm", block_dim=4)],
        [2 << 20] * 3,
    )
    sim = simulate(s, CFG)
    p = sim.profiles[0]
    assert sim.cores == [4]
    assert sim.latency_us == pytest.approx(
        CFG.host_launch_us + p.time_on(4) + CFG.kernel_overhead_us
    )
    assert p.time_on(4) > p.time_on(24)


def test_cube_kernel_with_vector_epilogue_holds_paired_vector_cores() -> None:
    k = dataclasses.replace(gemm_kernel("mm", 4096, 4096, 64), vector_flops=10**6)
    s = schedule(
        {"mm": k, "v": Kernel("v", "vector", 0, 10**6, "")},
        [
            Task(0, "launch", 0, [], [0], kernel="mm"),
            Task(1, "launch", 1, [], [1], kernel="v"),
        ],
        [2 << 20, 2 << 20],
    )
    sim = simulate(s, CFG)
    assert sim.profiles[0].aiv_per_tile == CFG.vector_cores // CFG.ai_cores
    assert sim.cores[0] == CFG.ai_cores
    # every vector core is paired with a busy cube core: the vector kernel waits
    assert sim.start_us[1] == pytest.approx(sim.end_us[0])


def fluid_end(sim: Simulation, tid: int, phases: list[tuple[float, int]]) -> float:
    """When kernel ``tid`` ends if it runs on ``cores`` from each phase's start time on, its
    remaining work proceeding at ``overhead + time_on(cores)`` (HBM is not its limit)."""
    p = sim.profiles[tid]
    done, t = 0.0, sim.start_us[tid]
    for (begin, cores), (until, _) in zip(phases, [*phases[1:], (math.inf, 0)], strict=True):
        assert begin == t
        duration = CFG.kernel_overhead_us + p.time_on(cores)
        assert p.hbm_bytes / CFG.hbm_bytes_per_us < p.time_on(cores)
        if done + (until - t) / duration >= 1:
            return t + (1 - done) * duration
        done += (until - t) / duration
        t = until
    raise AssertionError("unreachable")


def test_a_kernel_started_on_few_free_cores_widens_when_cores_free() -> None:
    chunk = CFG.ub_bytes // 2
    tile_us = 100.0
    s = schedule(
        {
            "short": Kernel("short", "vector", 0, 0, ""),  # 47 tiles, about 4 us
            "long": Kernel(
                "long", "vector", 0, int(48 * CFG.vector_lanes * CFG.clock_mhz * tile_us), ""
            ),  # 48 tiles of 100 us
        },
        [
            Task(0, "launch", 0, [], [0], kernel="short"),
            Task(1, "launch", 1, [], [1], kernel="long"),
        ],
        [47 * chunk, 48 * chunk],
    )
    sim = simulate(s, CFG, "host")
    assert sim.profiles[1].tiles == 48
    assert sim.profiles[1].tile_us == pytest.approx(tile_us)
    assert sim.start_us == [CFG.host_launch_us, 2 * CFG.host_launch_us]
    assert sim.start_us[1] < sim.end_us[0]  # the long kernel starts on the one free core ...
    assert sim.cores == [47, 48]  # ... and takes the 47 others when the short kernel ends
    assert sim.end_us[1] == pytest.approx(
        fluid_end(sim, 1, [(sim.start_us[1], 1), (sim.end_us[0], 48)]), rel=1e-9
    )
    # never later than restarting on every core when they free up, and close to the bound
    assert sim.end_us[1] < sim.end_us[0] + CFG.kernel_overhead_us + sim.profiles[1].time_on(48)
    lb = lower_bounds(s, CFG).latency_us
    assert sim.latency_us <= lb + sim.start_us[1] + CFG.kernel_overhead_us + 2.0


def test_queued_kernels_get_freed_cores_before_running_kernels_grow() -> None:
    """x holds 40 of 48 vector cores; h starts on the other 8 and wants 48; q (10 tiles) is
    queued when x ends: q gets its 10 cores first, h grows to 38, then to 48 when q ends."""
    chunk = CFG.ub_bytes // 2

    def vector(name: str, tiles: int, tile_us: float) -> Kernel:
        return Kernel(
            name, "vector", 0, int(tiles * CFG.vector_lanes * CFG.clock_mhz * tile_us), ""
        )

    s = schedule(
        {"x": vector("x", 40, 20.0), "h": vector("h", 48, 50.0), "q": vector("q", 10, 20.0)},
        [
            Task(0, "launch", 0, [], [0], kernel="x"),
            Task(1, "launch", 1, [], [1], kernel="h"),
            Task(2, "launch", 2, [], [2], kernel="q"),
        ],
        [40 * chunk, 48 * chunk, 10 * chunk],
    )
    sim, ledger = simulate_with_ledger(s, CFG, "host", 1)
    assert [p.tiles for p in sim.profiles] == [40, 48, 10]
    x_end = sim.end_us[0]
    assert sim.start_us == pytest.approx([CFG.host_launch_us * (i + 1) for i in range(2)] + [x_end])
    assert sim.start_us[2] > CFG.host_launch_us * 3  # q waited for cores
    assert ledger.started_on == {0: 40, 1: 8, 2: 10}
    assert sim.cores == [40, 48, 10]
    assert ledger.grown == {1}
    assert sim.end_us[2] < sim.end_us[1]
    assert sim.end_us[1] == pytest.approx(
        fluid_end(sim, 1, [(sim.start_us[1], 8), (x_end, 38), (sim.end_us[2], 48)]), rel=1e-9
    )


def test_growth_stops_at_block_dim_and_pairs_vector_cores() -> None:
    """A kernel grows up to its block_dim only; a cube kernel with a vector epilogue grows
    only as far as paired vector cores are free too."""
    chunk = CFG.ub_bytes // 2
    per_us = CFG.vector_lanes * CFG.clock_mhz
    hold = Kernel("hold", "vector", 0, int(40 * per_us * 20.0), "")  # 40 tiles of 20 us
    wide = Kernel("wide", "vector", 0, int(48 * per_us * 50.0), "")  # 48 tiles of 50 us
    s = schedule(
        {"hold": hold, "wide": wide},
        [
            Task(0, "launch", 0, [], [0], kernel="hold"),
            Task(1, "launch", 1, [], [1], kernel="wide", block_dim=20),
        ],
        [40 * chunk, 48 * chunk],
    )
    sim, ledger = simulate_with_ledger(s, CFG, "host", 1)
    assert ledger.started_on == {0: 40, 1: 8}
    assert sim.cores == [40, 20] and ledger.grown == {1}
    assert sim.end_us[1] == pytest.approx(
        fluid_end(sim, 1, [(sim.start_us[1], 8), (sim.end_us[0], 20)]), rel=1e-9
    )

    epilogue = dataclasses.replace(gemm_kernel("mm", 4096, 4096, 4096), vector_flops=10**6)
    s = schedule(
        {"hold": hold, "mm": epilogue},
        [
            Task(0, "launch", 0, [], [0], kernel="hold"),
            Task(1, "launch", 1, [], [1], kernel="mm"),
        ],
        [40 * chunk, 64],
    )
    sim, ledger = simulate_with_ledger(s, CFG, "host", 1)
    pairs = CFG.vector_cores // CFG.ai_cores
    assert sim.profiles[1].aiv_per_tile == pairs and sim.profiles[1].tiles > CFG.ai_cores
    assert sim.start_us[1] < sim.end_us[0]
    assert ledger.started_on[1] == 8 // pairs  # the cube cores it could pair with free AIVs
    assert sim.cores[1] == CFG.ai_cores and ledger.grown == {1}


def test_pipelining_never_hurts_when_kernels_compete_for_cores() -> None:
    s = schedule(
        {
            "a": gemm_kernel("a", 4096, 1024, 1024),  # 64 blocks: the whole chip
            "b": Kernel("b", "cube", 2 * 17 * 16 * 16 * 65536, 0, "", [17, 16, 16, 65536], "f16"),
        },
        [
            Task(0, "launch", 0, [], [0], records=[0], kernel="a"),
            Task(1, "launch", 1, [0], [1], waits=[0], kernel="b"),  # 17 blocks
        ],
        [64, 64],
        num_events=1,
    )
    one = simulate(s, CFG, "sink").latency_us
    two = simulate(s, CFG, "sink", requests=2)
    assert two.latency_us <= 2 * one
    # request 2's "a" starts on the 7 cores request 1's "b" leaves, then takes the rest
    assert two.cores[2] == min(two.profiles[2].tiles, CFG.ai_cores)


@pytest.mark.parametrize("mode", LAUNCH_MODES)
@pytest.mark.parametrize("requests", [1, 3])
def test_issue_times(mode: str, requests: int) -> None:
    """Task k (over every request, in program order) is issued when its launch call returns:
    host mode (k + 1) host launches; sink mode one sink launch and k + 1 dispatches."""
    n = 5
    s = tiny_kernels(n, streams=n)  # each on its own stream: each starts when issued
    sim = simulate(s, CFG, mode, requests)
    first, each = (
        (CFG.sink_launch_us, CFG.sink_dispatch_us) if mode == "sink" else (0.0, CFG.host_launch_us)
    )
    assert sim.start_us == pytest.approx([first + (k + 1) * each for k in range(n * requests)])


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_preloaded_copies_take_no_issue_slot(mode: str) -> None:
    s = copy_then_launch(waits=True)
    s.weights_resident = True
    s.kernels["c"] = Kernel("c", "cube", 2, 0, "", [1, 1, 1, 1], "f16")  # on a free cube core
    s.tasks.append(Task(2, "launch", 1, [], [3], kernel="c"))
    s.buffers.append(BufferRef("act", s.buffers[2].offset + 8, 8, [8], "i8", 2, 2))
    sim = simulate(s, CFG, mode)
    first, each = (
        (CFG.sink_launch_us, CFG.sink_dispatch_us) if mode == "sink" else (0.0, CFG.host_launch_us)
    )
    assert sim.end_us[0] - sim.start_us[0] == 0.0  # the preloaded copy: no time
    assert sim.start_us[1:] == pytest.approx([first + each, first + 2 * each])


def test_host_launch_cost_serializes_issue() -> None:
    s = one_kernel(0)
    s.tasks = [Task(i, "launch", i % 2, [], [], kernel="k") for i in range(4)]
    sim = simulate(s, CFG, "host")
    assert sim.start_us == pytest.approx([(i + 1) * CFG.host_launch_us for i in range(4)])


def tiny_kernels(n: int, streams: int = 1) -> Schedule:
    return schedule(
        {"k": Kernel("k", "vector", 0, 128, "")},
        [Task(i, "launch", i % streams, [], [i], kernel="k") for i in range(n)],
        [64] * n,
    )


@pytest.mark.parametrize("streams", [1, 4])
def test_host_mode_with_tiny_kernels_is_launch_bound(streams: int) -> None:
    n = 200
    s = tiny_kernels(n, streams)
    host = simulate(s, CFG, "host")
    p = host.profiles[-1]
    work = CFG.kernel_overhead_us + max(p.time_on(1), p.hbm_bytes / CFG.hbm_bytes_per_us)
    assert p.tiles == 1 and work < CFG.host_launch_us
    # the host issues one kernel per host_launch_us; each kernel is far shorter than that, so
    # the last one starts when its launch returns, after n launches
    assert host.start_us == pytest.approx([(i + 1) * CFG.host_launch_us for i in range(n)])
    assert host.latency_us == pytest.approx(n * CFG.host_launch_us + work)
    sink = simulate(s, CFG, "sink")
    assert sink.latency_us < host.latency_us
    assert sink.latency_us >= CFG.sink_launch_us + n * CFG.sink_dispatch_us + work - EPS
    assert sink.latency_us >= lower_bounds(s, CFG).latency_us
    if streams * CFG.sink_dispatch_us > work:  # each stream is idle when its next task arrives
        assert sink.latency_us == pytest.approx(
            CFG.sink_launch_us + n * CFG.sink_dispatch_us + work
        )
    else:  # one stream: the kernels queue up behind the first
        assert sink.latency_us == pytest.approx(
            CFG.sink_launch_us + CFG.sink_dispatch_us + n * work
        )


def test_sink_mode_pays_one_launch() -> None:
    s = tiny_kernels(1)
    sink, host = simulate(s, CFG, "sink"), simulate(s, CFG, "host")
    assert sink.latency_us > host.latency_us
    assert sink.latency_us - host.latency_us == pytest.approx(
        CFG.sink_launch_us + CFG.sink_dispatch_us - CFG.host_launch_us
    )
    assert sink.end_us[0] - sink.start_us[0] == pytest.approx(host.end_us[0] - host.start_us[0])


def memory_bound_pair(streams: int) -> Schedule:
    """Two independent elementwise kernels of 256 MiB in + 256 MiB out, 24 cores each."""
    size = 256 << 20
    return schedule(
        {"add": Kernel("add", "vector", 0, size, "")},
        [
            Task(0, "launch", 0, [0], [1], kernel="add", block_dim=24),
            Task(1, "launch", streams - 1, [2], [3], kernel="add", block_dim=24),
        ],
        [size] * 4,
    )


def test_memory_bound_kernels_share_hbm_bandwidth() -> None:
    one, two = simulate(memory_bound_pair(1), CFG), simulate(memory_bound_pair(2), CFG)
    alone = 2 * (256 << 20) / CFG.hbm_bytes_per_us
    h = CFG.host_launch_us
    assert one.end_us[0] == pytest.approx(h + alone + CFG.kernel_overhead_us, rel=1e-6)
    assert two.start_us == [h, 2 * h]  # both run at once ...
    assert two.cores == [24, 24]
    # ... but each at about half the bandwidth: no gain from the second stream
    assert two.latency_us == pytest.approx(one.latency_us, rel=0.02)
    assert at_least(two.latency_us, 2 * alone)


def compute_bound_pair(streams: int) -> Schedule:
    """Two independent f32 GEMMs of few blocks each on 8 cores: each leaves most cores idle."""
    return schedule(
        {"mm": gemm_kernel("mm", 256, 512, 4096, "f32")},
        [
            Task(0, "launch", 0, [0, 1], [2], kernel="mm", block_dim=8),
            Task(1, "launch", streams - 1, [3, 4], [5], kernel="mm", block_dim=8),
        ],
        [4 * 256 * 4096, 4 * 4096 * 512, 4 * 256 * 512] * 2,
    )


def test_small_compute_kernels_overlap_on_two_streams() -> None:
    one, two = simulate(compute_bound_pair(1), CFG), simulate(compute_bound_pair(2), CFG)
    assert 8 <= one.profiles[0].tiles <= 16 and one.profiles[0].bound_by(CFG) == "compute"
    assert two.cores == [8, 8]
    assert two.start_us[1] < two.end_us[0]  # they overlap
    duration = one.end_us[0] - one.start_us[0]
    assert duration > CFG.host_launch_us  # the second is issued while the first runs
    assert one.latency_us == pytest.approx(CFG.host_launch_us + 2 * duration)
    assert two.latency_us == pytest.approx(2 * CFG.host_launch_us + duration, rel=1e-6)
    assert two.latency_us < 0.6 * one.latency_us


def host_copies(queues: int) -> Schedule:
    size = 64 * 10**6  # 1000 us alone over a 64 GB/s host link
    s = schedule(
        {},
        [
            Task(0, "copy", 0, [0], [1], copy_kind="h2d"),
            Task(1, "copy", queues - 1, [2], [3], copy_kind="h2d"),
        ],
        [size] * 4,
    )
    s.arenas.append(Arena("host", "host", 2 * size, 1))
    s.buffers[0] = dataclasses.replace(s.buffers[0], arena="host", offset=0)
    s.buffers[2] = dataclasses.replace(s.buffers[2], arena="host", offset=size)
    return s


def test_copies_on_two_queues_share_the_host_link() -> None:
    one, two = simulate(host_copies(1), CFG), simulate(host_copies(2), CFG)
    alone = 64 * 10**6 / CFG.host_link_bytes_per_us
    h = CFG.host_launch_us  # the host issues copies too
    assert one.start_us == [h, pytest.approx(h + alone + CFG.dma_latency_us)]
    assert one.end_us[0] == pytest.approx(h + alone + CFG.dma_latency_us)
    assert one.latency_us == pytest.approx(h + 2 * (alone + CFG.dma_latency_us))
    assert two.start_us == [h, 2 * h]
    assert two.start_us[1] < two.end_us[0]  # concurrent ...
    assert two.end_us[0] > 1.9 * alone  # ... at half the link each
    assert two.latency_us == pytest.approx(one.latency_us, rel=0.01)
    assert at_least(two.latency_us, 2 * alone)
    assert two.link_bytes == one.link_bytes == 2 * 64 * 10**6


def test_pipelined_requests_overlap_independent_work() -> None:
    """Requests on a chain of small kernels overlap one another: QPS grows."""
    s = compute_bound_pair(2)
    one = simulate(s, CFG, "sink").latency_us
    four = simulate(s, CFG, "sink", requests=4).latency_us
    assert four < 4 * one
    assert 4 / four > 1 / one


def test_water_fill() -> None:
    assert water_fill([1.0, 2.0], 10.0) == [1.0, 2.0]
    assert water_fill([1.0, 10.0, 10.0], 9.0) == pytest.approx([1.0, 4.0, 4.0])
    assert water_fill([math.inf, math.inf], 6.0) == pytest.approx([3.0, 3.0])
    assert sum(water_fill([5.0, math.inf, 2.0], 4.0)) == pytest.approx(4.0)


def copy_then_launch(waits: bool) -> Schedule:
    big = 64 * 10**6  # 1000 us over a 64 GB/s host link
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("h", "host", big, 512), Arena("act", "device", 2 * big, 512)],
        buffers=[
            BufferRef("h", 0, big, [big], "i8", 0, 0, "weight:w"),
            BufferRef("act", 0, big, [big], "i8", 0, 1),
            BufferRef("act", big, 8, [8], "i8", 1, 1, "output:0"),
        ],
        kernels={"k": Kernel("k", "vector", 0, 100, "")},
        tasks=[
            Task(0, "copy", 0, [0], [1], records=[0] if waits else [], copy_kind="h2d"),
            Task(1, "launch", 0, [1], [2], waits=[0] if waits else [], kernel="k"),
        ],
        num_events=1 if waits else 0,
    )


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_missing_event_between_copy_queue_and_stream_is_a_race(mode: str) -> None:
    sim = simulate(copy_then_launch(waits=True), CFG, mode)
    assert sim.start_us[1] >= sim.end_us[0]
    with pytest.raises(
        GeError,
        match=r"^race: task 1 \(stream 0\) reads buffer 1 of task 0 \(DMA queue 0\) "
        "with no event between them$",
    ):
        simulate(copy_then_launch(waits=False), CFG, mode)


def test_resident_weights_skip_the_weight_copy() -> None:
    s = copy_then_launch(waits=True)
    full = simulate(s, CFG)
    s.weights_resident = True
    resident = simulate(s, CFG)
    assert resident.link_bytes == 0 and full.link_bytes == 64 * 10**6
    assert resident.end_us[0] == resident.start_us[0] == 0.0
    # the preloaded copy takes no host launch slot: the kernel is the first task issued
    assert resident.start_us[1] == CFG.host_launch_us
    assert full.start_us == [CFG.host_launch_us, full.end_us[0]]
    assert resident.latency_us < full.latency_us - 900
    assert lower_bounds(s, CFG).host_link_us == 0.0


def test_missing_event_between_two_streams_is_a_race() -> None:
    s = one_kernel(10**9)
    s.arenas = [Arena("act", "device", 1024, 512)]
    s.buffers = [
        BufferRef("act", 0, 8, [2], "f32", 0, 1),
        BufferRef("act", 512, 8, [2], "f32", 1, 1),
    ]
    s.tasks = [
        Task(0, "launch", 0, [], [0], kernel="k"),
        Task(1, "launch", 1, [0], [1], kernel="k"),  # reads stream 0's result, no event
    ]
    with pytest.raises(GeError, match=r"^race: task 1 \(stream 1\) reads buffer 0 of task 0"):
        simulate(s, CFG)


def test_write_after_read_across_streams_is_a_race() -> None:
    s = one_kernel(10**9)
    s.arenas = [Arena("act", "device", 16, 1)]
    s.buffers = [BufferRef("act", 0, 8, [2], "f32", 0, 1), BufferRef("act", 8, 8, [2], "f32", 0, 1)]
    s.tasks = [
        Task(0, "launch", 0, [0], [1], kernel="k"),
        Task(1, "launch", 1, [], [0], kernel="k"),  # overwrites what task 0 still reads
    ]
    with pytest.raises(GeError, match="overwrites what is still read from buffer 0 of task 0"):
        simulate(s, CFG)
    s.tasks[0].records.append(0)
    s.tasks[1].waits.append(0)
    s.num_events = 1
    simulate(s, CFG)


def test_a_reused_event_binds_a_wait_to_the_latest_record_before_it() -> None:
    """Event ids are reused (codegen recycles them): a wait is on the last record of its event
    before it in program order, so task 2 waits for the slow task 1, not the fast task 0 that
    recorded the same id first."""
    s = schedule(
        {
            "fast": Kernel("fast", "vector", 0, 10, ""),
            "slow": Kernel("slow", "vector", 0, 10**9, ""),
        },
        [
            Task(0, "launch", 0, [], [0], records=[0], kernel="fast"),
            Task(1, "launch", 0, [], [1], records=[0], kernel="slow"),
            Task(2, "launch", 1, [1], [2], waits=[0], kernel="fast"),  # reads task 1's output
        ],
        [64] * 3,
        num_events=1,
    )
    for mode in LAUNCH_MODES:
        sim = simulate(Schedule.loads(s.dumps()), CFG, mode)
        assert sim.start_us[2] >= sim.end_us[1] > sim.end_us[0]


def test_gemm_dims_disagreeing_with_cube_flops_are_refused() -> None:
    """Otherwise the kernel would be timed from its (tiny) gemm while its bound comes from its
    (huge) cube_flops: it would beat its own roofline."""
    k = Kernel("k", "cube", 10**12, 0, "", [1, 16, 16, 16], "f16")
    s = schedule({"k": k}, [Task(0, "launch", 0, [0], [1], kernel="k")], [512, 512])
    message = (
        r"^malformed schedule: kernel k: gemm \[1, 16, 16, 16\] is 8192 flops, "
        r"cube_flops says 1000000000000$"
    )
    with pytest.raises(GeError, match=message):
        simulate(s, CFG)
    with pytest.raises(GeError, match=message):
        Schedule.loads(s.dumps())
    s.kernels["k"] = dataclasses.replace(k, cube_flops=2 * 16**3)
    assert at_least(simulate(s, CFG).latency_us, lower_bounds(s, CFG).latency_us)


@pytest.mark.parametrize(
    ("gemm", "block_dim", "message"),
    [
        ([1, 2, 3], None, r"kernel k: gemm must be 4 dims >= 1"),
        ([1, 2, 3, 4, 5], None, r"kernel k: gemm must be 4 dims >= 1"),
        ([1, 0, 3, 4], None, r"kernel k: gemm must be 4 dims >= 1"),
        ([1, -2, -3, 4], None, r"kernel k: gemm must be 4 dims >= 1"),
        (None, -3, r"task 0 has block_dim -3 \(must be >= 1\)"),
        (None, 0, r"task 0 has block_dim 0 \(must be >= 1\)"),
    ],
    ids=["gemm-3-dims", "gemm-5-dims", "gemm-zero-dim", "gemm-negative-dims", "block-dim-3", "0"],
)
def test_malformed_kernel_fields_are_ge_errors(gemm, block_dim, message: str) -> None:
    k = Kernel("k", "cube", 48, 0, "", gemm, "f16")
    s = schedule({"k": k}, [Task(0, "launch", 0, [], [0], kernel="k", block_dim=block_dim)], [8])
    with pytest.raises(GeError, match=f"^malformed schedule: {message}$"):
        Schedule.loads(s.dumps())
    with pytest.raises(GeError, match=f"^malformed schedule: {message}$"):
        simulate(s, CFG)


def test_well_formed_kernel_fields_are_accepted() -> None:
    k = Kernel("k", "cube", 48, 0, "", [1, 2, 3, 4], "f16")
    s = schedule({"k": k}, [Task(0, "launch", 0, [], [0], kernel="k", block_dim=1)], [8])
    assert simulate(Schedule.loads(s.dumps()), CFG).cores == [1]


def test_wait_for_unrecorded_event() -> None:
    s = copy_then_launch(waits=True)
    s.tasks[0].records.clear()
    with pytest.raises(
        GeError,
        match=r"^malformed schedule: task 1 waits for event 0, which no earlier task records$",
    ):
        simulate(s, CFG)


def test_unknown_launch_mode_and_bad_requests() -> None:
    with pytest.raises(GeError, match="launch mode must be one of host, sink, got 'turbo'"):
        simulate(one_kernel(1), CFG, "turbo")
    with pytest.raises(GeError, match="requests must be >= 1, got 0"):
        simulate(one_kernel(1), CFG, "host", requests=0)


def test_empty_schedule() -> None:
    sim = simulate(schedule({}, [], []), CFG, "sink", requests=3)
    assert sim.latency_us == 0.0 and sim.runs == []


@pytest.fixture(scope="module")
def compiled() -> Schedule:
    return compile_module(build_model("transformer-tiny"), 3).schedule


def test_compiled_model_simulates_in_both_modes(compiled: Schedule) -> None:
    s = compiled
    assert any(k.gemm for k in s.kernels.values())
    for mode in LAUNCH_MODES:
        sim = simulate(s, CFG, mode)
        assert sim.latency_us >= lower_bounds(s, CFG).latency_us
        assert sim == simulate(s, CFG, mode)
        four = simulate(s, CFG, mode, requests=4).latency_us
        assert sim.latency_us <= four <= 4 * sim.latency_us * (1 + EPS)
    # host launch costs host_launch_us per task, before the task can start
    assert simulate(s, CFG, "host").latency_us >= len(s.tasks) * CFG.host_launch_us
    assert simulate(s, CFG, "sink").latency_us < simulate(s, CFG, "host").latency_us


# --------------------------------------------------------------------------- runtime limits


def tiny_config(**limits: int) -> DeviceConfig:
    return dataclasses.replace(CFG, name="tiny", **limits)


def many_tasks(n_streams: int, per_stream: int, events: int = 0) -> Schedule:
    s = one_kernel(1)
    s.tasks = [
        Task(i, "launch", i % n_streams, [], [], kernel="k") for i in range(n_streams * per_stream)
    ]
    s.num_events = events
    return s


def test_limits_from_a_custom_config() -> None:
    data = json.loads((CONFIG_DIR / "910B2.json").read_text())
    data.update(name="tiny", max_streams=2, max_events=1, max_tasks_per_stream=3)
    cfg = config_from_dict(data)
    simulate(many_tasks(2, 3, events=1), cfg)  # exactly at every limit
    with pytest.raises(GeError, match="schedule uses 3 streams; tiny allows 2"):
        simulate(many_tasks(3, 1), cfg)
    with pytest.raises(GeError, match="schedule uses 2 events; tiny allows 1"):
        simulate(many_tasks(1, 1, events=2), cfg)
    with pytest.raises(GeError, match="stream 0 holds 4 tasks; tiny allows 3 per stream"):
        simulate(many_tasks(1, 4), cfg)


def test_resident_task_limit() -> None:
    cfg = tiny_config(max_resident_tasks=5)
    check_limits(many_tasks(5, 1), cfg)
    with pytest.raises(GeError, match="schedule has 6 tasks; tiny keeps 5"):
        simulate(many_tasks(6, 1), cfg)


def test_copies_do_not_count_against_stream_limits() -> None:
    cfg = tiny_config(max_streams=1, max_tasks_per_stream=1)
    s = copy_then_launch(waits=True)
    s.tasks[0] = dataclasses.replace(s.tasks[0], stream=7)
    simulate(s, cfg)
