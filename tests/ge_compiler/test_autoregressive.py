"""Pipeline.enable_autoregressive_mode on the cached Qwen2-style decode step: the compiled loop
computes what the reference interpreter computes on the pipeline module, the step index is
not a pipeline input, the KV caches are written only at the decoded positions, and misuse is
a clear GeError.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func

from ge_compiler.builder import GraphBuilder
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function
from ge_compiler.models.llm import build_llm_prefill
from ge_compiler.models.llm_decode import TINY, build_llm_decode_cached

P, M = TINY.past_len, TINY.max_len


def _pipeline(steps: int, **kw):
    b = GraphBuilder().add_module("decoder", build_llm_decode_cached(TINY))
    return b.compile().enable_autoregressive_mode(max_steps=steps, **kw)


def _inputs(pipeline) -> dict[str, np.ndarray]:
    """Random hidden state and logits; caches holding random rows 0..P-1 (a prefill's) and
    zeros after."""
    rng = np.random.default_rng(0)
    main = next(o for o in pipeline.module.ops if isinstance(o, func.FuncOp))
    out = {}
    for name, t in zip(pipeline.input_names, main.function_type.inputs.data, strict=True):
        a = rng.standard_normal(tuple(t.get_shape())).astype(np.float32)
        if "cache" in name:
            a[:, :, P:, :] = 0
        out[name] = a
    return out


@pytest.mark.parametrize("steps", [1, 3])
def test_decode_loop_computes_what_the_interpreter_computes(steps: int) -> None:
    """The compiled pipeline (functional run) equals run_function on pipeline.module, output
    by output; the schedule holds one loop of ``steps`` trips; the report counts the body's
    launches once per step."""
    p = _pipeline(steps)
    inputs = _inputs(p)
    result = p.run(inputs, functional=True)
    expected = run_function(p.module, [inputs[n] for n in p.input_names], p.weights)
    assert list(result.outputs) == p.output_names
    for name, want in zip(p.output_names, expected, strict=True):
        np.testing.assert_allclose(result.outputs[name], want, rtol=1e-4, atol=1e-5)
    s = p.compiled.result.schedule
    ((first, last, trips),) = s.loops
    assert trips == steps
    body = s.tasks[first : last + 1]
    assert len({t.stream for t in body}) == 1
    launches = sum(t.kind == "launch" for t in s.tasks)
    in_body = sum(t.kind == "launch" for t in body)
    assert result.report["kernel_launches"] == launches + (steps - 1) * in_body


def test_step_is_not_a_pipeline_input() -> None:
    """``step`` is fed by the loop index: not among the pipeline's inputs (it is the decode
    function's); every output of the decoder comes out under its module-qualified name."""
    p = _pipeline(2)
    assert "step" not in p.input_names
    assert p.input_names == ["hidden", "logits", "k_cache_0", "v_cache_0", "k_cache_1", "v_cache_1"]
    assert p.output_names == [f"decoder.{n}" for n in p.input_names]
    main = next(o for o in p.module.ops if isinstance(o, func.FuncOp))
    assert len(main.function_type.inputs.data) == len(p.input_names)
    assert sum(op.name == "graph.loop" for op in main.walk()) == 1


@pytest.mark.parametrize("steps", [1, 3])
def test_decode_writes_only_the_decoded_cache_rows(steps: int) -> None:
    """Step i writes cache row P + i: rows P .. P+steps-1 are written (nonzero), rows before P
    (the prefill's) are unchanged and rows from P+steps on stay zero (zeros in, zeros out).

    (The decode is not expected to match a prefill over the longer sequence: each step feeds
    back the hidden state, not a token.)"""
    p = _pipeline(steps)
    inputs = _inputs(p)
    out = p.run(inputs, functional=True).outputs
    for name in ("k_cache_0", "v_cache_0", "k_cache_1", "v_cache_1"):
        got, given = out[f"decoder.{name}"], inputs[name]
        np.testing.assert_array_equal(got[:, :, :P], given[:, :, :P])
        for row in range(P, P + steps):
            assert np.any(got[:, :, row] != 0), (name, row)
        assert np.all(got[:, :, P + steps :] == 0), name


def test_kv_caches_are_updated_in_place_and_move_only_their_rows() -> None:
    """Every update_slice launch of the loop writes the buffer it reads as dest (the cache's
    state, allocated once) and its kernel moves only the new row, far less than the cache."""
    p = _pipeline(2)
    s = p.compiled.result.schedule
    first, last, _ = s.loops[0]
    updates = [t for t in s.tasks if t.kernel and "update_slice" in t.kernel]
    assert len(updates) == 2 * TINY.layers
    cache_bytes = TINY.batch * TINY.kv_heads * M * TINY.head_dim * 4
    row_bytes = TINY.batch * TINY.kv_heads * TINY.head_dim * 4
    for t in updates:
        assert first <= t.id <= last
        assert t.outputs[0] == t.inputs[0]
        assert s.buffers[t.inputs[0]].bytes == cache_bytes
        assert s.kernels[t.kernel].bytes == 2 * row_bytes + 8


def test_arena_sizes_do_not_grow_with_max_steps() -> None:
    """Planning is at the cache's bound: 1 and 4 steps need the same device memory."""
    sizes = [{a.name: a.size for a in _pipeline(n).compiled.result.schedule.arenas} for n in (1, 4)]
    assert sizes[0] == sizes[1]


# --------------------------------------------------------------------------- errors


def test_error_output_without_a_same_named_input() -> None:
    """A module whose output has no input of the same name cannot be looped."""
    b = GraphBuilder().add_module("prefill", build_llm_prefill(TINY, 4))
    with pytest.raises(GeError, match=r"module 'prefill': output '.*' has no input of the same"):
        b.compile().enable_autoregressive_mode(max_steps=2, cache_kv=False)


def _no_cache_module():
    """A step carrying only its hidden state (no *cache* input)."""
    b = GraphBuilder("f32")
    with b.module("rnn"):
        h = b.input("hidden", (1, 8))
        b.output(b.tanh(h), names=["hidden"])
    return b.build()


def test_error_cache_kv_on_a_module_without_caches() -> None:
    """cache_kv=True (the default) on a module without cache inputs is refused, by name;
    cache_kv=False loops it."""
    pipeline = GraphBuilder().add_module("rnn", _no_cache_module()).compile()
    with pytest.raises(GeError, match="module 'rnn' carries no KV cache"):
        pipeline.enable_autoregressive_mode(max_steps=2)
    pipeline.enable_autoregressive_mode(max_steps=3, cache_kv=False)
    x = np.linspace(-1, 1, 8, dtype=np.float32).reshape(1, 8)
    out = pipeline.run({"hidden": x}, functional=True).outputs["rnn.hidden"]
    np.testing.assert_allclose(out, np.tanh(np.tanh(np.tanh(x))), rtol=1e-6)


def test_error_no_cache_on_a_cached_module() -> None:
    """cache_kv=False on the cached decode step is refused (it would need a prefill)."""
    pipeline = GraphBuilder().add_module("decoder", build_llm_decode_cached(TINY)).compile()
    with pytest.raises(GeError, match="module 'decoder' is a cached decode step"):
        pipeline.enable_autoregressive_mode(max_steps=2, cache_kv=False)


def test_error_unknown_module_and_max_steps() -> None:
    """An unknown module name and max_steps < 1 are refused."""
    pipeline = GraphBuilder().add_module("decoder", build_llm_decode_cached(TINY)).compile()
    with pytest.raises(GeError, match="unknown module 'nope'"):
        pipeline.enable_autoregressive_mode(max_steps=2, module="nope")
    for bad in (0, -1):
        with pytest.raises(GeError, match=f"max_steps must be >= 1, got {bad}"):
            pipeline.enable_autoregressive_mode(max_steps=bad)
    assert pipeline.autoregressive is None  # nothing half-applied
