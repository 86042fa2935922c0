"""The infer-shapes pass: static refinement keeps the meaning (reference interpreter before vs
after), dynamic functions run on several sizes before and after, every ``graph.dim_bounds``
it attaches holds at run time (checked on every intermediate value, on random dynamic graphs
too), and inconsistent shapes are located GeErrors.

The lit tests (lit_tests/passes/graph/infer_shapes*.mlir) pin the printed types, attributes
and diagnostics; here the functions are *run*.
"""
# ruff: noqa: E501  (the MLIR cases are kept one op per line, as in the lit tests)

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    FunctionType,
    ModuleOp,
    TensorType,
    i64,
)
from xdsl.ir import SSAValue
from xdsl.passes import PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects import graph
from ge_compiler.dialects.shapes import DYN
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import make_context, parse_module
from ge_compiler.models import build_model
from ge_compiler.models.transformer import TINY, build_transformer
from ge_compiler.passes import get_all_passes
from ge_compiler.passes.graph.infer_shapes import BOUNDS_ATTR, InferShapesPass
from ge_compiler.weights import WeightStore

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- helpers


def the_function(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def infer(module: ModuleOp) -> ModuleOp:
    PassPipeline.parse_spec(get_all_passes(), "infer-shapes").apply(make_context(), module)
    module.verify()
    return module


def set_bounds(f: func.FuncOp, index: int, bounds: list[int]) -> None:
    attrs = [dict(d.data) for d in f.arg_attrs.data] if f.arg_attrs else [{} for _ in f.args]
    attrs[index][BOUNDS_ATTR] = DenseArrayBase.from_list(i64, bounds)
    f.arg_attrs = ArrayAttr([DictionaryAttr(a) for a in attrs])


def shape(v: SSAValue) -> tuple[int, ...]:
    t = v.type
    assert isinstance(t, TensorType)
    return t.get_shape()


def expose_all(module: ModuleOp) -> list[tuple[SSAValue, tuple[int | None, ...]]]:
    """Return every top-level op result as well (after the pass), so a run shows every
    intermediate shape; give each value its bounds from ``graph.dim_bounds`` (else None)."""
    f = the_function(module)
    block = f.body.block
    ret = block.last_op
    assert isinstance(ret, func.ReturnOp)
    values: list[tuple[SSAValue, tuple[int | None, ...]]] = []
    for op in block.ops:
        if op is ret:
            continue
        attr = op.attributes.get(BOUNDS_ATTR)
        flat = list(attr.get_values()) if isinstance(attr, DenseArrayBase) else None
        for r in op.results:
            n = len(shape(r))
            if flat is None:
                values.append((r, (None,) * n))
            else:
                values.append((r, tuple(b if b >= 0 else None for b in flat[:n])))
                flat = flat[n:]
    outputs = [*ret.operands, *(v for v, _ in values)]
    ret.detach()
    ret.erase()
    block.add_op(func.ReturnOp(*outputs))
    f.function_type = FunctionType.from_lists(
        list(f.function_type.inputs), [v.type for v in outputs]
    )
    f.res_attrs = None
    module.verify()
    return values


def check_bounds(
    values: list[tuple[SSAValue, tuple[int | None, ...]]], arrays: list[np.ndarray]
) -> int:
    """Each run-time shape fits its type and stays within its bounds; returns how many
    dynamic dims had a bound."""
    checked = 0
    for (v, bounds), a in zip(values, arrays, strict=True):
        declared = shape(v)
        assert len(a.shape) == len(declared)
        for d, s, bnd in zip(declared, a.shape, bounds, strict=True):
            assert d == DYN or d == s
            if d == DYN and bnd is not None:
                assert s <= bnd, f"{v.owner}: dim {s} exceeds its bound {bnd}"
                checked += 1
    return checked


def run(module: ModuleOp, inputs: list[np.ndarray], seed: int = 0) -> list[np.ndarray]:
    return run_function(module, inputs, WeightStore(seed=seed))


def assert_same(before: list[np.ndarray], after: list[np.ndarray]) -> None:
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)  # only types change: bit-identical


def types_refine(before: ModuleOp, after: ModuleOp) -> None:
    """Every value of ``after`` has the type of ``before``'s value or a more static one."""
    old = [v.type for op in before.walk() for v in op.results]
    new = [v.type for op in after.walk() for v in op.results]
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):
        assert isinstance(a, TensorType) and isinstance(b, TensorType)
        assert a.get_element_type() == b.get_element_type()
        for x, y in zip(a.get_shape(), b.get_shape(), strict=True):
            assert x == DYN or x == y


