"""Random graphs through the named pipelines: every -O level verifies and keeps the meaning.

Hypothesis draws well-typed graph functions with ``GraphBuilder``: DAGs in which values have
several consumers and branches join again, built from elementwise unary and binary ops (with
broadcasting against row weights, column reductions and small constants), matmuls against
weights and against other activations (``transpose_b``), sibling matmuls sharing a left operand
(the horizontal-fusion pattern), gated projections (act(x Wg) * (x Wu)), Q/K/V after a
layer_norm, attention blocks, softmax, layer/RMS norms, reductions, reshape/transpose/split, a
concat (an op fusion never takes), constants small enough to be cloned into a kernel and large
ones that are not, f32 and f16, and optional stream hints.

For each graph, the graph-level pipeline of every optimization level (``pipeline_spec(level,
lower=False)``, run with a verify after every pass) must leave a module that verifies, defines
every value before its use (xDSL does not check dominance) and that the reference interpreter
runs to the same results as the original; and for -O3 the whole compile (down to the Schedule)
must pass the device model's functional check.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.compiler import compile_module
from ge_compiler.device.functional import check
from ge_compiler.dialects import graph
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import make_context
from ge_compiler.passes import get_all_passes
from ge_compiler.pipelines import OPT_LEVELS, pipeline_spec
from ge_compiler.weights import WeightStore

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOLERANCE = {"f32": (1e-5, 1e-6), "f16": (1e-2, 1e-2)}
"""(rtol, atol): the pipelines reorder and regroup ops but compute the same values."""

UNARY: tuple[Callable[[GraphBuilder, Tensor], Tensor], ...] = (
    GraphBuilder.neg,
    GraphBuilder.abs,
    GraphBuilder.relu,
    GraphBuilder.sigmoid,
    GraphBuilder.tanh,
    GraphBuilder.silu,
    GraphBuilder.gelu,
)
BINARY: tuple[Callable[[GraphBuilder, Tensor, Tensor], Tensor], ...] = (
    GraphBuilder.add,
    GraphBuilder.sub,
    GraphBuilder.mul,
    GraphBuilder.maximum,
)
KINDS = (
    "unary", "binary", "binary", "matmul_w", "matmul_w", "sibling", "matmul_act", "softmax",
    "layer_norm", "rms_norm", "reduce", "reshape", "transpose", "split", "concat", "big_const",
    "gated", "attention", "qkv",
)  # fmt: skip


@dataclass(repr=False)
class Drawn:
    """A random graph: the module, its dtype and what was drawn (for the failure report)."""

    module: ModuleOp
    dtype: str
    recipe: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Drawn({'; '.join(self.recipe)})"

    def _repr_pretty_(self, p: object, cycle: bool) -> None:  # hypothesis' failure report
        p.text(repr(self))  # type: ignore[attr-defined]


@st.composite
def graphs(draw: st.DrawFn, max_ops: int = 12) -> Drawn:
    dtype = draw(st.sampled_from(["f32", "f32", "f32", "f16"]))
    m = draw(st.sampled_from([2, 3, 4]))
    n = draw(st.sampled_from([4, 8, 32]))
    b = GraphBuilder(dtype)
    recipe: list[str] = [f"{dtype} M={m} N={n}"]
    names = iter(range(10_000))

    def weight(shape: list[int]) -> Tensor:
        return b.weight(f"w{next(names)}", shape)

    with b.module("main"):
        pool: list[Tensor] = [b.input("x", [m, n])]
        if draw(st.booleans()):
            pool.append(b.input("y", [m, n]))
        matmul_lhs: list[Tensor] = []

        def pick(pred: Callable[[Tensor], bool] = lambda t: True) -> Tensor | None:
            """A pool value satisfying ``pred``, biased toward the most recent."""
            ok = [t for t in pool if pred(t)]
            if not ok:
                return None
            return ok[-1 - draw(st.integers(0, len(ok) - 1))]

        for _ in range(draw(st.integers(1, max_ops))):
            kind = draw(st.sampled_from(KINDS))
            stream = draw(st.sampled_from([None, None, None, None, 1, 2]))
            produced = build_one(b, kind, pick, pool, matmul_lhs, weight, draw, stream)
            if produced is None:
                continue
            recipe.append(f"{kind}{'' if stream is None else f' @stream{stream}'}")
            pool.extend(produced)
        computed = pool[1:]
        sinks = [t for t in computed if not t.value.uses]
        outputs = sinks or [pool[-1]]
        if len(computed) > 1 and draw(st.booleans()):  # a value used inside and returned too
            extra = computed[draw(st.integers(0, len(computed) - 1))]
            if all(extra.value is not o.value for o in outputs):
                outputs.append(extra)
        b.output(*outputs)
    return Drawn(b.build(), dtype, recipe)


def build_one(
    b: GraphBuilder,
    kind: str,
    pick: Callable[..., Tensor | None],
    pool: list[Tensor],
    matmul_lhs: list[Tensor],
    weight: Callable[[list[int]], Tensor],
    draw: st.DrawFn,
    stream: int | None,
) -> list[Tensor] | None:
    """Build one op of ``kind`` on pool values; None if no operand fits."""
    rank2 = lambda t: len(t.shape) == 2  # noqa: E731
    ctx = b.stream(stream) if stream is not None else nullcontext()
    with ctx:
        if kind == "unary":
            x = pick()
            return [draw(st.sampled_from(UNARY))(b, x)]
        if kind == "binary":
            x = pick()
            op = draw(st.sampled_from(BINARY))
            shape = list(x.shape)
            choice = draw(st.sampled_from(["same", "row", "scalar", "col", "const"]))
            if choice == "same":
                y = pick(lambda t: list(t.shape) == shape)
            elif choice == "row":
                y = weight(shape[-1:])
            elif choice == "scalar":
                y = b.scalar(draw(st.sampled_from([0.5, 2.0, -1.0])), like=x)
            elif choice == "col" and len(shape) >= 2:
                y = b.reduce_max(pick(lambda t: list(t.shape) == shape), [-1], keepdims=True)
            else:  # a small constant of the full shape when it fits in 64 elements
                size = int(np.prod(shape))
                values = np.linspace(-1.0, 1.0, size).reshape(shape)
                y = b.constant(values) if size <= 64 else weight(shape)
            if draw(st.booleans()):
                x, y = y, x
            return [op(b, x, y)]
        if kind in ("matmul_w", "sibling"):
            x = None
            if kind == "sibling" and matmul_lhs:
                x = matmul_lhs[-1 - draw(st.integers(0, len(matmul_lhs) - 1))]
            x = x or pick(rank2)
            if x is None:
                return None
            k, out = x.shape[1], draw(st.sampled_from([4, 8]))
            if draw(st.booleans()):
                y = b.matmul(x, weight([out, k]), transpose_b=True)
            else:
                y = b.matmul(x, weight([k, out]))
            matmul_lhs.append(x)
            if draw(st.booleans()):  # bias epilogue
                y = b.add(y, weight([out]))
            return [y]
        if kind == "gated":  # act(x @ Wg) * (x @ Wu): sibling matmuls joined by a gate
            x = pick(rank2)
            if x is None:
                return None
            k, out = x.shape[1], draw(st.sampled_from([4, 8]))
            gate = draw(st.sampled_from(UNARY))(b, b.matmul(x, weight([k, out])))
            up = b.matmul(x, weight([k, out]))
            return [b.mul(gate, up) if draw(st.booleans()) else b.mul(up, gate)]
        if kind == "qkv":  # norm -> three projections of the normalized rows
            x = pick(rank2)
            if x is None:
                return None
            k = x.shape[1]
            h = b.layer_norm(x, weight([k]), weight([k]))
            return [b.matmul(h, weight([k, k])) for _ in range(3)]
        if kind == "attention":  # softmax(q k^T * s + mask) v
            q = pick(rank2)
            if q is None:
                return None
            kk = pick(lambda t: rank2(t) and t.shape[1] == q.shape[1])
            v = pick(lambda t: rank2(t) and t.shape[0] == kk.shape[0])
            s = b.matmul(q, kk, transpose_b=True)
            s = b.mul(s, b.scalar(0.5, like=s))
            if draw(st.booleans()):
                s = b.add(s, weight(list(s.shape)))
            return [b.matmul(b.softmax(s), v)]
        if kind == "matmul_act":  # q @ k^T: two activations
            x = pick(rank2)
            if x is None:
                return None
            y = pick(lambda t: rank2(t) and t.shape[1] == x.shape[1])
            return [b.matmul(x, y, transpose_b=True)]
        if kind == "softmax":
            x = pick()
            return [b.softmax(x, draw(st.integers(-len(x.shape), len(x.shape) - 1)))]
        if kind == "layer_norm":
            x = pick()
            last = x.shape[-1:]
            return [b.layer_norm(x, weight(list(last)), weight(list(last)))]
        if kind == "rms_norm":
            x = pick()
            return [b.rms_norm(x, weight(list(x.shape[-1:])))]
        if kind == "reduce":
            x = pick()
            reduce = draw(st.sampled_from([b.reduce_sum, b.reduce_mean, b.reduce_max]))
            return [reduce(x, [-1], keepdims=True)]
        if kind == "reshape":
            x = pick(rank2)
            if x is None:
                return None
            m, n = x.shape
            shapes = [[n, m], [m * n], [1, m, n]] + ([[m, n // 2, 2]] if n % 2 == 0 else [])
            shape = draw(st.sampled_from(shapes))
            return [b.reshape(x, shape)]
        if kind == "transpose":
            x = pick(lambda t: len(t.shape) >= 2)
            if x is None:
                return None
            perm = draw(st.permutations(list(range(len(x.shape)))))
            return [b.transpose(x, perm)]
        if kind == "split":
            x = pick(lambda t: t.shape[-1] % 2 == 0)
            if x is None:
                return None
            half = x.shape[-1] // 2
            return b.split(x, [half, half], -1)
        if kind == "concat":
            x = pick()
            y = pick(lambda t: t.shape == x.shape)
            return [b.concat([x, y], 0)]
        if kind == "big_const":  # more than 64 elements: an input of the kernel, not cloned
            x = pick()
            size = int(np.prod(x.shape))
            if size <= 64:
                return None
            values = np.linspace(-2.0, 2.0, size).reshape(x.shape)
            return [b.add(x, b.constant(values))]
    raise AssertionError(kind)


# --------------------------------------------------------------------------- helpers


def graph_pipeline(module: ModuleOp, level: int) -> None:
    """Run -O<level>'s graph passes in place, verifying after every pass."""
    spec = pipeline_spec(level, lower=False)
    if not spec:
        module.verify()
        return

    def verify_after(prev: ModulePass | None, m: ModuleOp, _next: ModulePass | None) -> None:
        if prev is not None:
            try:
                m.verify()
            except Exception as e:
                message = f"-O{level}: the module does not verify after {prev.name}: {e}"
                raise AssertionError(message) from None

    PassPipeline.parse_spec(get_all_passes(), spec, verify_after).apply(make_context(), module)
    module.verify()


