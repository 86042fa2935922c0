"""PyTorch (aten) ops -> graph ops: the import context, values and one converter per aten op.

A value of the fx graph is a runtime tensor (a GraphBuilder ``Tensor``), a constant known at
import time (a parameter, buffer or folded result: a ``torch.Tensor``), a list of values (ops
with several results) or a plain Python value (ints, floats, lists, dtypes). Converters take
the node's arguments resolved to such values and return the node's result(s).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects.graph import MAX_CONSTANT_ELEMENTS
from ge_compiler.errors import GeError
from ge_compiler.frontends.onnx_common import NUMPY_OF

TORCH_DTYPES: dict[torch.dtype, str] = {
    torch.float32: "f32", torch.float16: "f16", torch.bfloat16: "bf16", torch.bool: "i1",
    torch.int8: "i8", torch.int32: "i32", torch.int64: "i64",
}  # fmt: skip
NEG_INF = float("-inf")
"""Masked attention scores, as PyTorch's math attention uses (kept as weights: see emit)."""


def dtype_name(dtype: torch.dtype, what: str) -> str:
    """The graph dtype of a torch dtype, or a GeError naming the value."""
    if dtype not in TORCH_DTYPES:
        raise GeError(f"{what}: element type {dtype} is not supported by the graph dialect")
    return TORCH_DTYPES[dtype]


def to_numpy(t: torch.Tensor) -> np.ndarray:
    """A constant as numpy in the array dtype the graph uses (bf16 as f32, f64 as f32)."""
    t = t.detach().cpu()
    if t.dtype in (torch.bfloat16, torch.float64):
        t = t.float()
    return t.numpy()


@dataclass
class TValue:
    """One tensor value: a runtime tensor, or a constant (``weight`` names a parameter)."""

    tensor: Tensor | None = None
    const: torch.Tensor | None = None
    weight: str | None = None

    @property
    def is_const(self) -> bool:
        return self.const is not None


Converter = Callable[..., Any]
CONVERTERS: dict[str, Converter] = {}


def converter(*names: str) -> Callable[[Converter], Converter]:
    """Register a converter for aten ops by schema name (``"add"`` is ``aten::add``)."""

    def register(fn: Converter) -> Converter:
        for n in names:
            CONVERTERS[f"aten::{n}"] = fn
        return fn

    return register


def op_name(target: Any) -> str:
    """``aten::add`` for an aten OpOverload, else the target's qualified name."""
    schema = getattr(target, "_schema", None)
    if schema is not None:
        return str(schema.name)
    return getattr(target, "__qualname__", None) or str(target)


class Ctx:
    """The state of one import: builder, values by fx node name, weights, the current node."""

    def __init__(self, builder: GraphBuilder):
        self.b = builder
        self.values: dict[str, Any] = {}
        self.weights: dict[str, np.ndarray] = {}
        self.node: Any = None

    # ------------------------------------------------------------------ errors

    def where(self) -> str:
        n = self.node
        return f"fx node '{n.name}' ({op_name(n.target)}, target {n.target})"

    def unsupported(self, what: str) -> GeError:
        """The one error for an op or case the importer cannot map (names node, op, target)."""
        return GeError(f"unsupported PyTorch op: {self.where()}: {what}")

    # ------------------------------------------------------------------ result metadata

    @property
    def meta(self) -> Any:
        return self.node.meta.get("val")

    def out_shape(self, index: int | None = None) -> tuple[int, ...]:
        val = self.meta if index is None else self.meta[index]
        try:
            return tuple(int(d) for d in val.shape)
        except (TypeError, AttributeError, RuntimeError):
            raise self.unsupported("result shape is dynamic or unknown") from None

    def out_dtype(self) -> str:
        val = self.meta[0] if isinstance(self.meta, list | tuple) else self.meta
        return dtype_name(val.dtype, self.where())

    # ------------------------------------------------------------------ materializing

    def t(self, v: Any, dtype: str | None = None) -> Tensor:
        """``v`` as IR (constants become graph.constant or graph.weight); cast to ``dtype``."""
        if isinstance(v, bool | int | float):
            if dtype is None:
                raise self.unsupported(f"scalar {v!r} where a tensor is expected")
            return self.emit(np.asarray(v), dtype, f"{self.node.name}.scalar")
        if isinstance(v, Tensor):
            v = TValue(tensor=v)
        if not isinstance(v, TValue):
            raise self.unsupported(f"expected a tensor, got {type(v).__name__}")
        if v.tensor is None:
            assert v.const is not None
            v.tensor = self.materialize(v.const, v.weight)
        x = v.tensor
        return self.b.cast(x, dtype) if dtype is not None and str(x.dtype) != dtype else x

    def materialize(self, const: torch.Tensor, weight: str | None) -> Tensor:
        dt = dtype_name(const.dtype if const.dtype != torch.float64 else torch.float32, "const")
        return self.emit(to_numpy(const), dt, weight or f"{self.node.name}.const", weight)

    def const(self, data: np.ndarray | torch.Tensor, dtype: str, suffix: str = "c") -> Tensor:
        """A derived constant (a weight named after the node when large)."""
        arr = data if isinstance(data, np.ndarray) else to_numpy(torch.as_tensor(data))
        return self.emit(arr, dtype, f"{self.node.name}.{suffix}")

    def emit(self, arr: np.ndarray, dt: str, name: str, weight: str | None = None) -> Tensor:
        """A ``graph.constant`` for small finite literals, else a ``graph.weight`` ``name``.

        Non-finite values go to the weight store: a -inf literal does not survive the
        compiled route (kernel bodies are printed and re-parsed, and xDSL reads the printed
        ``0xff800000`` back as an integer).
        """
        arr = np.asarray(arr).astype(NUMPY_OF[dt])
        finite = arr.dtype.kind != "f" or bool(np.isfinite(arr).all())
        if weight is None and finite and arr.size <= MAX_CONSTANT_ELEMENTS:
            return self.b.constant(arr, dt)
        while name in self.weights and not np.array_equal(self.weights[name], arr):
            name += "_"
        self.weights[name] = arr
        return self.b.weight(name, arr.shape, dt)


