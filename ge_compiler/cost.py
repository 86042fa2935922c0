"""Arithmetic work of graph ops: the cost descriptor a kernel carries to the device model.

One table for the whole compiler: lowering attaches these numbers to ``stream.kernel``, the
device model turns them into time, and fusion (later) weighs them. Flops count a multiply-add
as two; transcendental functions are weighted by the vector instructions they expand to.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Operation

from ge_compiler.dialects import graph
from ge_compiler.dialects.shapes import DYN
from ge_compiler.dtypes import byte_width

# Vector instructions per output element for elementwise ops (exp/tanh-class ops expand to
# a short polynomial on the vector unit).
_ELEMENTWISE_WEIGHT: dict[type[Operation], int] = {
    graph.NegOp: 1, graph.AbsOp: 1, graph.ReluOp: 1, graph.AddOp: 1, graph.SubOp: 1,
    graph.MulOp: 1, graph.MaximumOp: 1, graph.MinimumOp: 1, graph.WhereOp: 1, graph.CastOp: 1,
    graph.DivOp: 4, graph.ReciprocalOp: 4, graph.SqrtOp: 4, graph.RsqrtOp: 4,
    graph.ExpOp: 8, graph.LogOp: 8, graph.PowOp: 16, graph.SigmoidOp: 10, graph.TanhOp: 10,
    graph.ErfOp: 10, graph.SiluOp: 11, graph.GeluOp: 14,
}  # fmt: skip

# Per input element: passes over the data a normalization or softmax makes.
_NORM_WEIGHT: dict[type[Operation], int] = {
    graph.SoftmaxOp: 12, graph.LayerNormOp: 8, graph.GroupNormOp: 8, graph.RmsNormOp: 5,
}  # fmt: skip

_DATA_MOVEMENT = (
    graph.ReshapeOp, graph.TransposeOp, graph.ConcatOp, graph.SliceOp, graph.SplitOp,
    graph.GatherOp, graph.ConstantOp, graph.WeightOp,
)  # fmt: skip


@dataclass(frozen=True)
class OpCost:
    cube_flops: int = 0
    vector_flops: int = 0
    gemm: tuple[int, int, int, int] | None = None
    """The cube work as ``batch`` GEMMs of ``M x K`` by ``K x N`` (the device model tiles it)."""
    bytes: int | None = None
    """Global-memory bytes moved, when not every operand and result is read or written whole:
    an in-place ``update_slice`` touches only its update."""

    def __add__(self, other: OpCost) -> OpCost:
        return OpCost(
            self.cube_flops + other.cube_flops,
            self.vector_flops + other.vector_flops,
            self.gemm or other.gemm,
        )

    @property
    def unit(self) -> str:
        """The engine that bounds the kernel: cube if it has any matrix work."""
        if self.cube_flops:
            return "cube"
        return "vector" if self.vector_flops else "none"


def elements(shape: tuple[int, ...]) -> int:
    """Element count; a dynamic dim counts as 1 (costs of dynamic graphs are per-bucket)."""
    n = 1
    for d in shape:
        n *= 1 if d == DYN else d
    return n


def fused_cost(op: graph.FusedOp) -> OpCost:
    """A fused group's work is its body's; several GEMMs (attention: QK^T then PV) are folded
    into one equivalent GEMM of the first one's batch, M and N with a longer K (rounded up)."""
    total = OpCost()
    macs = 0
    for inner in op.body.block.ops:
        if not isinstance(inner, graph.YieldOp):
            c = op_cost(inner)
            total += c
            macs += c.cube_flops // 2
    if total.gemm is None:
        return total
    batch, m, n, _ = total.gemm
    k = -(-macs // (batch * m * n))
    return OpCost(2 * batch * m * n * k, total.vector_flops, (batch, m, n, k))


def op_cost(op: Operation) -> OpCost:
    if isinstance(op, graph.FusedOp):
        return fused_cost(op)
    if isinstance(op, _DATA_MOVEMENT):
        return OpCost()
    out = elements(graph.shape_of(op.results[0])) if op.results else 0
    if isinstance(op, graph.MatmulOp | graph.BatchMatmulOp):
        a = graph.shape_of(op.lhs)
        k = elements((a[-2] if op.transpose_a is not None else a[-1],))
        r = graph.shape_of(op.result)
        m, n = elements(r[-2:-1]), elements(r[-1:])
        batch = elements(r[:-2])
        return OpCost(cube_flops=2 * out * k, gemm=(batch, m, n, k))
    if isinstance(op, graph.Conv2dOp):
        # Implicit GEMM per group: (N*OH*OW) x (C/g*kh*kw) by (C/g*kh*kw) x (O/g).
        o, per_group, kh, kw = graph.shape_of(op.filter)
        n, _, oh, ow = graph.shape_of(op.result)
        groups = op.groups.value.data
        k = elements((per_group,)) * elements((kh, kw))
        gemm = (groups, elements((n, oh, ow)), elements((o,)) // groups, k)
        bias = out if op.bias is not None else 0
        return OpCost(cube_flops=2 * out * k, vector_flops=bias, gemm=gemm)
    if isinstance(op, graph.UpdateSliceOp):
        n = elements(graph.shape_of(op.update))
        width = byte_width(graph.dtype_of(op.update))
        return OpCost(vector_flops=n, bytes=2 * n * width + 8)
    if isinstance(op, graph.MaxPool2dOp | graph.AvgPool2dOp):
        kh, kw = op.kernel.get_values()
        return OpCost(vector_flops=out * kh * kw)
    if isinstance(op, graph.ResizeOp):
        return OpCost(vector_flops=out * (8 if op.mode.data == "bilinear" else 1))
    if isinstance(op, graph.ReduceSumOp | graph.ReduceMeanOp | graph.ReduceMaxOp):
        return OpCost(vector_flops=elements(graph.shape_of(op.input)))
    if type(op) in _NORM_WEIGHT:
        return OpCost(vector_flops=_NORM_WEIGHT[type(op)] * elements(graph.shape_of(op.input)))
    if type(op) in _ELEMENTWISE_WEIGHT:
        return OpCost(vector_flops=_ELEMENTWISE_WEIGHT[type(op)] * out)
    raise KeyError(f"no cost rule for {op.name}")
