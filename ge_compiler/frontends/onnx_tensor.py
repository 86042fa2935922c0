"""ONNX data-movement and value ops -> graph ops (reshape, slice, gather, shape, ...).

Shapes, axes and slice bounds are read at import time from constant inputs. Ops that only
compute on constants were already folded by the importer; what reaches these converters moves
runtime tensors. ``Expand``/``Tile`` and negative-step ``Slice`` become ``graph.gather`` with a
constant index vector, which works for every element type.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ge_compiler.builder import Tensor
from ge_compiler.dialects.shapes import DYN
from ge_compiler.frontends.onnx_common import (
    NUMPY_OF,
    Ctx,
    Value,
    converter,
    dtype_name,
    norm_axis,
    static_shape,
)

INT64_MAX = np.iinfo(np.int64).max


@converter("Constant")
def _constant(ctx: Ctx, node: Any) -> list[Any]:
    from onnx import numpy_helper

    a = node.attribute[0]
    if a.name == "value":
        arr = numpy_helper.to_array(a.t)
        if arr.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)
    elif a.name in ("value_float", "value_floats"):
        arr = np.asarray(ctx.attr(a.name), dtype=np.float32)
    elif a.name in ("value_int", "value_ints"):
        arr = np.asarray(ctx.attr(a.name), dtype=np.int64)
    else:
        raise ctx.unsupported(f"attribute '{a.name}'")
    return [Value(const=arr)]


@converter("Shape", "Size")
def _shape(ctx: Ctx, node: Any) -> list[np.ndarray]:
    v = ctx.value(0)
    shape = v.const.shape if v.const is not None else ctx.x(0).shape
    if node.op_type == "Size":
        if DYN in shape:
            raise ctx.unsupported("Size of a tensor with dynamic dims")
        return [np.asarray(int(np.prod(shape, dtype=np.int64)), dtype=np.int64)]
    rank = len(shape)
    start, end = int(ctx.attr("start", 0)), ctx.attr("end")
    end = rank if end is None else int(end)
    start, end = (max(0, min(rank, s + rank if s < 0 else s)) for s in (start, end))
    dims = shape[start:end]
    if DYN in dims:
        raise ctx.unsupported("Shape of a tensor with dynamic dims (folded only when static)")
    return [np.asarray(dims, dtype=np.int64)]


@converter("ConstantOfShape")
def _constant_of_shape(ctx: Ctx, node: Any) -> list[np.ndarray]:
    from onnx import numpy_helper

    shape = [int(d) for d in ctx.const(0, "shape")]
    value = ctx.attr("value")
    fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, np.float32)
    return [np.full(shape, fill.reshape(-1)[0], dtype=fill.dtype)]


@converter("Reshape")
def _reshape(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    shape = [int(d) for d in ctx.const(1, "shape")]
    if not ctx.attr("allowzero", 0):
        shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape)]
        shape = [-1 if d == DYN else d for d in shape] if shape.count(DYN) == 1 else shape
    if -1 in shape and DYN in shape:
        raise ctx.unsupported("reshape of a dynamic tensor with -1 and a copied dynamic dim")
    return [ctx.b.reshape(x, shape)]


@converter("Flatten")
def _flatten(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    rank = len(x.shape)
    axis = int(ctx.attr("axis", 1))
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis <= rank:
        raise ctx.unsupported(f"axis {axis} out of range for rank {rank}")
    head, tail = x.shape[:axis], x.shape[axis:]
    if DYN not in head:
        return [ctx.b.reshape(x, [int(np.prod(head, dtype=np.int64)), -1])]
    if DYN in tail:
        raise ctx.unsupported("Flatten with dynamic dims on both sides of the axis")
    return [ctx.b.reshape(x, [-1, int(np.prod(tail, dtype=np.int64))])]


@converter("Squeeze", "Unsqueeze")
def _squeeze(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    axes = ctx.ints_attr_or_input("axes", 1, "axes")
    shape = list(x.shape)
    if node.op_type == "Unsqueeze":
        if axes is None:
            raise ctx.unsupported("Unsqueeze without axes")
        rank = len(shape) + len(axes)
        for a in sorted(norm_axis(a, rank, ctx) for a in axes):
            shape.insert(a, 1)
    else:
        if axes is None:
            if DYN in shape:
                raise ctx.unsupported("Squeeze without axes of a dynamic tensor")
            axes = [i for i, d in enumerate(shape) if d == 1]
        drop = {norm_axis(a, len(shape), ctx) for a in axes}
        if any(shape[a] not in (1, DYN) for a in drop):
            raise ctx.unsupported(f"Squeeze of axes {sorted(drop)} of shape {x.shape}: not 1")
        shape = [d for i, d in enumerate(shape) if i not in drop]
    if shape.count(DYN) > 1:
        raise ctx.unsupported("reshaping a tensor with more than one dynamic dim")
    return [ctx.b.reshape(x, [-1 if d == DYN else d for d in shape])]


@converter("Transpose")
def _transpose(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    perm = ctx.attr("perm")
    perm = list(range(len(x.shape)))[::-1] if perm is None else [int(p) for p in perm]
    return [ctx.b.transpose(x, perm)]


@converter("Concat")
def _concat(ctx: Ctx, node: Any) -> list[Tensor]:
    xs = [x for x in ctx.inputs() if 0 not in x.shape or len(ctx.inputs()) == 1]
    return [ctx.b.concat(xs, int(ctx.attr("axis")))]


@converter("Split")
def _split(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    axis = norm_axis(int(ctx.attr("axis", 0)), len(x.shape), ctx)
    dim = x.shape[axis]
    sizes = ctx.ints_attr_or_input("split", 1, "split sizes")
    if sizes is None:
        n = int(ctx.attr("num_outputs", len(node.output)))
        if dim == DYN:
            raise ctx.unsupported("even Split of a dynamic dim")
        chunk = -(-dim // n)
        sizes = [chunk] * (dim // chunk) + ([dim % chunk] if dim % chunk else [])
    return ctx.b.split(x, sizes, axis)


def _slice_params(ctx: Ctx, x: Tensor) -> list[tuple[int, int, int]]:
    """Per-dim (start, end, step) after ONNX clamping (ends are exclusive)."""
    starts = [int(v) for v in ctx.const(1, "starts")]
    ends = [int(v) for v in ctx.const(2, "ends")]
    axes_c = ctx.opt_const(3, "axes")
    steps_c = ctx.opt_const(4, "steps")
    rank = len(x.shape)
    axes = (
        [norm_axis(int(a), rank, ctx) for a in axes_c]
        if axes_c is not None
        else list(range(len(starts)))
    )
    steps = [int(s) for s in steps_c] if steps_c is not None else [1] * len(starts)
    params = [(0, INT64_MAX, 1)] * rank
    for a, s, e, k in zip(axes, starts, ends, steps, strict=True):
        d = x.shape[a]
        if d == DYN:
            if s < 0 or e < 0 or k != 1:
                raise ctx.unsupported("Slice of a dynamic dim with negative bounds or a step")
            params[a] = (s, e, k)
            continue
        s, e = s + d if s < 0 else s, e + d if e < 0 else e
        if k > 0:
            s, e = min(max(s, 0), d), min(max(e, 0), d)
        else:
            s, e = min(max(s, -1), d - 1), min(max(e, -1), d - 1)
        params[a] = (s, e, k)
    return params


@converter("Slice")
def _slice(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = ctx.x(0), ctx.b
    params = _slice_params(ctx, x)
    start, limit, step = [], [], []
    for d, (s, e, k) in zip(x.shape, params, strict=True):
        if k < 0:  # negative step: gather of the explicit indices
            continue
        start.append(s)
        limit.append(max(s, e) if d == DYN else min(max(s, e), d))
        step.append(k)
    if len(start) == len(params):
        if all(p == (0, x.shape[i], 1) for i, p in enumerate(params)):
            return [x]
        return [b.slice(x, start, limit, step)]
    for axis, (s, e, k) in enumerate(params):
        if k < 0:
            x = b.gather(x, ctx.index_const(list(range(s, e, k)), f"slice{axis}"), axis)
        elif (s, e, k) != (0, x.shape[axis], 1):
            lo = [0] * len(x.shape)
            hi = list(x.shape)
            st = [1] * len(x.shape)
            lo[axis], hi[axis], st[axis] = s, max(s, e), k
            x = b.slice(x, lo, hi, st)
    return [x]


@converter("Gather")
def _gather(ctx: Ctx, node: Any) -> list[Tensor]:
    data = ctx.x(0)
    axis = norm_axis(int(ctx.attr("axis", 0)), len(data.shape), ctx)
    iv = ctx.value(1)
    if iv.const is not None:
        idx = np.asarray(iv.const, dtype=np.int64)
        d = data.shape[axis]
        if d != DYN:
            idx = np.where(idx < 0, idx + d, idx)
        elif (idx < 0).any():
            raise ctx.unsupported("negative indices into a dynamic dim")
        return [ctx.b.gather(data, ctx.index_const(idx, "indices"), axis)]
    return [ctx.b.gather(data, ctx.x(1), axis)]


def _broadcast_axis(ctx: Ctx, x: Tensor, axis: int, n: int) -> Tensor:
    """Repeat a size-1 axis ``n`` times (gather of zeros: any element type)."""
    return ctx.b.gather(x, ctx.index_const(np.zeros(n, np.int64), f"bcast{axis}"), axis)


def _unsqueeze_to(ctx: Ctx, x: Tensor, rank: int) -> Tensor:
    if len(x.shape) == rank:
        return x
    if x.shape.count(DYN) > 1:
        raise ctx.unsupported("rank expansion of a tensor with more than one dynamic dim")
    shape = [1] * (rank - len(x.shape)) + [-1 if d == DYN else d for d in x.shape]
    return ctx.b.reshape(x, shape)


@converter("Expand")
def _expand(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    target = [int(d) for d in ctx.const(1, "shape")]
    rank = max(len(target), len(x.shape))
    x = _unsqueeze_to(ctx, x, rank)
    target = [1] * (rank - len(target)) + target
    for axis, (d, t) in enumerate(zip(x.shape, target, strict=True)):
        if d == 1 and t != 1:
            x = _broadcast_axis(ctx, x, axis, t)
    return [x]


@converter("Tile")
def _tile(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    repeats = [int(r) for r in ctx.const(1, "repeats")]
    for axis, r in enumerate(repeats):
        if r != 1:
            d = static_shape(x, "Tile", ctx)[axis]
            x = ctx.b.gather(x, ctx.index_const(np.tile(np.arange(d), r), f"tile{axis}"), axis)
    return [x]


@converter("DepthToSpace", "SpaceToDepth")
def _depth_space(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = ctx.x(0), ctx.b
    n, c, h, w = static_shape(x, node.op_type, ctx)
    s = int(ctx.attr("blocksize"))
    crd = ctx.attr("mode", b"DCR") == b"CRD"
    if node.op_type == "SpaceToDepth":
        y = b.reshape(x, [n, c, h // s, s, w // s, s])
        y = b.transpose(y, [0, 1, 3, 5, 2, 4] if crd else [0, 3, 5, 1, 2, 4])
        return [b.reshape(y, [n, c * s * s, h // s, w // s])]
    y = b.reshape(x, [n, c // (s * s), s, s, h, w] if crd else [n, s, s, c // (s * s), h, w])
    y = b.transpose(y, [0, 1, 4, 2, 5, 3] if crd else [0, 3, 4, 1, 5, 2])
    return [b.reshape(y, [n, c // (s * s), h * s, w * s])]


@converter("Range")
def _range(ctx: Ctx, node: Any) -> list[np.ndarray]:
    start, limit, delta = (ctx.const(i, "Range bounds") for i in range(3))
    return [np.arange(start, limit, delta, dtype=np.asarray(start).dtype)]


@converter("EyeLike")
def _eye_like(ctx: Ctx, node: Any) -> list[np.ndarray]:
    n, m = static_shape(ctx.x(0), "EyeLike", ctx)
    dt = ctx.attr("dtype")
    np_dt = (
        NUMPY_OF[dtype_name(dt, ctx.where())] if dt is not None else NUMPY_OF[str(ctx.x(0).dtype)]
    )
    return [np.eye(n, m, int(ctx.attr("k", 0)), dtype=np_dt)]
