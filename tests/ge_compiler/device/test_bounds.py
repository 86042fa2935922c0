"""Lower bounds on hand-made schedules, computed by hand."""

from __future__ import annotations

import pytest

from ge_compiler.compiler import compile_module
from ge_compiler.device.bounds import latency_bounds, lower_bounds, max_live_bytes
from ge_compiler.device.config import load_config
from ge_compiler.device.simulator import simulate
from ge_compiler.device.timing import task_profile
from ge_compiler.models import build_model
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

CFG = load_config("910B2")


def schedule(buffers: list[BufferRef], tasks: list[Task], kernels=None) -> Schedule:
    return Schedule(
        model="m",
        function="f",
        arenas=[
            Arena("act", "device", 1 << 30, 1),
            Arena("out", "device", 1 << 30, 1),
            Arena("host", "host", 1 << 30, 1),
        ],
        buffers=buffers,
        kernels=kernels or {},
        tasks=tasks,
        num_events=0,
    )


def test_max_live_bytes_by_hand() -> None:
    s = schedule(
        [
            BufferRef("act", 0, 100, [100], "i8", 0, 2),
            BufferRef("act", 100, 200, [200], "i8", 1, 1),
            BufferRef("out", 0, 50, [50], "i8", 2, 3),
            BufferRef("host", 0, 10_000, [10_000], "i8", 0, 4),  # host memory: not counted
            BufferRef("act", 300, 10, [10], "i8", 4, 4),
        ],
        [],
    )
    # live per task index: 0: 100, 1: 300, 2: 150, 3: 50, 4: 10
    assert max_live_bytes(s) == 300
    assert lower_bounds(s, CFG).memory_bytes == 300


def test_max_live_bytes_counts_buffers_ending_and_starting_at_one_index() -> None:
    s = schedule(
        [
            BufferRef("act", 0, 64, [64], "i8", 0, 3),
            BufferRef("act", 64, 32, [32], "i8", 3, 5),
            BufferRef("act", 96, 16, [16], "i8", 4, 4),
        ],
        [],
    )
    assert max_live_bytes(s) == 96  # index 3: 64 + 32; index 4: 32 + 16


def test_max_live_bytes_empty() -> None:
    assert max_live_bytes(schedule([], [])) == 0
    assert lower_bounds(schedule([], []), CFG).latency_us == 0.0


def chain() -> Schedule:
    """copy h2d -> k_cube -> k_vec, plus an independent k_vec off the chain."""
    cube_us, vec_us = 10.0, 4.0
    kernels = {
        "cube": Kernel("cube", "cube", int(cube_us * CFG.cube_flops_per_us), 0, ""),
        "vec": Kernel("vec", "vector", 0, int(vec_us * CFG.vector_flops_per_us), ""),
    }
    link_bytes = int(2.0 * CFG.host_link_bytes_per_us)  # 2 us over the host link
    buffers = [
        BufferRef("host", 0, link_bytes, [link_bytes], "i8", 0, 0),
        BufferRef("act", 0, link_bytes, [link_bytes], "i8", 0, 1),
        BufferRef("act", 0, 16, [16], "i8", 1, 2),
        BufferRef("out", 0, 16, [16], "i8", 2, 2),
        BufferRef("out", 16, 16, [16], "i8", 3, 3),
    ]
    tasks = [
        Task(0, "copy", 0, [0], [1], records=[0], copy_kind="h2d"),
        Task(1, "launch", 0, [1], [2], waits=[0], kernel="cube"),
        Task(2, "launch", 0, [2], [3], kernel="vec"),
        Task(3, "launch", 1, [], [4], kernel="vec"),
    ]
    s = schedule(buffers, tasks, kernels)
    s.num_events = 1
    return s