# --------------------------------------------------------------------------- static


STATIC = """
func.func @f(%x: tensor<2x4xf32>, %ids: tensor<3xi64>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %w = graph.weight "w" : tensor<4x6xf32>
  %0 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %1 = graph.gelu %0 : tensor<?x4xf32>
  %2 = graph.matmul %1, %w : tensor<?x4xf32>, tensor<4x6xf32> -> tensor<?x?xf32>
  %3 = graph.softmax %2 : tensor<?x?xf32>
  %4 = graph.transpose %3 {perm = array<i64: 1, 0>} : tensor<?x?xf32> -> tensor<?x?xf32>
  %5:2 = graph.split %4 {axis = 0 : i64} : tensor<?x?xf32> -> tensor<2x?xf32>, tensor<?x?xf32>
  %6 = graph.concat %5#1, %5#0 {axis = 0 : i64} : (tensor<?x?xf32>, tensor<2x?xf32>) -> tensor<?x?xf32>
  %7 = graph.gather %6, %ids : (tensor<?x?xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  %8 = graph.reshape %7 : tensor<?x?xf32> -> tensor<3x?x1xf32>
  %9 = graph.slice %8 {start = array<i64: 0, 0, 0>, limit = array<i64: 3, 2, 1>, step = array<i64: 2, 1, 1>} : tensor<3x?x1xf32> -> tensor<?x?x?xf32>
  func.return %6, %9 : tensor<?x?xf32>, tensor<?x?x?xf32>
}
"""


def test_static_refinement_keeps_results() -> None:
    before = parse_module(STATIC)
    after = parse_module(STATIC)
    inputs = random_inputs(the_function(before), seed=2)
    expected = run(before, inputs)
    infer(after)
    types_refine(before, after)
    f = the_function(after)
    assert all(DYN not in shape(v) for op in f.walk() for v in op.results)
    assert [str(t) for t in f.function_type.outputs] == ["tensor<6x2xf32>", "tensor<2x2x1xf32>"]
    assert_same(expected, run(after, inputs))


def test_idempotent() -> None:
    module = infer(parse_module(STATIC))
    text = str(module)
    assert str(infer(module)) == text


@pytest.mark.parametrize("name", ["transformer-tiny", "sd21-vae-decoder-tiny"])
def test_static_models_unchanged(name: str) -> None:
    module = build_model(name)
    text = str(module)
    assert str(infer(module)) == text


LOOSE = """
func.func @f(%x: tensor<3x8xf32>) -> tensor<?x8xf32> {
  %w = graph.weight "w" : tensor<8x8xf32>
  %b = graph.weight "b" : tensor<8xf32>
  %0 = graph.reshape %x : tensor<3x8xf32> -> tensor<?x8xf32>
  %1 = graph.matmul %0, %w : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %2 = graph.add %1, %b : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %3 = graph.gelu %2 : tensor<?x8xf32>
  %4 = graph.softmax %3 : tensor<?x8xf32>
  func.return %4 : tensor<?x8xf32>
}
"""


def test_fused_groups() -> None:
    """infer-shapes after fuse: bodies and group results are refined together and run the same."""
    module = parse_module(LOOSE)
    PassPipeline.parse_spec(get_all_passes(), "fuse").apply(make_context(), module)
    module.verify()
    assert any(isinstance(op, graph.FusedOp) for op in module.walk())
    assert "?" in str(module)
    inputs = random_inputs(the_function(module))
    expected = run(module, inputs)
    infer(module)
    assert "?" not in str(module)
    assert_same(expected, run(module, inputs))


# --------------------------------------------------------------------------- dynamic


