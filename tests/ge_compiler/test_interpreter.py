"""Differential tests of the reference interpreter.

Every graph op is run through ``run_function`` and compared with an independent computation:
Python ``math`` per element, explicit loops over output cells, ``fractions`` for exact index
arithmetic, ``struct`` for IEEE rounding. Nothing here calls the interpreter's helpers or the
dialect's shape rules, so a mistake in either shows up as a disagreement.
"""

from __future__ import annotations

import itertools
import math
import struct
import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes
from xdsl.builder import ImplicitBuilder
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    TensorType,
    f16,
    f32,
    f64,
    i8,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from ge_compiler.dialects import graph
from ge_compiler.dialects.shapes import ShapeError
from ge_compiler.errors import GeError
from ge_compiler.interpreter import GraphFunctions, random_inputs, run_function
from ge_compiler.ir import parse_module
from ge_compiler.weights import WeightStore

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(FAST, max_examples=12)  # for tests parametrized over every float dtype

i1 = IntegerType(1)
IR_TYPE: dict[np.dtype, Attribute] = {
    np.dtype(np.float16): f16,
    np.dtype(np.float32): f32,
    np.dtype(np.float64): f64,
    np.dtype(np.bool_): i1,
    np.dtype(np.int8): i8,
    np.dtype(np.int32): i32,
    np.dtype(np.int64): i64,
}
TOLERANCE = {np.dtype(np.float16): 3e-3, np.dtype(np.float32): 2e-5, np.dtype(np.float64): 1e-10}

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
float_dtypes = st.sampled_from(FLOAT_DTYPES)
seeds = st.integers(0, 2**32 - 1)


# --------------------------------------------------------------------------- helpers


def tensor(dtype: np.dtype | type, shape: Sequence[int]) -> TensorType:
    return TensorType(IR_TYPE[np.dtype(dtype)], tuple(shape))


def build(in_types: Sequence[Attribute], body: Callable[..., object]) -> ModuleOp:
    """A module with one function @main whose body is built by ``body(*args)``."""
    block = Block(arg_types=in_types)
    with ImplicitBuilder(block):
        outs = body(*block.args)
        outs = [outs] if isinstance(outs, Operation | SSAValue) else list(outs)
        values = [SSAValue.get(o) for o in outs]
        func.ReturnOp(*values)
    function = func.FuncOp("main", (in_types, [v.type for v in values]), Region(block))
    return ModuleOp([function])


def run(body: Callable[..., object], *inputs: np.ndarray, **kwargs: object) -> list[np.ndarray]:
    """Build @main with argument types taken from ``inputs`` and interpret it."""
    module = build([tensor(x.dtype, x.shape) for x in inputs], body)
    return run_function(module, inputs, **kwargs)  # type: ignore[arg-type]


def run1(body: Callable[..., object], *inputs: np.ndarray, **kwargs: object) -> np.ndarray:
    (out,) = run(body, *inputs, **kwargs)
    return out


def check(out: np.ndarray, ref: object, dtype: np.dtype | type) -> None:
    """``out`` has exactly ``dtype`` and matches ``ref`` (rounded to ``dtype`` first)."""
    dtype = np.dtype(dtype)
    ref = np.asarray(ref)
    assert out.dtype == dtype
    assert out.shape == ref.shape
    if dtype.kind in "biu":
        np.testing.assert_array_equal(out, ref.astype(dtype))
    else:
        tol = TOLERANCE[dtype]
        want = ref.astype(np.float64).astype(dtype).astype(np.float64)
        np.testing.assert_allclose(out.astype(np.float64), want, rtol=tol, atol=tol, equal_nan=True)


def normal(seed: int, shape: Sequence[int], dtype: type = np.float32) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(tuple(shape)).astype(dtype)


def uniform(seed: int, shape: Sequence[int], low: float, high: float, dtype: type) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, tuple(shape)).astype(dtype)


def elementwise(fn: Callable[..., float], *xs: np.ndarray) -> np.ndarray:
    """Apply a Python scalar function per element (after broadcasting), in float64."""
    shape = np.broadcast_shapes(*(x.shape for x in xs))
    flat = [np.broadcast_to(x, shape).astype(np.float64).ravel().tolist() for x in xs]
    return np.array([fn(*vals) for vals in zip(*flat, strict=True)]).reshape(shape)


def wrap(value: int, bits: int) -> int:
    """Two's-complement wrap-around of a Python int to ``bits`` bits."""
    half = 1 << (bits - 1)
    return (value + half) % (1 << bits) - half


def test_every_graph_op_has_an_implementation() -> None:
    impls = getattr(GraphFunctions, "__impl_dict")
    missing = [op.name for op in graph.GRAPH_OPS if op not in impls]
    assert not missing


# --------------------------------------------------------------------------- unary


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


UNARY: list[tuple[type, Callable[[float], float], tuple[float, float] | None]] = [
    (graph.NegOp, lambda v: -v, None),
    (graph.AbsOp, abs, None),
    (graph.ExpOp, math.exp, None),
    (graph.LogOp, math.log, (0.05, 6.0)),
    (graph.SqrtOp, math.sqrt, (0.0, 6.0)),
    (graph.RsqrtOp, lambda v: 1 / math.sqrt(v), (0.05, 6.0)),
    (graph.ReciprocalOp, lambda v: 1 / v, (0.1, 6.0)),
    (graph.ReluOp, lambda v: v if v > 0 else 0.0, None),
    (graph.SigmoidOp, _sigmoid, None),
    (graph.TanhOp, math.tanh, None),
    (graph.ErfOp, math.erf, None),
    (graph.SiluOp, lambda v: v * _sigmoid(v), None),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("op", "ref", "domain"), UNARY, ids=[u[0].name for u in UNARY])
