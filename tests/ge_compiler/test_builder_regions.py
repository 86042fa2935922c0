"""GraphBuilder.if_ / loop: region bodies are built in place, verified, and run correctly."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func

from ge_compiler.builder import GraphBuilder
from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function


def _ops(module):
    fn = next(iter(module.ops))
    assert isinstance(fn, func.FuncOp)
    return [op for op in fn.body.block.ops if not isinstance(op, func.ReturnOp)]


def test_if_builds_both_branches_and_runs() -> None:
    b = GraphBuilder()
    with b.module("m"):
        c = b.input("c", [1], "i1")
        x = b.input("x", [2, 3])
        (y,) = b.if_(c, lambda: [x + x], lambda: [b.neg(x)])
        b.output(y)
        assert y.shape == (2, 3)
    m = b.build()
    ops = _ops(m)
    assert [type(o) for o in ops] == [graph.IfOp]  # branch ops live in the regions
    (op,) = ops
    assert [type(o) for o in op.then_region.block.ops] == [graph.AddOp, graph.YieldOp]
    assert [type(o) for o in op.else_region.block.ops] == [graph.NegOp, graph.YieldOp]
    x_in = np.arange(6, dtype=np.float32).reshape(2, 3)
    (t,) = run_function(m, [np.array([True]), x_in])
    (e,) = run_function(m, [np.array([False]), x_in])
    np.testing.assert_array_equal(t, 2 * x_in)
    np.testing.assert_array_equal(e, -x_in)


def test_if_branch_may_yield_outer_values_and_ops_continue_after() -> None:
    b = GraphBuilder()
    with b.module("m"):
        c = b.input("c", [], "i1")
        x = b.input("x", [2])
        a, z = b.if_(c, lambda: [x, b.relu(x)], lambda: [b.abs(x), x])
        b.output(a * z)  # emission goes back to the function block
    m = b.build()
    assert [type(o) for o in _ops(m)] == [graph.IfOp, graph.MulOp]
    x_in = np.array([-1.0, 2.0], np.float32)
    np.testing.assert_array_equal(run_function(m, [np.array(True), x_in])[0], x_in * [0, 2])
    np.testing.assert_array_equal(run_function(m, [np.array(False), x_in])[0], [-1, 4])


def test_loop_builds_index_and_carried_args() -> None:
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("x", [3])
        acc0 = b.constant(np.zeros(3, np.float32))

        def body(i, carried):
            (acc,) = carried
            assert str(i.dtype) == "i64"
            assert i.shape == ()
            return [acc + x * b.cast(i, "f32")]

        (y,) = b.loop(4, [acc0], body)
        b.output(y)
    m = b.build()
    loop = next(o for o in _ops(m) if isinstance(o, graph.LoopOp))
    assert loop.trip_count.value.data == 4
    assert [str(a.type) for a in loop.body.block.args] == ["tensor<i64>", "tensor<3xf32>"]
    x_in = np.array([1.0, 2.0, 3.0], np.float32)
    np.testing.assert_allclose(run_function(m, [x_in])[0], x_in * (0 + 1 + 2 + 3))


def test_if_branch_type_mismatch_is_one_clear_error() -> None:
    b = GraphBuilder()
    with b.module("m"):
        c = b.input("c", [1], "i1")
        x = b.input("x", [2])
        with pytest.raises(GeError, match="else branch yields"):
            b.if_(c, lambda: [x], lambda: [b.reshape(x, [1, 2])])
        # the failed op left nothing behind: the module still builds
        b.output(x)
    assert _ops(b.build()) == []


def test_if_condition_must_be_one_element_i1() -> None:
    b = GraphBuilder()
    with b.module("m"):
        c = b.input("c", [2], "i1")
        x = b.input("x", [2])
        with pytest.raises(GeError, match="one-element i1"):
            b.if_(c, lambda: [x], lambda: [x])
        b.output(x)


def test_loop_body_type_mismatch_and_bad_trip_count() -> None:
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("x", [2])
        with pytest.raises(GeError, match="the loop carries"):
            b.loop(2, [x], lambda i, c: [b.cast(c[0], "f16")])
        with pytest.raises(GeError, match="trip_count must be >= 1"):
            b.loop(0, [x], lambda i, c: [c[0]])
        b.output(x)
    assert _ops(b.build()) == []


def test_error_inside_a_body_restores_emission() -> None:
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("x", [2])

        def bad():
            b.relu(x)
            raise GeError("boom")

        with pytest.raises(GeError, match="boom"):
            b.if_(b.input("c", [1], "i1"), bad, lambda: [x])
        y = b.neg(x)
        b.output(y)
        assert len(list(x.value.uses)) == 1  # the dropped branch's relu no longer uses x
    assert [type(o) for o in _ops(b.build())] == [graph.NegOp]
