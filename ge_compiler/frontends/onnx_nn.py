"""ONNX neural-network ops -> graph ops: convolution, pooling, resize, normalization.

The graph dialect is 2-D (NCHW); 1-D convolutions and pools are lifted to 2-D with H = 1.
Resize is resolved per axis into an interpolation matrix computed by ONNX's own reference
implementation, so every coordinate mode is exact: when the matrix equals what
``graph.resize`` computes it is used, otherwise a gather (nearest) or a matmul (linear/cubic).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ge_compiler.builder import Tensor
from ge_compiler.dialects.shapes import DYN
from ge_compiler.frontends.onnx_common import Ctx, Value, converter, is_float, static_shape


def _auto_pads(ctx: Ctx, x: Tensor, kernel: list[int], strides: list[int], dil: list[int],
               pads: list[int], out_pad: bool = False) -> list[int]:  # fmt: skip
    """ONNX pads [begins..., ends...] resolved from ``auto_pad``."""
    mode = ctx.attr("auto_pad", b"NOTSET").decode()
    n = len(kernel)
    if mode == "NOTSET":
        return pads or [0] * (2 * n)
    if mode == "VALID":
        return [0] * (2 * n)
    spatial = static_shape(x, f"auto_pad={mode}", ctx)[2:]
    begins, ends = [], []
    for size, k, s, d in zip(spatial, kernel, strides, dil, strict=True):
        out = -(-size // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small = total // 2
        begins.append(small if mode == "SAME_UPPER" else total - small)
        ends.append(total - begins[-1])
    return begins + ends


def _window_attrs(ctx: Ctx, x: Tensor, kernel: list[int]) -> tuple[list[int], list[int], list[int]]:
    n = len(kernel)
    strides = [int(v) for v in ctx.attr("strides", [1] * n)]
    dil = [int(v) for v in ctx.attr("dilations", [1] * n)]
    pads = _auto_pads(ctx, x, kernel, strides, dil, [int(v) for v in ctx.attr("pads", [])])
    return strides, dil, pads


def _to_2d(ctx: Ctx, x: Tensor, what: str) -> tuple[Tensor, bool]:
    """Lift a rank-3 (N, C, L) tensor to (N, C, 1, L); reject ranks other than 3 and 4."""
    if len(x.shape) == 4:
        return x, False
    if len(x.shape) == 3:
        n, c, length = x.shape
        if [n, c, length].count(DYN) > 1:
            raise ctx.unsupported(f"1-D {what} with more than one dynamic dim")
        return ctx.b.reshape(x, [-1 if d == DYN else d for d in (n, c, 1, length)]), True
    raise ctx.unsupported(f"{len(x.shape) - 2}-D {what} (1-D and 2-D only)")


def _from_2d(ctx: Ctx, y: Tensor) -> Tensor:
    n, c, _, length = y.shape
    return ctx.b.reshape(y, [-1 if d == DYN else d for d in (n, c, length)])


def _quad(pads: list[int], lifted: bool) -> tuple[int, int, int, int]:
    """ONNX [h_begin, w_begin, h_end, w_end] (or 1-D [begin, end]) -> (top, left, bottom, right)."""
    if lifted:
        return (0, pads[0], 0, pads[1])
    return (pads[0], pads[1], pads[2], pads[3])


@converter("Conv")
def _conv(ctx: Ctx, node: Any) -> list[Tensor]:
    x, w = ctx.x(0), ctx.x(1)
    kernel = list(w.shape[2:])
    strides, dil, pads = _window_attrs(ctx, x, kernel)
    x, lifted = _to_2d(ctx, x, "Conv")
    if lifted:
        w = ctx.b.reshape(w, [w.shape[0], w.shape[1], 1, w.shape[2]])
        strides, dil = [1, strides[0]], [1, dil[0]]
    bias = ctx.x(2) if ctx.has_input(2) else None
    y = ctx.b.conv2d(x, w, bias, strides, _quad(pads, lifted), dil, int(ctx.attr("group", 1)))
    return [_from_2d(ctx, y) if lifted else y]


def _zero_insert(ctx: Ctx, x: Tensor, axis: int, s: int) -> Tensor:
    """Put s-1 zeros between neighbours along ``axis`` (a gather from x plus one zero slice)."""
    shape = list(x.shape)
    size = shape[axis]
    zshape = shape.copy()
    zshape[axis] = 1
    np_dt = np.float16 if str(x.dtype) == "f16" else np.float32
    zeros = ctx.tensor(Value(const=np.zeros(zshape, np_dt)), f"{ctx.node.output[0]}.zeros{axis}")
    ext = ctx.b.concat([x, zeros], axis)
    idx = [size] * ((size - 1) * s + 1)
    idx[::s] = range(size)
    return ctx.b.gather(ext, ctx.index_const(idx, f"zins{axis}"), axis)


@converter("ConvTranspose")
def _conv_transpose(ctx: Ctx, node: Any) -> list[Tensor]:
    """Stride-s transposed conv = conv of the zero-inserted input with the flipped filter."""
    x = ctx.x(0)
    wc = ctx.const(1, "ConvTranspose filter")
    if wc.ndim != 4 or len(x.shape) != 4:
        raise ctx.unsupported("ConvTranspose other than 2-D")
    if ctx.attr("output_shape") is not None or ctx.attr("auto_pad", b"NOTSET") != b"NOTSET":
        raise ctx.unsupported("ConvTranspose with output_shape or auto_pad")
    static_shape(x, "ConvTranspose", ctx)
    g = int(ctx.attr("group", 1))
    c, og, kh, kw = wc.shape
    strides = [int(v) for v in ctx.attr("strides", [1, 1])]
    dil = [int(v) for v in ctx.attr("dilations", [1, 1])]
    pads = [int(v) for v in ctx.attr("pads", [0, 0, 0, 0])]
    out_pad = [int(v) for v in ctx.attr("output_padding", [0, 0])]
    w = wc.reshape(g, c // g, og, kh, kw).transpose(0, 2, 1, 3, 4).reshape(g * og, c // g, kh, kw)
    w = np.ascontiguousarray(w[:, :, ::-1, ::-1])
    full = [dil[0] * (kh - 1), dil[1] * (kw - 1)]
    quad = (full[0] - pads[0], full[1] - pads[1],
            full[0] - pads[2] + out_pad[0], full[1] - pads[3] + out_pad[1])  # fmt: skip
    if min(quad) < 0:
        raise ctx.unsupported("ConvTranspose with pads larger than the dilated kernel")
    for axis, s in ((2, strides[0]), (3, strides[1])):
        if s > 1:
            x = _zero_insert(ctx, x, axis, s)
    wt = ctx.tensor(Value(const=w), f"{node.output[0]}.filter")
    bias = ctx.x(2) if ctx.has_input(2) else None
    return [ctx.b.conv2d(x, wt, bias, 1, quad, dil, g)]


@converter("MaxPool", "AveragePool")
def _pool(ctx: Ctx, node: Any) -> list[Any]:
    x = ctx.x(0)
    kernel = [int(k) for k in ctx.attr("kernel_shape")]
    strides, dil, pads = _window_attrs(ctx, x, kernel)
    if any(d != 1 for d in dil):
        raise ctx.unsupported("pooling with dilations")
    if ctx.attr("ceil_mode", 0):
        spatial = static_shape(x, "ceil_mode", ctx)[2:]
        n = len(kernel)
        for i, (size, k, s) in enumerate(zip(spatial, kernel, strides, strict=True)):
            span = size + pads[i] + pads[n + i] - k
            out = -(-span // s) + 1
            if (out - 1) * s >= size + pads[i]:
                out -= 1
            pads[n + i] += max(0, (out - 1) * s + k - (size + pads[i] + pads[n + i]))
    avg = node.op_type == "AveragePool"
    if avg and ctx.attr("count_include_pad", 0) and any(pads):
        raise ctx.unsupported("count_include_pad=1 with padding (graph.avg_pool2d excludes pads)")
    x, lifted = _to_2d(ctx, x, node.op_type)
    k2 = [1, kernel[0]] if lifted else kernel
    s2 = [1, strides[0]] if lifted else strides
    pool = ctx.b.avg_pool2d if avg else ctx.b.max_pool2d
    y = pool(x, k2, s2, _quad(pads, lifted))
    return [_from_2d(ctx, y) if lifted else y, None]


@converter("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    axes = list(range(2, len(x.shape)))
    if node.op_type == "GlobalMaxPool":
        return [ctx.b.reduce_max(x, axes, True)]
    return [ctx.b.reduce_mean(x, axes, True)]


# --------------------------------------------------------------------------- resize


def _reference_resize(node: Any, opset: Any, x: np.ndarray, scales: Any, sizes: Any) -> np.ndarray:
    from onnx import helper
    from onnx.reference import ReferenceEvaluator

    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute if a.name != "axes"}
    inputs = ["X", "", "scales" if scales is not None else "", "sizes" if sizes is not None else ""]
    n = helper.make_node("Resize", inputs, ["Y"], **attrs)
    feeds = {"X": x}
    if scales is not None:
        feeds["scales"] = np.asarray(scales, np.float32)
    if sizes is not None:
        feeds["sizes"] = np.asarray(sizes, np.int64)
    vis = [helper.make_tensor_value_info(k, 0, None) for k in feeds]
    g = helper.make_graph([n], "r", vis, [helper.make_tensor_value_info("Y", 0, None)])
    return ReferenceEvaluator(helper.make_model(g, opset_imports=opset)).run(None, feeds)[0]


def _axis_matrix(ctx: Ctx, node: Any, opset: Any, rank: int, axis: int, size: int, out: int,
                 scale: float | None) -> np.ndarray:  # fmt: skip
    """The (out, size) matrix that Resize applies along ``axis`` (basis vectors on axis 0)."""
    b_axis = 0 if axis != 0 else 1
    shape = [1] * rank
    shape[b_axis], shape[axis] = size, size
    basis = np.eye(size, dtype=np.float32).reshape(shape)
    if scale is not None:
        scales = [1.0] * rank
        scales[axis] = scale
        y = _reference_resize(node, opset, basis, scales, None)
    else:
        sizes = list(shape)
        sizes[axis] = out
        y = _reference_resize(node, opset, basis, None, sizes)
    return np.moveaxis(y, [b_axis, axis], [0, 1]).reshape(size, out).T


def _graph_matrix(mode: str, size: int, out: int) -> np.ndarray:
    m = np.zeros((out, size), np.float32)
    if mode == "nearest":
        m[np.arange(out), np.arange(out) * size // out] = 1
        return m
    src = np.maximum((np.arange(out) + 0.5) * (size / out) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), size - 1)
    hi = np.minimum(lo + 1, size - 1)
    np.add.at(m, (np.arange(out), lo), 1 - (src - lo))
    np.add.at(m, (np.arange(out), hi), src - lo)
    return m


@converter("Resize")
def _resize(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = ctx.x(0), ctx.b
    shape = static_shape(x, "Resize", ctx)
    mode = ctx.attr("mode", b"nearest").decode()
    ctm = ctx.attr("coordinate_transformation_mode", b"half_pixel").decode()
    if ctm == "tf_crop_and_resize":
        raise ctx.unsupported("coordinate_transformation_mode=tf_crop_and_resize")
    policy = ctx.attr("keep_aspect_ratio_policy", b"stretch").decode()
    if policy != "stretch":
        raise ctx.unsupported(f"keep_aspect_ratio_policy={policy}")
    rank = len(shape)
    axes = [a % rank for a in ctx.attr("axes", list(range(rank)))]
    scales_c, sizes_c = ctx.opt_const(2, "scales"), ctx.opt_const(3, "sizes")
    scales: list[float | None] = [None] * rank
    outs = list(shape)
    if sizes_c is not None and sizes_c.size:
        for a, s in zip(axes, sizes_c, strict=True):
            outs[a] = int(s)
    elif scales_c is not None and scales_c.size:
        for a, s in zip(axes, scales_c, strict=True):
            scales[a], outs[a] = float(s), int(np.floor(shape[a] * float(s)))
    else:
        raise ctx.unsupported("Resize without scales or sizes")
    if not is_float(x):
        raise ctx.unsupported(f"Resize of {x.dtype}")
    opset = list(ctx.model_opset)
    changed = [a for a in range(rank) if outs[a] != shape[a] or scales[a] not in (None, 1.0)]
    mats = {
        a: _axis_matrix(ctx, node, opset, rank, a, shape[a], outs[a], scales[a]) for a in changed
    }
    mats = {
        a: m
        for a, m in mats.items()
        if m.shape[0] != m.shape[1] or not np.allclose(m, np.eye(len(m)))
    }
    gmode = "nearest" if mode == "nearest" else "bilinear"
    if (
        rank == 4
        and set(mats) <= {2, 3}
        and mats
        and mode in ("nearest", "linear")
        and all(
            np.allclose(m, _graph_matrix(gmode, shape[a], outs[a]), atol=1e-6)
            for a, m in mats.items()
        )
    ):
        return [b.resize(x, (outs[2], outs[3]), mode=gmode)]
    for a, m in mats.items():
        one_hot = np.all((m == 0) | (m == 1)) and np.all(m.sum(axis=1) == 1)
        if one_hot:
            x = b.gather(x, ctx.index_const(m.argmax(axis=1), f"resize{a}"), a)
            continue
        perm = list(range(rank))
        perm[a], perm[-1] = perm[-1], perm[a]
        t = x if a == rank - 1 else b.transpose(x, perm)
        np_dt = np.float16 if str(x.dtype) == "f16" else np.float32
        mt = ctx.tensor(
            Value(const=np.ascontiguousarray(m.T).astype(np_dt)), f"{node.output[0]}.m{a}"
        )
        t = b.matmul(t, mt)
        x = t if a == rank - 1 else b.transpose(t, perm)
    return [x]


# --------------------------------------------------------------------------- normalization


def _channel_shape(x: Tensor) -> list[int]:
    return [x.shape[1]] + [1] * (len(x.shape) - 2)


@converter("BatchNormalization")
def _batch_norm(ctx: Ctx, node: Any) -> list[Tensor]:
    """Inference form folded to ``x * a + c`` (a = scale / sqrt(var + eps), c = B - mean * a)."""
    if ctx.attr("training_mode", 0) or len([o for o in node.output if o]) > 1:
        raise ctx.unsupported("training_mode (running statistics outputs)")
    x, b = ctx.x(0), ctx.b
    eps = float(ctx.attr("epsilon", 1e-5))
    vals = [ctx.value(i) for i in range(1, 5)]
    cshape = [-1] + [1] * (len(x.shape) - 2)
    np_dt = np.float16 if str(x.dtype) == "f16" else np.float32
    if all(v.is_const for v in vals):
        scale, bias, mean, var = (np.asarray(v.const, np.float64) for v in vals)
        a = scale / np.sqrt(var + eps)
        c = bias - mean * a
        at = ctx.tensor(Value(const=a.reshape(cshape).astype(np_dt)), f"{node.output[0]}.a")
        ct = ctx.tensor(Value(const=c.reshape(cshape).astype(np_dt)), f"{node.output[0]}.c")
        return [b.add(b.mul(x, at), ct)]
    scale, bias, mean, var = (b.reshape(ctx.x(i), cshape) for i in range(1, 5))
    a = b.div(scale, b.sqrt(b.add(var, ctx.scalar(eps, x))))
    return [b.add(b.mul(b.sub(x, mean), a), bias)]


def _moments(ctx: Ctx, x: Tensor, axes: list[int], eps: float) -> tuple[Tensor, Tensor]:
    """Mean and 1/sqrt(var + eps) over ``axes`` (kept as size-1 dims)."""
    b = ctx.b
    mean = b.reduce_mean(x, axes, True)
    d = b.sub(x, mean)
    var = b.reduce_mean(b.mul(d, d), axes, True)
    return mean, b.rsqrt(b.add(var, ctx.scalar(eps, x)))


@converter("LayerNormalization")
def _layer_norm(ctx: Ctx, node: Any) -> list[Tensor | None]:
    x, b = ctx.x(0), ctx.b
    rank = len(x.shape)
    axis = int(ctx.attr("axis", -1)) % rank
    eps = float(ctx.attr("epsilon", 1e-5))
    scale = ctx.x(1)
    bias = ctx.x(2) if ctx.has_input(2) else None
    norm_shape = x.shape[axis:]
    extra = len([o for o in node.output[1:] if o]) > 0
    if not extra and scale.shape == norm_shape and (bias is None or bias.shape == norm_shape):
        if bias is None:
            bias = ctx.tensor(
                Value(
                    const=np.zeros(norm_shape, np.float16 if str(x.dtype) == "f16" else np.float32)
                ),
                f"{node.output[0]}.bias",
            )
        return [b.layer_norm(x, scale, bias, axis, eps)]
    mean, inv = _moments(ctx, x, list(range(axis, rank)), eps)
    y = b.mul(b.mul(b.sub(x, mean), inv), scale)
    if bias is not None:
        y = b.add(y, bias)
    return [y, mean, inv]


@converter("GroupNormalization", "InstanceNormalization")
def _group_norm(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = ctx.x(0), ctx.b
    c = x.shape[1]
    if c == DYN:
        raise ctx.unsupported("dynamic channel count")
    groups = c if node.op_type == "InstanceNormalization" else int(ctx.attr("num_groups"))
    eps = float(ctx.attr("epsilon", 1e-5))
    scale, bias = ctx.x(1), ctx.x(2)
    if scale.shape != (c,):  # opset-18 form: one value per group
        reps = ctx.index_const(np.repeat(np.arange(groups), c // groups), "group_rep")
        scale, bias = b.gather(scale, reps, 0), b.gather(bias, reps, 0)
    return [b.group_norm(x, scale, bias, groups, eps)]


@converter("MeanVarianceNormalization")
def _mvn(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    axes = [int(a) for a in ctx.attr("axes", [0, 2, 3])]
    mean, inv = _moments(ctx, x, axes, 1e-9)
    return [ctx.b.mul(ctx.b.sub(x, mean), inv)]