@QUICK
@given(shape=st.lists(st.integers(1, 4), max_size=3), seed=seeds, sign=st.booleans())
def test_unary(
    op: type,
    ref: Callable[[float], float],
    domain: tuple[float, float] | None,
    shape: list[int],
    dtype: type,
    seed: int,
    sign: bool,
) -> None:
    if domain is None:
        x = normal(seed, shape, dtype) * dtype(2)
    else:
        x = uniform(seed, shape, *domain, dtype)
        if op is graph.ReciprocalOp and sign:
            x = -x
    check(run1(lambda a: op(a), x), elementwise(ref, x), dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("approximate", ["none", "tanh"])
@QUICK
@given(shape=st.lists(st.integers(1, 4), max_size=3), seed=seeds)
def test_gelu(shape: list[int], dtype: type, seed: int, approximate: str) -> None:
    x = normal(seed, shape, dtype) * dtype(3)

    def ref(v: float) -> float:
        if approximate == "tanh":
            return 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))
        return v * 0.5 * math.erfc(-v / math.sqrt(2))

    out = run1(lambda a: graph.GeluOp(a, approximate=StringAttr(approximate)), x)
    check(out, elementwise(ref, x), dtype)


def test_sigmoid_and_silu_are_accurate_without_warnings_at_extremes() -> None:
    x = np.array([-1000, -100, -20, 0, 20, 100, 1000], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sig = run1(lambda a: graph.SigmoidOp(a), x)
        silu = run1(lambda a: graph.SiluOp(a), x)
    tails = [math.exp(v) / (1 + math.exp(v)) if v < 0 else 1 / (1 + math.exp(-v)) for v in x]
    np.testing.assert_allclose(sig, tails, rtol=1e-6, atol=1e-45)  # accurate in the tails too
    np.testing.assert_allclose(silu, x * np.array(tails), rtol=1e-6, atol=1e-40)


def test_ieee_results_without_warnings() -> None:
    x = np.array([-1.0, 0.0, 1.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = run1(lambda a: graph.LogOp(a), x)
        rec = run1(lambda a: graph.ReciprocalOp(a), x)
        big = run1(lambda a: graph.ExpOp(a), np.array([20.0], dtype=np.float16))
    assert np.isnan(log[0]) and log[1] == -np.inf and log[2] == 0
    assert rec.tolist() == [-1.0, np.inf, 1.0]
    assert big.dtype == np.float16 and big[0] == np.inf  # e**20 overflows f16


# --------------------------------------------------------------------------- binary


BINARY: list[tuple[type, Callable[[float, float], float]]] = [
    (graph.AddOp, lambda a, b: a + b),
    (graph.SubOp, lambda a, b: a - b),
    (graph.MulOp, lambda a, b: a * b),
    (graph.DivOp, lambda a, b: a / b),
    (graph.MaximumOp, max),
    (graph.MinimumOp, min),
    (graph.PowOp, lambda a, b: a**b),
]


@pytest.mark.parametrize(("op", "ref"), BINARY, ids=[b[0].name for b in BINARY])
@FAST
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    dtype=float_dtypes,
    seed=seeds,
)
def test_binary_float(
    op: type, ref: Callable[[float, float], float], shapes: object, dtype: type, seed: int
) -> None:
    sa, sb = shapes.input_shapes  # type: ignore[attr-defined]
    a, b = normal(seed, sa, dtype), normal(seed + 1, sb, dtype)
    if op is graph.PowOp:
        a = uniform(seed, sa, 0.5, 2.0, dtype)
    if op is graph.DivOp:
        b = np.where(b < 0, b - dtype(0.5), b + dtype(0.5)).astype(dtype)
    out = run1(lambda x, y: op(x, y), a, b)
    check(out, elementwise(ref, a, b), dtype)


INT_BINARY: list[tuple[type, Callable[[int, int], int]]] = [
    (graph.AddOp, lambda a, b: a + b),
    (graph.SubOp, lambda a, b: a - b),
    (graph.MulOp, lambda a, b: a * b),
    (graph.DivOp, lambda a, b: int(Fraction(a, b))),  # truncates toward zero
    (graph.MaximumOp, max),
    (graph.MinimumOp, min),
]


@pytest.mark.parametrize(("op", "ref"), INT_BINARY, ids=[b[0].name for b in INT_BINARY])
@FAST
@given(dtype=st.sampled_from([np.int8, np.int32, np.int64]), seed=seeds, n=st.integers(1, 12))
def test_binary_int_wraps_and_truncates(
    op: type, ref: Callable[[int, int], int], dtype: type, seed: int, n: int
) -> None:
    rng, info = np.random.default_rng(seed), np.iinfo(dtype)
    a = rng.integers(info.min, info.max, n, endpoint=True, dtype=dtype)
    b = rng.integers(info.min, info.max, n, endpoint=True, dtype=dtype)
    if op is graph.DivOp:
        b = np.where(np.abs(b.astype(np.int64)) < 2, 7, b).astype(dtype)
    out = run1(lambda x, y: op(x, y), a, b)
    bits = info.bits
    check(out, [wrap(ref(int(x), int(y)), bits) for x, y in zip(a, b, strict=True)], dtype)


def test_int_pow_and_errors() -> None:
    a = np.array([0, 1, 2, 3, -2], dtype=np.int32)
    b = np.array([3, 5, 10, 2, 3], dtype=np.int32)
    check(run1(lambda x, y: graph.PowOp(x, y), a, b), [0, 1, 1024, 9, -8], np.int32)
    with pytest.raises(GeError, match="graph.pow"):
        run1(lambda x, y: graph.PowOp(x, y), a, -b)
    with pytest.raises(GeError, match="division by zero"):
        run1(lambda x, y: graph.DivOp(x, y), a, b * 0)
    t, f = np.array([True, True, False, False]), np.array([True, False, True, False])
    check(run1(lambda x, y: graph.MaximumOp(x, y), t, f), [1, 1, 1, 0], np.bool_)
    check(run1(lambda x, y: graph.MinimumOp(x, y), t, f), [1, 0, 0, 0], np.bool_)
    with pytest.raises(GeError, match="i1"):
        run1(lambda x, y: graph.AddOp(x, y), t, f)


def test_maximum_minimum_propagate_nan() -> None:
    a = np.array([np.nan, 1.0, 2.0], dtype=np.float32)
    b = np.array([0.0, np.nan, 1.0], dtype=np.float32)
    assert np.isnan(run1(lambda x, y: graph.MaximumOp(x, y), a, b)[:2]).all()
    assert np.isnan(run1(lambda x, y: graph.MinimumOp(x, y), a, b)[:2]).all()


@FAST
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3),
    dtype=st.sampled_from([np.float16, np.float32, np.int32, np.bool_]),
    seed=seeds,
)
def test_where(shapes: object, dtype: type, seed: int) -> None:
    sc, sa, sb = shapes.input_shapes  # type: ignore[attr-defined]
    rng = np.random.default_rng(seed)
    cond = rng.random(sc) < 0.5
    a, b = (rng.integers(-50, 50, s).astype(dtype) for s in (sa, sb))
    out = run1(lambda c, x, y: graph.WhereOp(c, x, y), cond, a, b)
    check(out, elementwise(lambda c, x, y: x if c else y, cond, a, b), dtype)