DYNAMIC = """
func.func @f(%x: tensor<?x16xf32> {graph.dim_bounds = array<i64: 6, 16>}, %ids: tensor<?xi64> {graph.dim_bounds = array<i64: 5>}) -> (tensor<?x8xf32>, tensor<?x4x?xf32>, tensor<?x8xf32>) {
  %w = graph.weight "w" : tensor<16x8xf32>
  %table = graph.weight "table" : tensor<10x8xf32>
  %b = graph.weight "b" : tensor<8xf32>
  %0 = graph.matmul %x, %w : tensor<?x16xf32>, tensor<16x8xf32> -> tensor<?x8xf32>
  %1 = graph.add %0, %b : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %2 = graph.gelu %1 : tensor<?x8xf32>
  %3 = graph.reshape %2 : tensor<?x8xf32> -> tensor<?x4x2xf32>
  %4 = graph.transpose %3 {perm = array<i64: 1, 0, 2>} : tensor<?x4x2xf32> -> tensor<4x?x2xf32>
  %5 = graph.slice %4 {start = array<i64: 0, 0, 0>, limit = array<i64: 4, 3, 2>, step = array<i64: 1, 1, 1>} : tensor<4x?x2xf32> -> tensor<4x?x2xf32>
  %6 = graph.concat %4, %5 {axis = 1 : i64} : (tensor<4x?x2xf32>, tensor<4x?x2xf32>) -> tensor<4x?x2xf32>
  %7 = graph.transpose %6 {perm = array<i64: 1, 0, 2>} : tensor<4x?x2xf32> -> tensor<?x4x2xf32>
  %8 = graph.batch_matmul %7, %7 {transpose_b} : tensor<?x4x2xf32>, tensor<?x4x2xf32> -> tensor<?x4x4xf32>
  %9 = graph.reduce_mean %8 {axes = array<i64: 2>, keepdims} : tensor<?x4x4xf32> -> tensor<?x4x?xf32>
  %10 = graph.gather %table, %ids : (tensor<10x8xf32>, tensor<?xi64>) -> tensor<?x8xf32>
  %11 = graph.softmax %10 : tensor<?x8xf32>
  func.return %2, %9, %11 : tensor<?x8xf32>, tensor<?x4x?xf32>, tensor<?x8xf32>
}
"""


def dynamic_inputs(n: int, k: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((n, 16)).astype(np.float32),
        rng.integers(0, 10, size=(k,)).astype(np.int64),
    ]


def test_dynamic_function_on_two_sizes() -> None:
    before, after = parse_module(DYNAMIC), parse_module(DYNAMIC)
    infer(after)
    types_refine(before, after)
    f = the_function(after)
    assert str(f.function_type.outputs.data[1]) == "tensor<?x4x1xf32>"  # keepdims: static 1
    bounds = {
        op.name + str(i): list(op.attributes[BOUNDS_ATTR].get_values())
        for i, op in enumerate(f.body.block.ops)
        if BOUNDS_ATTR in op.attributes
    }
    assert bounds["graph.matmul3"] == [6, 8]
    assert bounds["graph.slice8"] == [4, 3, 2]
    assert bounds["graph.concat9"] == [4, 9, 2]
    assert bounds["graph.gather13"] == [5, 8]
    assert "graph.weight0" not in bounds
    res = [d.data.get(BOUNDS_ATTR) for d in f.res_attrs.data]
    assert [list(r.get_values()) if r else None for r in res] == [[6, 8], [9, 4, 1], [5, 8]]
    for n, k in ((1, 5), (6, 2)):
        inputs = dynamic_inputs(n, k, seed=n)
        assert_same(run(before, inputs), run(after, inputs))
    values = expose_all(after)
    for n, k in ((1, 1), (4, 3), (6, 5)):
        outs = run(after, dynamic_inputs(n, k, seed=k))[3:]
        assert check_bounds(values, outs) == 12  # one bounded dim per computed value


def test_dynamic_transformer_tiny() -> None:
    """transformer-tiny with a dynamic batch bounded by 3: every op keeps its dynamic batch dim
    and gets bound 3 for it; outputs at batch 1 and 3 are unchanged."""
    module = build_transformer(replace(TINY, batch=None))
    reference = build_transformer(replace(TINY, batch=None))
    f = the_function(module)
    set_bounds(f, 0, [3, TINY.seq, TINY.hidden])
    infer(module)
    types_refine(reference, module)
    dynamic = [op for op in f.body.block.ops if op.results and DYN in shape(op.results[0])]
    assert len(dynamic) > 50
    for op in dynamic:
        values = op.attributes[BOUNDS_ATTR].get_values()
        assert values[0] == 3 and -1 not in values and DYN not in values[1:]
    assert list(f.res_attrs.data[0].data[BOUNDS_ATTR].get_values()) == [3, TINY.seq, TINY.hidden]
    for batch in (1, 3):
        x = np.random.default_rng(batch).standard_normal((batch, TINY.seq, TINY.hidden))
        assert_same(run(reference, [x.astype(np.float32)]), run(module, [x.astype(np.float32)]))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            """func.func @f(%x: tensor<2x4xf32>, %z: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %1 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %2 = graph.add %1, %z : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x4xf32>
  func.return %2 : tensor<?x4xf32>
}""",
            "graph.add: shapes 2x4 and 3x4 do not broadcast (operand 0 refined by infer-shapes)",
            3,
        ),
        (
            """func.func @f(%x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 2>}) -> tensor<?x4xf32> {
  func.return %x : tensor<?x4xf32>
}""",
            "@f: graph.dim_bounds of argument 0 has 1 entry, but tensor<?x4xf32> has 2 dims",
            1,
        ),
    ],
)
def test_errors_are_located(text: str, message: str, line: int) -> None:
    module = parse_module(text, "case.mlir")
    with pytest.raises(GeError) as info:
        InferShapesPass().apply(make_context(), module)
    assert info.value.message == message
    assert info.value.location is not None and info.value.location.startswith(f"case.mlir:{line}:")


