"""canonicalize: every graph pattern keeps the reference interpreter's results bit for bit.

Each test runs the interpreter on a module before and after ``canonicalize`` and compares the
results exactly (same dtype, same values, NaN where NaN, same sign of zero), on hand-written
graphs for every pattern and its negative cases, on the tiny transformer and text encoder (as
built, and with no-ops injected after every op that canonicalize must remove again), and on
random chains of reshape / transpose / cast / multiply-by-one drawn by hypothesis.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseIntOrFPElementsAttr,
    ModuleOp,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Operation, SSAValue
from xdsl.passes import PassPipeline
from xdsl.rewriter import InsertPoint, Rewriter

from ge_compiler.builder import GraphBuilder
from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import make_context, parse_module
from ge_compiler.models import build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.weights import WeightStore

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_pass(module: ModuleOp, spec: str = "canonicalize") -> ModuleOp:
    """A canonicalized copy of ``module`` (verified)."""
    out = module.clone()
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), out)
    out.verify()
    return out


def entry(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def graph_ops(module: ModuleOp) -> Counter[str]:
    return Counter(op.name for op in module.walk() if op.name.startswith("graph."))


def with_specials(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Float inputs get -0.0, NaN, inf and -inf in their first cells (where they fit)."""
    out = []
    for a in arrays:
        a = a.copy()
        if a.dtype.kind == "f":
            flat = a.reshape(-1)
            for i, v in enumerate((-0.0, np.nan, np.inf, -np.inf)[: flat.size]):
                flat[i] = v
        out.append(a)
    return out


def assert_identical(got: list[np.ndarray], want: list[np.ndarray]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)  # NaN matches NaN
        if g.dtype.kind == "f":
            np.testing.assert_array_equal(np.signbit(g), np.signbit(w))  # -0.0 vs +0.0


def outcome(module: ModuleOp, inputs: list[np.ndarray], weights: WeightStore):
    """The results, or the interpreter's error message (a failing program must keep failing)."""
    try:
        return run_function(module, inputs, weights)
    except GeError as e:
        return str(e)


def check_same_results(before: ModuleOp, after: ModuleOp, seed: int = 0) -> None:
    """Same outcome on random inputs with specials; dynamic dims get size 1 + seed % 4."""
    inputs = with_specials(random_inputs(entry(before), seed, dynamic_size=1 + seed % 4))
    weights = WeightStore(seed=seed)
    want = outcome(before, inputs, weights)
    got = outcome(after, inputs, weights)
    if isinstance(want, str) or isinstance(got, str):
        assert got == want
    else:
        assert_identical(got, want)


# --------------------------------------------------------------------------- per pattern