# --------------------------------------------------------------------------- cast


def ref_float_to_int(v: float, bits: int) -> int:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if math.isnan(v):
        return 0
    if math.isinf(v):
        return hi if v > 0 else lo
    return min(max(round(v), lo), hi)  # round() is ties-to-even


def cast1(x: np.ndarray, to: Attribute) -> np.ndarray:
    return run1(lambda a: graph.CastOp(a, to), x)


@FAST
@given(
    values=st.lists(st.floats(width=32), min_size=1, max_size=16),
    src=st.sampled_from([np.float16, np.float32, np.float64]),
    dst=st.sampled_from([(i8, np.int8), (i32, np.int32), (i64, np.int64)]),
)
def test_cast_float_to_int_rounds_and_saturates(
    values: list[float], src: type, dst: tuple[Attribute, type]
) -> None:
    with np.errstate(over="ignore"):  # large f32 values become inf in f16: a case to test
        x = np.array(values, dtype=np.float32).astype(src)
    bits = np.iinfo(dst[1]).bits
    check(cast1(x, dst[0]), [ref_float_to_int(float(v), bits) for v in x], dst[1])


def test_cast_edge_values() -> None:
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 127.4, 127.5, -128.5, -129.0, np.nan, np.inf])
    check(cast1(x, i8), [0, 2, 2, 0, -2, 127, 127, -128, -128, 0, 127], np.int8)
    big = np.array([2.0**63, -(2.0**63), 2.0**63 - 1024, 1e300])
    check(cast1(big, i64), [2**63 - 1, -(2**63), 2**63 - 1024, 2**63 - 1], np.int64)
    check(cast1(np.array(-2.5, dtype=np.float32), i32), -2, np.int32)  # rank 0
    check(cast1(np.array(np.nan, dtype=np.float16), i8), 0, np.int8)


@FAST
@given(values=st.lists(st.floats(-60000, 60000, width=32), min_size=1, max_size=16))
def test_cast_float_narrowing_rounds_to_nearest(values: list[float]) -> None:
    x = np.array(values, dtype=np.float32)
    ref = [struct.unpack("<e", struct.pack("<e", float(v)))[0] for v in x]  # IEEE half, RNE
    check(cast1(x, f16), ref, np.float16)


@FAST
@given(values=st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=16))
def test_cast_int_conversions(values: list[int]) -> None:
    x = np.array(values, dtype=np.int32)
    check(cast1(x, i8), [min(max(v, -128), 127) for v in values], np.int8)
    check(cast1(x, i64), values, np.int64)
    as_f32 = [struct.unpack("<f", struct.pack("<f", float(v)))[0] for v in values]
    check(cast1(x, f32), as_f32, np.float32)
    check(cast1(x, i1), [v != 0 for v in values], np.bool_)


def test_cast_bool_and_nan() -> None:
    x = np.array([0.0, -0.0, 2.0, np.nan], dtype=np.float32)
    check(cast1(x, i1), [False, False, True, True], np.bool_)
    b = np.array([True, False])
    check(cast1(b, f16), [1.0, 0.0], np.float16)
    check(cast1(b, i32), [1, 0], np.int32)


# --------------------------------------------------------------------------- contractions


