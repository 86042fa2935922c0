"""prune: remove every op that cannot reach a function output, and report what it saved.

Liveness is computed backwards from each block's terminator (``func.return``, ``graph.yield``)
in one reverse sweep: an op is live if it has side effects (anything not ``Pure``, or a
terminator) or one of its results is used by a live op. Dead ops are erased as the sweep meets
them, so the operands of a live op are always examined after all of that op's users. Graph ops
are all ``Pure``, so everything computed only for a value nobody returns goes, unused
``graph.weight`` ops included; ops of other dialects are removed only when xDSL knows them to be
free of side effects.

Ops with regions are pruned from the inside: the body of a live op is pruned relative to its own
terminator. A ``graph.fused`` group whose results are partly unused loses those results (and the
body ops that computed only them), then the inputs its body no longer reads, so the kernel neither
computes nor loads what nobody uses.

Branches: a ``graph.if`` whose condition is a ``graph.constant`` keeps only the branch the
constant selects: that branch is pruned against its yield, its ops move in front of the
``graph.if``, and the other branch is erased (counted as removed). With a runtime condition
both branches are pruned against their yields.

``prune_function(func_op)`` does the work and returns a ``PruneStats``; the pass prints one
line per function to stderr with ``prune{report=true}``, and never changes the IR beyond the
removal (no attributes are added).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, Operation, Region
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import IsTerminator
from xdsl.transforms.dead_code_elimination import would_be_trivially_dead

from ge_compiler.dialects import graph
from ge_compiler.dialects.shapes import numel
from ge_compiler.dtypes import byte_width


@dataclass
class PruneStats:
    """What ``prune_function`` removed from one function.

    ``ops`` counts every erased op, nested ones (inside a ``graph.fused`` body) included, but not
    terminators. ``weights`` counts erased ``graph.weight`` ops; ``weight_bytes`` is the size of
    the weights that are no longer referenced anywhere in the function (a weight read by two
    ``graph.weight`` ops of which one stays frees nothing), at the device byte widths of
    ``ge_compiler.dtypes``.
    """

    function: str = ""
    ops: int = 0
    weights: int = 0
    weight_bytes: int = 0
    _removed_weights: dict[str, int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def summary(self) -> str:
        """``prune: removed 12 ops (3 weights, 1.5 MB of weights) from @f``."""
        text = f"prune: removed {_plural(self.ops, 'op')}"
        if self.weights:
            text += f" ({_plural(self.weights, 'weight')}, {format_bytes(self.weight_bytes)}"
            text += " of weights)"
        return f"{text} from @{self.function}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_bytes(n: int) -> str:
    """Decimal units as elsewhere in the project: ``512 B``, ``1.5 kB``, ``1.5 MB``, ``2.0 GB``."""
    for scale, unit in ((10**9, "GB"), (10**6, "MB"), (10**3, "kB")):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def weight_bytes(op: graph.WeightOp) -> int:
    t = op.result.type
    assert isinstance(t, TensorType)
    return (numel(t.get_shape()) or 0) * byte_width(t.get_element_type())


def live_regions(op: Operation) -> list[Region]:
    """The regions of a live op that can execute (a graph.if with a constant condition is
    inlined before this is asked)."""
    return list(op.regions)


def prune_function(func_op: func.FuncOp) -> PruneStats:
    """Remove the ops of ``func_op`` that cannot reach its outputs; return what was removed."""
    stats = PruneStats(func_op.sym_name.data)
    for region in func_op.regions:
        _prune_region(region, stats)
    kept = {op.weight_name.data for op in func_op.walk() if isinstance(op, graph.WeightOp)}
    stats.weight_bytes = sum(b for n, b in stats._removed_weights.items() if n not in kept)
    return stats


def _prune_region(region: Region, stats: PruneStats) -> None:
    # Later blocks first; a value used in another block is simply kept (its use is live).
    for block in reversed(region.blocks):
        _prune_block(block, stats)


def _prune_block(block: Block, stats: PruneStats) -> None:
    op = block.last_op
    while op is not None:
        previous = op.prev_op
        if _is_dead(op):
            _erase(op, stats)
        else:
            _prune_op(op, stats)
        op = previous


def _is_dead(op: Operation) -> bool:
    if op.has_trait(IsTerminator):
        return False
    return all(r.first_use is None for r in op.results) and would_be_trivially_dead(op)


def _erase(op: Operation, stats: PruneStats) -> None:
    for o in op.walk():
        if o.has_trait(IsTerminator):
            continue
        stats.ops += 1
        if isinstance(o, graph.WeightOp):
            stats.weights += 1
            stats._removed_weights.setdefault(o.weight_name.data, weight_bytes(o))
    op.detach()
    op.erase(safe_erase=False)


def _prune_op(op: Operation, stats: PruneStats) -> None:
    """Prune inside a live op (its results, then its regions, then its inputs)."""
    if isinstance(op, graph.FusedOp):
        _prune_fused(op, stats)
        return
    if isinstance(op, graph.IfOp) and isinstance(op.cond.owner, graph.ConstantOp):
        _inline_taken_branch(op, stats)
        return
    for region in live_regions(op):
        _prune_region(region, stats)


def _inline_taken_branch(op: graph.IfOp, stats: PruneStats) -> None:
    """Replace a graph.if with a constant condition by the ops of the branch it takes."""
    const = op.cond.owner
    assert isinstance(const, graph.ConstantOp)
    taken_then = bool(next(iter(const.value.get_values())))
    taken, dropped = (
        (op.then_region, op.else_region) if taken_then else (op.else_region, op.then_region)
    )
    _prune_block(taken.block, stats)
    for o in list(dropped.block.ops):
        if not o.has_trait(IsTerminator):
            for nested in o.walk():
                stats.ops += 1
                if isinstance(nested, graph.WeightOp):
                    stats.weights += 1
                    stats._removed_weights.setdefault(nested.weight_name.data, weight_bytes(nested))
    block = taken.block
    term = block.last_op
    assert isinstance(term, graph.YieldOp)
    for o in list(block.ops):
        if o is not term:
            o.detach()
            Rewriter.insert_op(o, InsertPoint.before(op))
    for result, value in zip(op.outputs, term.values, strict=True):
        result.replace_all_uses_with(value)
    stats.ops += 1  # the graph.if itself
    op.detach()
    op.erase(safe_erase=False)


def _prune_fused(op: graph.FusedOp, stats: PruneStats) -> None:
    body = op.body.block
    yield_op = body.last_op
    assert isinstance(yield_op, graph.YieldOp)
    used = [i for i, r in enumerate(op.outputs) if r.first_use is not None]
    if len(used) < len(op.outputs):
        yield_op.operands = [yield_op.values[i] for i in used]
    _prune_block(body, stats)
    reads = [i for i, a in enumerate(body.args) if a.first_use is not None]
    if len(used) == len(op.outputs) and len(reads) == len(op.inputs):
        return
    for arg in [a for a in body.args if a.first_use is None]:
        body.erase_arg(arg)
    new = graph.FusedOp(
        [op.inputs[i] for i in reads],
        [op.outputs[i].type for i in used],
        op.detach_region(op.body),
        op.kind.data,
    )
    new.attributes.update(op.attributes)
    new.location = op.location
    Rewriter.insert_op(new, InsertPoint.before(op))
    for i, r in zip(used, new.outputs, strict=True):
        r.name_hint = op.outputs[i].name_hint
        op.outputs[i].replace_all_uses_with(r)
    op.detach()
    op.erase(safe_erase=False)


@dataclass(frozen=True)
class PrunePass(ModulePass):
    """Remove ops that cannot reach a function output; ``report=true`` prints what went."""

    name = "prune"
    report: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for f in [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]:
            stats = prune_function(f)
            if self.report:
                print(stats.summary(), file=sys.stderr)
