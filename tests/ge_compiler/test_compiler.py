"""compile_module: levels 0-3 give schedules, pass records add up, bad IR is a located GeError,
and the graph pipeline of -O3 keeps the model's meaning (checked by the reference interpreter)."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline

from ge_compiler.builder import GraphBuilder
from ge_compiler.compiler import CompileResult, compile_module, count_ops, pipeline_callback
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context, parse_module
from ge_compiler.models import build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.pipelines import GRAPH_PIPELINES, LOWERING_PIPELINES, OPT_LEVELS, pipeline_spec
from ge_compiler.schedule import Schedule


@pytest.fixture(scope="module", params=OPT_LEVELS)
def compiled(request) -> tuple[int, int, CompileResult]:
    module = build_model("transformer-tiny")
    before = count_ops(module)
    return request.param, before, compile_module(module, request.param, "transformer-tiny")


def test_every_level_gives_a_schedule(compiled) -> None:
    level, _, result = compiled
    s = result.schedule
    assert isinstance(s, Schedule)
    assert s.model == "transformer-tiny"
    assert s.function == "transformer"
    launches = [t for t in s.tasks if t.kind == "launch"]
    copies = [t for t in s.tasks if t.kind == "copy"]
    assert launches and copies
    # 2 layers x 16 weights + 2 for the final norm, each copied host -> device once
    assert sum(1 for t in copies if t.copy_kind == "h2d") == 34
    assert len(s.bindings("input")) == 1
    assert len(s.bindings("output")) == 1
    assert len(s.bindings("weight")) == 34


def test_pass_records(compiled) -> None:
    level, before, result = compiled
    names = [p.name for p in result.passes]
    spec = [p.split("{")[0] for p in GRAPH_PIPELINES[level] + LOWERING_PIPELINES[level]]
    assert names == spec  # records carry pass names, the spec may add options
    assert names == [p.split("{")[0] for p in pipeline_spec(level).split(",")]
    assert result.passes[0].ops_before == before
    for prev, nxt in zip(result.passes, result.passes[1:], strict=False):
        assert prev.ops_after == nxt.ops_before
    assert result.passes[-1].ops_after == count_ops(result.module)
    assert all(p.seconds >= 0 for p in result.passes)
    assert result.compile_seconds == pytest.approx(sum(p.seconds for p in result.passes))


def test_optimizing_levels_do_not_add_launches() -> None:
    launches = {}
    for level in (0, 3):
        s = compile_module(build_model("transformer-tiny"), level).schedule
        launches[level] = sum(1 for t in s.tasks if t.kind == "launch")
    assert launches[3] <= launches[0]


def test_cse_merges_the_duplicate_scale_constant() -> None:
    """Each layer builds its own attention scale constant; CSE keeps one."""
    result = compile_module(build_model("transformer-tiny"), 1)
    cse = next(p for p in result.passes if p.name == "cse")
    assert cse.ops_after < cse.ops_before


def test_bad_opt_level() -> None:
    with pytest.raises(GeError, match="optimization level"):
        compile_module(build_model("transformer-tiny"), 4)
    with pytest.raises(GeError, match="optimization level"):
        pipeline_spec(-1)


def test_pipeline_spec_without_lowering() -> None:
    assert pipeline_spec(0, lower=False) == "inline-modules"
    assert pipeline_spec(3, lower=False) == ",".join(GRAPH_PIPELINES[3])
    assert pipeline_spec(3).endswith(",".join(LOWERING_PIPELINES[3]))


INVALID = """\
func.func @main(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.relu %a : tensor<4x8xf32>
  %1 = graph.matmul %0, %b : tensor<4x8xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  func.return %1 : tensor<4x16xf32>
}
"""


def test_invalid_module_is_a_located_error() -> None:
    module = parse_module(INVALID, "bad.mlir")
    with pytest.raises(GeError) as info:
        compile_module(module, 3)
    assert info.value.location == "bad.mlir:3:3"
    assert "graph.matmul" in info.value.message
    assert info.value.render("ge-run").startswith("bad.mlir:3:3: error: graph.matmul:")


def test_dynamic_shape_cannot_be_planned() -> None:
    text = """\