CASES: dict[str, tuple[str, Counter[str]]] = {
    # name: (function body, graph ops left after canonicalize)
    "reshape_identity": (
        """func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
          %r = graph.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
          func.return %r : tensor<2x3xf32>
        }""",
        Counter(),
    ),
    "reshape_identity_dynamic": (
        """func.func @f(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
          %r = graph.reshape %x : tensor<?x3xf32> -> tensor<?x3xf32>
          func.return %r : tensor<?x3xf32>
        }""",
        Counter(),
    ),
    "reshape_reshape": (
        """func.func @f(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<2x3x4xf32>) {
          %a = graph.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
          %b = graph.reshape %a : tensor<24xf32> -> tensor<4x6xf32>
          %c = graph.reshape %b : tensor<4x6xf32> -> tensor<2x3x4xf32>
          func.return %b, %c : tensor<4x6xf32>, tensor<2x3x4xf32>
        }""",
        Counter({"graph.reshape": 1}),
    ),
    "reshape_reshape_dynamic_kept": (
        """func.func @f(%x: tensor<?x4xf32>) -> tensor<?xf32> {
          %a = graph.reshape %x : tensor<?x4xf32> -> tensor<2x4xf32>
          %b = graph.reshape %a : tensor<2x4xf32> -> tensor<?xf32>
          func.return %b : tensor<?xf32>
        }""",
        Counter({"graph.reshape": 2}),
    ),
    "transpose_identity": (
        """func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
          %t = graph.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
          func.return %t : tensor<2x3xf32>
        }""",
        Counter(),
    ),
    "transpose_transpose": (
        """func.func @f(%x: tensor<2x3x4x5xf32>) -> tensor<5x3x2x4xf32> {
          %a = graph.transpose %x {perm = array<i64: 3, 0, 2, 1>}
            : tensor<2x3x4x5xf32> -> tensor<5x2x4x3xf32>
          %b = graph.transpose %a {perm = array<i64: 0, 3, 1, 2>}
            : tensor<5x2x4x3xf32> -> tensor<5x3x2x4xf32>
          func.return %b : tensor<5x3x2x4xf32>
        }""",
        Counter({"graph.transpose": 1}),
    ),
    "transpose_inverse": (
        """func.func @f(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
          %a = graph.transpose %x {perm = array<i64: 2, 0, 1>}
            : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
          %b = graph.transpose %a {perm = array<i64: 1, 2, 0>}
            : tensor<4x2x3xf32> -> tensor<2x3x4xf32>
          func.return %b : tensor<2x3x4xf32>
        }""",
        Counter(),
    ),
    "cast_identity": (
        """func.func @f(%x: tensor<4xf16>, %i: tensor<4xi8>) -> (tensor<4xf16>, tensor<4xi8>) {
          %a = graph.cast %x : tensor<4xf16> -> tensor<4xf16>
          %b = graph.cast %i : tensor<4xi8> -> tensor<4xi8>
          func.return %a, %b : tensor<4xf16>, tensor<4xi8>
        }""",
        Counter(),
    ),
    "cast_roundtrip_kept": (
        """func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
          %a = graph.cast %x : tensor<4xf32> -> tensor<4xf16>
          %b = graph.cast %a : tensor<4xf16> -> tensor<4xf32>
          func.return %b : tensor<4xf32>
        }""",
        Counter({"graph.cast": 2}),
    ),
    "float_neutral": (
        """func.func @f(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>,
                                                  tensor<2x3xf32>, tensor<2x3xf32>,
                                                  tensor<2x3xf32>, tensor<2x3xf32>) {
          %one = graph.constant dense<1.0> : tensor<1x3xf32>
          %nz = graph.constant dense<-0.0> : tensor<f32>
          %z = graph.constant dense<0.0> : tensor<3xf32>
          %a = graph.mul %x, %one : tensor<2x3xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
          %b = graph.mul %one, %x : tensor<1x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
          %c = graph.add %x, %nz : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
          %d = graph.add %nz, %x : tensor<f32>, tensor<2x3xf32> -> tensor<2x3xf32>
          %e = graph.sub %x, %z : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
          %f = graph.div %x, %one : tensor<2x3xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
          func.return %a, %b, %c, %d, %e, %f : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
            tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
        }""",
        Counter(),
    ),
    "f16_neutral": (
        """func.func @f(%x: tensor<5xf16>) -> (tensor<5xf16>, tensor<5xf16>) {
          %one = graph.constant dense<1.0> : tensor<f16>
          %nz = graph.constant dense<-0.0> : tensor<f16>
          %a = graph.mul %x, %one : tensor<5xf16>, tensor<f16> -> tensor<5xf16>
          %b = graph.add %nz, %x : tensor<f16>, tensor<5xf16> -> tensor<5xf16>
          func.return %a, %b : tensor<5xf16>, tensor<5xf16>
        }""",
        Counter(),
    ),
    "int_neutral": (
        """func.func @f(%x: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>,
                                              tensor<4xi32>) {
          %one = graph.constant dense<1> : tensor<i32>
          %z = graph.constant dense<0> : tensor<i32>
          %a = graph.mul %one, %x : tensor<i32>, tensor<4xi32> -> tensor<4xi32>
          %b = graph.add %x, %z : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
          %c = graph.sub %x, %z : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
          %d = graph.div %x, %one : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
          func.return %a, %b, %c, %d : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
        }""",
        Counter(),
    ),
    # +0.0 added (or -0.0 subtracted) turns -0.0 into +0.0, which reciprocal shows as +inf.
    "signed_zero_kept": (
        """func.func @f(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
          %z = graph.constant dense<0.0> : tensor<f32>
          %nz = graph.constant dense<-0.0> : tensor<f32>
          %a = graph.add %x, %z : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
          %b = graph.sub %x, %nz : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
          %ra = graph.reciprocal %a : tensor<4xf32>
          %rb = graph.reciprocal %b : tensor<4xf32>
          func.return %ra, %rb : tensor<4xf32>, tensor<4xf32>
        }""",
        Counter({"graph.constant": 2, "graph.add": 1, "graph.sub": 1, "graph.reciprocal": 2}),
    ),
    "broadcast_kept": (
        """func.func @f(%x: tensor<3xf32>, %y: tensor<?xf32>) -> (tensor<2x3xf32>, tensor<?xf32>) {
          %one = graph.constant dense<1.0> : tensor<2x3xf32>
          %a = graph.mul %x, %one : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
          %c = graph.constant dense<1.0> : tensor<4xf32>
          %b = graph.mul %y, %c : tensor<?xf32>, tensor<4xf32> -> tensor<?xf32>
          func.return %a, %b : tensor<2x3xf32>, tensor<?xf32>
        }""",
        Counter({"graph.constant": 2, "graph.mul": 2}),
    ),
    "less_specific_result_kept": (
        """func.func @f(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
          %one = graph.constant dense<1.0> : tensor<f32>
          %a = graph.mul %x, %one : tensor<2x3xf32>, tensor<f32> -> tensor<?x3xf32>
          func.return %a : tensor<?x3xf32>
        }""",
        Counter({"graph.constant": 1, "graph.mul": 1}),
    ),
    "bool_kept": (
        """func.func @f(%x: tensor<4xi1>) -> tensor<4xi1> {
          %t = graph.constant dense<true> : tensor<i1>
          %a = graph.mul %x, %t : tensor<4xi1>, tensor<i1> -> tensor<4xi1>
          func.return %a : tensor<4xi1>
        }""",
        Counter({"graph.constant": 1, "graph.mul": 1}),
    ),
    "reshape_two_dynamic_kept": (
        """func.func @f(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
          %r = graph.reshape %x : tensor<?x?xf32> -> tensor<?x?xf32>
          func.return %r : tensor<?x?xf32>
        }""",
        Counter({"graph.reshape": 1}),
    ),
    "not_splat_kept": (
        """func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
          %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
          %a = graph.mul %x, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
          func.return %a : tensor<2xf32>
        }""",
        Counter({"graph.constant": 1, "graph.mul": 1}),
    ),
    "matmul_rhs": (
        """func.func @f(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) -> tensor<3x5xf32> {
          %bt = graph.transpose %b {perm = array<i64: 1, 0>} : tensor<5x4xf32> -> tensor<4x5xf32>
          %m = graph.matmul %a, %bt : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
          func.return %m : tensor<3x5xf32>
        }""",
        Counter({"graph.matmul": 1}),
    ),
    "matmul_both_toggle": (
        """func.func @f(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
          %at = graph.transpose %a {perm = array<i64: 0, 2, 1>}
            : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
          %bt = graph.transpose %b {perm = array<i64: 0, 2, 1>}
            : tensor<2x4x5xf32> -> tensor<2x5x4xf32>
          %m = graph.matmul %at, %bt {transpose_a, transpose_b}
            : tensor<2x4x3xf32>, tensor<2x5x4xf32> -> tensor<2x3x5xf32>
          func.return %m : tensor<2x3x5xf32>
        }""",
        Counter({"graph.matmul": 1}),
    ),
    "batch_matmul": (
        """func.func @f(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>) -> tensor<1x2x3x5xf32> {
          %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>}
            : tensor<1x2x5x4xf32> -> tensor<1x2x4x5xf32>
          %m = graph.batch_matmul %q, %kt
            : tensor<1x2x3x4xf32>, tensor<1x2x4x5xf32> -> tensor<1x2x3x5xf32>
          func.return %m : tensor<1x2x3x5xf32>
        }""",
        Counter({"graph.batch_matmul": 1}),
    ),
    "batch_perm_kept": (
        """func.func @f(%q: tensor<2x3x4xf32>, %k: tensor<4x2x5xf32>) -> tensor<2x3x5xf32> {
          %kt = graph.transpose %k {perm = array<i64: 1, 0, 2>}
            : tensor<4x2x5xf32> -> tensor<2x4x5xf32>
          %m = graph.batch_matmul %q, %kt
            : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
          func.return %m : tensor<2x3x5xf32>
        }""",
        Counter({"graph.batch_matmul": 1, "graph.transpose": 1}),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pattern(name: str) -> None:
    text, left = CASES[name]
    before = parse_module(text)
    after = run_pass(before)
    assert graph_ops(after) == left
    for seed in range(4):
        check_same_results(before, after, seed)


def test_signed_zero_is_why_plus_zero_stays() -> None:
    """Removing x + 0.0 would change reciprocal(-0.0) from -inf to +inf."""
    text = CASES["signed_zero_kept"][0]
    module = parse_module(text)
    x = np.array([-0.0, 0.0, 1.0, -2.0], dtype=np.float32)
    ra, rb = run_function(module, [x])
    assert ra[0] == np.inf and rb[0] == np.inf  # -0.0 + 0.0 = +0.0
    with np.errstate(divide="ignore"):
        assert np.reciprocal(x[0]) == -np.inf  # what removing the add would give
    assert_identical(run_function(run_pass(module), [x]), [ra, rb])


def test_idempotent_and_keeps_locations() -> None:
    module = parse_module(CASES["transpose_transpose"][0], "t.mlir")
    once = run_pass(module)
    assert str(run_pass(once)) == str(once)
    (t,) = [op for op in once.walk() if isinstance(op, graph.TransposeOp)]
    assert t.perm.get_values() == (3, 1, 0, 2)  # p[q[i]]
    assert str(t.location) == 'loc("t.mlir":4:11)'  # the outer transpose's


# --------------------------------------------------------------------------- models


def add_noops(module: ModuleOp) -> int:
    """Insert exact no-ops after every static float result of the entry function (x * 1,
    -0.0 + x, x - 0.0, x / 1, a reshape round trip, a transpose and its inverse, an identity
    transpose, a cast to the same type) and route each matmul's rhs through a last-two-dims
    transpose with transpose_b toggled. Returns the number of ops inserted."""
    rewriter = Rewriter()
    block = entry(module).body.block
    inserted = 0
    for op in list(block.ops):
        if isinstance(op, graph.MatmulOp | graph.BatchMatmulOp):
            inserted += swap_rhs(op)
        if isinstance(op, graph.ConstantOp | graph.WeightOp) or len(op.results) != 1:
            continue
        r = op.results[0]
        t = r.type
        if not isinstance(t, TensorType) or not isinstance(op, graph.GRAPH_OPS):
            continue
        dtype, shape = t.get_element_type(), t.get_shape()
        if not isinstance(dtype, AnyFloat) or any(d < 0 for d in shape):
            continue
        users = [(u.operation, u.index) for u in r.uses]
        new: list[Operation] = []

        def emit(o: Operation, new: list[Operation] = new) -> SSAValue:
            new.append(o)
            return o.results[0]

        def const(v: float, dtype=dtype, emit=emit) -> SSAValue:
            attr = DenseIntOrFPElementsAttr.from_list(TensorType(dtype, []), [v])
            return emit(graph.ConstantOp(attr))

        v = emit(graph.MulOp(r, const(1.0)))
        v = emit(graph.AddOp(const(-0.0), v))
        v = emit(graph.SubOp(v, const(0.0)))
        v = emit(graph.DivOp(v, const(1.0)))
        v = emit(graph.ReshapeOp(v, [int(np.prod(shape))]))
        v = emit(graph.ReshapeOp(v, shape))
        rank = len(shape)
        perm = list(range(1, rank)) + [0]
        inverse = [perm.index(i) for i in range(rank)]
        v = emit(graph.TransposeOp(v, perm))
        v = emit(graph.TransposeOp(v, inverse))
        v = emit(graph.TransposeOp(v, list(range(rank))))
        v = emit(graph.CastOp(v, dtype))
        rewriter.insert_op(new, InsertPoint.after(op))
        for user, index in users:
            user.operands[index] = v
        inserted += len(new)
    module.verify()
    return inserted


def swap_rhs(op: graph.MatmulOp | graph.BatchMatmulOp) -> int:
    rank = len(graph.shape_of(op.rhs))
    if rank < 2:
        return 0
    t = graph.TransposeOp(op.rhs, [*range(rank - 2), rank - 1, rank - 2])
    Rewriter().insert_op(t, InsertPoint.before(op))
    op.operands[1] = t.result
    if op.transpose_b is None:
        op.properties["transpose_b"] = UnitAttr()
    else:
        del op.properties["transpose_b"]
    return 1


@pytest.mark.parametrize("name", ["transformer-tiny", "sd21-text-encoder-tiny"])
def test_model_unchanged(name: str) -> None:
    """The models are built without no-ops: canonicalize keeps them as they are."""
    before = build_model(name)
    after = run_pass(before)
    assert graph_ops(after) == graph_ops(before)
    check_same_results(before, after)


@pytest.mark.parametrize("name", ["transformer-tiny", "sd21-text-encoder-tiny"])
def test_model_noops_removed(name: str) -> None:
    """No-ops injected everywhere vanish again, and the results never change."""
    original = build_model(name)
    noisy = original.clone()
    assert add_noops(noisy) > 100
    after = run_pass(noisy)
    assert graph_ops(after) == graph_ops(original)
    check_same_results(noisy, after)
    check_same_results(original, after, seed=1)


# --------------------------------------------------------------------------- random chains

STEPS = ("reshape", "transpose", "cast", "mul1", "div1", "add0", "sub0", "addpos0")
DTYPES = ("f32", "f16", "i32")


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@st.composite
def chains(draw: st.DrawFn) -> tuple[ModuleOp, list[str], bool]:
    """A function ``x -> chain(x)``; also whether every step is a no-op for canonicalize."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    b = GraphBuilder(dtype)
    recipe = [f"x: {dtype} {shape}"]
    all_noops = True
    with b.module("chain"):
        x = b.input("x", shape, dtype)
        for step in draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=8)):
            cur, el = x.shape, str(x.dtype)
            if step == "reshape":
                n, dims = int(np.prod(cur)), []
                if draw(st.booleans()):
                    dims = list(cur)
                else:
                    for _ in range(draw(st.integers(0, 3))):
                        d = draw(st.sampled_from(divisors(n)))
                        dims.append(d)
                        n //= d
                    dims.append(n)
                all_noops &= tuple(dims) == cur
                x = b.reshape(x, dims)
                recipe.append(f"reshape {dims}")
            elif step == "transpose":
                perm = draw(st.permutations(range(len(cur))))
                all_noops &= list(perm) == sorted(perm)
                x = b.transpose(x, perm)
                recipe.append(f"transpose {perm}")
            elif step == "cast":
                to = draw(st.sampled_from((*DTYPES, el)))
                all_noops &= to == el
                x = b.cast(x, to)
                recipe.append(f"cast {to}")
            else:
                value = {"mul1": 1.0, "div1": 1.0, "add0": -0.0, "sub0": 0.0, "addpos0": 0.0}
                # a constant that broadcasts trivially, or (rarely) one that adds a dim
                cshape = draw(
                    st.sampled_from([(), (1,) * len(cur), cur, cur[len(cur) // 2 :], (2, *cur)])
                )
                c = b.constant(np.full(cshape, value[step]), el)
                lhs = draw(st.booleans()) and step in ("mul1", "add0", "addpos0")
                op = {"mul1": b.mul, "div1": b.div, "add0": b.add, "sub0": b.sub}
                fn = op.get(step, b.add)
                x = fn(c, x) if lhs else fn(x, c)
                float_plus_zero = step == "addpos0" and el != "i32"
                all_noops &= x.shape == cur and not float_plus_zero
                recipe.append(f"{step} {'lhs' if lhs else 'rhs'} {cshape}")
        b.output(x)
    return b.build(), recipe, all_noops


@SETTINGS
@given(chains(), st.integers(0, 3))
def test_random_chains(drawn: tuple[ModuleOp, list[str], bool], seed: int) -> None:
    module, recipe, all_noops = drawn
    note("; ".join(recipe))
    after = run_pass(module)
    note(str(after))
    check_same_results(module, after, seed)
    ops = [op for op in entry(after).body.block.ops if not isinstance(op, func.ReturnOp)]
    assert len(ops) <= len(list(entry(module).body.block.ops)) - 1
    if all_noops:
        assert [op for op in ops if not isinstance(op, graph.ConstantOp)] == []
    for op in ops:  # nothing canonicalize could still simplify on static shapes
        if isinstance(op, graph.ReshapeOp | graph.CastOp):
            assert op.result.type != op.input.type
        if isinstance(op, graph.ReshapeOp):
            assert not isinstance(op.input.owner, graph.ReshapeOp)
        if isinstance(op, graph.TransposeOp):
            assert list(op.perm.get_values()) != list(range(len(op.perm.get_values())))
            assert not isinstance(op.input.owner, graph.TransposeOp)
