"""The device model: on random race-free schedules it never beats the lower bounds and is
deterministic; races, unknown events and runtime limits are GeErrors."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ge_compiler.compiler import compile_module
from ge_compiler.device.bounds import lower_bounds
from ge_compiler.device.config import DeviceConfig, load_config
from ge_compiler.device.simulator import LAUNCH_MODES, check_limits, simulate
from ge_compiler.errors import GeError
from ge_compiler.models import build_model
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

EPS = 1e-9

# --------------------------------------------------------------------------- random schedules


def lane(t: Task) -> tuple[str, int]:
    return (t.kind, t.stream)


@st.composite
def schedules(draw, max_tasks: int = 24) -> Schedule:
    """A random schedule made race-free: an event for every cross-lane read-after-write,
    write-after-write and write-after-read on a buffer."""
    n_streams = draw(st.integers(1, 4))
    n_queues = draw(st.integers(1, 3))
    n_buffers = draw(st.integers(1, 10))
    sizes = draw(st.lists(st.integers(1, 1 << 24), min_size=n_buffers, max_size=n_buffers))
    host = draw(st.lists(st.booleans(), min_size=n_buffers, max_size=n_buffers))
    kernels = {}
    for i in range(draw(st.integers(1, 4))):
        cube = draw(st.sampled_from([0, 10**6, 10**9, 10**11]))
        vector = draw(st.integers(0, 10**9))
        unit = "cube" if cube else ("vector" if vector else "none")
        kernels[f"k{i}"] = Kernel(f"k{i}", unit, cube, vector, "builtin.module {}")
    buffer_ids = st.integers(0, n_buffers - 1)

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
        buffers.append(
            BufferRef(arena, offsets[arena], size, [size], "i8", first.get(i, 0), last.get(i, 0))
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
    )


CONFIGS = {name: load_config(name) for name in ("910B2", "310P3")}
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(s=schedules(), device=st.sampled_from(sorted(CONFIGS)), mode=st.sampled_from(LAUNCH_MODES))
def test_latency_is_never_below_the_lower_bound(s: Schedule, device: str, mode: str) -> None:
    cfg = CONFIGS[device]
    sim = simulate(s, cfg, mode)
    lb = lower_bounds(s, cfg)
    assert sim.latency_us >= lb.latency_us * (1 - EPS) - EPS
    assert sim.latency_us >= lb.critical_path_us * (1 - EPS) - EPS
    assert len(sim.runs) == len(s.tasks)
    assert sim.latency_us == max((r.end_us for r in sim.runs), default=0.0)
    assert lb.memory_bytes <= sum(a.size for a in s.arenas if a.space == "device")


@PROPERTY
@given(s=schedules(), mode=st.sampled_from(LAUNCH_MODES))
def test_simulation_is_deterministic(s: Schedule, mode: str) -> None:
    cfg = CONFIGS["910B2"]
    first = simulate(s, cfg, mode)
    again = simulate(s, cfg, mode)
    reloaded = simulate(Schedule.loads(s.dumps()), cfg, mode)
    assert first == again == reloaded
    assert lower_bounds(s, cfg) == lower_bounds(Schedule.loads(s.dumps()), cfg)


@PROPERTY
@given(s=schedules(), mode=st.sampled_from(LAUNCH_MODES))
def test_runs_respect_order_events_and_roofline(s: Schedule, mode: str) -> None:
    cfg = CONFIGS["910B2"]
    sim = simulate(s, cfg, mode)
    end_of: dict[int, float] = {}
    lane_end: dict[tuple[str, int], float] = {}
    for t, r in zip(s.tasks, sim.runs, strict=True):
        assert r.task == t.id
        assert r.end_us - r.start_us >= r.work.roofline_us(cfg) - EPS
        assert r.start_us >= lane_end.get(lane(t), 0.0)  # in order on its stream / queue
        for e in t.waits:
            recorder = next(u for u in s.tasks if e in u.records)
            assert r.start_us >= end_of[recorder.id]
        if mode == "sink":
            assert r.start_us >= cfg.sink_launch_us
        end_of[t.id] = r.end_us
        lane_end[lane(t)] = r.end_us


@PROPERTY
@given(s=schedules(max_tasks=12))
def test_compute_does_not_overlap_on_the_single_core_array(s: Schedule) -> None:
    """This model runs one kernel (or device copy) at a time on the AI cores."""
    sim = simulate(s, CONFIGS["910B2"])
    core = sorted(
        (r.start_us, r.end_us)
        for t, r in zip(s.tasks, sim.runs, strict=True)
        if t.kind == "launch" or t.copy_kind == "d2d"
    )
    for (_, end), (start, _) in zip(core, core[1:], strict=False):
        assert start >= end


# --------------------------------------------------------------------------- hand-made schedules


def one_kernel(cube_flops: int, vector_flops: int = 0) -> Schedule:
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("act", "device", 1024, 512)],
        buffers=[BufferRef("act", 0, 8, [2], "f32", 0, 0)],
        kernels={"k": Kernel("k", "cube", cube_flops, vector_flops, "")},
        tasks=[Task(0, "launch", 0, [], [0], kernel="k")],
        num_events=0,
    )


def test_single_kernel_timing_host_and_sink() -> None:
    cfg = CONFIGS["910B2"]
    s = one_kernel(int(cfg.cube_flops_per_us * 10))  # 10 us of cube work
    host = simulate(s, cfg, "host")
    assert host.latency_us == pytest.approx(10 + cfg.kernel_overhead_us)
    sink = simulate(s, cfg, "sink")
    expected = cfg.sink_launch_us + cfg.sink_dispatch_us + 10 + cfg.kernel_overhead_us
    assert sink.latency_us == pytest.approx(expected)
    assert host.stream_busy_us == {"stream0": pytest.approx(10 + cfg.kernel_overhead_us)}


def test_host_launch_cost_serializes_issue() -> None:
    cfg = CONFIGS["910B2"]
    s = one_kernel(0)
    s.tasks = [Task(i, "launch", i % 2, [], [], kernel="k") for i in range(4)]
    sim = simulate(s, cfg, "host")
    assert [r.start_us for r in sim.runs] == pytest.approx(
        [i * cfg.host_launch_us for i in range(4)]
    )


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
    cfg = CONFIGS["910B2"]
    simulate(copy_then_launch(waits=True), cfg, mode)
    with pytest.raises(GeError, match=r"race: task 1 \(stream 0\) reads buffer 1 of task 0"):
        simulate(copy_then_launch(waits=False), cfg, mode)


def test_missing_event_between_two_streams_is_a_race() -> None:
    s = one_kernel(10**9)
    s.buffers = [
        BufferRef("act", 0, 8, [2], "f32", 0, 1),
        BufferRef("act", 512, 8, [2], "f32", 1, 1),
    ]
    s.tasks = [
        Task(0, "launch", 0, [], [0], kernel="k"),
        Task(1, "launch", 1, [0], [1], kernel="k"),  # reads stream 0's result, no event
    ]
    with pytest.raises(GeError, match="race"):
        simulate(s, CONFIGS["910B2"])


def test_wait_for_unrecorded_event() -> None:
    s = copy_then_launch(waits=True)
    s.tasks[0].records.clear()
    with pytest.raises(GeError, match="task 1 waits for event 0 before any task records it"):
        simulate(s, CONFIGS["910B2"])


def test_unknown_launch_mode() -> None:
    with pytest.raises(GeError, match="launch mode"):
        simulate(one_kernel(1), CONFIGS["910B2"], "turbo")


def test_compiled_model_simulates_in_both_modes() -> None:
    s = compile_module(build_model("transformer-tiny"), 3).schedule
    cfg = CONFIGS["910B2"]
    for mode in LAUNCH_MODES:
        sim = simulate(s, cfg, mode)
        assert sim.latency_us >= lower_bounds(s, cfg).latency_us
        assert sim == simulate(s, cfg, mode)
    # host launch costs at least host_launch_us per task
    assert simulate(s, cfg, "host").latency_us >= (len(s.tasks) - 1) * cfg.host_launch_us


# --------------------------------------------------------------------------- runtime limits


def tiny_config(**limits: int) -> DeviceConfig:
    return dataclasses.replace(CONFIGS["910B2"], name="tiny", **limits)


def many_tasks(n_streams: int, per_stream: int, events: int = 0) -> Schedule:
    s = one_kernel(1)
    s.tasks = [
        Task(i, "launch", i % n_streams, [], [], kernel="k") for i in range(n_streams * per_stream)
    ]
    s.num_events = events
    return s


def test_limits_from_a_custom_config() -> None:
    import json

    from ge_compiler.device.config import CONFIG_DIR, config_from_dict

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
