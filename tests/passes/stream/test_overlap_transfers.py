"""overlap-transfers: weight copies move to the top in first-use order, spread over the DMA
queues, and the lowered schedule stays correct; bad options are errors."""

from __future__ import annotations

import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline

from ge_compiler.codegen import emit_schedule
from ge_compiler.device import functional
from ge_compiler.device.ordering import check_ordering
from ge_compiler.dialects import graph, stream
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context
from ge_compiler.models import build_model
from ge_compiler.passes import get_all_passes
from ge_compiler.passes.stream.overlap_transfers import OverlapTransfersPass


def lowered(module: ModuleOp, spec: str) -> func.FuncOp:
    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)
    return next(o for o in module.ops if isinstance(o, func.FuncOp))


@pytest.mark.parametrize("queues", [1, 2, 3])
def test_copies_first_in_first_use_order(queues: int) -> None:
    """On transformer-tiny: every h2d copy precedes every launch, copies are ordered by their
    first consumer, the n-th copy is on queue n % queues, and the weights move with them."""
    f = lowered(
        build_model("transformer-tiny"),
        f"canonicalize,fuse,convert-graph-to-stream,overlap-transfers{{queues={queues}}}",
    )
    ops = list(f.body.block.ops)
    tasks = [o for o in ops if isinstance(o, stream.LaunchOp | stream.CopyOp)]
    copies = [t for t in tasks if isinstance(t, stream.CopyOp)]
    assert len(copies) > 3
    assert tasks[: len(copies)] == copies, "a launch comes before a weight copy"
    position = {t: i for i, t in enumerate(tasks)}
    first_use = [min(position[u.operation] for u in c.output.uses) for c in copies]
    assert first_use == sorted(first_use)
    assert [c.queue.value.data for c in copies] == [n % queues for n in range(len(copies))]
    assert all(isinstance(o, graph.WeightOp | stream.CopyOp) for o in ops[: 2 * len(copies)])


@pytest.mark.parametrize("queues", [1, 2])
def test_lowered_schedule_stays_correct(queues: int) -> None:
    """With the copies hoisted (and spread over queues), the memory-level schedule is
    race-free and computes what the graph computes in every adversarial order."""
    module = build_model("transformer-tiny")
    m = module.clone()
    lowered(
        m,
        "canonicalize,fuse,convert-graph-to-stream,assign-streams,"
        f"overlap-transfers{{queues={queues}}},insert-events,convert-stream-to-memory,plan-memory",
    )
    schedule = emit_schedule(m)
    assert len(schedule.dma_queues) == queues
    check_ordering(schedule)
    result = functional.check(module, schedule)
    assert result.passed, result.message


def test_queues_zero_is_an_error() -> None:
    with pytest.raises(GeError, match="queues must be >= 1, got 0"):
        OverlapTransfersPass(queues=0).apply(make_context(), ModuleOp([]))