def test_registered() -> None:
    assert get_all_passes()["infer-shapes"]() is InferShapesPass


# --------------------------------------------------------------------------- random graphs


@st.composite
def dynamic_graphs(draw: st.DrawFn) -> tuple[ModuleOp, int]:
    """Random graphs over x [?, 4] (the ``?`` bounded by the returned bound): elementwise and
    broadcasting ops, matmuls, reshapes, transposes, concats along the dynamic dim, slices of
    it, reductions and splits. Each value's dynamic dim carries a tag (``n``, ``n+n``, ...) so
    that only values of equal run-time size are added."""
    bound = draw(st.integers(1, 6))
    b = GraphBuilder("f32")
    with b.module("g"):
        pool: list[tuple[Tensor, str]] = [(b.input("x", (None, 4)), "n")]
        kinds = [
            "unary",
            "add",
            "row",
            "matmul",
            "reshape",
            "transpose",
            "concat",
            "slice",
            "reduce",
            "split",
        ]
        for i in range(draw(st.integers(1, 8))):
            x, tag = pool[draw(st.integers(0, len(pool) - 1))]
            rows = x.shape[1] == 4  # [?, 4], not transposed or reduced
            kind = draw(st.sampled_from(kinds))
            if kind == "unary":
                pool.append((draw(st.sampled_from([b.relu, b.exp, b.tanh]))(x), tag))
            elif kind == "add":
                same = [t for t, g in pool if g == tag and t.shape == x.shape]
                pool.append((b.add(x, same[draw(st.integers(0, len(same) - 1))]), tag))
            elif kind == "row" and rows:
                pool.append((b.mul(x, b.weight(f"r{i}", (1, 4))), tag))
            elif kind == "matmul" and rows:
                pool.append((b.matmul(x, b.weight(f"w{i}", (4, 3))), tag))
            elif kind == "reshape" and rows:
                pool.append((b.reshape(b.reshape(x, (-1, 2, 2)), (-1, 4)), tag))
            elif kind == "transpose":
                pool.append((b.transpose(x, (1, 0)), tag))
            elif kind == "concat" and rows:
                others = [(t, g) for t, g in pool if t.shape == x.shape]
                y, other = others[draw(st.integers(0, len(others) - 1))]
                pool.append((b.concat([x, y], 0), f"({tag}+{other})"))
            elif kind == "slice":
                limit, step = draw(st.integers(1, 8)), draw(st.integers(1, 3))
                limits = [limit if d == DYN else d for d in x.shape]
                steps = [step if d == DYN else 1 for d in x.shape]
                pool.append((b.slice(x, (0, 0), limits, steps), f"s{limit}/{step}({tag})"))
            elif kind == "reduce":
                axis = 1 if x.shape[1] != DYN else 0
                pool.append((b.reduce_sum(x, [axis], keepdims=True), tag))
            elif kind == "split" and rows:
                pool.extend((t, tag) for t in b.split(x, (1, 3), 1))
        b.output(pool[-1][0])
    module = b.build()
    set_bounds(the_function(module), 0, [bound, 4])
    return module, bound


@SETTINGS
@given(dynamic_graphs(), st.data())
def test_random_dynamic_graphs(drawn: tuple[ModuleOp, int], data: st.DataObject) -> None:
    module, bound = drawn
    reference = module.clone()
    infer(module)
    types_refine(reference, module)
    sizes = data.draw(st.lists(st.integers(1, bound), min_size=1, max_size=2, unique=True))
    runs = []
    for n in sizes:
        x = np.random.default_rng(n).standard_normal((n, 4)).astype(np.float32)
        before, after = run(reference, [x]), run(module, [x])
        assert_same(before, after)
        runs.append(x)
    values = expose_all(module)
    for x in runs:
        check_bounds(values, run(module, [x])[1:])