def ref_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Broadcast batch dims by hand, then one math.fsum per output element."""
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:]).astype(np.float64)
    b = np.broadcast_to(b, batch + b.shape[-2:]).astype(np.float64)
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    out = np.zeros(batch + (m, n))
    for idx in np.ndindex(*batch):
        for i, j in itertools.product(range(m), range(n)):
            out[idx + (i, j)] = math.fsum(a[idx + (i, t)] * b[idx + (t, j)] for t in range(k))
    return out


@FAST
@given(
    batches=mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3),
    mkn=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    ta=st.booleans(),
    tb=st.booleans(),
    dtype=float_dtypes,
    seed=seeds,
)
def test_matmul(
    batches: object,
    mkn: tuple[int, int, int],
    ta: bool,
    tb: bool,
    dtype: type,
    seed: int,
) -> None:
    (ba, bb), (m, k, n) = batches.input_shapes, mkn  # type: ignore[attr-defined]
    a, b = normal(seed, ba + (m, k), dtype), normal(seed + 1, bb + (k, n), dtype)
    sa = np.ascontiguousarray(np.swapaxes(a, -1, -2)) if ta else a
    sb = np.ascontiguousarray(np.swapaxes(b, -1, -2)) if tb else b
    out = run1(lambda x, y: graph.MatmulOp(x, y, transpose_a=ta, transpose_b=tb), sa, sb)
    check(out, ref_matmul(a, b), dtype)


@FAST
@given(
    batch=st.lists(st.integers(1, 3), min_size=1, max_size=2),
    mkn=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    ta=st.booleans(),
    tb=st.booleans(),
    dtype=float_dtypes,
    seed=seeds,
)
def test_batch_matmul(
    batch: list[int], mkn: tuple[int, int, int], ta: bool, tb: bool, dtype: type, seed: int
) -> None:
    m, k, n = mkn
    a, b = normal(seed, (*batch, m, k), dtype), normal(seed + 1, (*batch, k, n), dtype)
    sa = np.ascontiguousarray(np.swapaxes(a, -1, -2)) if ta else a
    sb = np.ascontiguousarray(np.swapaxes(b, -1, -2)) if tb else b
    out = run1(lambda x, y: graph.BatchMatmulOp(x, y, transpose_a=ta, transpose_b=tb), sa, sb)
    check(out, ref_matmul(a, b), dtype)


def ref_conv2d(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None,
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    groups: int,
) -> np.ndarray:
    """Direct definition: loop over output cells and taps; padding is a bounds check."""
    x, w = x.astype(np.float64), w.astype(np.float64)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    top, left, bottom, right = padding
    oh = (h + top + bottom - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + left + right - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for b, oc, y, z in itertools.product(range(n), range(o), range(oh), range(ow)):
        g = oc // per_group
        acc = 0.0 if bias is None else float(bias[oc])
        for i, j in itertools.product(range(kh), range(kw)):
            iy = y * stride[0] - top + i * dilation[0]
            iz = z * stride[1] - left + j * dilation[1]
            if 0 <= iy < h and 0 <= iz < wd:
                acc += float(np.dot(x[b, g * cg : (g + 1) * cg, iy, iz], w[oc, :, i, j]))
        out[b, oc, y, z] = acc
    return out


@FAST
@given(
    n=st.integers(1, 2),
    groups=st.integers(1, 3),
    cg=st.integers(1, 3),
    og=st.integers(1, 2),
    hw=st.tuples(st.integers(1, 7), st.integers(1, 7)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(*[st.integers(0, 2)] * 4),
    with_bias=st.booleans(),
    dtype=float_dtypes,
    seed=seeds,
)
def test_conv2d(
    n: int,
    groups: int,
    cg: int,
    og: int,
    hw: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
    padding: tuple[int, int, int, int],
    with_bias: bool,
    dtype: type,
    seed: int,
) -> None:
    (h, wd), (kh, kw) = hw, kernel
    assume(h + padding[0] + padding[2] >= dilation[0] * (kh - 1) + 1)
    assume(wd + padding[1] + padding[3] >= dilation[1] * (kw - 1) + 1)
    x = normal(seed, (n, cg * groups, h, wd), dtype)
    w = normal(seed + 1, (og * groups, cg, kh, kw), dtype)
    bias = normal(seed + 2, (og * groups,), dtype) if with_bias else None
    attrs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if bias is None:
        out = run1(lambda a, b: graph.Conv2dOp(a, b, **attrs), x, w)
    else:
        out = run1(lambda a, b, c: graph.Conv2dOp(a, b, c, **attrs), x, w, bias)
    check(out, ref_conv2d(x, w, bias, stride, padding, dilation, groups), dtype)


# --------------------------------------------------------------------------- pooling / resize


def ref_pool(
    x: np.ndarray,
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    reduce: Callable[[list[float]], float],
) -> np.ndarray:
    """Loop over windows, collecting the in-bounds cells (padding never enters a window)."""
    n, c, h, w = x.shape
    top, left, bottom, right = padding
    oh = (h + top + bottom - kernel[0]) // stride[0] + 1
    ow = (w + left + right - kernel[1]) // stride[1] + 1
    out = np.zeros((n, c, oh, ow))
    for b, ch, y, z in itertools.product(range(n), range(c), range(oh), range(ow)):
        cells = [
            float(x[b, ch, iy, iz])
            for iy in range(y * stride[0] - top, y * stride[0] - top + kernel[0])
            for iz in range(z * stride[1] - left, z * stride[1] - left + kernel[1])
            if 0 <= iy < h and 0 <= iz < w
        ]
        out[b, ch, y, z] = reduce(cells)
    return out


pool_params = st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(
    lambda k: st.tuples(
        st.just(k),
        st.tuples(st.integers(1, 3), st.integers(1, 3)),
        st.tuples(*(st.integers(0, k[i % 2] - 1) for i in range(4))),
    )
)


@pytest.mark.parametrize("kind", ["max", "avg"])
@FAST
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 6), st.integers(1, 6)),
    params=pool_params,
    dtype=float_dtypes,
    seed=seeds,
)
def test_pool2d(
    kind: str,
    shape: tuple[int, int, int, int],
    params: tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int]],
    dtype: type,
    seed: int,
) -> None:
    kernel, stride, padding = params
    assume(shape[2] + padding[0] + padding[2] >= kernel[0])
    assume(shape[3] + padding[1] + padding[3] >= kernel[1])
    x = normal(seed, shape, dtype)
    op = graph.MaxPool2dOp if kind == "max" else graph.AvgPool2dOp
    out = run1(lambda a: op(a, kernel, stride, padding), x)
    reduce = max if kind == "max" else (lambda cells: math.fsum(cells) / len(cells))
    check(out, ref_pool(x, kernel, stride, padding, reduce), dtype)


def test_pool_padding_not_smaller_than_kernel_is_rejected() -> None:
    """A window lying wholly in (bottom) padding has no defined value: the verifier refuses it."""
    x = np.ones((1, 1, 1, 1), dtype=np.float32)
    for make in (graph.MaxPool2dOp, graph.AvgPool2dOp):
        with pytest.raises(GeError, match="padding"):
            run1(lambda a, make=make: make(a, (1, 1), (1, 1), (0, 0, 2, 0)), x)


def ref_resize(x: np.ndarray, oh: int, ow: int, mode: str) -> np.ndarray:
    n, c, h, w = x.shape
    out = np.zeros((n, c, oh, ow))

    def source(o: int, size: int, out_size: int) -> tuple[int, int, float]:
        if mode == "nearest":
            s = math.floor(Fraction(o * size, out_size))
            return s, s, 0.0
        src = max((o + 0.5) * size / out_size - 0.5, 0.0)
        lo = min(math.floor(src), size - 1)
        return lo, min(lo + 1, size - 1), src - lo

    for y, z in itertools.product(range(oh), range(ow)):
        y0, y1, fy = source(y, h, oh)
        z0, z1, fz = source(z, w, ow)
        xs = x.astype(np.float64)
        out[:, :, y, z] = (
            xs[:, :, y0, z0] * (1 - fy) * (1 - fz)
            + xs[:, :, y0, z1] * (1 - fy) * fz
            + xs[:, :, y1, z0] * fy * (1 - fz)
            + xs[:, :, y1, z1] * fy * fz
        )
    return out


@FAST
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 5), st.integers(1, 5)),
    size=st.tuples(st.integers(1, 8), st.integers(1, 8)),
    mode=st.sampled_from(["nearest", "bilinear"]),
    dtype=float_dtypes,
    seed=seeds,
)
def test_resize(
    shape: tuple[int, ...], size: tuple[int, int], mode: str, dtype: type, seed: int
) -> None:
    x = normal(seed, shape, dtype)
    out = run1(lambda a: graph.ResizeOp(a, size, mode), x)
    check(out, ref_resize(x, *size, mode), dtype)


def test_resize_matches_pytorch_values() -> None:
    """Values of F.interpolate(x, size, mode=..., align_corners=False), written out by hand."""
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=np.float32)
    bilinear = run1(lambda a: graph.ResizeOp(a, (4, 4), "bilinear"), x)
    np.testing.assert_allclose(
        bilinear[0, 0],
        [
            [1.0, 1.25, 1.75, 2.0],
            [1.5, 1.75, 2.25, 2.5],
            [2.5, 2.75, 3.25, 3.5],
            [3.0, 3.25, 3.75, 4.0],
        ],
    )
    row = np.arange(4, dtype=np.float32).reshape(1, 1, 1, 4)
    down = run1(lambda a: graph.ResizeOp(a, (1, 2), "bilinear"), row)
    np.testing.assert_allclose(down.ravel(), [0.5, 2.5])
    nearest = run1(lambda a: graph.ResizeOp(a, (1, 3), "nearest"), row)
    assert nearest.ravel().tolist() == [0.0, 1.0, 2.0]  # floor(i * 4 / 3) = 0, 1, 2
    up = run1(lambda a: graph.ResizeOp(a, (4, 4), "nearest"), x)
    assert up[0, 0, :, 0].tolist() == [1.0, 1.0, 3.0, 3.0]


# --------------------------------------------------------------------------- reductions / norms


def ref_reduce(
    x: np.ndarray, axes: Sequence[int], keepdims: bool, fn: Callable[[list], object]
) -> np.ndarray:
    """Enumerate output cells; collect each cell's elements with itertools.product."""
    rank = x.ndim
    axes = sorted(a % rank for a in axes)
    kept = [d for d in range(rank) if d not in axes]
    out_shape = tuple(1 if d in axes else x.shape[d] for d in range(rank))
    out = np.zeros(out_shape, dtype=object)
    for idx in np.ndindex(*(x.shape[d] for d in kept)):
        cells = []
        for red in itertools.product(*(range(x.shape[d]) for d in axes)):
            full = [0] * rank
            for d, i in zip(kept, idx, strict=True):
                full[d] = i
            for d, i in zip(axes, red, strict=True):
                full[d] = i
            cells.append(x[tuple(full)].item())
        target = [0] * rank
        for d, i in zip(kept, idx, strict=True):
            target[d] = i
        out[tuple(target)] = fn(cells)
    result = out if keepdims else out.reshape([x.shape[d] for d in kept])
    return np.array(result.tolist())


