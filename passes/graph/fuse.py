"""fuse: group graph ops into ``graph.fused`` regions, each one future kernel.

One pass over each function in program order. Every compute op starts as its own group; when
an op is visited, the groups that produce its operands are merged with it if the op is their
only consumer outside the group (so no work is duplicated and no cycle can form) and the rules
allow it:

- elementwise ops join any producer group as its epilogue (bias, activation, residual add);
- reshape/transpose join a consumer as a strided load (prologue) or a producer as a strided
  store (epilogue);
- a reduction (norm, softmax, reduce, pool) takes elementwise/layout prologues, and a
  layer/RMS norm feeding only matmuls becomes their prologue (it normalizes whole rows);
- a contraction (matmul, conv) takes layout prologues and elementwise epilogues; softmax after
  a contraction and then a second matmul form an attention kernel (QK^T, scale, mask,
  softmax, V); a layer/RMS norm over rows that fit one matmul block (<= 512 wide) is the
  epilogue of the matmul producing them (bias + residual + LayerNorm of a post-norm block);
- sibling matmuls that read the same activation (Q/K/V, gate/up projections) share one kernel
  that reads it once;
- at most one anchor (contraction, reduction, attention) per group (sibling matmuls aside),
  at most ``max-inputs`` operands per kernel, and at most as many live tiles as the unified
  buffer holds (``ub_bytes`` of the device config, the same number the device model tiles
  with).

Small constants are cloned into the group that uses them. Groups of one op stay plain ops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ge_compiler.device.config import DEFAULT_DEVICE, load_config
from ge_compiler.dialects import graph
from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.dtypes import shaped_bytes

ELEMENTWISE = (
    graph.NegOp, graph.AbsOp, graph.ExpOp, graph.LogOp, graph.SqrtOp, graph.RsqrtOp,
    graph.ReciprocalOp, graph.ReluOp, graph.SigmoidOp, graph.TanhOp, graph.ErfOp, graph.SiluOp,
    graph.GeluOp, graph.AddOp, graph.SubOp, graph.MulOp, graph.DivOp, graph.MaximumOp,
    graph.MinimumOp, graph.PowOp, graph.WhereOp, graph.CastOp,
)  # fmt: skip
LAYOUT = (graph.ReshapeOp, graph.TransposeOp, graph.SliceOp, graph.SplitOp)
CONTRACTION = (graph.MatmulOp, graph.BatchMatmulOp, graph.Conv2dOp)
REDUCTION = (
    graph.SoftmaxOp, graph.LayerNormOp, graph.GroupNormOp, graph.RmsNormOp, graph.ReduceSumOp,
    graph.ReduceMeanOp, graph.ReduceMaxOp, graph.MaxPool2dOp, graph.AvgPool2dOp, graph.ResizeOp,
)  # fmt: skip
SMALL_CONSTANT = graph.MAX_CONSTANT_ELEMENTS
"""Constants up to this size are cloned into every kernel that reads them (graph.constant is
never larger): a constant left as an operand would be a kernel of its own at every inference
(the folded BatchNorm scale of a 128-channel conv was)."""
MIN_TILE_BYTES = 4096
"""Smallest useful UB tile: a group may keep at most (UB / 2) / MIN_TILE_BYTES tensors live."""


def role(op: Operation) -> str | None:
    """How an op takes part in fusion, or None if it never does."""
    if isinstance(op, ELEMENTWISE):
        return "elementwise"
    if isinstance(op, LAYOUT):
        return "layout"
    if isinstance(op, CONTRACTION):
        return "contraction"
    if isinstance(op, REDUCTION):
        return "reduction"
    return None


@dataclass(eq=False)
class Group:
    ops: list[Operation]
    kind: str
    """elementwise, layout, contraction, reduction, attention (complete), or softmax_after_mm
    (a contraction followed by softmax, waiting for its second matmul)."""
    inputs: dict[SSAValue, None] = field(default_factory=dict)
    produced: set[SSAValue] = field(default_factory=set)

    @property
    def anchor(self) -> bool:
        return self.kind not in ("elementwise", "layout")


@dataclass(frozen=True)
class FusePass(ModulePass):
    """Group ops into fused kernels (see the module docstring for the rules)."""

    name = "fuse"
    max_inputs: int = 10
    """Operands per kernel. 10 lets a pre-norm block's layer norm (x, gamma, beta) be the
    prologue of its biased Q/K/V kernel (9 operands): on BERT-base that removes 12 kernels,
    2% of HBM traffic and 7% of latency against a cap of 8."""
    device: str = DEFAULT_DEVICE

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cfg = load_config(self.device)
        max_live = cfg.ub_bytes // 2 // MIN_TILE_BYTES
        for f in [o for o in op.ops if isinstance(o, func.FuncOp) and o.body.blocks]:
            nested = [o for o in f.body.walk() if isinstance(o, graph.IfOp | graph.LoopOp)]
            branches = [r.block for o in nested for r in o.regions]
            for block in (f.body.block, *branches):  # a kernel never spans a region boundary
                self.fuse_block(block, max_live)

    def fuse_block(self, block: Block, max_live: int) -> None:
        groups = self.group(block, max_live)
        groups = horizontal(block, groups, self.max_inputs, max_live)
        groups = norm_prologues(groups, self.max_inputs, max_live)
        position = {o: i for i, o in enumerate(block.ops)}
        for g in groups:
            if len(g.ops) > 1:
                g.ops.sort(key=position.__getitem__)  # merges interleave: restore order
                build_fused(g)

    def group(self, block: Block, max_live: int) -> list[Group]:
        order = list(block.ops)
        position = {o: i for i, o in enumerate(order)}
        group_of: dict[Operation, Group] = {}
        ordered: list[Group] = []
        for op in block.ops:
            kind = role(op)
            if kind is None:
                continue
            mine = Group([op], kind, dict.fromkeys(op.operands), set(op.results))
            candidates: list[Group] = []
            for v in op.operands:
                owner = v.owner
                g = group_of.get(owner) if isinstance(owner, Operation) else None
                if g is not None and g not in candidates:
                    candidates.append(g)
            # A producer may become mergeable once another one has joined (the two results
            # of a split used by gelu and mul): retry until nothing changes.
            changed = True
            while changed:
                changed = False
                for g in list(candidates):
                    if not only_consumer(g, mine):
                        continue
                    candidates.remove(g)
                    if delays_big_inputs(g, mine, op, order, position):
                        continue
                    merged = merge(g, mine, op, self.max_inputs, max_live)
                    if merged is not None:
                        mine, changed = merged, True
            for o in mine.ops:
                group_of[o] = mine
            ordered.append(mine)
        seen: set[int] = set()
        result = []
        for g in ordered:
            final = group_of[g.ops[-1]]
            if id(final) not in seen:
                seen.add(id(final))
                result.append(final)
        return result


def horizontal(block: Block, groups: list[Group], max_inputs: int, max_live: int) -> list[Group]:
    """Merge sibling contraction groups that read the same activation (Q, K and V projections
    of one normalized input; gate and up projections): one kernel reads it once.

    Siblings merge only if every outside user of their results comes after the last of their
    ops, so the merged kernel can sit there (``can_join``).
    """
    position = {o: i for i, o in enumerate(block.ops)}
    by_input: dict[SSAValue, Group] = {}
    merged_into: dict[int, Group] = {}
    for g in groups:
        first = g.ops[0]
        if g.kind != "contraction" or not isinstance(first, graph.MatmulOp):
            continue
        shared = first.lhs
        prior = by_input.get(shared)
        if prior is not None and can_join(prior, g, position, max_inputs, max_live):
            prior.ops.extend(g.ops)
            prior.inputs.update(g.inputs)
            prior.produced |= g.produced
            merged_into[id(g)] = prior
        else:
            by_input[shared] = g
    return [g for g in groups if id(g) not in merged_into]


def norm_prologues(groups: list[Group], max_inputs: int, max_live: int) -> list[Group]:
    """A layer/RMS norm whose only consumer is one matmul group becomes that kernel's prologue:
    it normalizes the rows of the left operand, and a block reads whole rows (all of K)."""
    owner_group = {o: g for g in groups for o in g.ops}
    absorbed: set[int] = set()
    for g in groups:
        if len(g.ops) != 1 or not isinstance(g.ops[0], graph.LayerNormOp | graph.RmsNormOp):
            continue
        norm = g.ops[0]
        users = {use.operation for use in norm.results[0].uses}
        targets = {id(owner_group.get(u)) for u in users}
        target = owner_group.get(next(iter(users))) if users else None
        if target is None or len(targets) != 1 or target.kind != "contraction":
            continue
        if not all(isinstance(u, graph.MatmulOp) and u.lhs is norm.results[0] for u in users):
            continue
        if stream_hint(norm) != stream_hint(target.ops[0]):
            continue
        produced = target.produced | g.produced
        inputs = {v for v in (*target.inputs, *g.inputs) if v not in produced}
        if len(inputs) > max_inputs or len(inputs) + len(produced) > max_live:
            continue
        target.ops[:0] = [norm]
        target.inputs.update(g.inputs)
        target.produced |= g.produced
        absorbed.add(id(g))
    return [g for g in groups if id(g) not in absorbed]


def can_join(
    a: Group, b: Group, position: dict[Operation, int], max_inputs: int, max_live: int
) -> bool:
    if stream_hint(a.ops[0]) != stream_hint(b.ops[0]):
        return False
    # The merged kernel sits where its last op was. Every input of a member is defined before
    # that member, so it is enough that every outside user of a result comes after that point:
    # then nothing outside can both depend on the kernel and feed it (no cycle).
    members = {*a.ops, *b.ops}
    last = max(position[o] for o in members)
    for v in (*a.produced, *b.produced):
        for use in v.uses:
            user = use.operation
            while user not in position and user.parent_op() is not None:
                user = user.parent_op()  # a use inside a graph.if / graph.loop: that op's place
            if user not in members and position.get(user, last + 1) <= last:
                return False
    produced = a.produced | b.produced
    inputs = {v for v in (*a.inputs, *b.inputs) if v not in produced and not is_small_const(v)}
    return len(inputs) <= max_inputs and len(inputs) + len(produced) <= max_live


def only_consumer(g: Group, consumer: Group) -> bool:
    """True if every use of ``g``'s values outside ``g`` is in ``consumer``."""
    members = {*g.ops, *consumer.ops}
    return all(use.operation in members for v in g.produced for use in v.uses)