def norm_dim(d: int, rank: int) -> int:
    return d % rank if rank else 0


def dims_arg(dims: Any, rank: int) -> list[int]:
    """A ``dim`` argument (None, int or list; empty means all) as sorted positive axes."""
    if dims is None or dims == []:
        return list(range(rank))
    if isinstance(dims, int):
        dims = [dims]
    return sorted({norm_dim(int(d), rank) for d in dims})


# --------------------------------------------------------------------------- elementwise

_UNARY = {
    "neg": GraphBuilder.neg, "abs": GraphBuilder.abs, "exp": GraphBuilder.exp,
    "log": GraphBuilder.log, "sqrt": GraphBuilder.sqrt, "rsqrt": GraphBuilder.rsqrt,
    "reciprocal": GraphBuilder.reciprocal, "relu": GraphBuilder.relu,
    "sigmoid": GraphBuilder.sigmoid, "tanh": GraphBuilder.tanh, "erf": GraphBuilder.erf,
    "silu": GraphBuilder.silu,
}  # fmt: skip


def _unary(name: str) -> Converter:
    method = _UNARY[name]

    def convert(ctx: Ctx, x: Any, *_: Any, **__: Any) -> Tensor:
        return method(ctx.b, ctx.t(x, ctx.out_dtype()))

    return convert


for _name in _UNARY:
    converter(_name)(_unary(_name))


@converter("gelu")
def _gelu(ctx: Ctx, x: Any, approximate: str = "none") -> Tensor:
    return ctx.b.gelu(ctx.t(x, ctx.out_dtype()), approximate)


def _operands(ctx: Ctx, *vs: Any) -> list[Tensor]:
    dt = ctx.out_dtype()
    return [ctx.t(v, dt) for v in vs]


def _scaled(ctx: Ctx, v: Any, alpha: Any) -> Any:
    if alpha in (None, 1):
        return v
    if isinstance(v, bool | int | float):
        return v * alpha
    return ctx.b.mul(ctx.t(v, ctx.out_dtype()), ctx.t(alpha, ctx.out_dtype()))


@converter("add")
def _add(ctx: Ctx, a: Any, b: Any, alpha: Any = 1) -> Tensor:
    x, y = _operands(ctx, a, _scaled(ctx, b, alpha))
    return ctx.b.add(x, y)


@converter("sub")
def _sub(ctx: Ctx, a: Any, b: Any, alpha: Any = 1) -> Tensor:
    x, y = _operands(ctx, a, _scaled(ctx, b, alpha))
    return ctx.b.sub(x, y)