reduce_case = st.lists(st.integers(1, 4), min_size=1, max_size=3).flatmap(
    lambda shape: st.tuples(
        st.just(shape),
        st.sets(st.integers(0, len(shape) - 1), min_size=1).flatmap(
            lambda axes: st.permutations(sorted(axes))
        ),
        st.booleans(),
    )
)


@pytest.mark.parametrize("kind", ["sum", "mean", "max"])
@FAST
@given(case=reduce_case, dtype=float_dtypes, seed=seeds, negative=st.booleans())
def test_reduce_float(
    kind: str, case: tuple[list[int], list[int], bool], dtype: type, seed: int, negative: bool
) -> None:
    shape, axes, keepdims = case
    if negative:
        axes = [a - len(shape) for a in axes]
    x = normal(seed, shape, dtype)
    op = {"sum": graph.ReduceSumOp, "mean": graph.ReduceMeanOp, "max": graph.ReduceMaxOp}[kind]
    fn = {"sum": math.fsum, "mean": lambda c: math.fsum(c) / len(c), "max": max}[kind]
    out = run1(lambda a: op(a, axes, keepdims), x)
    check(out, ref_reduce(x, axes, keepdims, fn), dtype)


@pytest.mark.parametrize("kind", ["sum", "mean", "max"])
@FAST
@given(case=reduce_case, dtype=st.sampled_from([np.int8, np.int32]), seed=seeds)
def test_reduce_int(
    kind: str, case: tuple[list[int], list[int], bool], dtype: type, seed: int
) -> None:
    shape, axes, keepdims = case
    info = np.iinfo(dtype)
    x = np.random.default_rng(seed).integers(info.min, info.max, shape, endpoint=True)
    x = x.astype(dtype)
    op = {"sum": graph.ReduceSumOp, "mean": graph.ReduceMeanOp, "max": graph.ReduceMaxOp}[kind]
    fn = {
        "sum": lambda c: wrap(sum(c), info.bits),  # wraps like the element type
        "mean": lambda c: int(Fraction(sum(c), len(c))),  # truncates toward zero
        "max": max,
    }[kind]
    out = run1(lambda a: op(a, axes, keepdims), x)
    check(out, ref_reduce(x, axes, keepdims, fn), dtype)


def test_scalars_have_no_axes() -> None:
    """A rank-0 tensor has no axis to reduce or normalize over: the shape rules refuse it."""
    x = np.array(2.5, dtype=np.float32)
    for op in (graph.ReduceSumOp, graph.ReduceMeanOp, graph.ReduceMaxOp):
        with pytest.raises(ShapeError, match="out of range for rank 0"):
            run1(lambda a, op=op: op(a, [0]), x)
    with pytest.raises(GeError, match="graph.softmax: axis 0 is out of range for rank 0"):
        run1(lambda a: graph.SoftmaxOp(a, 0), x)  # checked by the verifier, not on build


def test_reduce_on_i1() -> None:
    x = np.array([[True, False], [False, False]])
    check(run1(lambda a: graph.ReduceMaxOp(a, [1]), x), [True, False], np.bool_)
    with pytest.raises(GeError, match="i1"):
        run1(lambda a: graph.ReduceSumOp(a, [1]), x)


