"""constant-fold: ops computed from constants become constants with the interpreter's values.

Differential throughout: the reference interpreter runs the module before and after the pass
(and after printing and re-parsing the folded module) and the results must be identical, bit
for bit. Every foldable graph op is folded at least once; the tiny text encoder's causal mask
folds into one i1 literal; what must not fold (too large, dynamic, run-time errors, values a
literal cannot hold) does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import make_context, parse_module
from ge_compiler.models import build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.passes.graph.constant_fold import (
    FOLDABLE,
    ConstantFoldPass,
    constant_value,
    survives_text,
)
from ge_compiler.weights import WeightStore

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_pass(module: ModuleOp, spec: str = "constant-fold") -> ModuleOp:
    out = module.clone()
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), out)
    out.verify()
    return out


def entry(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def graph_ops(module: ModuleOp) -> Counter[str]:
    return Counter(op.name for op in module.walk() if op.name.startswith("graph."))


def outcome(module: ModuleOp, inputs: list[np.ndarray], weights: WeightStore):
    """The results, or the interpreter's error message (without its location: the re-parsed
    module has other columns)."""
    try:
        return run_function(module, inputs, weights)
    except GeError as e:
        return e.message


def same(got, want) -> bool:
    """Identical results (dtype, shape, values, NaN, sign of zero) or the identical error."""
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    return len(got) == len(want) and all(
        g.dtype == w.dtype
        and g.shape == w.shape
        and np.array_equal(g, w, equal_nan=g.dtype.kind == "f")
        and (g.dtype.kind != "f" or np.array_equal(np.signbit(g), np.signbit(w)))
        for g, w in zip(got, want, strict=True)
    )


def assert_same_outcome(before: ModuleOp, after: ModuleOp, seed: int = 0) -> None:
    """``after`` computes exactly what ``before`` does, and keeps doing so once printed and
    parsed again if the literals of ``before`` can be (xDSL 0.74 cannot print NaN, infinities
    or mixed signed zeros in short literals: a module given such literals loses them)."""
    inputs = random_inputs(entry(before), seed)
    weights = WeightStore(seed=seed)
    want = outcome(before, inputs, weights)
    assert same(outcome(after, inputs, weights), want)
    literals = [op.value for op in before.walk() if isinstance(op, graph.ConstantOp)]
    if all(survives_text(a) for a in literals):
        assert same(outcome(parse_module(str(after)), inputs, weights), want)


# --------------------------------------------------------------------------- every op

Source = Callable[..., Tensor]
"""``c(shape, dtype=None, values=None)``: a constant of random positive values."""

OPS: dict[str, tuple[type, Callable[[GraphBuilder, Source], list[Tensor]]]] = {
    "neg": (graph.NegOp, lambda b, c: [b.neg(c((2, 3)))]),
    "abs": (graph.AbsOp, lambda b, c: [b.abs(c((2, 3)))]),
    "exp": (graph.ExpOp, lambda b, c: [b.exp(c((2, 3)))]),
    "log": (graph.LogOp, lambda b, c: [b.log(c((2, 3)))]),
    "sqrt": (graph.SqrtOp, lambda b, c: [b.sqrt(c((2, 3)))]),
    "rsqrt": (graph.RsqrtOp, lambda b, c: [b.rsqrt(c((2, 3)))]),
    "reciprocal": (graph.ReciprocalOp, lambda b, c: [b.reciprocal(c((2, 3)))]),
    "relu": (graph.ReluOp, lambda b, c: [b.relu(b.neg(c((2, 3))))]),
    "sigmoid": (graph.SigmoidOp, lambda b, c: [b.sigmoid(c((2, 3)))]),
    "tanh": (graph.TanhOp, lambda b, c: [b.tanh(c((2, 3)))]),
    "erf": (graph.ErfOp, lambda b, c: [b.erf(c((2, 3)))]),
    "silu": (graph.SiluOp, lambda b, c: [b.silu(c((2, 3)))]),
    "gelu": (graph.GeluOp, lambda b, c: [b.gelu(c((2, 3))), b.gelu(c((3,)), "tanh")]),
    "add": (graph.AddOp, lambda b, c: [b.add(c((2, 3)), c((3,)))]),
    "sub": (graph.SubOp, lambda b, c: [b.sub(c((2, 1)), c((1, 3)))]),
    "mul": (graph.MulOp, lambda b, c: [b.mul(c((2, 3)), c(()))]),
    "div": (
        graph.DivOp,
        lambda b, c: [
            b.div(c((2, 3)), c((3,))),
            b.div(c((4,), "i32", [-7, 7, -8, 9]), c((), "i32", 2)),
        ],
    ),
    "maximum": (graph.MaximumOp, lambda b, c: [b.maximum(c((2, 3)), c((2, 3)))]),
    "minimum": (graph.MinimumOp, lambda b, c: [b.minimum(c((2, 3)), c((2, 3)))]),
    "pow": (graph.PowOp, lambda b, c: [b.pow(c((2, 3)), c((3,)))]),
    "where": (
        graph.WhereOp,
        lambda b, c: [b.where(c((2, 3), "i1", [1, 0, 1, 0, 0, 1]), c((2, 3)), c(()))],
    ),
    "cast": (
        graph.CastOp,
        lambda b, c: [
            b.cast(c((4,), values=[0.5, 1.5, -2.5, 300.7]), "i8"),
            b.cast(c((2,), values=[0.0, 3.0]), "i1"),
            b.cast(c((2,), values=[1.0 / 3.0, 1e4]), "f16"),
        ],
    ),
    "matmul": (
        graph.MatmulOp,
        lambda b, c: [b.matmul(c((2, 3, 4)), c((5, 4)), transpose_b=True)],
    ),
    "batch_matmul": (
        graph.BatchMatmulOp,
        lambda b, c: [b.batch_matmul(c((2, 4, 3)), c((2, 4, 5)), transpose_a=True)],
    ),
    "conv2d": (
        graph.Conv2dOp,
        lambda b, c: [b.conv2d(c((1, 2, 5, 5)), c((4, 2, 3, 3)), c((4,)), stride=2, padding=1)],
    ),
    "max_pool2d": (graph.MaxPool2dOp, lambda b, c: [b.max_pool2d(c((1, 2, 4, 4)), 2)]),
    "avg_pool2d": (
        graph.AvgPool2dOp,
        lambda b, c: [b.avg_pool2d(c((1, 2, 5, 5)), 3, stride=2, padding=1)],
    ),
    "resize": (
        graph.ResizeOp,
        lambda b, c: [
            b.resize(c((1, 2, 3, 3)), (5, 4)),
            b.resize(c((1, 1, 2, 3)), (4, 5), mode="bilinear"),
        ],
    ),
    "reduce_sum": (graph.ReduceSumOp, lambda b, c: [b.reduce_sum(c((2, 3, 4)), [0, 2])]),
    "reduce_mean": (
        graph.ReduceMeanOp,
        lambda b, c: [b.reduce_mean(c((2, 3)), [1], keepdims=True)],
    ),
    "reduce_max": (graph.ReduceMaxOp, lambda b, c: [b.reduce_max(c((2, 3)), [-1])]),
    "softmax": (graph.SoftmaxOp, lambda b, c: [b.softmax(c((2, 5)))]),
    "layer_norm": (
        graph.LayerNormOp,
        lambda b, c: [b.layer_norm(c((2, 3, 4)), c((4,)), c((4,)))],
    ),
    "group_norm": (
        graph.GroupNormOp,
        lambda b, c: [b.group_norm(c((1, 4, 2, 2)), c((4,)), c((4,)), 2)],
    ),
    "rms_norm": (graph.RmsNormOp, lambda b, c: [b.rms_norm(c((2, 4)), c((4,)))]),
    "reshape": (graph.ReshapeOp, lambda b, c: [b.reshape(c((2, 3, 4)), [4, -1])]),
    "transpose": (graph.TransposeOp, lambda b, c: [b.transpose(c((2, 3, 4)), [2, 0, 1])]),
    "concat": (graph.ConcatOp, lambda b, c: [b.concat([c((2, 3)), c((1, 3))], 0)]),
    "slice": (graph.SliceOp, lambda b, c: [b.slice(c((5, 4)), [1, 0], [5, 4], [2, 3])]),
    "split": (graph.SplitOp, lambda b, c: b.split(c((2, 5)), [2, 3], 1)),
    "update_slice": (
        graph.UpdateSliceOp,
        lambda b, c: [b.update_slice(c((4, 3)), c((1, 3)), c((), "i64", [2]), axis=0)],
    ),
    "gather": (
        graph.GatherOp,
        lambda b, c: [b.gather(c((6, 3)), c((2, 2), "i64", [5, 0, 2, 2]))],
    ),
}


def build(name: str, dtype: str = "f32", seed: int = 0) -> ModuleOp:
    rng = np.random.default_rng(seed)
    b = GraphBuilder(dtype)

    def c(shape: tuple[int, ...], el: str | None = None, values=None) -> Tensor:
        if values is None:
            array = rng.uniform(0.25, 2.0, size=shape)  # log, sqrt, pow stay finite
        else:
            array = np.reshape(np.asarray(values), shape)
        return b.constant(array, el)

    with b.module(name):
        b.output(*OPS[name][1](b, c))
    return b.build()


def test_every_foldable_op_is_covered() -> None:
    assert {cls for cls, _ in OPS.values()} == set(FOLDABLE)


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_folds(name: str) -> None:
    before = build(name)
    after = run_pass(before)
    assert set(graph_ops(after)) == {"graph.constant"}, str(after)
    assert_same_outcome(before, after)


@pytest.mark.parametrize("name", ["exp", "add", "matmul", "softmax", "layer_norm", "cast"])
def test_f16_folds_exactly(name: str) -> None:
    before = build(name, "f16", seed=1)
    after = run_pass(before)
    assert set(graph_ops(after)) == {"graph.constant"}
    assert_same_outcome(before, after)


def test_bf16_folds_only_bf16_numbers() -> None:
    """The interpreter computes bf16 in float32: exp of bf16 constants is not a bf16 number
    (kept), 1 + 2 is (folded)."""
    text = """
    func.func @f() -> (tensor<3xbf16>, tensor<bf16>) {
      %x = graph.constant dense<[0.5, 1.0, 1.5]> : tensor<3xbf16>
      %e = graph.exp %x : tensor<3xbf16>
      %a = graph.constant dense<1.0> : tensor<bf16>
      %b = graph.constant dense<2.0> : tensor<bf16>
      %s = graph.add %a, %b : tensor<bf16>, tensor<bf16> -> tensor<bf16>
      func.return %e, %s : tensor<3xbf16>, tensor<bf16>
    }"""
    before = parse_module(text)
    after = run_pass(before)
    assert graph_ops(after) == Counter({"graph.constant": 2, "graph.exp": 1})
    assert_same_outcome(before, after)


# --------------------------------------------------------------------------- what stays


KEPT = {
    "weight operand": """
    func.func @f() -> tensor<2xf32> {
      %w = graph.weight "w" : tensor<2xf32>
      %c = graph.constant dense<1.0> : tensor<2xf32>
      %a = graph.add %w, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
      func.return %a : tensor<2xf32>
    }""",
    "argument operand": """
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %c = graph.constant dense<1.0> : tensor<2xf32>
      %a = graph.add %x, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
      func.return %a : tensor<2xf32>
    }""",
    "dynamic result": """
    func.func @f() -> tensor<?xf32> {
      %c = graph.constant dense<1.0> : tensor<2xf32>
      %r = graph.reshape %c : tensor<2xf32> -> tensor<?xf32>
      func.return %r : tensor<?xf32>
    }""",
    "integer division by zero": """
    func.func @f() -> tensor<2xi32> {
      %n = graph.constant dense<[1, 2]> : tensor<2xi32>
      %z = graph.constant dense<0> : tensor<i32>
      %d = graph.div %n, %z : tensor<2xi32>, tensor<i32> -> tensor<2xi32>
      func.return %d : tensor<2xi32>
    }""",
    "gather out of range": """
    func.func @f() -> tensor<1x2xf32> {
      %t = graph.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
      %i = graph.constant dense<[7]> : tensor<1xi64>
      %g = graph.gather %t, %i : (tensor<2x2xf32>, tensor<1xi64>) -> tensor<1x2xf32>
      func.return %g : tensor<1x2xf32>
    }""",
    "infinity": """
    func.func @f() -> tensor<2xf32> {
      %z = graph.constant dense<[0.0, 1.0]> : tensor<2xf32>
      %l = graph.log %z : tensor<2xf32>
      func.return %l : tensor<2xf32>
    }""",
    "nan": """
    func.func @f() -> tensor<f32> {
      %z = graph.constant dense<-1.0> : tensor<f32>
      %l = graph.sqrt %z : tensor<f32>
      func.return %l : tensor<f32>
    }""",
}


@pytest.mark.parametrize("case", list(KEPT))
def test_kept(case: str) -> None:
    before = parse_module(KEPT[case])
    after = run_pass(before)
    assert graph_ops(after) == graph_ops(before)
    assert_same_outcome(before, after)


def test_max_elements() -> None:
    text = """
    func.func @f() -> (tensor<4x4xf32>, tensor<2xf32>) {
      %a = graph.constant dense<1.0> : tensor<4x1xf32>
      %b = graph.constant dense<2.0> : tensor<1x4xf32>
      %s = graph.add %a, %b : tensor<4x1xf32>, tensor<1x4xf32> -> tensor<4x4xf32>
      %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
      %n = graph.neg %c : tensor<2xf32>
      func.return %s, %n : tensor<4x4xf32>, tensor<2xf32>
    }"""
    before = parse_module(text)
    assert graph_ops(run_pass(before, "constant-fold{max-elements=15}"))["graph.add"] == 1
    assert graph_ops(run_pass(before, "constant-fold{max-elements=15}"))["graph.neg"] == 0
    assert set(graph_ops(run_pass(before, "constant-fold{max-elements=16}"))) == {"graph.constant"}
    assert graph_ops(run_pass(before, "constant-fold{max-elements=0}")) == graph_ops(before)
    assert ConstantFoldPass().max_elements == graph.MAX_CONSTANT_ELEMENTS


@pytest.mark.parametrize("bad", [-1, graph.MAX_CONSTANT_ELEMENTS + 1, True])
def test_bad_max_elements(bad: int) -> None:
    with pytest.raises(ValueError, match="max-elements must be between 0 and 4096"):
        ConstantFoldPass(max_elements=bad)


def test_shared_constant_survives() -> None:
    text = """
    func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
      %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
      %n = graph.neg %c : tensor<2xf32>
      %a = graph.add %x, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
      func.return %n, %a : tensor<2xf32>, tensor<2xf32>
    }"""
    before = parse_module(text)
    after = run_pass(before)
    assert graph_ops(after) == Counter({"graph.constant": 2, "graph.add": 1})
    assert_same_outcome(before, after)


# --------------------------------------------------------------------------- models


def test_transformer_tiny_has_nothing_to_fold() -> None:
    before = build_model("transformer-tiny")
    after = run_pass(before)
    assert graph_ops(after) == graph_ops(before)
    assert_same_outcome(before, after)


def test_text_encoder_causal_mask_folds() -> None:
    before = build_model("sd21-text-encoder-tiny")
    after = run_pass(before)
    delta = graph_ops(before) - graph_ops(after)
    assert delta == Counter(
        {"graph.constant": 1, "graph.sub": 1, "graph.relu": 1, "graph.cast": 1}
    )  # two iotas, sub, relu, cast -> one literal
    masks = [
        op
        for op in after.walk()
        if isinstance(op, graph.ConstantOp) and str(op.result.type) == "tensor<8x8xi1>"
    ]
    assert len(masks) == 1
    mask = constant_value(masks[0])  # True above the diagonal: key after query
    np.testing.assert_array_equal(mask, np.triu(np.ones((8, 8), bool), k=1))
    for seed in range(2):
        assert_same_outcome(before, after, seed)
    assert_same_outcome(before, run_pass(before, "constant-fold,canonicalize,cse,dce"))


# --------------------------------------------------------------------------- random ops

UNARY = ("neg", "abs", "exp", "log", "sqrt", "reciprocal", "relu", "sigmoid", "tanh", "silu")
BINARY = ("add", "sub", "mul", "div", "maximum", "minimum", "pow")
SPECIALS = (0.0, -0.0, 1.0, -1.0, 0.5, 1e-40, 3e38, -3e38, 65504.0, 1e5, np.nan, np.inf, -np.inf)


@st.composite
def random_folds(draw: st.DrawFn) -> tuple[ModuleOp, list[str]]:
    dtype = draw(st.sampled_from(("f32", "f16", "bf16", "i32")))
    shapes = draw(st.sampled_from([((), ()), ((3,), ()), ((2, 1), (1, 3)), ((2, 2), (2, 2))]))
    values = st.one_of(st.sampled_from(SPECIALS), st.floats(-10, 10, width=32))
    if dtype == "i32":
        values = st.integers(-5, 5)
    arrays = [
        np.reshape(draw(st.lists(values, min_size=n, max_size=n)), s)
        for s in shapes
        for n in [int(np.prod(s))]
    ]
    if dtype == "f16":  # what an f16 literal can hold (large values become inf)
        with np.errstate(over="ignore"):
            arrays = [a.astype(np.float16) for a in arrays]
    ops = draw(st.lists(st.sampled_from(UNARY + BINARY), min_size=1, max_size=4))
    if dtype == "i32":
        ops = [o for o in ops if o in ("add", "sub", "mul", "div", "maximum", "minimum")]
        ops = ops or ["add"]
    b = GraphBuilder(dtype)
    with b.module("f"):
        x = b.constant(arrays[0], dtype)
        y = b.constant(arrays[1], dtype)
        for o in ops:
            x = getattr(b, o)(x, y) if o in BINARY else getattr(b, o)(x)
        b.output(x)
    return b.build(), [dtype, str(shapes), *ops]


@SETTINGS
@given(random_folds())
def test_random_folds(drawn: tuple[ModuleOp, list[str]]) -> None:
    """Whatever folds, the results (or the error) stay identical, also through text."""
    before, recipe = drawn
    note(" ".join(recipe))
    after = run_pass(before)
    note(str(after))
    assert_same_outcome(before, after)
