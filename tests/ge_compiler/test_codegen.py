"""Codegen: the Schedule of a compiled module is consistent (tasks, kernels, events, buffers,
bindings) and its kernels, run in task order by the reference interpreter, compute the graph."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType

from ge_compiler.builder import GraphBuilder, as_dtype
from ge_compiler.codegen import emit_schedule
from ge_compiler.compiler import compile_module
from ge_compiler.device.ordering import check_ordering
from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.ir import parse_module
from ge_compiler.models import build_model
from ge_compiler.schedule import Schedule


def multi_stream_net() -> ModuleOp:
    """A small graph over three streams: split (two results), cross-stream reads, shared value."""
    b = GraphBuilder()
    with b.module("net"):
        x = b.input("x", (4, 16))
        w1 = b.weight("w1", (16, 32))
        h = b.matmul(x, w1)
        with b.stream(1):
            a, c = b.split(h, (16, 16), 1)
            g = b.gelu(a)
        s = b.softmax(c + g)
        with b.stream(2):
            t = b.transpose(s, (1, 0))
            n = b.layer_norm(t, b.weight("ln.w", (4,)), b.weight("ln.b", (4,)))
        y = b.concat([s, b.reshape(n, (4, 16))], 0)
        b.output(y, b.reduce_mean(s, [1], keepdims=True))
    return b.build()


def returns_shared_values() -> ModuleOp:
    """Outputs that are not written in place: a value returned twice, an input, a weight."""
    b = GraphBuilder()
    with b.module("net"):
        x = b.input("x", (4, 8))
        w = b.weight("w", (8, 8))
        s = b.relu(x @ w)
        b.output(s, s, x, w)
    return b.build()


MODULES = {
    "multi_stream": multi_stream_net,
    "shared_outputs": returns_shared_values,
    "transformer-tiny": lambda: build_model("transformer-tiny"),
}


@cache
def compiled(name: str, level: int = 3) -> Schedule:
    return compile_module(MODULES[name](), level, name).schedule


# --------------------------------------------------------------------------- structure


@pytest.fixture(params=[("transformer-tiny", 0), ("transformer-tiny", 3), ("multi_stream", 3)])
def schedule(request) -> Schedule:
    return compiled(*request.param)


def test_tasks_are_launches_plus_copies(schedule: Schedule) -> None:
    launches = [t for t in schedule.tasks if t.kind == "launch"]
    copies = [t for t in schedule.tasks if t.kind == "copy"]
    assert len(schedule.tasks) == len(launches) + len(copies)
    assert [t.id for t in schedule.tasks] == list(range(len(schedule.tasks)))
    for t in launches:
        assert t.copy_kind is None and t.outputs
    for t in copies:
        assert t.kernel is None and len(t.inputs) == 1
        assert t.copy_kind in ("h2d", "d2h", "d2d")


def test_every_launch_has_its_kernel(schedule: Schedule) -> None:
    used = {t.kernel for t in schedule.tasks if t.kind == "launch"}
    assert used == set(schedule.kernels)  # every kernel used, none missing
    for name, k in schedule.kernels.items():
        assert k.name == name
        assert k.unit in ("cube", "vector", "none")
        assert k.cube_flops >= 0 and k.vector_flops >= 0
        assert (k.unit == "cube") == (k.cube_flops > 0)


def test_kernel_arity_matches_its_launches(schedule: Schedule) -> None:
    for t in schedule.tasks:
        if t.kind != "launch":
            continue
        fn = _kernel_function(schedule.kernels[t.kernel].body)
        ins = [schedule.buffers[i] for i in t.inputs]
        outs = [schedule.buffers[i] for i in t.outputs]
        assert [_type_of(b) for b in ins] == [str(x) for x in fn.function_type.inputs.data]
        assert [_type_of(b) for b in outs] == [str(x) for x in fn.function_type.outputs.data]


def test_events_are_recorded_before_they_are_waited(schedule: Schedule) -> None:
    """Every wait binds to a record before it; an id is recorded again only after every
    waiter of its previous record (in program order); ids are dense and none is wasted."""
    latest: dict[int, int] = {}
    waiters: dict[int, list[int]] = {}
    for t in schedule.tasks:
        for e in t.waits:
            assert e in latest, f"task {t.id} waits for event {e} never recorded before it"
            waiters[latest[e]].append(t.id)
        for e in t.records:
            if e in latest:
                assert all(w <= t.id for w in waiters[latest[e]]), f"event {e} reused early"
            latest[e] = t.id
            waiters[t.id] = []
    assert set(latest) == set(range(schedule.num_events))
    assert all(waiters[r] for r in waiters), "an event recorded in vain"


def test_cross_lane_reads_are_ordered_after_their_writer(schedule: Schedule) -> None:
    """A task reading or overwriting memory another stream / DMA queue touched is ordered
    after it through events (the device model's independent hazard check)."""
    check_ordering(schedule)


def test_buffers_fit_in_their_arenas_and_never_overlap_while_live(schedule: Schedule) -> None:
    arenas = {a.name: a for a in schedule.arenas}
    for b in schedule.buffers:
        a = arenas[b.arena]
        assert b.offset % a.alignment == 0
        assert 0 <= b.offset and b.offset + b.bytes <= a.size
        assert b.bytes == int(np.prod(b.shape)) * _byte_width(b.dtype)
        assert b.first <= b.last
    for i, p in enumerate(schedule.buffers):
        for q in schedule.buffers[i + 1 :]:
            if p.arena != q.arena:
                continue
            live_together = p.first <= q.last and q.first <= p.last
            bytes_overlap = p.offset < q.offset + q.bytes and q.offset < p.offset + p.bytes
            if live_together and bytes_overlap and (p.last == q.first or q.last == p.first):
                # the in-place hand-over: an elementwise kernel writes over the input that
                # dies there, same bytes exactly
                task = schedule.tasks[p.last if p.last == q.first else q.last]
                body = schedule.kernels[task.kernel].body
                assert (p.offset, p.bytes) == (q.offset, q.bytes), (p, q)
                assert not any(f"graph.{op}" in body for op in ("matmul", "conv2d", "softmax"))
                continue
            assert not (live_together and bytes_overlap), (p, q)


def test_buffer_lifetimes_cover_their_tasks(schedule: Schedule) -> None:
    for t in schedule.tasks:
        for i in (*t.inputs, *t.outputs):
            b = schedule.buffers[i]
            assert b.first <= t.id <= b.last, (t, b)


def test_buffer_lifetimes_cover_output_copies() -> None:
    test_buffer_lifetimes_cover_their_tasks(compiled("shared_outputs"))


def test_arenas(schedule: Schedule) -> None:
    spaces = {a.name: a.space for a in schedule.arenas}
    assert spaces == {
        "inputs": "device",
        "outputs": "device",
        "weights_host": "host",
        "weights": "device",
        "activations": "device",
    }


def test_bindings(schedule: Schedule) -> None:
    inputs, outputs = schedule.bindings("input"), schedule.bindings("output")
    assert [b.binding for b in inputs] == [f"input:{i}" for i in range(len(inputs))]
    assert [b.binding for b in outputs] == [f"output:{j}" for j in range(len(outputs))]
    assert all(b.arena == "inputs" for b in inputs)
    assert all(b.arena == "outputs" for b in outputs)
    weights = schedule.bindings("weight")
    assert weights and all(b.arena == "weights_host" for b in weights)
    names = [b.binding.removeprefix("weight:") for b in weights]
    assert len(set(names)) == len(names)
    # every host weight is copied to the device exactly once
    h2d = [t.inputs[0] for t in schedule.tasks if t.copy_kind == "h2d"]
    assert sorted(h2d) == sorted(schedule.buffers.index(b) for b in weights)


def test_tiny_transformer_bindings() -> None:
    s = compiled("transformer-tiny")
    assert [(b.binding, b.shape) for b in s.bindings("input")] == [("input:0", [1, 8, 32])]
    assert [(b.binding, b.shape) for b in s.bindings("output")] == [("output:0", [1, 8, 32])]
    names = {b.binding for b in s.bindings("weight")}
    assert {"weight:layer0.attn.q.weight", "weight:layer1.ffn.fc2.bias"} <= names
    assert "weight:final_ln.weight" in names


def test_multi_stream_schedule_uses_streams_and_events() -> None:
    s = compiled("multi_stream")
    assert s.streams == [0, 1, 2]
    assert s.dma_queues == [0]
    assert s.num_events > 0


def test_outputs_not_written_in_place_are_copied() -> None:
    s = compiled("shared_outputs")
    outs = s.bindings("output")
    assert len(outs) == 4
    # a value returned twice is copied to both outputs, never written in place
    d2d = [t for t in s.tasks if t.copy_kind == "d2d"]
    assert sorted(t.outputs[0] for t in d2d) == sorted(s.buffers.index(b) for b in outs)


def test_codegen_needs_a_memory_level_module() -> None:
    with pytest.raises(GeError, match="memory-level"):
        emit_schedule(build_model("transformer-tiny"))


# --------------------------------------------------------------------------- kernel bodies


def _kernel_function(body: str) -> func.FuncOp:
    module = parse_module(body, "<kernel>")
    (fn,) = list(module.ops)
    assert isinstance(fn, func.FuncOp)
    return fn


def _type_of(b) -> str:
    return str(TensorType(as_dtype(b.dtype), b.shape))


def _byte_width(dtype: str) -> int:
    from ge_compiler.dtypes import byte_width

    return byte_width(as_dtype(dtype))


def test_kernel_bodies_parse_back_to_graph_ops() -> None:
    for name in ("transformer-tiny", "multi_stream"):
        for level in (0, 3):
            for k in compiled(name, level).kernels.values():
                fn = _kernel_function(k.body)
                assert fn.sym_name.data == k.name
                ops = [op for op in fn.body.block.ops if not isinstance(op, func.ReturnOp)]
                assert ops and all(isinstance(op, graph.GRAPH_OPS) for op in ops)
                assert all("stream_id" not in op.attributes for op in ops)


def test_unoptimized_kernels_hold_one_op_each() -> None:
    for name in ("transformer-tiny", "multi_stream"):
        for k in compiled(name, 0).kernels.values():
            fn = _kernel_function(k.body)
            (op,) = [op for op in fn.body.block.ops if not isinstance(op, func.ReturnOp)]
            assert k.name.endswith("_" + op.name.split(".")[1])


@pytest.mark.parametrize("name", ["multi_stream", "shared_outputs", "transformer-tiny"])
@pytest.mark.parametrize("level", [0, 3])
def test_schedule_computes_the_graph(name: str, level: int) -> None:
    """Kernels run in task order on the schedule's buffers equal the whole graph."""
    from ge_compiler.device.functional import execute
    from ge_compiler.interpreter import random_inputs, run_function
    from ge_compiler.weights import WeightStore

    module = MODULES[name]()
    inputs = random_inputs(next(iter(module.ops)), seed=11)
    expected = run_function(module, inputs, WeightStore(seed=5))
    got = execute(compiled(name, level), inputs, WeightStore(seed=5), order="program")
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


def test_each_kernel_equals_its_original_op() -> None:
    """At -O0 kernel k<i> is the i-th compute op: run both on the same random operands."""
    from ge_compiler.interpreter import random_inputs, run_function

    module = multi_stream_net()
    fn = next(iter(module.ops))
    ops = [op for op in fn.body.block.ops if not isinstance(op, func.ReturnOp | graph.WeightOp)]
    s = compiled("multi_stream", 0)
    assert len(s.kernels) == len(ops)
    for i, op in enumerate(ops):
        (k,) = [k for name, k in s.kernels.items() if name.startswith(f"net_k{i}_")]
        kernel = parse_module(k.body, k.name)
        args = random_inputs(next(iter(kernel.ops)), seed=i)
        single = _single_op_module(op)
        expected = run_function(single, args)
        got = run_function(kernel, args)
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_array_equal(g, e)


def _single_op_module(op) -> ModuleOp:
    """``op`` alone in a function of its operands (built independently of codegen)."""
    from xdsl.dialects.builtin import FunctionType
    from xdsl.ir import Block, Region

    block = Block(arg_types=[v.type for v in op.operands])
    clone = op.clone()
    for i, arg in enumerate(block.args):
        clone.operands[i] = arg
    block.add_ops([clone, func.ReturnOp(*clone.results)])
    ftype = FunctionType.from_lists([v.type for v in op.operands], [r.type for r in op.results])
    return ModuleOp([func.FuncOp("single", ftype, Region(block))])
