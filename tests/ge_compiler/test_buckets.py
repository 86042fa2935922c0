"""Shape buckets (``ge_compiler.buckets``): specialize a dynamic module to static sizes, choose
gears, run padded in a gear and slice back, and the pipeline API's ``dynamic_shape=True``.

The functional checks compare a gear's padded run with the exact-shape graph on models where
padding cannot change the real tokens: a per-token MLP (each output row reads only its input
row) and the causal text encoder with an attention mask (zero padding is masked). Equality is
up to float rounding (a matmul over more rows may block its sums differently)."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp, TensorType

from ge_compiler import GraphBuilder
from ge_compiler.buckets import (
    Gears,
    choose_gears,
    declared_bounds,
    entry_function,
    set_bounds,
    specialize,
)
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function
from ge_compiler.models import build_model

HIDDEN = 16


def mlp(bound: int | None = 32, reduce: bool = False) -> ModuleOp:
    """A per-token MLP over ``x: [?, 16]`` (bounded by ``bound``); with ``reduce`` also a sum
    over the tokens, an output whose dim does not follow the length."""
    b = GraphBuilder()
    with b.module("mlp"):
        x = b.input("x", (None, HIDDEN))
        h = b.gelu(x @ b.weight("fc1.w", (HIDDEN, 32)) + b.weight("fc1.b", (32,)))
        y = h @ b.weight("fc2.w", (32, 8))
        outs = (y, b.reduce_sum(y, [0])) if reduce else (y,)
        b.output(*outs, names=["y", "total"][: len(outs)])
    m = b.build()
    if bound is not None:
        set_bounds(m, {"x": (bound, HIDDEN)})
    return m


def tokens(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, HIDDEN)).astype(np.float32)


def test_specialize_makes_every_type_static() -> None:
    """The copy is static and verified; the original keeps its dynamic types and bounds."""
    m = mlp()
    s = specialize(m, {"x": {0: 5}})
    for op in entry_function(s).walk():
        for r in op.results:
            assert not isinstance(r.type, TensorType) or r.type.has_static_shape(), op
    f = entry_function(s)
    assert [t.get_shape() for t in f.function_type.inputs.data] == [(5, HIDDEN)]
    assert [t.get_shape() for t in f.function_type.outputs.data] == [(5, 8)]
    assert "graph.dim_bounds" not in str(s)
    assert declared_bounds(m) == {"x": {0: 32}}
    s.verify()


@pytest.mark.parametrize(
    "sizes, message",
    [
        ({"x": {0: 40}}, "input 'x' dim 0: size 40 is above its bound 32"),
        ({"x": {0: 4, 1: 8}}, "input 'x' dim 1 is static (16), got 8"),
        ({"y": {0: 4}}, "unknown input(s) y (inputs: x)"),
        ({"x": {2: 4}}, "has no dim 2"),
        ({"x": {0: 0}}, "size must be >= 1"),
        ({}, "no size for dynamic dim(s) x[0]"),
    ],
    ids=["above-bound", "static-dim", "unknown-input", "no-such-dim", "zero", "missing"],
)
def test_specialize_errors(sizes: dict, message: str) -> None:
    with pytest.raises(GeError) as e:
        specialize(mlp(), sizes)
    assert message in str(e.value)


def test_choose_gears() -> None:
    assert choose_gears(256) == [16, 32, 64, 128, 256]
    assert choose_gears(77) == [16, 32, 64, 77]
    assert choose_gears(16) == [16]
    assert choose_gears(10) == [10]
    assert choose_gears(20, minimum=3) == [4, 8, 16, 20]
    with pytest.raises(GeError, match="bound must be >= 1"):
        choose_gears(0)


def test_gear_choice_and_errors() -> None:
    g = Gears(mlp(77))
    assert g.sizes == [16, 32, 64, 77]
    assert [g.gear_for(n) for n in (1, 16, 17, 65, 77)] == [16, 16, 32, 77, 77]
    with pytest.raises(GeError, match="size 78 is above the largest gear 77"):
        g.gear_for(78)
    with pytest.raises(GeError, match="no upper bound: declare graph.dim_bounds"):
        Gears(mlp(None))
    assert Gears(mlp(None), [8, 24]).sizes == [8, 24]
    with pytest.raises(GeError, match="gear 64 is above the dynamic dims' bound 32"):
        Gears(mlp(32), [16, 64])
    b = GraphBuilder()
    with b.module("static"):
        b.output(b.relu(b.input("x", (2, 2))))
    with pytest.raises(GeError, match="no dynamic input dims"):
        Gears(b.build())
    assert g.compile_count == 0  # nothing compiled: gears compile lazily


def test_padded_gear_matches_exact_shape_per_token_mlp() -> None:
    """Rows 0..n-1 of the padded gear run equal the exact-shape graph's (and the
    interpreter's on the dynamic module); an output reducing over the tokens is not sliced
    (its dim does not follow the length) and does see the padding rows (gelu(b1) @ w2)."""
    m = mlp(reduce=True)
    g = Gears(m)
    x = tokens(11)
    got = g.run({"x": x}, functional=True)
    assert got.report["shape_bucket"] == {"size": 11, "gear": 16, "gears": [16, 32]}
    exact = g.compile_size(11).run({"x": x}, functional=True)
    assert got["y"].shape == (11, 8)
    np.testing.assert_allclose(got["y"], exact["y"], rtol=1e-5, atol=1e-6)
    (ref, _) = run_function(specialize(m, {"x": {0: 11}}), [x], g.weights)
    np.testing.assert_allclose(got["y"], ref, rtol=1e-5, atol=1e-5)
    assert got["total"].shape == (8,)


def test_padded_gear_matches_exact_shape_masked_text_encoder() -> None:
    """The causal text encoder with an attention mask: zero padding is masked, so the real
    tokens' hidden states equal the exact-length graph's."""
    g = Gears(build_model("text-encoder-tiny-dynamic"))
    n = 5
    inputs = {
        "input_ids": np.array([[3, 17, 42, 8, 60]], np.int64),
        "position_ids": np.arange(n, dtype=np.int64)[None],
        "attention_mask": np.ones((1, n), np.int64),
    }
    got = g.run(inputs, functional=True)
    exact = g.compile_size(n).run(inputs, functional=True)
    assert got.report["shape_bucket"]["gear"] == 16
    assert got["last_hidden_state"].shape == (1, n, 32)
    np.testing.assert_allclose(
        got["last_hidden_state"], exact["last_hidden_state"], rtol=1e-4, atol=1e-5
    )


def test_pipeline_dynamic_shape_runs_lengths_without_recompiling() -> None:
    """compile(dynamic_shape=True): lengths in one gear share a compile, a longer one
    compiles its gear once, and rerunning never recompiles; the bound comes from the
    module's graph.dim_bounds; a length above the largest gear is an error."""
    builder = GraphBuilder()
    builder.add_module("mlp", mlp(32))
    pipeline = builder.compile(dynamic_shape=True)
    assert pipeline.gears.sizes == [16, 32]
    weights = pipeline.gears.weights
    for n, compiles in ((5, 1), (12, 1), (20, 2), (5, 2), (32, 2)):
        x = tokens(n, seed=n)
        r = pipeline.run({"x": x}, functional=True)
        assert pipeline.gears.compile_count == compiles
        (ref,) = run_function(specialize(mlp(32), {"x": {0: n}}), [x], weights)
        np.testing.assert_allclose(r["mlp.y"], ref, rtol=1e-5, atol=1e-5)
        assert r.report["latency_us"] > 0
    with pytest.raises(GeError, match="size 33 is above the largest gear 32"):
        pipeline.run({"x": tokens(33)})
    with pytest.raises(GeError, match="compiled graph per gear"):
        _ = pipeline.compiled