func.func @main(%a: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = graph.relu %a : tensor<?x8xf32>
  func.return %0 : tensor<?x8xf32>
}
"""
    with pytest.raises(GeError, match="dynamic shape"):
        compile_module(parse_module(text, "dyn.mlir"), 0)


def test_two_functions_are_rejected() -> None:
    b = GraphBuilder()
    for name in ("a", "b"):
        with b.module(name):
            b.output(b.relu(b.input("x", (4,))))
    with pytest.raises(GeError, match="one function"):
        compile_module(b.build(), 0)


def test_small_graph_compiles_at_every_level() -> None:
    for level in OPT_LEVELS:
        b = GraphBuilder()
        with b.module("net"):
            x = b.input("x", (4, 8))
            y = b.softmax(b.matmul(x, b.weight("w", (8, 8))))
            b.output(y + y)
        s = compile_module(b.build(), level).schedule
        launched = [t.kernel for t in s.tasks if t.kind == "launch"]
        assert launched and all(k.startswith("net_k") for k in launched)
        if level == 0:  # one kernel per op, named after it, in program order
            assert launched == ["net_k0_matmul", "net_k1_softmax", "net_k2_add"]


# --------------------------------------------------------------------------- semantics


def run_graph_pipeline(module, level: int) -> None:
    spec = pipeline_spec(level, lower=False)
    if spec:
        PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)


@pytest.mark.parametrize("level", [1, 3])
def test_graph_pipeline_preserves_semantics(level: int) -> None:
    from ge_compiler.interpreter import random_inputs, run_function
    from ge_compiler.weights import WeightStore

    original = build_model("transformer-tiny")
    optimized = original.clone()
    run_graph_pipeline(optimized, level)

    # Something was actually optimized: fewer ops at the top level of the function (fusion
    # moves ops into graph.fused regions, so a nested count would not shrink).
    def top_level(m) -> int:
        return len(list(next(iter(m.ops)).body.block.ops))

    assert top_level(optimized) < top_level(original)

    inputs = random_inputs(next(iter(original.ops)), seed=3)
    expected = run_function(original, inputs, WeightStore(seed=7))
    got = run_function(optimized, inputs, WeightStore(seed=7))
    assert len(got) == len(expected) == 1
    for g, e in zip(got, expected, strict=True):
        assert g.shape == e.shape and g.dtype == e.dtype == np.float32
        assert np.isfinite(e).all()
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


class _BreakResultTypes(ModulePass):
    """A deliberately wrong pass: replaces every graph.relu by one with an i32 result type."""

    name = "break-relu"

    def apply(self, ctx, op: ModuleOp) -> None:
        from xdsl.dialects.builtin import TensorType, i32

        from ge_compiler.dialects.graph import ReluOp

        for o in list(op.walk()):
            if isinstance(o, ReluOp):
                t = TensorType(i32, o.results[0].type.get_shape())
                bad = ReluOp.create(operands=[o.operands[0]], result_types=[t])
                o.parent_block().insert_op_before(bad, o)
                o.results[0].replace_all_uses_with(bad.results[0])
                o.detach()
                o.erase()


def _run_broken(verify_each: bool) -> GeError:
    module = parse_module(
        "func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
        "  %b = graph.add %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>\n"
        "  %c = graph.relu %b : tensor<4xf32>\n"
        "  func.return %c : tensor<4xf32>\n}\n"
    )
    registry = get_all_passes()
    passes = (registry["cse"]()(), _BreakResultTypes(), registry["dce"]()())
    pipeline = PassPipeline(passes, pipeline_callback(None, verify_each))
    with pytest.raises(GeError) as e:
        pipeline.apply(make_context(), module)
    return e.value


def test_verify_each_names_the_pass_that_broke_the_ir() -> None:
    assert str(_run_broken(True).message).startswith("after pass break-relu:")


def test_by_default_the_result_of_the_pipeline_is_verified() -> None:
    message = _run_broken(False).message
    assert message.startswith("after the pipeline (last pass dce; --verify-each names the pass)")
