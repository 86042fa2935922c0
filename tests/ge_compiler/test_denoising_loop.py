"""Looping a group of modules (a denoising step: schedule, ControlNet, denoiser, sampler) in
one graph.loop: the carried latent, the index, the results, and the wrong uses."""

from __future__ import annotations

import numpy as np
import pytest

from ge_compiler import GraphBuilder
from ge_compiler.assembly import group_carried
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.models.multimodal import TINY, build_denoising_pipeline


@pytest.mark.parametrize("steps", [1, 3])
def test_denoising_loop_matches_the_interpreter(steps: int) -> None:
    p = build_denoising_pipeline(TINY, steps)
    assert "step" not in p.input_names and "hidden_states" in p.input_names
    entry = list(p.module.ops)[0]
    xs = random_inputs(entry)
    (expected,) = run_function(p.module, xs, p.weights)
    result = p.run(dict(zip(p.input_names, xs, strict=True)), functional=True)
    np.testing.assert_allclose(result["vae_decoder.output0"], expected, rtol=1e-5, atol=1e-5)
    (first, last, trips) = p.compiled.result.schedule.loops[0]
    assert trips == steps and first < last


def test_launches_grow_with_the_steps_and_memory_does_not() -> None:
    """Each step runs the loop body again; its buffers are reused, never re-allocated."""
    reports = [build_denoising_pipeline(TINY, n).run().report for n in (2, 4)]
    body = reports[1]["kernel_launches"] - reports[0]["kernel_launches"]
    assert body > 0 and body % 2 == 0
    assert reports[0]["peak_memory_bytes"] == reports[1]["peak_memory_bytes"]


def _tiny_module(name: str, ins: dict[str, tuple[int, ...]], outs: list[str]):
    b = GraphBuilder()
    with b.module(name):
        xs = [b.input(n, s) for n, s in ins.items()]
        total = xs[0]
        for x in xs[1:]:
            total = total + x if x.shape == total.shape else total
        b.output(*(b.tanh(total) for _ in outs), names=outs)
    return b.build()


def test_carried_names_follow_the_step_order() -> None:
    """An output read by an earlier module of the step is carried; one read only by a later
    module is passed within the step. The carried input names its pipeline input (the first
    step's value) explicitly, or the pipeline would wire it to the later output: a cycle."""
    b = GraphBuilder()
    b.add_module("a", _tiny_module("a", {"x": (4,), "c": (4,)}, ["y"]), inputs={"x": "x"})
    b.add_module("s", _tiny_module("s", {"y": (4,)}, ["x"]))
    p = b.compile()
    assert group_carried(p.specs, ["a", "s"]) == ["x"]
    p.enable_autoregressive_mode(3, cache_kv=False, module=["a", "s"])
    assert p.input_names == ["x", "c"]
    xs = [np.ones(4, np.float32), np.full(4, 0.5, np.float32)]
    (expected,) = run_function(p.module, xs, p.weights)
    x = xs[0]
    for _ in range(3):
        x = np.tanh(np.tanh(x + xs[1]))
    np.testing.assert_allclose(expected, x, rtol=1e-6)


def test_group_errors() -> None:
    b = GraphBuilder()
    b.add_module("a", _tiny_module("a", {"x": (4,)}, ["y"]))
    b.add_module("s", _tiny_module("s", {"y": (4,)}, ["z"]))
    p = b.compile()
    with pytest.raises(GeError, match="carry nothing"):
        p.enable_autoregressive_mode(2, cache_kv=False, module=["a", "s"])
    with pytest.raises(GeError, match="unknown module"):
        p.enable_autoregressive_mode(2, cache_kv=False, module=["a", "nope"])
    with pytest.raises(GeError, match="once"):
        p.enable_autoregressive_mode(2, cache_kv=False, module=["a", "a"])
    with pytest.raises(GeError, match="no KV cache"):
        p.enable_autoregressive_mode(2, cache_kv=True, module=["a", "s"])


LOOP = """
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 5 : i64} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%i: tensor<i64>, %h: tensor<4xf32>):
    %a = graph.tanh %h : tensor<4xf32>
    %b = graph.neg %a : tensor<4xf32>
    %c = graph.exp %b : tensor<4xf32>
    %d = graph.sigmoid %c : tensor<4xf32>
    graph.yield %d : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
"""


def test_a_loop_body_split_over_streams_orders_its_iterations() -> None:
    """A body longer than the device's per-stream task limit continues on fresh streams; the
    next iteration's first task must then wait for the previous iteration's last (a race
    otherwise: found at real size, 4,000 launches a step against a limit of 2,013)."""
    from pathlib import Path

    from xdsl.passes import PassPipeline

    from ge_compiler.codegen import emit_schedule
    from ge_compiler.device.config import load_config
    from ge_compiler.device.functional import check
    from ge_compiler.device.ordering import check_ordering
    from ge_compiler.device.simulator import simulate
    from ge_compiler.ir import make_context, parse_module
    from ge_compiler.passes import get_all_passes

    device = Path(__file__).parents[2] / "lit_tests/passes/stream/Inputs/small_limits.json"
    spec = (
        f'convert-graph-to-stream,insert-events{{device="{device}"}},convert-stream-to-memory,'
        "plan-memory"
    )
    module = parse_module(LOOP)
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)
    s = emit_schedule(module)
    first, last, _ = s.loops[0]
    assert len({t.stream for t in s.tasks[first : last + 1]}) > 1
    check_ordering(s.expanded())
    simulate(s, load_config("910B2"))
    assert check(parse_module(LOOP), s).passed