def lines_along(x: np.ndarray, axis: int) -> list[tuple[tuple, list[float]]]:
    """Every 1-D line of ``x`` along ``axis`` as (index with a None slot, values)."""
    axis %= x.ndim
    others = [range(d) for i, d in enumerate(x.shape) if i != axis]
    lines = []
    for idx in itertools.product(*others):
        full = list(idx)
        full.insert(axis, slice(None))
        lines.append((tuple(full), [float(v) for v in x[tuple(full)]]))
    return lines


@FAST
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    data=st.data(),
    dtype=float_dtypes,
    seed=seeds,
)
def test_softmax(shape: list[int], data: st.DataObject, dtype: type, seed: int) -> None:
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = normal(seed, shape, dtype) * dtype(3)
    ref = np.zeros(shape)
    for idx, vals in lines_along(x, axis):
        exps = [math.exp(v) for v in vals]
        ref[idx] = [e / math.fsum(exps) for e in exps]
    check(run1(lambda a: graph.SoftmaxOp(a, axis), x), ref, dtype)


def as_f32(eps: float) -> float:
    """The builders store epsilon as an f32 attribute; the reference must use that value."""
    return float(np.float32(eps))


def ref_standardize(vals: list[float], eps: float) -> list[float]:
    mean = math.fsum(vals) / len(vals)
    var = math.fsum((v - mean) ** 2 for v in vals) / len(vals)
    return [(v - mean) / math.sqrt(var + eps) for v in vals]


@FAST
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    data=st.data(),
    eps=st.sampled_from([1e-5, 1e-3, 0.5]),
    dtype=float_dtypes,
    seed=seeds,
)
def test_layer_norm(
    shape: list[int], data: st.DataObject, eps: float, dtype: type, seed: int
) -> None:
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    trailing = shape[axis % len(shape) :]
    x = normal(seed, shape, dtype) * dtype(2) + dtype(1)
    w, b = normal(seed + 1, trailing, dtype), normal(seed + 2, trailing, dtype)
    outer = math.prod(shape[: axis % len(shape)])
    rows = x.astype(np.float64).reshape(outer, -1)
    normed = np.array([ref_standardize(list(r), as_f32(eps)) for r in rows]).reshape(shape)
    ref = normed * w.astype(np.float64) + b.astype(np.float64)
    out = run1(lambda a, p, q: graph.LayerNormOp(a, p, q, axis, eps), x, w, b)
    check(out, ref, dtype)


@FAST
@given(
    n=st.integers(1, 2),
    groups=st.integers(1, 3),
    per_group=st.integers(1, 3),
    spatial=st.lists(st.integers(1, 3), min_size=1, max_size=2),
    eps=st.sampled_from([1e-5, 0.1]),
    dtype=float_dtypes,
    seed=seeds,
)
def test_group_norm(
    n: int,
    groups: int,
    per_group: int,
    spatial: list[int],
    eps: float,
    dtype: type,
    seed: int,
) -> None:
    c = groups * per_group
    x = normal(seed, (n, c, *spatial), dtype)
    w, b = normal(seed + 1, (c,), dtype), normal(seed + 2, (c,), dtype)
    ref = np.zeros(x.shape)
    for i, g in itertools.product(range(n), range(groups)):
        chans = slice(g * per_group, (g + 1) * per_group)
        block = x[i, chans].astype(np.float64)
        ref[i, chans] = np.array(ref_standardize(block.ravel().tolist(), as_f32(eps))).reshape(
            block.shape
        )
    for ch in range(c):
        ref[:, ch] = ref[:, ch] * float(w[ch]) + float(b[ch])
    out = run1(lambda a, p, q: graph.GroupNormOp(a, p, q, groups, eps), x, w, b)
    check(out, ref, dtype)


@FAST
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    eps=st.sampled_from([1e-6, 0.1]),
    dtype=float_dtypes,
    seed=seeds,
)
def test_rms_norm(shape: list[int], eps: float, dtype: type, seed: int) -> None:
    x, w = normal(seed, shape, dtype), normal(seed + 1, shape[-1:], dtype)
    ref = np.zeros(shape)
    for idx, vals in lines_along(x, -1):
        rms = math.sqrt(math.fsum(v * v for v in vals) / len(vals) + as_f32(eps))
        ref[idx] = [v / rms * float(s) for v, s in zip(vals, w, strict=True)]
    check(run1(lambda a, p: graph.RmsNormOp(a, p, eps), x, w), ref, dtype)


# --------------------------------------------------------------------------- data movement


@FAST
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    target=st.sampled_from(["flat", "reversed", "unsqueeze", "pairs"]),
    seed=seeds,
)
def test_reshape(shape: list[int], target: str, seed: int) -> None:
    x = normal(seed, shape)
    new = {
        "flat": [math.prod(shape)],
        "reversed": shape[::-1],
        "unsqueeze": [1, *shape, 1],
        "pairs": [shape[0], math.prod(shape[1:])],
    }[target]
    out = run1(lambda a: graph.ReshapeOp(a, new), x)
    assert out.shape == tuple(new)
    assert out.ravel().tolist() == [float(v) for v in x.flat]  # row-major element order


@FAST
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4).flatmap(
        lambda s: st.tuples(st.just(s), st.permutations(range(len(s))))
    ),
    dtype=st.sampled_from([np.float16, np.int32, np.bool_]),
    seed=seeds,
)
def test_transpose(shape: tuple[list[int], list[int]], dtype: type, seed: int) -> None:
    dims, perm = shape
    x = np.random.default_rng(seed).integers(0, 100, dims).astype(dtype)
    out = run1(lambda a: graph.TransposeOp(a, perm), x)
    ref = np.zeros([dims[p] for p in perm], dtype=dtype)
    for idx in np.ndindex(*ref.shape):
        src = [0] * len(dims)
        for i, p in enumerate(perm):
            src[p] = idx[i]
        ref[idx] = x[tuple(src)]
    check(out, ref, dtype)