def stream_hint(op: Operation) -> object:
    return op.attributes.get(STREAM_HINT)


def delays_big_inputs(
    producer: Group,
    consumer: Group,
    op: Operation,
    order: list[Operation],
    position: dict[Operation, int],
) -> bool:
    """A merged kernel runs where its last op is. If other ops run between the producer and
    ``op``, the inputs that die in the producer would stay alive across them instead of its
    results: a loss when they are bigger (a reduction's input against its output), which is
    how fusion could raise the planned peak memory."""
    members = {*producer.ops, *consumer.ops}
    start, end = max(position[o] for o in producer.ops), position[op]
    if all(order[i] in members or not is_kernel(order[i]) for i in range(start + 1, end)):
        return False  # no other kernel runs in between

    def dies_inside(v: SSAValue) -> bool:
        # weights and function inputs live in arenas of their own: never extended
        return (
            isinstance(v.owner, Operation)
            and is_kernel(v.owner)
            and all(use.operation in producer.ops for use in v.uses)
        )

    kept = sum(value_bytes(v) for v in producer.inputs if dies_inside(v))
    handed = sum(value_bytes(v) for v in producer.produced if not dies_inside(v))
    return kept > handed


def is_kernel(op: Operation) -> bool:
    """A future kernel: a compute op or an already fused group (so a second run of the pass
    sees the same gaps as the first)."""
    return role(op) is not None or isinstance(op, graph.FusedOp)


