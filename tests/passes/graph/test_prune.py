"""The prune pass: differential tests (reference interpreter before vs after), exact removal
statistics against an independent backward slice, graph.fused groups with dead results, the
``report`` option, and random graphs.

The lit tests (lit_tests/passes/graph/prune*.mlir) pin the printed IR and the report line;
here the pruned functions are *run*, so removing something an output needs is caught.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.passes import PassPipeline
from xdsl.traits import IsTerminator

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects import graph
from ge_compiler.dtypes import byte_width
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import make_context, parse_module
from ge_compiler.models import build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.passes.graph.prune import PrunePass, PruneStats, format_bytes, prune_function
from ge_compiler.weights import WeightStore

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- helpers


def the_function(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def set_outputs(module: ModuleOp, values: list[SSAValue]) -> None:
    """Make the (only) function return ``values``."""
    f = the_function(module)
    ret = f.body.block.last_op
    assert isinstance(ret, func.ReturnOp)
    ret.detach()
    ret.erase()
    f.body.block.add_op(func.ReturnOp(*values))
    f.function_type = FunctionType.from_lists(
        list(f.function_type.inputs), [v.type for v in values]
    )


def backward_slice(f: func.FuncOp) -> set[Operation]:
    """Every op some returned value depends on (the reference for what prune must keep)."""
    ret = f.body.block.last_op
    assert ret is not None
    keep: set[Operation] = set()
    todo = [v.owner for v in ret.operands if isinstance(v.owner, Operation)]
    while todo:
        op = todo.pop()
        if op in keep:
            continue
        keep.add(op)
        todo.extend(v.owner for v in op.operands if isinstance(v.owner, Operation))
    return keep


def weight_size(op: graph.WeightOp) -> int:
    t = op.result.type
    assert isinstance(t, TensorType)
    return int(np.prod(t.get_shape())) * byte_width(t.get_element_type())


def expected_stats(f: func.FuncOp) -> tuple[int, int, int]:
    """(ops, weights, weight bytes) prune must remove from a function without regions."""
    ops = [op for op in f.body.block.ops if not op.has_trait(IsTerminator)]
    keep = backward_slice(f)
    dead = [op for op in ops if op not in keep]
    kept_names = {op.weight_name.data for op in keep if isinstance(op, graph.WeightOp)}
    dead_weights = [op for op in dead if isinstance(op, graph.WeightOp)]
    freed = {op.weight_name.data: weight_size(op) for op in dead_weights}
    nbytes = sum(b for name, b in freed.items() if name not in kept_names)
    return len(dead), len(dead_weights), nbytes


def run(module: ModuleOp, inputs: list[np.ndarray], seed: int = 0) -> list[np.ndarray]:
    return run_function(module, inputs, WeightStore(seed=seed))


def assert_same(before: list[np.ndarray], after: list[np.ndarray]) -> None:
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)  # prune only removes ops: bit-identical


def prune(module: ModuleOp) -> list[PruneStats]:
    stats = [prune_function(f) for f in module.ops if isinstance(f, func.FuncOp)]
    module.verify()
    return stats


# --------------------------------------------------------------------------- hand-written graphs


def test_dead_branches_and_weights() -> None:
    b = GraphBuilder("f32")
    with b.module("f"):
        x = b.input("x", (2, 8))
        h = b.relu(b.matmul(x, b.weight("fc.weight", (8, 16))))
        # dead: a second head, its weights (f16 bias: 2 bytes per element), a reduction
        head = b.matmul(h, b.weight("head.weight", (16, 1000)))
        b.cast(b.weight("head.bias", (1000,), "f16"), "f32")
        b.reduce_sum(head, [1])
        b.exp(h)
        b.output(b.tanh(h))
    module = b.build()
    inputs = random_inputs(the_function(module))
    before = run(module, inputs)
    (stats,) = prune(module)
    assert (stats.ops, stats.weights) == (6, 2)
    assert stats.weight_bytes == 16 * 1000 * 4 + 1000 * 2
    assert stats.summary() == "prune: removed 6 ops (2 weights, 66.0 kB of weights) from @f"
    assert_same(before, run(module, inputs))
    names = [op.name for op in the_function(module).body.block.ops]
    assert names == ["graph.weight", "graph.matmul", "graph.relu", "graph.tanh", "func.return"]
    assert prune(module)[0].ops == 0  # nothing left to do


def test_shared_weight_frees_nothing_while_read() -> None:
    module = parse_module(
        """
        func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
          %w = graph.weight "w" : tensor<4xf32>
          %w2 = graph.weight "w" : tensor<4xf32>
          %u = graph.weight "u" : tensor<4xf32>
          %0 = graph.add %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
          %1 = graph.add %w2, %u : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
          func.return %0 : tensor<4xf32>
        }
        """
    )
    (stats,) = prune(module)
    assert (stats.ops, stats.weights, stats.weight_bytes) == (3, 2, 16)  # only "u" is freed


def test_nothing_to_prune_keeps_ir() -> None:
    module = build_model("transformer-tiny")
    text = str(module)
    (stats,) = prune(module)
    assert (stats.ops, stats.weights, stats.weight_bytes) == (0, 0, 0)
    assert str(module) == text
    assert stats.summary() == "prune: removed 0 ops from @transformer"


@pytest.mark.parametrize("layer", [0, 1])
def test_transformer_tiny_truncated(layer: int) -> None:
    """Return an intermediate value of transformer-tiny: everything after it (later layers, the
    final norm) and nothing else is removed, and the value is computed exactly as before."""
    module = build_model("transformer-tiny")
    f = the_function(module)
    norms = [op for op in f.body.block.ops if isinstance(op, graph.LayerNormOp)]
    target = norms[2 * layer + 1]  # layer{layer}.ln2: mid-block
    set_outputs(module, [target.result])
    module.verify()
    expected = expected_stats(f)
    inputs = random_inputs(f, seed=3)
    before = run(module, inputs)
    (stats,) = prune(module)
    assert (stats.ops, stats.weights, stats.weight_bytes) == expected
    assert stats.weights > 0 and stats.weight_bytes > 0
    assert_same(before, run(module, inputs))
    assert all(op in backward_slice(f) for op in f.body.block.ops if op is not f.body.block.last_op)


def test_fused_dead_results_and_inputs() -> None:
    """After fuse, return only some values: dead results of a graph.fused go with the body ops
    that only they needed, and inputs the body no longer reads stop being operands."""
    module = build_model("transformer-tiny")
    PassPipeline.parse_spec(get_all_passes(), "fuse").apply(make_context(), module)
    f = the_function(module)
    groups = [op for op in f.body.block.ops if isinstance(op, graph.FusedOp)]
    multi = [g for g in groups if len(g.outputs) > 1]
    assert multi, "fuse made no multi-result group (Q/K/V siblings)"
    g = multi[0]
    inputs_before, body_before = len(g.inputs), len(list(g.body.block.ops))
    set_outputs(module, [g.outputs[0]])
    module.verify()
    inputs = random_inputs(f, seed=1)
    before = run(module, inputs)
    (stats,) = prune(module)
    assert_same(before, run(module, inputs))
    (kept,) = [op for op in f.body.block.ops if isinstance(op, graph.FusedOp)]
    assert len(kept.outputs) == 1
    assert len(kept.inputs) < inputs_before  # the other projections' weights
    assert len(list(kept.body.block.ops)) < body_before
    assert stats.weights > 0


def test_report_option(capsys: pytest.CaptureFixture[str]) -> None:
    module = parse_module(
        """
        func.func @f(%x: tensor<500x1000xf32>) -> tensor<500x1000xf32> {
          %w = graph.weight "w" : tensor<500x1000xf32>
          %0 = graph.add %x, %w : tensor<500x1000xf32>, tensor<500x1000xf32> -> tensor<500x1000xf32>
          func.return %x : tensor<500x1000xf32>
        }
        """
    )
    PassPipeline.parse_spec(get_all_passes(), "prune{report=true}").apply(make_context(), module)
    assert capsys.readouterr().err == "prune: removed 2 ops (1 weight, 2.0 MB of weights) from @f\n"
    PassPipeline.parse_spec(get_all_passes(), "prune").apply(make_context(), module)
    assert capsys.readouterr().err == ""  # silent by default; the IR carries no report


def test_registered() -> None:
    assert get_all_passes()["prune"]() is PrunePass
    (p,) = PassPipeline.parse_spec(get_all_passes(), "prune{report=true}").passes
    assert p == PrunePass(report=True)


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_500_000, "1.5 MB"), (3 * 10**9, "3.0 GB")],
)
def test_format_bytes(n: int, text: str) -> None:
    assert format_bytes(n) == text


# --------------------------------------------------------------------------- random graphs


@st.composite
def graphs(draw: st.DrawFn) -> tuple[ModuleOp, int]:
    """A random DAG over [2, 4] values (unary, binary, matmul with weights, reductions,
    shared and unused weights) and a random non-empty subset of its values as outputs."""
    b = GraphBuilder("f32")
    with b.module("g"):
        pool: list[Tensor] = [b.input("x", (2, 4))]
        for i in range(draw(st.integers(1, 10))):
            kind = draw(st.sampled_from(["unary", "binary", "matmul", "weight", "reduce"]))
            x = pool[draw(st.integers(0, len(pool) - 1))]
            if kind == "unary":
                pool.append(draw(st.sampled_from([b.relu, b.exp, b.neg, b.tanh]))(x))
            elif kind == "binary":
                y = pool[draw(st.integers(0, len(pool) - 1))]
                pool.append(draw(st.sampled_from([b.add, b.mul, b.sub]))(x, y))
            elif kind == "matmul":
                name = f"w{draw(st.integers(0, 2))}"  # names repeat: shared weights
                pool.append(b.matmul(x, b.weight(name, (4, 4))))
            elif kind == "weight":
                b.weight(
                    f"unused{i}", (draw(st.integers(1, 64)),), draw(st.sampled_from(["f16", "f32"]))
                )
            else:
                b.reduce_sum(x, [1])  # never used further
        chosen = draw(st.lists(st.integers(0, len(pool) - 1), min_size=1, max_size=3))
        b.output(*(pool[i] for i in chosen))
    return b.build(), draw(st.integers(0, 100))


@SETTINGS
@given(graphs())
def test_random_graphs(drawn: tuple[ModuleOp, int]) -> None:
    module, seed = drawn
    f = the_function(module)
    expected = expected_stats(f)
    keep = backward_slice(f)
    inputs = random_inputs(f, seed=seed)
    before = run(module, inputs, seed)
    (stats,) = prune(module)
    assert (stats.ops, stats.weights, stats.weight_bytes) == expected
    assert set(f.body.block.ops) - {f.body.block.last_op} == keep - {f.body.block.last_op}
    assert_same(before, run(module, inputs, seed))