@FAST
@given(
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    sizes=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    data=st.data(),
    seed=seeds,
)
def test_concat_and_split(
    shape: list[int], sizes: list[int], data: st.DataObject, seed: int
) -> None:
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    ax = axis % len(shape)
    parts = [normal(seed + i, [*shape[:ax], s, *shape[ax + 1 :]]) for i, s in enumerate(sizes)]
    out = run1(lambda *xs: graph.ConcatOp(list(xs), axis), *parts)
    # reference: walk the output along the axis, taking rows from the parts in turn
    offsets = list(itertools.accumulate(sizes, initial=0))
    ref = np.zeros(out.shape, dtype=np.float32)
    for idx in np.ndindex(*out.shape):
        p = next(i for i in range(len(sizes)) if idx[ax] < offsets[i + 1])
        src = list(idx)
        src[ax] -= offsets[p]
        ref[idx] = parts[p][tuple(src)]
    check(out, ref, np.float32)

    pieces = run(lambda a: graph.SplitOp(a, sizes, axis).outputs, ref)
    assert len(pieces) == len(sizes)
    for piece, part in zip(pieces, parts, strict=True):
        check(piece, part, np.float32)


@FAST
@given(
    bounds=st.lists(
        st.integers(1, 6).flatmap(
            lambda d: st.tuples(st.just(d), st.integers(0, d)).flatmap(
                lambda ds: st.tuples(
                    st.just(ds[0]), st.just(ds[1]), st.integers(ds[1], ds[0]), st.integers(1, 3)
                )
            )
        ),
        min_size=1,
        max_size=3,
    ),
    seed=seeds,
)
def test_slice(bounds: list[tuple[int, int, int, int]], seed: int) -> None:
    shape = [b[0] for b in bounds]
    start, limit, step = ([b[i] for b in bounds] for i in (1, 2, 3))
    x = normal(seed, shape)
    out = run1(lambda a: graph.SliceOp(a, start, limit, step), x)
    picks = [list(range(s, e, k)) for s, e, k in zip(start, limit, step, strict=True)]
    ref = np.zeros([len(p) for p in picks], dtype=np.float32)
    for idx in np.ndindex(*ref.shape):
        ref[idx] = x[tuple(p[i] for p, i in zip(picks, idx, strict=True))]
    check(out, ref, np.float32)


@FAST
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    index_shape=st.lists(st.integers(1, 3), max_size=2),
    data=st.data(),
    index_dtype=st.sampled_from([np.int32, np.int64]),
    seed=seeds,
)
def test_gather(
    shape: list[int],
    index_shape: list[int],
    data: st.DataObject,
    index_dtype: type,
    seed: int,
) -> None:
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    ax = axis % len(shape)
    x = normal(seed, shape, np.float16)
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, shape[ax], index_shape).astype(index_dtype)
    out = run1(lambda a, i: graph.GatherOp(a, i, axis), x, indices)
    ref = np.zeros([*shape[:ax], *index_shape, *shape[ax + 1 :]], dtype=np.float16)
    k = len(index_shape)
    for idx in np.ndindex(*ref.shape):
        pick = int(indices[idx[ax : ax + k]])
        ref[idx] = x[(*idx[:ax], pick, *idx[ax + k :])]
    check(out, ref, np.float16)


def test_gather_out_of_range_is_an_error() -> None:
    table = np.zeros((4, 2), dtype=np.float32)
    with pytest.raises(GeError, match="graph.gather.*out of bounds"):
        run1(lambda a, i: graph.GatherOp(a, i), table, np.array([1, 4], dtype=np.int32))


# --------------------------------------------------------------------------- values


def test_weight_reads_the_store() -> None:
    t = TensorType(f32, (2, 3))
    given_w = np.arange(6, dtype=np.float32).reshape(2, 3)
    module = build([], lambda: graph.WeightOp("layer.w", t))
    (out,) = run_function(module, [], WeightStore({"layer.w": given_w}))
    check(out, given_w, np.float32)
    out.fill(0)  # results are fresh arrays: writing to one never touches the store
    (again,) = run_function(module, [], WeightStore({"layer.w": given_w}))
    check(again, given_w, np.float32)
    generated = WeightStore(seed=3)
    (a,) = run_function(module, [], generated)
    check(a, generated.get("layer.w", t), np.float32)
    with pytest.raises(GeError, match="layer.w"):
        run_function(module, [], WeightStore({"layer.w": given_w.T}))


def test_constant_literals() -> None:
    module = parse_module(
        """
        func.func @main() -> (tensor<2x2xf32>, tensor<3xi1>, tensor<2xi8>, tensor<2xf16>,
                              tensor<f64>) {
          %0 = graph.constant dense<1.5> : tensor<2x2xf32>
          %1 = graph.constant dense<[true, false, true]> : tensor<3xi1>
          %2 = graph.constant dense<[-128, 127]> : tensor<2xi8>
          %3 = graph.constant dense<[0.1, 65504.0]> : tensor<2xf16>
          %4 = graph.constant dense<-2.25> : tensor<f64>
          func.return %0, %1, %2, %3, %4
              : tensor<2x2xf32>, tensor<3xi1>, tensor<2xi8>, tensor<2xf16>, tensor<f64>
        }
        """
    )
    splat, flags, small, half, scalar = run_function(module, [])
    check(scalar, -2.25, np.float64)
    check(splat, [[1.5, 1.5], [1.5, 1.5]], np.float32)
    check(flags, [True, False, True], np.bool_)
    check(small, [-128, 127], np.int8)
    check(half, [0.1, 65504.0], np.float16)
    assert splat.flags.writeable


def test_constant_built_with_xdsl() -> None:
    value = DenseIntOrFPElementsAttr.from_list(TensorType(i32, (2, 2)), [1, -2, 3, -4])
    out = run1(lambda: graph.ConstantOp(value))
    check(out, [[1, -2], [3, -4]], np.int32)


# --------------------------------------------------------------------------- run_function


