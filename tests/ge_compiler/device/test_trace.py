"""Chrome/Perfetto trace: valid JSON, one complete event per task matching the simulation, one
named track per stream and DMA queue."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ge_compiler.compiler import compile_module
from ge_compiler.device.config import load_config
from ge_compiler.device.simulator import LAUNCH_MODES, Simulation, simulate
from ge_compiler.device.trace import trace_events, write_trace
from ge_compiler.models import build_model
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

CFG = load_config("910B2")


def lanes_of(s: Schedule) -> set[tuple[str, int]]:
    return {(t.kind, t.stream) for t in s.tasks}


def multi_lane() -> Schedule:
    """Two DMA queues feed two streams (stream 0 and DMA queue 0 share the id 0)."""
    mb = 1 << 20
    host = [BufferRef("h", i * mb, mb, [mb], "i8", 0, 3) for i in range(2)]
    dev = [BufferRef("act", i * mb, mb, [mb], "i8", 0, 5) for i in range(4)]
    return Schedule(
        model="lanes",
        function="f",
        arenas=[Arena("h", "host", 2 * mb, 1), Arena("act", "device", 4 * mb, 1)],
        buffers=host + dev,
        kernels={
            "mm": Kernel("mm", "cube", 2 * 256**3, 0, "", [1, 256, 256, 256], "f16"),
            "v": Kernel("v", "vector", 0, 10**6, ""),
        },
        tasks=[
            Task(0, "copy", 0, [0], [2], records=[0], copy_kind="h2d"),
            Task(1, "copy", 1, [1], [3], records=[1], copy_kind="h2d"),
            Task(2, "launch", 0, [2], [4], waits=[0], kernel="mm"),
            Task(3, "launch", 1, [3], [5], waits=[1], kernel="v", block_dim=4),
            Task(4, "launch", 0, [4], [2], kernel="v"),
        ],
        num_events=2,
    )


@pytest.fixture(scope="module")
def compiled() -> Schedule:
    return compile_module(build_model("transformer-tiny"), 3).schedule


def check_trace(data: dict, s: Schedule, sim: Simulation) -> None:
    events = data["traceEvents"]
    complete = [e for e in events if e["ph"] == "X"]
    names = [e for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
    assert [e for e in events if e["ph"] == "M" and e["name"] == "process_name"] == [
        {"ph": "M", "name": "process_name", "pid": 0, "args": {"name": f"{s.model} device"}}
    ]
    assert {e["ph"] for e in events} == {"X", "M"}
    # one complete event per task, at the simulated times
    assert len(complete) == len(s.tasks)
    assert sorted(e["args"]["task"] for e in complete) == list(range(len(s.tasks)))
    for e in complete:
        t = s.tasks[e["args"]["task"]]
        assert e["ts"] == sim.start_us[t.id]
        assert e["dur"] == sim.end_us[t.id] - sim.start_us[t.id] >= 0
        assert e["cat"] == t.kind
        assert e["name"] == (t.kernel if t.kind == "launch" else f"copy {t.copy_kind}")
        assert e["args"]["cores"] == sim.cores[t.id]
        assert e["args"]["waits"] == t.waits and e["args"]["records"] == t.records
    # one named track per lane, distinct thread ids, every task on its lane's track
    lanes = lanes_of(s)
    assert len(names) == len(lanes)
    tids = [e["tid"] for e in names]
    assert len(set(tids)) == len(tids)
    tid_of_lane: dict[tuple[str, int], int] = {}
    for e in complete:
        t = s.tasks[e["args"]["task"]]
        assert tid_of_lane.setdefault((t.kind, t.stream), e["tid"]) == e["tid"]
    assert set(tid_of_lane.values()) == set(tids)
    labels = {e["tid"]: e["args"]["name"] for e in names}
    for (kind, stream), tid in tid_of_lane.items():
        assert labels[tid] == (f"stream {stream}" if kind == "launch" else f"DMA queue {stream}")
    # events on one track never overlap
    by_tid: dict[int, list[tuple[float, float]]] = {}
    for e in complete:
        by_tid.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
    for spans in by_tid.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end - 1e-9


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_trace_of_multi_lane_schedule(tmp_path: Path, mode: str) -> None:
    s = multi_lane()
    sim = simulate(s, CFG, mode)
    path = tmp_path / "trace.json"
    write_trace(str(path), s, sim)
    data = json.loads(path.read_text())  # valid JSON
    assert data == json.loads(json.dumps(trace_events(s, sim)))
    check_trace(data, s, sim)
    assert len(lanes_of(s)) == 4
    kinds = Counter(e["cat"] for e in data["traceEvents"] if e["ph"] == "X")
    assert kinds == {"copy": 2, "launch": 3}


def test_trace_of_compiled_model(tmp_path: Path, compiled: Schedule) -> None:
    sim = simulate(compiled, CFG)
    path = tmp_path / "trace.json"
    write_trace(str(path), compiled, sim)
    check_trace(json.loads(path.read_text()), compiled, sim)


def test_trace_of_empty_schedule() -> None:
    s = Schedule("empty", "f", [], [], {}, [], 0)
    data = trace_events(s, simulate(s, CFG))
    assert [e["ph"] for e in data["traceEvents"]] == ["M"]


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_trace_of_several_requests(mode: str) -> None:
    """Each request's tasks appear on their lane's track, named " #r" for request r > 0."""
    s = multi_lane()
    requests, n = 3, len(s.tasks)
    sim = simulate(s, CFG, mode, requests=requests)
    data = json.loads(json.dumps(trace_events(s, sim)))
    complete = [e for e in data["traceEvents"] if e["ph"] == "X"]
    names = [e for e in data["traceEvents"] if e["ph"] == "M" and e["name"] == "thread_name"]
    assert len(complete) == requests * n
    assert len(names) == len(lanes_of(s))  # the requests share the lanes' tracks
    assert sorted((e["args"]["request"], e["args"]["task"]) for e in complete) == [
        (r, i) for r in range(requests) for i in range(n)
    ]
    tid_of_lane: dict[tuple[str, int], int] = {}
    for e in complete:
        r, t = e["args"]["request"], s.tasks[e["args"]["task"]]
        g = r * n + t.id
        assert e["ts"] == sim.start_us[g]
        assert e["dur"] == sim.end_us[g] - sim.start_us[g]
        assert e["args"]["cores"] == sim.cores[g]
        base = t.kernel if t.kind == "launch" else f"copy {t.copy_kind}"
        assert e["name"] == (f"{base} #{r}" if r else base)
        assert e["cat"] == t.kind
        assert e["args"]["waits"] == t.waits and e["args"]["records"] == t.records
        assert tid_of_lane.setdefault((t.kind, t.stream), e["tid"]) == e["tid"]
    # the first request's events are exactly the single-request trace's, at its own times
    one = simulate(s, CFG, mode)
    first = [e for e in complete if e["args"]["request"] == 0]
    assert [e["name"] for e in first] == [
        e["name"] for e in trace_events(s, one)["traceEvents"] if e["ph"] == "X"
    ]
    # events on one track never overlap
    by_tid: dict[int, list[tuple[float, float]]] = {}
    for e in complete:
        by_tid.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
    for spans in by_tid.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end - 1e-9


def test_single_request_trace_events_are_request_0(compiled: Schedule) -> None:
    data = trace_events(compiled, simulate(compiled, CFG))
    complete = [e for e in data["traceEvents"] if e["ph"] == "X"]
    assert {e["args"]["request"] for e in complete} == {0}
    assert not any("#" in e["name"] for e in complete)