def value_bytes(v: SSAValue) -> int:
    t = v.type
    if not isinstance(t, TensorType) or not t.has_static_shape():
        return 0
    return shaped_bytes(t)


def merge(
    producer: Group, consumer: Group, op: Operation, max_inputs: int, max_live: int
) -> Group | None:
    """``producer`` + ``consumer`` (which holds the op being visited) if the rules allow."""
    if stream_hint(producer.ops[0]) != stream_hint(op):
        return None  # a user's stream placement is never merged away
    kind = combined_kind(producer, consumer, op)
    if kind is None:
        return None
    produced = producer.produced | consumer.produced
    inputs = dict.fromkeys(
        v
        for v in (*producer.inputs, *consumer.inputs)
        if v not in produced and not is_small_const(v)
    )
    if len(inputs) > max_inputs or len(inputs) + len(produced) > max_live:
        return None
    ops = producer.ops + [o for o in consumer.ops if o not in producer.ops]
    return Group(ops, kind, dict.fromkeys((*producer.inputs, *consumer.inputs)), produced)


def combined_kind(producer: Group, consumer: Group, op: Operation) -> str | None:
    p, c = producer.kind, consumer.kind
    if producer.anchor and consumer.anchor:
        # The only anchor-to-anchor fusions: softmax after a contraction, then the second
        # matmul of attention; and a row norm after a matmul whose rows fit one block.
        if p == "contraction" and isinstance(op, graph.SoftmaxOp) and len(consumer.ops) == 1:
            return "softmax_after_mm"
        if p == "contraction" and len(consumer.ops) == 1 and norm_epilogue_fits(producer, op):
            return "contraction"
        if (
            p == "softmax_after_mm"
            and isinstance(op, graph.MatmulOp | graph.BatchMatmulOp)
            and c == "contraction"
        ):
            return "attention"
        return None
    if producer.anchor:  # elementwise or layout epilogue of an anchor
        return p if c in ("elementwise", "layout") else None
    if consumer.anchor:  # elementwise or layout prologue of an anchor
        if c == "contraction" and p == "elementwise":
            return None  # the cube reads operands as they are: no arithmetic prologue
        return c
    if p == "layout" and c == "layout":
        return "layout"
    return "elementwise"