def test_f16_inputs_give_f16_outputs() -> None:
    x = normal(0, (2, 3, 4), np.float16)
    w = normal(1, (4, 4), np.float16)
    g, b = np.ones(4, np.float16), np.zeros(4, np.float16)

    def body(a: SSAValue, m: SSAValue, p: SSAValue, q: SSAValue) -> list[object]:
        h = graph.MatmulOp(a, m)
        s = graph.SoftmaxOp(h.result)
        n = graph.LayerNormOp(s.result, p, q)
        r = graph.ReduceMeanOp(n.result, [1])
        return [h, s, n, r, graph.GeluOp(a)]

    outs = run(body, x, w, g, b)
    assert [o.dtype for o in outs] == [np.float16] * 5
    check(outs[0], ref_matmul(x, w), np.float16)


def test_input_count_and_shape_mismatch() -> None:
    module = build([tensor(np.float32, (2, 3))], lambda a: graph.ReluOp(a))
    with pytest.raises(GeError, match="takes 1 inputs, got 2"):
        run_function(module, [np.zeros((2, 3)), np.zeros((2, 3))])
    with pytest.raises(GeError, match=r"expected tensor<2x3xf32>, got shape 3x2"):
        run_function(module, [np.zeros((3, 2))])
    with pytest.raises(GeError, match="got shape scalar"):
        run_function(module, [np.float32(1)])
    with pytest.raises(GeError, match="cannot convert complex128"):
        run_function(module, [np.zeros((2, 3), dtype=complex)])
    (out,) = run_function(module, [[[1, -2, 3], [-4, 5, -6]]])  # lists and ints are cast
    check(out, [[1, 0, 3], [0, 5, 0]], np.float32)


def test_int_inputs_reject_floats() -> None:
    module = build([tensor(np.int32, (2,))], lambda a: graph.NegOp(graph.CastOp(a, f32)))
    with pytest.raises(GeError, match="cannot convert float64"):
        run_function(module, [np.array([1.5, 2.0])])


DYNAMIC = """
func.func @main(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> (tensor<?x3xf32>, tensor<?xf32>) {
  %h = graph.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %s = graph.softmax %h : tensor<?x3xf32>
  %f = graph.reshape %s : tensor<?x3xf32> -> tensor<?xf32>
  func.return %s, %f : tensor<?x3xf32>, tensor<?xf32>
}
"""


@pytest.mark.parametrize("rows", [1, 5])
def test_dynamic_dims_accept_any_size(rows: int) -> None:
    module = parse_module(DYNAMIC)
    x, w = normal(rows, (rows, 4)), normal(9, (4, 3))
    s, f = run_function(module, [x, w])
    assert s.shape == (rows, 3) and f.shape == (rows * 3,)
    np.testing.assert_allclose(s.sum(axis=1), np.ones(rows), rtol=1e-6)
    with pytest.raises(GeError, match=r"expected tensor<\?x4xf32>, got shape 2x5"):
        run_function(module, [np.zeros((2, 5)), w])


def test_dynamic_mismatch_at_runtime_names_the_op() -> None:
    module = parse_module(
        """
        func.func @main(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
          %0 = graph.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
          func.return %0 : tensor<?xf32>
        }
        """,
        "dyn.mlir",
    )
    with pytest.raises(GeError, match="graph.add") as info:
        run_function(module, [np.zeros(3), np.zeros(4)])
    assert info.value.location == "dyn.mlir:3:11"


CALLS = """
func.func private @helper(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = graph.exp %x : tensor<3xf32>
  func.return %0 : tensor<3xf32>
}
func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = func.call @helper(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %1 = graph.neg %0 : tensor<3xf32>
  func.return %1 : tensor<3xf32>
}
func.func @other(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = arith.addf %x, %x : tensor<3xf32>
  func.return %0 : tensor<3xf32>
}
"""


def test_function_selection_calls_and_unsupported_ops() -> None:
    module = parse_module(CALLS, "calls.mlir")
    x = np.array([0.0, 1.0, -1.0], dtype=np.float32)
    (out,) = run_function(module, [x])  # first public function: @main
    check(out, [-math.exp(v) for v in x], np.float32)
    (out,) = run_function(module, [x], function="helper")
    check(out, [math.exp(v) for v in x], np.float32)
    with pytest.raises(GeError, match="'arith.addf'") as info:
        run_function(module, [x], function="other")
    assert info.value.location == "calls.mlir:12:3"
    with pytest.raises(GeError, match="no function @missing"):
        run_function(module, [x], function="missing")


def test_invalid_ir_is_rejected_before_running() -> None:
    module = parse_module(
        """
        func.func @main(%a: tensor<2xf32>) -> tensor<3xf32> {
          %0 = graph.add %a, %a : tensor<2xf32>, tensor<2xf32> -> tensor<3xf32>
          func.return %0 : tensor<3xf32>
        }
        """
    )
    with pytest.raises(GeError, match="does not match expected 2"):
        run_function(module, [np.zeros(2)])


def test_random_inputs() -> None:
    module = parse_module(
        """
        func.func @main(%x: tensor<?x3xf16>, %i: tensor<5xi32>, %j: tensor<2x2xi64>,
                        %m: tensor<4xi1>, %t: tensor<6x3xf32>) -> tensor<5x3xf32> {
          %0 = graph.gather %t, %i : (tensor<6x3xf32>, tensor<5xi32>) -> tensor<5x3xf32>
          func.return %0 : tensor<5x3xf32>
        }
        """
    )
    function = next(iter(module.ops))
    assert isinstance(function, func.FuncOp)
    x, i, j, m, t = random_inputs(function, seed=1, dynamic_size=7)
    assert (x.shape, x.dtype) == ((7, 3), np.float16)
    assert (i.dtype, j.dtype, m.dtype, t.dtype) == (np.int32, np.int64, np.bool_, np.float32)
    assert 0 <= i.min() and i.max() < 6  # narrowed to the gathered axis
    assert 0 <= j.min() and j.max() < 8
    again = random_inputs(function, seed=1, dynamic_size=7)
    assert all(np.array_equal(a, b) for a, b in zip(again, [x, i, j, m, t], strict=True))
    assert not np.array_equal(random_inputs(function, seed=2)[4], t)
    (out,) = run_function(module, [x, i, j, m, t])
    check(out, t[i], np.float32)