def test_latency_bounds_by_hand() -> None:
    s = chain()
    parts = latency_bounds(s, CFG)
    # critical path: 2 (copy) + 10 (cube kernel) + 4 (vector kernel), HBM time is far smaller
    assert parts["critical_path_us"] == pytest.approx(16.0, rel=1e-6)
    assert parts["cube_us"] == pytest.approx(10.0, rel=1e-6)
    assert parts["vector_us"] == pytest.approx(8.0, rel=1e-6)
    assert parts["host_link_us"] == pytest.approx(2.0, rel=1e-6)
    hbm = sum(task_profile(s, t, CFG).min_hbm_bytes for t in s.tasks) / CFG.hbm_bytes_per_us
    assert parts["hbm_us"] == pytest.approx(hbm)
    # unique bytes: the copy's destination, then each kernel's inputs and outputs once
    assert hbm * CFG.hbm_bytes_per_us == pytest.approx(s.buffers[1].bytes + 16 + 32 + 16)
    lb = lower_bounds(s, CFG)
    assert lb.latency_us == max(parts.values()) == lb.critical_path_us
    for mode in ("host", "sink"):
        for requests in (1, 3):
            assert simulate(s, CFG, mode, requests).latency_us >= lb.latency_us


def test_only_true_data_dependences_chain() -> None:
    """A write-after-read (ordered by the stream) does not lengthen the critical path."""
    k = Kernel("k", "vector", 0, int(3.0 * CFG.vector_flops_per_us), "")  # 3 us each
    s = schedule(
        [BufferRef("act", 0, 16, [16], "i8", 0, 1), BufferRef("act", 16, 16, [16], "i8", 0, 1)],
        [
            Task(0, "launch", 0, [0], [1], kernel="k"),
            Task(1, "launch", 0, [], [0], kernel="k"),  # overwrites what task 0 read
        ],
        {"k": k},
    )
    parts = latency_bounds(s, CFG)
    assert parts["critical_path_us"] == pytest.approx(3.0, rel=1e-6)
    assert parts["vector_us"] == pytest.approx(6.0, rel=1e-6)
    s.tasks[1] = Task(1, "launch", 0, [1], [0], kernel="k")  # now reads task 0's output
    assert latency_bounds(s, CFG)["critical_path_us"] == pytest.approx(6.0, rel=1e-6)


def test_resident_weights_drop_their_copies_from_the_bounds() -> None:
    s = chain()
    s.buffers[0] = BufferRef("host", 0, s.buffers[0].bytes, [1], "i8", 0, 0, "weight:w")
    assert latency_bounds(s, CFG)["host_link_us"] == pytest.approx(2.0, rel=1e-6)
    s.weights_resident = True
    parts = latency_bounds(s, CFG)
    assert parts["host_link_us"] == 0.0
    assert parts["critical_path_us"] == pytest.approx(14.0, rel=1e-6)


def test_bounds_ignore_launch_overheads() -> None:
    """Bounds are pure roofline: the same work with zero overheads in the config."""
    import dataclasses

    free = dataclasses.replace(
        CFG,
        host_launch_us=0.0,
        sink_launch_us=0.0,
        sink_dispatch_us=0.0,
        kernel_overhead_us=0.0,
        dma_latency_us=0.0,
    )
    assert lower_bounds(chain(), free) == lower_bounds(chain(), CFG)


def test_resource_bound_can_dominate() -> None:
    """Many independent cube kernels: total cube work bounds, not the (short) critical path."""
    k = Kernel("k", "cube", int(CFG.cube_flops_per_us), 0, "")  # 1 us each
    s = schedule(
        [BufferRef("act", 16 * i, 16, [16], "i8", i, i) for i in range(5)],
        [Task(i, "launch", i, [], [i], kernel="k") for i in range(5)],
        {"k": k},
    )
    lb = lower_bounds(s, CFG)
    assert lb.critical_path_us == pytest.approx(1.0, rel=1e-6)
    assert lb.cube_us == pytest.approx(5.0, rel=1e-6)
    assert lb.latency_us == lb.cube_us


def test_compiled_model_bounds() -> None:
    s = compile_module(build_model("transformer-tiny"), 3).schedule
    lb = lower_bounds(s, CFG)
    assert 0 < lb.memory_bytes <= sum(a.size for a in s.arenas if a.space == "device")
    assert lb.latency_us > 0
    assert lb.host_link_us == pytest.approx(
        sum(s.buffers[t.inputs[0]].bytes for t in s.tasks if t.copy_kind == "h2d")
        / CFG.host_link_bytes_per_us
    )
