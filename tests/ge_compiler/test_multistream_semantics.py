"""Multi-stream -O3 end to end: the tiny models compile to schedules that fit the device's
limits and compute what the reference interpreter computes in every adversarial order, and
random DAGs spread over many streams (with memory reuse) do too."""

from __future__ import annotations

import functools
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.codegen import emit_schedule
from ge_compiler.compiler import CompileResult, compile_module
from ge_compiler.device import functional
from ge_compiler.device.config import load_config
from ge_compiler.device.ordering import check_ordering
from ge_compiler.ir import make_context
from ge_compiler.models import MODELS, build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.pipelines import LOWERING_PIPELINES

TINY = [m for m in MODELS if m.endswith("-tiny")]
DEVICE = load_config("910B2")


@functools.cache
def compiled(name: str) -> CompileResult:
    return compile_module(build_model(name), 3, model=name)


@pytest.mark.parametrize("name", TINY)
def test_tiny_model_o3_within_device_limits(name: str) -> None:
    """Events, streams and tasks per stream stay within the 910B2's limits; the schedule is
    marked for graph sink (task-sink) and race-free."""
    s = compiled(name).schedule
    assert s.num_events <= DEVICE.max_events
    assert len(s.streams) <= DEVICE.max_streams
    for sid in s.streams:
        on = [t for t in s.tasks if t.kind == "launch" and t.stream == sid]
        assert len(on) <= DEVICE.max_tasks_per_stream
    assert s.launch_mode == "sink"
    check_ordering(s)


@pytest.mark.parametrize("name", TINY)
def test_tiny_model_o3_matches_interpreter(name: str) -> None:
    """Functional mode (program, adversarial and late:<lane> orders) vs the interpreter."""
    result = functional.check(build_model(name), compiled(name).schedule)
    assert result.passed, result.message


def test_some_tiny_model_uses_several_streams() -> None:
    """The multi-stream checks above are not vacuous: -O3 spreads some models over streams."""
    assert max(len(compiled(n).schedule.streams) for n in TINY) >= 3


@dataclass(repr=False)
class Drawn:
    """A drawn graph; its repr (hypothesis' failure report) is the recipe, not the IR."""

    module: ModuleOp
    recipe: list[str]

    def __repr__(self) -> str:
        return f"Drawn({'; '.join(self.recipe)})"


@st.composite
def graphs(draw: st.DrawFn) -> Drawn:
    """Random DAGs mixing matmuls against weights, elementwise ops, softmax and layer norm on
    f32 or f16 values, each op with a random stream hint (or none: assign-streams decides)."""
    dtype = draw(st.sampled_from(["f32", "f16"]))
    b = GraphBuilder(dtype)
    names = iter(range(1000))
    recipe = [dtype]
    with b.module("main"):
        pool: list[Tensor] = [b.input("x", [8, 16])]
        for _ in range(draw(st.integers(2, 14))):
            hint = draw(st.sampled_from([None, None, 1, 2, 3, 4]))
            x = pool[-1 - draw(st.integers(0, min(len(pool), 5) - 1))]
            y = pool[draw(st.integers(0, len(pool) - 1))]
            kind = draw(st.sampled_from(["unary", "binary", "binary", "matmul", "norm", "softmax"]))
            recipe.append(f"{kind}(%{pool.index(x)}, %{pool.index(y)}) @{hint} -> %{len(pool)}")
            with b.stream(hint) if hint is not None else nullcontext():
                if kind == "unary":
                    pool.append(draw(st.sampled_from([b.relu, b.sigmoid, b.neg, b.gelu]))(x))
                elif kind == "binary":
                    pool.append(draw(st.sampled_from([b.add, b.mul, b.maximum]))(x, y))
                elif kind == "matmul":
                    pool.append(b.matmul(x, b.weight(f"w{next(names)}", [16, 16])))
                elif kind == "norm":
                    w, bias = b.weight(f"g{next(names)}", [16]), b.weight(f"b{next(names)}", [16])
                    pool.append(b.layer_norm(x, w, bias))
                else:
                    pool.append(b.softmax(x))
        b.output(*([t for t in pool[1:] if not t.value.uses] or pool[-1:]))
    return Drawn(b.build(), recipe)


MANY_STREAMS = ",".join(LOWERING_PIPELINES[3]).replace(
    "assign-streams", "assign-streams{min-gain-us=0.0}"
)
"""The -O3 lowering with every chain on its own stream (tiny kernels gain < 2 us otherwise)."""


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(graphs(), st.sampled_from([MANY_STREAMS, "O3"]))
def test_random_multistream_dags_match_interpreter(drawn: Drawn, pipeline: str) -> None:
    """Differential: random DAGs lowered over several streams (insert-events, plan-memory
    with in-place reuse) are race-free and match the interpreter in every order."""
    if pipeline == "O3":
        schedule = compile_module(drawn.module.clone(), 3).schedule
    else:
        m = drawn.module.clone()
        PassPipeline.parse_spec(get_all_passes(), pipeline).apply(make_context(), m)
        schedule = emit_schedule(m)
    check_ordering(schedule)
    result = functional.check(drawn.module, schedule)
    assert result.passed, result.message