@converter("rsub")
def _rsub(ctx: Ctx, a: Any, b: Any, alpha: Any = 1) -> Tensor:
    x, y = _operands(ctx, b, _scaled(ctx, a, alpha))
    return ctx.b.sub(x, y)


@converter("mul")
def _mul(ctx: Ctx, a: Any, b: Any) -> Tensor:
    return ctx.b.mul(*_operands(ctx, a, b))


@converter("div")
def _div(ctx: Ctx, a: Any, b: Any, rounding_mode: str | None = None) -> Tensor:
    if rounding_mode is not None:
        raise ctx.unsupported(f"rounding_mode='{rounding_mode}'")
    return ctx.b.div(*_operands(ctx, a, b))


@converter("pow")
def _pow(ctx: Ctx, a: Any, b: Any) -> Tensor:
    return ctx.b.pow(*_operands(ctx, a, b))


@converter("maximum")
def _maximum(ctx: Ctx, a: Any, b: Any) -> Tensor:
    return ctx.b.maximum(*_operands(ctx, a, b))


@converter("minimum")
def _minimum(ctx: Ctx, a: Any, b: Any) -> Tensor:
    return ctx.b.minimum(*_operands(ctx, a, b))


@converter("clamp", "clamp_min", "clamp_max", "hardtanh")
def _clamp(ctx: Ctx, x: Any, lo: Any = None, hi: Any = None) -> Tensor:
    name = op_name(ctx.node.target)
    if name == "aten::clamp_max":
        lo, hi = None, lo
    y = ctx.t(x, ctx.out_dtype())
    if name == "aten::hardtanh":
        lo = -1.0 if lo is None else lo
        hi = 1.0 if hi is None else hi
    if lo is not None:
        y = ctx.b.maximum(y, ctx.t(lo, str(y.dtype)))
    if hi is not None:
        y = ctx.b.minimum(y, ctx.t(hi, str(y.dtype)))
    return y


@converter("where")
def _where(ctx: Ctx, cond: Any, a: Any, b: Any) -> Tensor:
    x, y = _operands(ctx, a, b)
    return ctx.b.where(ctx.t(cond, "i1"), x, y)


@converter("_to_copy", "to", "type_as")
def _to_copy(ctx: Ctx, x: Any, *_: Any, **__: Any) -> Tensor:
    return ctx.t(x, ctx.out_dtype())


@converter("clone", "contiguous", "detach", "alias", "lift_fresh_copy", "dropout")
def _identity(ctx: Ctx, x: Any, *_: Any, **__: Any) -> Any:
    if op_name(ctx.node.target) == "aten::dropout" and len(_) > 1 and _[1]:
        raise ctx.unsupported("dropout in training mode (call model.eval())")
    return x


@converter("_assert_tensor_metadata", "_assert_async", "_assert_scalar")
def _assert(ctx: Ctx, *_: Any, **__: Any) -> None:
    return None


@converter("full_like", "zeros_like", "ones_like", "empty_like")
@converter("new_full", "new_zeros", "new_ones", "new_empty")
def _like(ctx: Ctx, x: Any, *args: Any, **__: Any) -> TValue:
    """Results that depend only on the input's shape: a constant of the result type."""
    name = op_name(ctx.node.target).removeprefix("aten::")
    if name == "full_like":
        value = args[0]
    elif name == "new_full":
        value = args[1]
    else:
        value = 1 if name in ("ones_like", "new_ones") else 0
    return TValue(const=torch.full(ctx.out_shape(), value, dtype=ctx.meta.dtype))


# --------------------------------------------------------------------------- contractions


def _mm(ctx: Ctx, a: Any, b: Any) -> Tensor:
    x, y = _operands(ctx, a, b)
    if len(x.shape) == 1:
        return ctx.b.reshape(ctx.b.matmul(ctx.b.reshape(x, (1, -1)), y), ctx.out_shape())
    if len(y.shape) == 1:
        return ctx.b.reshape(ctx.b.matmul(x, ctx.b.reshape(y, (-1, 1))), ctx.out_shape())
    return ctx.b.matmul(x, y)


converter("mm", "bmm", "matmul")(_mm)


@converter("addmm", "baddbmm")
def _addmm(ctx: Ctx, bias: Any, a: Any, b: Any, beta: Any = 1, alpha: Any = 1) -> Tensor:
    y = _scaled(ctx, _mm(ctx, a, b), alpha)
    if beta == 0:
        return y
    return ctx.b.add(y, ctx.t(_scaled(ctx, bias, beta), ctx.out_dtype()))


