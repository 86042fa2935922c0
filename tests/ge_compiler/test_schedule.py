"""The Schedule JSON contract: round trip, versioning, malformed input."""

from __future__ import annotations

import json

import pytest

from ge_compiler.compiler import compile_module
from ge_compiler.errors import GeError
from ge_compiler.models import build_model
from ge_compiler.schedule import (
    SCHEDULE_VERSION,
    Arena,
    BufferRef,
    Kernel,
    Schedule,
    Task,
)


def small_schedule() -> Schedule:
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("weights_host", "host", 512, 512), Arena("act", "device", 1024, 512)],
        buffers=[
            BufferRef("weights_host", 0, 64, [16], "f32", 0, 0, "weight:w"),
            BufferRef("act", 0, 64, [16], "f32", 0, 1),
            BufferRef("act", 512, 64, [16], "f32", 1, 1, "output:0"),
        ],
        kernels={"k": Kernel("k", "vector", 0, 16, "builtin.module {}")},
        tasks=[
            Task(0, "copy", 0, [0], [1], records=[0], copy_kind="h2d"),
            Task(1, "launch", 1, [1], [2], waits=[0], kernel="k", block_dim=8),
        ],
        num_events=1,
        launch_mode="sink",
    )


@pytest.fixture(scope="module")
def compiled() -> Schedule:
    return compile_module(build_model("transformer-tiny"), 3, "transformer-tiny").schedule


@pytest.mark.parametrize("which", ["small", "compiled"])
def test_round_trip(which: str, compiled: Schedule) -> None:
    s = small_schedule() if which == "small" else compiled
    text = s.dumps()
    back = Schedule.loads(text)
    assert back == s
    assert back.dumps() == text
    assert json.loads(text)["version"] == SCHEDULE_VERSION


def test_json_is_self_contained(compiled: Schedule) -> None:
    data = json.loads(compiled.dumps())
    assert set(data) == {
        "model", "function", "arenas", "buffers", "kernels", "tasks", "num_events",
        "launch_mode", "weights_resident", "loops", "version",
    }  # fmt: skip
    some_kernel = next(iter(data["kernels"].values()))
    assert set(some_kernel) == {
        "name", "unit", "cube_flops", "vector_flops", "body", "gemm", "cube_dtype", "bytes",
    }  # fmt: skip
    assert "func.func" in some_kernel["body"]


def test_streams_and_queues() -> None:
    s = small_schedule()
    assert s.streams == [1]
    assert s.dma_queues == [0]
    assert [b.binding for b in s.bindings("weight")] == ["weight:w"]
    assert [b.binding for b in s.bindings("output")] == ["output:0"]
    assert s.bindings("input") == []


def test_bindings_sort_numerically() -> None:
    s = small_schedule()
    s.buffers = [BufferRef("act", 0, 4, [1], "f32", 0, 0, f"input:{i}") for i in (10, 2, 0, 1)]
    assert [b.binding for b in s.bindings("input")] == ["input:0", "input:1", "input:2", "input:10"]


def test_missing_launch_mode_defaults_to_host() -> None:
    data = small_schedule().to_json()
    del data["launch_mode"]
    assert Schedule.from_json(data).launch_mode == "host"


@pytest.mark.parametrize("version", ["0.9", "2.0", None, 1.0])
def test_wrong_version(version) -> None:
    data = small_schedule().to_json()
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    with pytest.raises(GeError, match="version"):
        Schedule.from_json(data)
    with pytest.raises(GeError, match="version"):
        Schedule.loads(json.dumps(data))


@pytest.mark.parametrize("text", ["", "{", "not json", '{"version": "1.0",}'])
def test_invalid_json(text: str) -> None:
    with pytest.raises(GeError, match="not valid JSON"):
        Schedule.loads(text)


def _drop(path: list):
    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _set(path: list, value):
    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    "edit",
    [
        _drop(["tasks"]),
        _drop(["model"]),
        _drop(["num_events"]),
        _drop(["buffers", 0, "bytes"]),
        _drop(["tasks", 1, "kind"]),
        _set(["arenas", 0, "colour"], "red"),
        _set(["kernels", "k", "extra"], 1),
        _set(["tasks", 0, "bogus"], True),
    ],
    ids=[
        "no-tasks", "no-model", "no-num_events", "buffer-no-bytes", "task-no-kind",
        "arena-extra-key", "kernel-extra-key", "task-extra-key",
    ],
)  # fmt: skip
def test_malformed_schedule(edit) -> None:
    data = small_schedule().to_json()
    edit(data)
    with pytest.raises(GeError, match="malformed schedule"):
        Schedule.from_json(data)
    with pytest.raises(GeError, match="malformed schedule"):
        Schedule.loads(json.dumps(data))


@pytest.mark.parametrize("text", ["[]", "42", '"1.0"'])
def test_non_object_json_is_a_ge_error(text: str) -> None:
    with pytest.raises(GeError):
        Schedule.loads(text)


def test_kernels_must_be_an_object() -> None:
    data = small_schedule().to_json()
    data["kernels"] = []
    with pytest.raises(GeError, match="malformed schedule"):
        Schedule.from_json(data)


@pytest.mark.parametrize(
    "edit",
    [
        _set(["tasks", 0, "kind"], "teleport"),
        _set(["tasks", 0, "inputs"], [99]),
        _set(["tasks", 1, "kernel"], "missing"),
    ],
    ids=["unknown-kind", "dangling-buffer", "missing-kernel"],
)
def test_dangling_references_are_malformed(edit) -> None:
    data = small_schedule().to_json()
    edit(data)
    with pytest.raises(GeError, match="schedule"):
        Schedule.from_json(data)
