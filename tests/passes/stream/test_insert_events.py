"""insert-events: on random multi-stream DAGs every data dependence stays ordered (structural
check, device-model race check and functional runs in adversarial orders), no await is
redundant, and streams split at the device's task limit."""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.codegen import emit_schedule
from ge_compiler.compiler import compile_module
from ge_compiler.device import functional
from ge_compiler.device.config import CONFIG_DIR
from ge_compiler.device.ordering import check_ordering
from ge_compiler.dialects import stream
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context
from ge_compiler.passes import get_all_passes

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STREAM_PASSES = (
    "convert-graph-to-stream,assign-streams{min-gain-us=0.0},overlap-transfers{queues=2}"
)


@dataclass(repr=False)
class Drawn:
    """A drawn graph; its repr (hypothesis' failure report) is the recipe, not the IR."""

    module: ModuleOp
    recipe: list[str]

    def __repr__(self) -> str:
        return f"Drawn({'; '.join(self.recipe)})"


@st.composite
def graphs(draw: st.DrawFn) -> Drawn:
    """A random DAG on 4x8 f32 values: unary/binary elementwise ops, matmuls and adds against
    weights (h2d copies), a softmax; each op with a random stream hint or none."""
    b = GraphBuilder("f32")
    names = iter(range(1000))
    recipe: list[str] = []
    with b.module("main"):
        pool: list[Tensor] = [b.input("x", [4, 8])]
        for _ in range(draw(st.integers(1, 12))):
            hint = draw(st.sampled_from([None, None, None, 0, 1, 2, 3]))
            x = pool[-1 - draw(st.integers(0, min(len(pool), 4) - 1))]
            y = pool[draw(st.integers(0, len(pool) - 1))]
            kind = draw(st.sampled_from(["unary", "binary", "matmul", "bias", "softmax"]))
            recipe.append(f"{kind}(%{pool.index(x)}, %{pool.index(y)}) @{hint} -> %{len(pool)}")
            with b.stream(hint) if hint is not None else nullcontext():
                if kind == "unary":
                    pool.append(draw(st.sampled_from([b.relu, b.exp, b.neg, b.tanh]))(x))
                elif kind == "binary":
                    pool.append(draw(st.sampled_from([b.add, b.mul, b.sub]))(x, y))
                elif kind == "matmul":
                    pool.append(b.matmul(x, b.weight(f"w{next(names)}", [8, 8])))
                elif kind == "bias":
                    pool.append(b.add(x, b.weight(f"b{next(names)}", [8])))
                else:
                    pool.append(b.softmax(x))
        computed = pool[1:]
        b.output(*([t for t in computed if not t.value.uses] or pool[-1:]))
    return Drawn(b.build(), recipe)


def stream_tasks(module: ModuleOp, spec: str) -> list[stream.LaunchOp | stream.CopyOp]:
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)
    f = next(o for o in module.ops if isinstance(o, func.FuncOp))
    return [o for o in f.body.block.ops if isinstance(o, stream.LaunchOp | stream.CopyOp)]


def lane(t: stream.LaunchOp | stream.CopyOp) -> tuple[str, int]:
    if isinstance(t, stream.LaunchOp):
        return ("launch", t.stream.value.data)
    return ("copy", t.queue.value.data)


def ancestors(tasks: list[stream.LaunchOp | stream.CopyOp], skip: tuple[int, int] | None = None):
    """Per task, the tasks that end before it starts (lane order and awaits), by set union;
    ``skip = (task, await position)`` leaves one await out."""
    index = {t: i for i, t in enumerate(tasks)}
    prev: dict[tuple[str, int], int] = {}
    anc: list[set[int]] = []
    for i, t in enumerate(tasks):
        mine: set[int] = set()
        if lane(t) in prev:
            p = prev[lane(t)]
            mine |= {p} | anc[p]
        for k, tp in enumerate(t.awaits):
            if skip == (i, k):
                continue
            a = index[tp.owner]
            mine |= {a} | anc[a]
        anc.append(mine)
        prev[lane(t)] = i
    return anc