@converter("linear")
def _linear(ctx: Ctx, x: Any, w: Any, bias: Any = None) -> Tensor:
    dt = ctx.out_dtype()
    y = ctx.b.matmul(ctx.t(x, dt), ctx.t(w, dt), transpose_b=True)
    return y if bias is None else ctx.b.add(y, ctx.t(bias, dt))


@converter("convolution", "conv2d", "conv1d")
def _conv(
    ctx: Ctx,
    x: Any,
    w: Any,
    bias: Any = None,
    stride: Sequence[int] = (1,),
    padding: Any = (0,),
    dilation: Sequence[int] = (1,),
    *rest: Any,
) -> Tensor:
    if op_name(ctx.node.target) == "aten::convolution":
        transposed, _, groups = rest
        if transposed:
            raise ctx.unsupported("transposed convolution")
    else:
        groups = rest[0] if rest else 1
    if isinstance(padding, str):
        raise ctx.unsupported(f"padding='{padding}'")
    dt = ctx.out_dtype()
    xt, wt = ctx.t(x, dt), ctx.t(w, dt)
    one_d = len(xt.shape) == 3
    if len(xt.shape) not in (3, 4):
        raise ctx.unsupported(f"{len(xt.shape) - 2}-D convolution")

    def two(v: Any, fill: int) -> tuple[int, int]:
        v = [int(i) for i in (v if isinstance(v, list | tuple) else [v])]
        v = v * (1 if one_d else 2) if len(v) == 1 else v
        return (fill, v[0]) if one_d else (v[0], v[1])

    if one_d:
        xt = ctx.b.reshape(xt, (xt.shape[0], xt.shape[1], 1, xt.shape[2]))
        wt = ctx.b.reshape(wt, (wt.shape[0], wt.shape[1], 1, wt.shape[2]))
    bt = None if bias is None else ctx.t(bias, dt)
    s, p, d = two(stride, 1), two(padding, 0), two(dilation, 1)
    y = ctx.b.conv2d(xt, wt, bt, stride=s, padding=p, dilation=d, groups=int(groups))
    return ctx.b.reshape(y, ctx.out_shape()) if one_d else y


@converter("embedding")
def _embedding(ctx: Ctx, table: Any, ids: Any, *_: Any) -> Tensor:
    return ctx.b.gather(ctx.t(table, ctx.out_dtype()), ctx.t(ids), 0)


@converter("index_select")
def _index_select(ctx: Ctx, x: Any, dim: int, index: Any) -> Tensor:
    xt = ctx.t(x)
    return ctx.b.gather(xt, ctx.t(index), norm_dim(dim, len(xt.shape)))