NORM_EPILOGUE_MAX_WIDTH = 512
"""Widest row a matmul block holds (the device model's largest block side): a layer/RMS norm
over rows that fit is an epilogue of the matmul producing them (bias + residual + LayerNorm
of a post-norm transformer in one kernel)."""


def norm_epilogue_fits(producer: Group, op: Operation) -> bool:
    if not isinstance(op, graph.LayerNormOp | graph.RmsNormOp):
        return False
    shape = graph.shape_of(op.input)
    if isinstance(op, graph.LayerNormOp) and op.axis.value.data % len(shape) != len(shape) - 1:
        return False
    width = shape[-1]
    matmuls = [o for o in producer.ops if isinstance(o, graph.MatmulOp)]
    return (
        bool(matmuls)
        and all(not isinstance(o, graph.Conv2dOp | graph.BatchMatmulOp) for o in producer.ops)
        and 0 < width <= NORM_EPILOGUE_MAX_WIDTH
    )


def is_small_const(v: SSAValue) -> bool:
    owner = v.owner
    if not isinstance(owner, graph.ConstantOp):
        return False
    n = 1
    for d in graph.shape_of(owner.result):
        n *= d
    return n <= SMALL_CONSTANT


def build_fused(g: Group) -> None:
    """Move the group's ops (in program order) into a graph.fused where its last op was."""
    members = set(g.ops)
    last = g.ops[-1]
    inputs: list[SSAValue] = []
    for o in g.ops:
        for v in o.operands:
            owner = v.owner
            if (owner in members) or v in inputs or is_small_const(v):
                continue
            inputs.append(v)
    outputs = [
        r for o in g.ops for r in o.results if any(use.operation not in members for use in r.uses)
    ]
    if not outputs:
        return  # a dead group: leave it to dce rather than make a kernel with no results
    block = Block(arg_types=[v.type for v in inputs])
    mapping: dict[SSAValue, SSAValue] = dict(zip(inputs, block.args, strict=True))
    for o in g.ops:
        for v in o.operands:
            if v not in mapping and is_small_const(v):
                const = v.owner.clone()  # type: ignore[union-attr]
                block.add_op(const)
                mapping[v] = const.results[0]
        clone = o.clone(value_mapper=mapping)
        clone.attributes.pop(STREAM_HINT, None)
        block.add_op(clone)
        for old, new in zip(o.results, clone.results, strict=True):
            mapping[old] = new
    block.add_op(graph.YieldOp([mapping[r] for r in outputs]))
    kind = {"softmax_after_mm": "contraction", "layout": "generic"}.get(g.kind, g.kind)
    fused = graph.FusedOp(inputs, [r.type for r in outputs], Region(block), kind)
    fused.location = last.location
    if (hint := last.attributes.get(STREAM_HINT)) is not None:
        fused.attributes[STREAM_HINT] = hint
    Rewriter.insert_op(fused, InsertPoint.after(last))
    for old, new in zip(outputs, fused.outputs, strict=True):
        old.replace_all_uses_with(new)
    for o in reversed(g.ops):
        Rewriter.erase_op(o, safe_erase=False)
