"""overlap-transfers: issue host-to-device copies first, in order of first use.

convert-graph-to-stream leaves each weight's h2d copy next to its first consumer, so in host
launch mode the host issues a copy only after every launch before it: the DMA queue idles while
the host is busy launching, and the transfer is exposed. This pass moves every h2d copy of a
host value (with its ``graph.weight``) to the top of the function in the order of the first
launch that reads it, spread round-robin over ``queues`` DMA queues, so transfers start at once
and stream in the order compute needs them, hidden behind the kernels that run meanwhile.

All weights stay resident in the ``weights`` arena (its size is the model's weights), so no
double-buffering is needed; it would only matter for weights larger than device memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, i64
from xdsl.passes import ModulePass

from ge_compiler.dialects import graph, stream
from ge_compiler.errors import GeError
from ge_compiler.passes.stream.dag import tasks_of


@dataclass(frozen=True)
class OverlapTransfersPass(ModulePass):
    """Hoist h2d copies to the top of the function, ordered by first use."""

    name = "overlap-transfers"
    queues: int = 1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.queues < 1:
            raise GeError(f"overlap-transfers: queues must be >= 1, got {self.queues}")
        for f in [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]:
            self.hoist(f)

    def hoist(self, f: func.FuncOp) -> None:
        block = f.body.block
        tasks = tasks_of(block)
        position = {t: i for i, t in enumerate(tasks)}

        def first_use(c: stream.CopyOp) -> int:
            assert c.output is not None
            return min((position.get(u.operation, len(tasks)) for u in c.output.uses), default=0)

        copies = sorted(
            (
                t
                for t in tasks
                if isinstance(t, stream.CopyOp)
                and t.kind.data == "h2d"
                and t.output is not None
                and not t.awaits
                and isinstance(t.source.owner, graph.WeightOp)
            ),
            key=first_use,
        )
        moved = {c for c in copies} | {c.source.owner for c in copies}
        anchor = next((o for o in block.ops if o not in moved), None)
        assert anchor is not None  # the function's return is never moved
        for n, c in enumerate(copies):
            src = c.source.owner
            assert isinstance(src, graph.WeightOp)
            src.detach()
            block.insert_op_before(src, anchor)
            c.detach()
            c.properties["queue"] = IntegerAttr(n % self.queues, i64)
            block.insert_op_before(c, anchor)