@converter("scaled_dot_product_attention", "_scaled_dot_product_flash_attention_for_cpu")
def _sdpa(
    ctx: Ctx,
    q: Any,
    k: Any,
    v: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Any:
    flash = op_name(ctx.node.target) != "aten::scaled_dot_product_attention"
    if flash:  # (q, k, v, dropout_p, is_causal, *, attn_mask, scale)
        dropout_p, is_causal, attn_mask = attn_mask or 0.0, bool(dropout_p), None
        attn_mask = ctx.node.kwargs.get("attn_mask")
        attn_mask = ctx.values.get(attn_mask.name) if attn_mask is not None else None
        scale = ctx.node.kwargs.get("scale")
    if dropout_p:
        raise ctx.unsupported("attention dropout")
    b = ctx.b
    qt, kt, vt = (ctx.t(a) for a in (q, k, v))
    if qt.shape[:-2] != kt.shape[:-2]:
        raise ctx.unsupported("grouped-query attention (heads of q and k differ)")
    dt = str(qt.dtype)
    scale = 1.0 / math.sqrt(qt.shape[-1]) if scale is None else scale
    s = b.mul(b.matmul(qt, kt, transpose_b=True), ctx.t(float(scale), dt))
    L, S = qt.shape[-2], kt.shape[-2]  # noqa: N806
    neg = NEG_INF
    if is_causal:
        causal = torch.zeros((L, S)).masked_fill(torch.ones(L, S, dtype=torch.bool).triu(1), neg)
        s = b.add(s, ctx.const(causal, dt, "causal"))
    if isinstance(attn_mask, TValue):
        if attn_mask.is_const and attn_mask.const.dtype == torch.bool:
            add = torch.zeros(attn_mask.const.shape).masked_fill(~attn_mask.const, neg)
            s = b.add(s, ctx.const(add, dt, "mask"))
        elif attn_mask.is_const or str(ctx.t(attn_mask).dtype) != "i1":
            s = b.add(s, ctx.t(attn_mask, dt))
        else:
            s = b.where(ctx.t(attn_mask), s, ctx.t(neg, dt))
    out = b.matmul(b.softmax(s, -1), vt)
    return [out, None] if flash else out


# --------------------------------------------------------------------------- reductions


def _reduce(kind: str) -> Converter:
    def convert(
        ctx: Ctx, x: Any, dim: Any = None, keepdim: bool = False, *_: Any, **__: Any
    ) -> Tensor:
        xt = ctx.t(x, ctx.out_dtype() if kind != "max" else None)
        axes = dims_arg(dim, len(xt.shape))
        if not xt.shape:
            return xt
        fn = {"sum": ctx.b.reduce_sum, "mean": ctx.b.reduce_mean, "max": ctx.b.reduce_max}[kind]
        return fn(xt, axes, bool(keepdim))

    return convert


converter("sum")(_reduce("sum"))
converter("mean")(_reduce("mean"))
converter("amax")(_reduce("max"))


@converter("var")
def _var(ctx: Ctx, x: Any, dim: Any = None, *, correction: Any = 1, keepdim: bool = False) -> Any:
    b, xt = ctx.b, ctx.t(x, ctx.out_dtype())
    axes = dims_arg(dim, len(xt.shape))
    d = b.sub(xt, b.reduce_mean(xt, axes, True))
    n = math.prod(xt.shape[a] for a in axes)
    var = b.reduce_sum(b.mul(d, d), axes, bool(keepdim))
    return b.div(var, ctx.t(float(n - (1 if correction is None else correction)), str(xt.dtype)))


@converter("_softmax", "softmax", "_safe_softmax")
def _softmax(ctx: Ctx, x: Any, dim: int, *_: Any) -> Tensor:
    xt = ctx.t(x, ctx.out_dtype())
    return ctx.b.softmax(xt, norm_dim(dim, len(xt.shape)))


@converter("_log_softmax", "log_softmax")
def _log_softmax(ctx: Ctx, x: Any, dim: int, *_: Any) -> Tensor:
    b, xt = ctx.b, ctx.t(x, ctx.out_dtype())
    d = norm_dim(dim, len(xt.shape))
    s = b.sub(xt, b.reduce_max(xt, [d], True))
    return b.sub(s, b.log(b.reduce_sum(b.exp(s), [d], True)))


# --------------------------------------------------------------------------- normalization


def _ones_or(ctx: Ctx, v: Any, shape: Sequence[int], fill: float, dt: str) -> Tensor:
    if v is not None:
        return ctx.t(v, dt)
    return ctx.const(torch.full(tuple(shape), fill), dt, f"fill{fill:g}")


@converter("native_layer_norm", "layer_norm")
def _layer_norm(
    ctx: Ctx, x: Any, shape: Sequence[int], w: Any = None, bias: Any = None, eps: float = 1e-5,
    *_: Any,
) -> Any:  # fmt: skip
    dt = ctx.out_dtype()
    xt = ctx.t(x, dt)
    y = ctx.b.layer_norm(
        xt, _ones_or(ctx, w, shape, 1.0, dt), _ones_or(ctx, bias, shape, 0.0, dt),
        axis=-len(shape), eps=float(eps),
    )  # fmt: skip
    return y if op_name(ctx.node.target) == "aten::layer_norm" else [y, None, None]


@converter("native_group_norm", "group_norm")
def _group_norm(ctx: Ctx, x: Any, *args: Any) -> Any:
    native = op_name(ctx.node.target) == "aten::native_group_norm"
    if native:  # (x, w, b, N, C, HxW, group, eps)
        w, bias, _, _, _, groups, eps = args
    else:  # (x, num_groups, w, b, eps, cudnn_enabled)
        groups, w, bias, eps = (list(args) + [None, None, 1e-5])[:4]
    dt = ctx.out_dtype()
    xt = ctx.t(x, dt)
    c = xt.shape[1]
    y = ctx.b.group_norm(
        xt, _ones_or(ctx, w, [c], 1.0, dt), _ones_or(ctx, bias, [c], 0.0, dt), int(groups),
        float(eps),
    )  # fmt: skip
    return [y, None, None] if native else y


@converter("_native_batch_norm_legit_no_training", "_native_batch_norm_legit")
@converter("native_batch_norm", "batch_norm")
def _batch_norm(ctx: Ctx, x: Any, w: Any, bias: Any, mean: Any, var: Any, *args: Any) -> Any:
    """Inference batch norm, folded to ``x * a + c`` (a, c per channel)."""
    name = op_name(ctx.node.target)
    if name == "aten::_native_batch_norm_legit_no_training":
        training, eps = False, args[1]
    else:
        training, eps = args[0], args[2]
    if training:
        raise ctx.unsupported("batch norm in training mode (call model.eval())")
    dt = ctx.out_dtype()
    xt, b = ctx.t(x, dt), ctx.b
    shape = (xt.shape[1],) + (1,) * (len(xt.shape) - 2)
    params = [w, bias, mean, var]
    if all(p is None or (isinstance(p, TValue) and p.is_const) for p in params):
        c = xt.shape[1]
        wv, bv, mv, vv = (
            torch.full((c,), f) if p is None else p.const.float()  # type: ignore[union-attr]
            for p, f in zip(params, (1.0, 0.0, 0.0, 1.0), strict=True)
        )
        scale = wv / torch.sqrt(vv + eps)
        shift = bv - mv * scale
        y = b.add(b.mul(xt, ctx.const(scale.reshape(shape), dt, "scale")),
                  ctx.const(shift.reshape(shape), dt, "shift"))  # fmt: skip
    else:

        def per_channel(p: Any, fill: float) -> Tensor:
            return b.reshape(_ones_or(ctx, p, [xt.shape[1]], fill, dt), shape)

        inv = b.rsqrt(b.add(per_channel(var, 1.0), ctx.t(float(eps), dt)))
        y = b.mul(b.sub(xt, per_channel(mean, 0.0)), b.mul(inv, per_channel(w, 1.0)))
        y = b.add(y, per_channel(bias, 0.0))
    return y if name == "aten::batch_norm" else [y, None, None]


# --------------------------------------------------------------------------- pooling / resize


def _pool_args(
    x: Tensor, kernel: Any, stride: Any, padding: Any
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    def two(v: Any) -> tuple[int, int]:
        v = [int(i) for i in (v if isinstance(v, list | tuple) else [v])]
        return (v[0], v[0]) if len(v) == 1 else (v[0], v[1])

    k = two(kernel)
    return k, two(stride) if stride else k, two(padding)


def _ceil_extra(size: int, out: int, k: int, s: int, p: int) -> int:
    """Extra bottom/right padding so that a floor-mode window count gives ``out``."""
    return max(0, (out - 1) * s + k - (size + 2 * p))


@converter("max_pool2d_with_indices", "max_pool2d")
def _max_pool(
    ctx: Ctx, x: Any, kernel: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
    ceil_mode: bool = False,
) -> Any:  # fmt: skip
    xt = ctx.t(x)
    if any(int(d) != 1 for d in (dilation if isinstance(dilation, list | tuple) else [dilation])):
        raise ctx.unsupported("pooling dilation")
    k, s, p = _pool_args(xt, kernel, stride, padding)
    out = ctx.out_shape(0 if isinstance(ctx.meta, list | tuple) else None)
    eh = _ceil_extra(xt.shape[2], out[2], k[0], s[0], p[0])
    ew = _ceil_extra(xt.shape[3], out[3], k[1], s[1], p[1])
    y = ctx.b.max_pool2d(xt, k, s, (p[0], p[1], p[0] + eh, p[1] + ew))
    return [y, None] if op_name(ctx.node.target) == "aten::max_pool2d_with_indices" else y


def _avg_divisors(size: int, out: int, k: int, s: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Per output index: cells inside the input, and cells inside input + padding."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    window = end - start
    valid = np.minimum(end, size) - np.maximum(start, 0)
    return valid, window


@converter("avg_pool2d")
def _avg_pool(
    ctx: Ctx, x: Any, kernel: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
    count_include_pad: bool = True, divisor_override: int | None = None,
) -> Tensor:  # fmt: skip
    dt = ctx.out_dtype()
    xt = ctx.t(x, dt)
    k, s, p = _pool_args(xt, kernel, stride, padding)
    out = ctx.out_shape()
    (h, w), (oh, ow) = xt.shape[2:], out[2:]
    eh, ew = _ceil_extra(h, oh, k[0], s[0], p[0]), _ceil_extra(w, ow, k[1], s[1], p[1])
    y = ctx.b.avg_pool2d(xt, k, s, (p[0], p[1], p[0] + eh, p[1] + ew))
    vh, wh = _avg_divisors(h, oh, k[0], s[0], p[0])
    vw, ww = _avg_divisors(w, ow, k[1], s[1], p[1])
    valid = np.outer(vh, vw).astype(np.float64)
    if divisor_override:
        divisor = np.full_like(valid, float(divisor_override))
    else:
        divisor = np.outer(wh, ww).astype(np.float64) if count_include_pad else valid
    ratio = valid / divisor  # the graph op divides by the valid count; PyTorch by divisor
    if np.allclose(ratio, 1.0):
        return y
    return ctx.b.mul(y, ctx.const(ratio.astype(np.float32), dt, "divisor"))


@converter("_adaptive_avg_pool2d", "adaptive_avg_pool2d")
def _adaptive_avg_pool(ctx: Ctx, x: Any, output_size: Sequence[int]) -> Tensor:
    xt = ctx.t(x, ctx.out_dtype())
    (h, w), (oh, ow) = xt.shape[-2:], ctx.out_shape()[-2:]
    if (oh, ow) == (1, 1):
        return ctx.b.reduce_mean(xt, [len(xt.shape) - 2, len(xt.shape) - 1], True)
    if h % oh or w % ow:
        raise ctx.unsupported(f"adaptive pooling {h}x{w} -> {oh}x{ow} (not a divisor)")
    return ctx.b.avg_pool2d(xt, (h // oh, w // ow), (h // oh, w // ow))


def _axis_matrix(ctx: Ctx, x: Tensor, args: Sequence[Any], axis: int) -> np.ndarray:
    """PyTorch's own (out, in) interpolation matrix along H (axis 2) or W (axis 3)."""
    n = x.shape[axis]
    basis = torch.zeros((1, n, x.shape[2], x.shape[3]))
    for c in range(n):
        if axis == 2:
            basis[0, c, c, :] = 1.0
        else:
            basis[0, c, :, c] = 1.0
    with torch.no_grad():
        y = ctx.node.target(basis, *args).double()
    m = y[0, :, :, 0] if axis == 2 else y[0, :, 0, :]
    return m.T.numpy()


def _graph_resize_matrix(size: int, out: int, mode: str) -> np.ndarray:
    from ge_compiler.interpreter import _bilinear_source, _nearest_source

    m = np.zeros((out, size))
    if mode == "nearest":
        m[np.arange(out), _nearest_source(size, out)] = 1.0
        return m
    lo, hi, frac = _bilinear_source(size, out)
    np.add.at(m, (np.arange(out), lo), 1.0 - frac)
    np.add.at(m, (np.arange(out), hi), frac)
    return m


@converter("upsample_nearest2d", "upsample_bilinear2d", "_upsample_nearest_exact2d")
@converter("_upsample_bilinear2d_aa")
def _upsample(ctx: Ctx, x: Any, *args: Any) -> Tensor:
    """graph.resize when PyTorch's interpolation equals it, else matmuls by the matrices."""
    dt = ctx.out_dtype()
    xt = ctx.t(x, dt)
    if len(xt.shape) != 4:
        raise ctx.unsupported("only 2-D (NCHW) upsampling")
    oh, ow = ctx.out_shape()[2:]
    mh, mw = _axis_matrix(ctx, xt, args, 2), _axis_matrix(ctx, xt, args, 3)
    for mode in ("nearest", "bilinear"):
        gh = _graph_resize_matrix(xt.shape[2], oh, mode)
        gw = _graph_resize_matrix(xt.shape[3], ow, mode)
        if np.allclose(mh, gh, atol=1e-6) and np.allclose(mw, gw, atol=1e-6):
            return ctx.b.resize(xt, (oh, ow), mode=mode)
    y = ctx.b.matmul(xt, ctx.const(mw.T.astype(np.float32), dt, "interp_w"))
    return ctx.b.matmul(ctx.const(mh.astype(np.float32), dt, "interp_h"), y)


# --------------------------------------------------------------------------- data movement


@converter("view", "_unsafe_view", "reshape", "view_copy", "unsqueeze", "squeeze")
@converter("flatten", "unflatten", "_reshape_alias", "squeeze_copy", "unsqueeze_copy")
def _reshape(ctx: Ctx, x: Any, *_: Any) -> Tensor:
    xt, shape = ctx.t(x), ctx.out_shape()
    return xt if tuple(xt.shape) == shape else ctx.b.reshape(xt, shape)


@converter("permute", "permute_copy")
def _permute(ctx: Ctx, x: Any, dims: Sequence[int]) -> Tensor:
    xt = ctx.t(x)
    perm = [norm_dim(int(d), len(xt.shape)) for d in dims]
    return xt if perm == sorted(perm) else ctx.b.transpose(xt, perm)


@converter("transpose", "t", "numpy_T")
def _transpose(ctx: Ctx, x: Any, d0: int = 0, d1: int = 1) -> Tensor:
    xt = ctx.t(x)
    rank = len(xt.shape)
    if rank < 2:
        return xt
    perm = list(range(rank))
    if op_name(ctx.node.target) == "aten::numpy_T":
        perm.reverse()
    else:
        a, c = norm_dim(d0, rank), norm_dim(d1, rank)
        perm[a], perm[c] = perm[c], perm[a]
    return ctx.b.transpose(xt, perm)


@converter("expand", "expand_copy", "broadcast_to")
def _expand(ctx: Ctx, x: Any, *_: Any, **__: Any) -> Tensor:
    """Broadcast by gathering index 0 ``n`` times along each expanded unit dim."""
    xt, out = ctx.t(x), ctx.out_shape()
    if len(xt.shape) < len(out):
        xt = ctx.b.reshape(xt, (1,) * (len(out) - len(xt.shape)) + tuple(xt.shape))
    for axis, (have, want) in enumerate(zip(xt.shape, out, strict=True)):
        if have != want:
            xt = ctx.b.gather(xt, ctx.b.constant(np.zeros(want, np.int64), "i64"), axis)
    return xt


@converter("slice", "slice_copy")
def _slice(
    ctx: Ctx, x: Any, dim: int = 0, start: int | None = None, end: int | None = None,
    step: int = 1,
) -> Tensor:  # fmt: skip
    xt = ctx.t(x)
    rank = len(xt.shape)
    d = norm_dim(dim, rank)
    lo, hi, _ = slice(start, end, step).indices(xt.shape[d])
    if (lo, hi, step) == (0, xt.shape[d], 1):
        return xt
    starts, limits, steps = [0] * rank, list(xt.shape), [1] * rank
    starts[d], limits[d], steps[d] = lo, max(hi, lo), int(step)
    return ctx.b.slice(xt, starts, limits, steps)


@converter("select", "select_copy")
def _select(ctx: Ctx, x: Any, dim: int, index: int) -> Tensor:
    xt = ctx.t(x)
    d = norm_dim(dim, len(xt.shape))
    i = index % xt.shape[d]
    starts, limits = [0] * len(xt.shape), list(xt.shape)
    starts[d], limits[d] = i, i + 1
    return ctx.b.reshape(ctx.b.slice(xt, starts, limits), ctx.out_shape())


@converter("cat", "concat")
def _cat(ctx: Ctx, xs: Sequence[Any], dim: int = 0) -> Tensor:
    dt = ctx.out_dtype()
    rank = len(ctx.out_shape())
    parts = [ctx.t(v, dt) for v in xs]
    parts = [p for p in parts if len(p.shape) == rank and 0 not in p.shape]
    return parts[0] if len(parts) == 1 else ctx.b.concat(parts, norm_dim(dim, rank))


@converter("split", "split_with_sizes", "chunk", "tensor_split", "unbind", "split_copy")
def _split(ctx: Ctx, x: Any, _: Any = None, dim: int = 0) -> list[Tensor]:
    xt = ctx.t(x)
    d = norm_dim(dim, len(xt.shape))
    shapes = [tuple(int(s) for s in m.shape) for m in ctx.meta]
    if op_name(ctx.node.target) == "aten::unbind":
        d = norm_dim(int(_ or 0), len(xt.shape))
        parts = ctx.b.split(xt, [1] * len(shapes), d) if len(shapes) > 1 else [xt]
        return [ctx.b.reshape(p, s) for p, s in zip(parts, shapes, strict=True)]
    sizes = [s[d] for s in shapes]
    return ctx.b.split(xt, sizes, d) if len(sizes) > 1 else [xt]