@SETTINGS
@given(graphs())
def test_awaits_are_complete_and_minimal(drawn: Drawn) -> None:
    """After insert-events every producer of a task's data ends before it, and dropping any one
    await would lose an ordering (no await is on the same lane or implied by the others)."""
    tasks = stream_tasks(drawn.module, STREAM_PASSES + ",insert-events")
    index = {t: i for i, t in enumerate(tasks)}
    anc = ancestors(tasks)
    for i, t in enumerate(tasks):
        operands = t.args if isinstance(t, stream.LaunchOp) else [t.source]
        for v in operands:
            if v.owner in index:
                assert index[v.owner] in anc[i], f"task {i} may run before its producer"
        for k, tp in enumerate(t.awaits):
            assert lane(tp.owner) != lane(t), f"task {i} awaits a task on its own lane"
            assert index[tp.owner] not in ancestors(tasks, skip=(i, k))[i], (
                f"task {i}: await {k} is implied by its other awaits"
            )


@SETTINGS
@given(graphs())
def test_o3_keeps_every_dependence_ordered(drawn: Drawn) -> None:
    """The whole -O3 lowering of a random multi-stream DAG: the device model's race check
    passes and functional mode (program, adversarial and late:<lane> orders, which run every
    unordered pair both ways round) matches the reference interpreter."""
    schedule = compile_module(drawn.module.clone(), 3).schedule
    check_ordering(schedule)
    result = functional.check(drawn.module, schedule)
    assert result.passed, result.message


def test_dropping_an_await_is_caught() -> None:
    """The oracle of the tests above can fail: a schedule missing one cross-stream wait is a
    race for check_ordering and a wrong result in some functional order."""
    b = GraphBuilder("f32")
    with b.module("main"):
        x = b.input("x", [4, 8])
        with b.stream(1):
            a = b.exp(x)
        b.output(b.add(b.relu(x), a))
    module = b.build()
    schedule = compile_module(module.clone(), 3).schedule
    waiting = next(t for t in schedule.tasks if t.waits and t.kind == "launch")
    waiting.waits.clear()
    with pytest.raises(GeError, match="race"):
        check_ordering(schedule)
    assert not functional.check(module, schedule).passed


def small_device(tmp_path: Path, **limits: int) -> str:
    data = json.loads((CONFIG_DIR / "910B2.json").read_text())
    data.update(name="test-limits", **limits)
    path = tmp_path / "device.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_streams_split_at_the_task_limit(tmp_path: Path, limit: int) -> None:
    """A 7-launch chain with max_tasks_per_stream=limit: no stream holds more than limit
    launches, the chain keeps its order and the schedule stays race-free and correct."""
    b = GraphBuilder("f32")
    with b.module("main"):
        v = b.input("x", [4, 8])
        for k in range(7):
            v = [b.relu, b.exp, b.neg, b.tanh][k % 4](v)
        b.output(v)
    module = b.build()
    lowered = module.clone()
    device = small_device(tmp_path, max_tasks_per_stream=limit)
    tasks = stream_tasks(
        lowered,
        f'convert-graph-to-stream,insert-events{{device="{device}"}},convert-stream-to-memory',
    )
    per_stream: dict[int, int] = {}
    for t in tasks:
        per_stream[t.stream.value.data] = per_stream.get(t.stream.value.data, 0) + 1
    assert max(per_stream.values()) <= limit
    assert len(per_stream) == -(-7 // limit)
    schedule = emit_schedule(lowered)
    check_ordering(schedule)
    assert functional.check(module, schedule).passed


def test_coarsened_copy_waits_stay_minimal(tmp_path: Path) -> None:
    """Four weight copies awaited by a chain of adds on one stream, max_events=4 (budget 2):
    waits move to every second copy; the second add's wait on the first anchor is already
    implied by the first add's (same stream), so it should be dropped."""
    b = GraphBuilder("f32")
    with b.module("main"):
        v = b.input("x", [8])
        for k in range(4):
            v = b.add(v, b.weight(f"w{k}", [8]))
        b.output(v)
    device = small_device(tmp_path, max_events=4)
    tasks = stream_tasks(
        b.build(), f'convert-graph-to-stream,overlap-transfers,insert-events{{device="{device}"}}'
    )
    awaited = [o.owner for t in tasks if isinstance(t, stream.LaunchOp) for o in t.awaits]
    assert len(awaited) == len(set(awaited)), "a copy is awaited twice on one stream"