def entry(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def run(module: ModuleOp, inputs: list[np.ndarray]) -> list[np.ndarray]:
    return run_function(module, inputs, WeightStore(seed=7))


def assert_same(got: list[np.ndarray], want: list[np.ndarray], dtype: str, what: str) -> None:
    assert len(got) == len(want), what
    rtol, atol = TOLERANCE[dtype]
    for j, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g.shape == w.shape, f"{what}: output {j} has shape {g.shape}, want {w.shape}"
        np.testing.assert_allclose(
            g.astype(np.float64), w.astype(np.float64), rtol, atol, err_msg=f"{what}: output {j}"
        )


def assert_defined_before_use(module: ModuleOp, what: str) -> None:
    """Every operand is defined earlier in its block (xDSL's verifier does not check
    dominance, so a misplaced kernel would only show up later, or not at all)."""
    for block in [entry(module).body.block] + [
        op.body.block for op in module.walk() if isinstance(op, graph.FusedOp)
    ]:
        defined = set(block.args)
        for op in block.ops:
            assert all(v in defined for v in op.operands), f"{what}: {op.name} uses a later value"
            defined.update(op.results)


def fused_kinds(module: ModuleOp) -> list[str]:
    return sorted(op.kind.data for op in module.walk() if isinstance(op, graph.FusedOp))


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(graphs())
def test_graph_pipelines_verify_and_keep_results(drawn: Drawn) -> None:
    note("\n".join(drawn.recipe))
    note(str(drawn.module))
    inputs = random_inputs(entry(drawn.module), seed=3)
    want = run(drawn.module, inputs)
    for level in OPT_LEVELS:
        module = drawn.module.clone()
        graph_pipeline(module, level)
        assert_defined_before_use(module, f"-O{level}")
        if level == 3:
            event(f"-O3 kernels: {', '.join(fused_kinds(module)) or 'none fused'}")
        assert_same(run(module, inputs), want, drawn.dtype, f"-O{level}")


@settings(SETTINGS, max_examples=15)
@given(graphs(max_ops=8))
def test_o3_compile_passes_the_functional_check(drawn: Drawn) -> None:
    note("\n".join(drawn.recipe))
    note(str(drawn.module))
    result = compile_module(drawn.module.clone(), 3)
    outcome = check(drawn.module, result.schedule, seed=5, weights=WeightStore(seed=5))
    assert outcome.passed, outcome.message


@pytest.mark.parametrize("level", OPT_LEVELS)
def test_pipeline_spec_without_lowering_names_graph_passes_only(level: int) -> None:
    spec = pipeline_spec(level, lower=False)
    assert "convert-" not in spec
    assert pipeline_spec(level).startswith(spec)