def test_pipeline_dynamic_shape_needs_a_bound_or_gears() -> None:
    builder = GraphBuilder()
    builder.add_module("mlp", mlp(None))
    with pytest.raises(GeError, match="no upper bound"):
        builder.compile(dynamic_shape=True)
    pipeline = builder.compile(dynamic_shape=True, gears=[8, 24])
    assert pipeline.run({"x": tokens(9)}).report["shape_bucket"]["gear"] == 24
    with pytest.raises(GeError, match="gears= needs dynamic_shape=True"):
        builder.compile(gears=[8])


def test_pipeline_dynamic_shape_with_conditional_branch() -> None:
    """Gears follow set_conditional_branch (the module is reassembled), and specialize types
    the graph.if branches statically (infer-shapes does not enter them): both branches run
    in a gear and match the interpreter."""

    def layer(name: str, inp: str, out: str) -> ModuleOp:
        b = GraphBuilder()
        with b.module(name):
            x = b.input(inp, (None, HIDDEN))
            b.output(b.relu(x @ b.weight(f"{name}.w", (HIDDEN, HIDDEN))), names=[out])
        m = b.build()
        set_bounds(m, {inp: (32, HIDDEN)})
        return m

    builder = GraphBuilder()
    builder.add_module("a", layer("a", "x", "h"))
    builder.add_module("c", layer("c", "h", "h2"))
    builder.add_module("d", layer("d", "h2", "z"))
    pipeline = builder.compile(dynamic_shape=True)
    pipeline.set_conditional_branch("condition", ["c"], ["c"])
    x = tokens(7)
    for cond in (True, False):
        r = pipeline.run({"x": x, "condition": np.array(cond)}, functional=True)
        static = specialize(pipeline.module, {"x": {0: 7}})
        (ref,) = run_function(static, [x, np.array(cond)], pipeline.gears.weights)
        np.testing.assert_allclose(r["d.z"], ref, rtol=1e-5, atol=1e-5)
    assert pipeline.gears.compile_count == 1
