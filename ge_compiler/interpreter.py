"""The numpy reference interpreter: the semantic oracle every pass and the device model is
checked against.

It runs graph-dialect IR on xDSL's interpreter framework: ``GraphFunctions`` has one ``@impl``
per graph op, ``FuncFunctions`` (from xDSL) handles ``func.return`` and ``func.call``.
Kernels compute with numpy directly from the ops' documented semantics and never call the
dialect's shape rules, so a wrong shape rule shows up as a disagreement instead of being copied.

Numerics:
- f16 is computed in float32 and rounded back to float16 once per op: numpy's own f16
  arithmetic rounds every intermediate (sums, means), which no real kernel does.
- bf16 has no numpy type; it is computed and stored as float32 (see ``ge_compiler.dtypes``).
- floating-point exceptions follow IEEE (``log(-1)`` is NaN, overflow is inf) without warnings.
- integer ``add/sub/mul/reduce_sum`` wrap (two's complement); integer ``div`` and
  ``reduce_mean`` truncate toward zero and division by zero is an error; arithmetic on i1 is an
  error except ``maximum``/``minimum``/``reduce_max`` (logical or/and).
- ``cast`` rounds to nearest (ties to even); float->int saturates and maps NaN to 0;
  int->int saturates; anything->i1 is ``!= 0``.

Every result is checked against its IR type (shape, dynamic dims accepting any size) and given
exactly the numpy dtype of its IR element type. Errors (bad runtime shapes, out-of-range
gather indices, unsupported ops) are ``GeError``s naming the op and its source location.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, DenseIntOrFPElementsAttr, ModuleOp, TensorType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.ir import Operation, SSAValue

from ge_compiler.dialects import graph
from ge_compiler.dtypes import numpy_dtype
from ge_compiler.errors import GeError
from ge_compiler.ir import location_of, verify_module
from ge_compiler.weights import WeightStore

DEFAULT_INDEX_BOUND = 8
"""random_inputs draws integer inputs from ``[0, DEFAULT_INDEX_BOUND)`` (valid small indices)."""

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_erf64 = np.frompyfunc(math.erf, 1, 1)  # exact erf; numpy has none and scipy is no dependency


# --------------------------------------------------------------------------- shared plumbing


def _fmt(shape: Sequence[int]) -> str:
    return "x".join("?" if d == DYNAMIC_INDEX else str(d) for d in shape) if shape else "scalar"


def _shape_matches(shape: Sequence[int], declared: Sequence[int]) -> bool:
    """A runtime shape fits a declared one; a dynamic dim (``?``) accepts any size."""
    return len(shape) == len(declared) and all(
        d == DYNAMIC_INDEX or d == s for s, d in zip(shape, declared, strict=True)
    )


def _conform(op: Operation, result: SSAValue, value: Any) -> np.ndarray:
    """Check a computed value against its IR type and give it the IR dtype."""
    t = result.type
    assert isinstance(t, TensorType)
    array = np.asarray(value)
    if not _shape_matches(array.shape, t.get_shape()):
        raise GeError(
            f"{op.name}: computed a result of shape {_fmt(array.shape)}, but the IR declares {t}",
            location_of(op),
        )
    return array.astype(numpy_dtype(t.get_element_type()), copy=False)


Kernel = Callable[..., Any]


def _kernel(fn: Kernel) -> Kernel:
    """Adapt ``fn(self, op, *arrays)`` to xDSL's impl signature, adding what every op shares:
    IEEE results without warnings, numpy errors turned into GeErrors that name the op, and
    results conformed to their IR types."""

    @functools.wraps(fn)
    def run(
        self: GraphFunctions, interp: Interpreter, op: Operation, args: PythonValues
    ) -> PythonValues:
        with np.errstate(all="ignore"):  # also covers the f32 -> f16 overflow in _conform
            try:
                out = fn(self, op, *args)
            except (ValueError, IndexError) as e:
                raise GeError(f"{op.name}: {e}", location_of(op)) from None
            values = out if isinstance(out, tuple) else (out,)  # numpy may return 0-d scalars
            return tuple(_conform(op, r, v) for r, v in zip(op.results, values, strict=True))

    return run


def _up(x: np.ndarray) -> np.ndarray:
    """The dtype to compute in: f16 goes to f32 (``_conform`` rounds the result back)."""
    return x.astype(np.float32) if x.dtype == np.float16 else x


def _no_bool(what: str, *xs: np.ndarray) -> None:
    if any(x.dtype == np.bool_ for x in xs):
        raise ValueError(f"{what} is not defined on i1 tensors")


def _result_shape(op: Operation, index: int = 0) -> tuple[int, ...]:
    t = op.results[index].type
    assert isinstance(t, TensorType)
    return t.get_shape()


def _int(attr: Any) -> int:
    return attr.value.data


# --------------------------------------------------------------------------- elementwise math


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """Overflow-free logistic: exp only ever sees non-positive arguments."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _erf(x: np.ndarray) -> np.ndarray:
    return np.asarray(_erf64(x.astype(np.float64)), dtype=np.float64).astype(x.dtype)


def _gelu(x: np.ndarray, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2.0)))


def _int_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division truncating toward zero (C, MLIR ``arith.divsi``), exact for int64."""
    if np.any(b == 0):
        raise ValueError("integer division by zero")
    return (a - np.fmod(a, b)) // b


def _convert(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """graph.cast: round to nearest even; saturate into integer ranges; NaN -> 0; i1 is != 0."""
    if dtype == np.bool_:
        return x != 0
    if not np.issubdtype(dtype, np.integer):
        return x.astype(dtype)
    info = np.iinfo(dtype)
    if x.dtype == np.bool_ or np.issubdtype(x.dtype, np.integer):
        return np.clip(x.astype(np.int64), info.min, info.max).astype(dtype)
    r = np.array(np.rint(x.astype(np.float64)))  # np.array: ufuncs give 0-d inputs back as scalars
    r[np.isnan(r)] = 0
    high, low = r >= float(info.max) + 1, r < float(info.min)  # both bounds are exact 2**k
    r[high | low] = 0
    out = r.astype(dtype)
    out[high], out[low] = info.max, info.min
    return out


# --------------------------------------------------------------------------- windows


def _window_out(size: int, kernel: int, stride: int, pad: int, dilation: int = 1) -> int:
    out = (size + pad - dilation * (kernel - 1) - 1) // stride + 1
    if out < 1:
        raise ValueError(f"window of {kernel} does not fit input size {size} (padding {pad})")
    return out


def _window(
    xp: np.ndarray, i: int, j: int, out: tuple[int, int], stride: Sequence[int]
) -> np.ndarray:
    """The strided view of padded ``xp`` that kernel tap (i, j) reads for every output cell."""
    (oh, ow), (sh, sw) = out, stride
    return xp[..., i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]


def _pad_hw(x: np.ndarray, padding: Sequence[int], value: float = 0.0) -> np.ndarray:
    top, left, bottom, right = padding
    widths = ((0, 0),) * (x.ndim - 2) + ((top, bottom), (left, right))
    return np.pad(x, widths, constant_values=value)


def _conv2d(op: graph.Conv2dOp, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Grouped, strided, dilated NCHW x OIHW convolution: one batched matmul per kernel tap."""
    stride, padding = op.stride.get_values(), op.padding.get_values()
    dh, dw = op.dilation.get_values()
    groups = _int(op.groups)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    if c != cg * groups:
        raise ValueError(f"input has {c} channels, filter expects {cg} x {groups} groups")
    oh = _window_out(h, kh, stride[0], padding[0] + padding[2], dh)
    ow = _window_out(wd, kw, stride[1], padding[1] + padding[3], dw)
    xp = _pad_hw(x, padding).reshape(n, groups, cg, h + padding[0] + padding[2], -1)
    wg = w.reshape(groups, o // groups, cg, kh, kw)
    out = np.zeros((n, groups, oh * ow, o // groups), dtype=np.result_type(x, w))
    for i in range(kh):
        for j in range(kw):
            taps = _window(xp, i * dh, j * dw, (oh, ow), stride)  # n, g, cg, oh, ow
            cols = taps.reshape(n, groups, cg, oh * ow).swapaxes(-1, -2)
            out += cols @ wg[:, :, :, i, j].swapaxes(-1, -2)
    return out.swapaxes(-1, -2).reshape(n, o, oh, ow)


def _pool_shape(op: graph.MaxPool2dOp | graph.AvgPool2dOp, x: np.ndarray) -> tuple[int, int]:
    (kh, kw), (sh, sw) = op.kernel.get_values(), op.stride.get_values()
    top, left, bottom, right = op.padding.get_values()
    h, w = x.shape[-2:]
    return _window_out(h, kh, sh, top + bottom), _window_out(w, kw, sw, left + right)


def _nearest_source(size: int, out: int) -> np.ndarray:
    """PyTorch 'nearest': source index floor(dst * in / out), computed exactly in integers."""
    return np.arange(out) * size // out


def _bilinear_source(size: int, out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Half-pixel centres (align_corners=False): source indices lo, hi and the weight of hi."""
    src = np.maximum((np.arange(out) + 0.5) * (size / out) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), size - 1)
    return lo, np.minimum(lo + 1, size - 1), src - lo


# --------------------------------------------------------------------------- norms


def _normalize(x: np.ndarray, axes: tuple[int, ...], eps: float) -> np.ndarray:
    mean = x.mean(axis=axes, keepdims=True)
    var = np.square(x - mean).mean(axis=axes, keepdims=True)  # biased, as in PyTorch
    return (x - mean) / np.sqrt(var + eps)


def _constant(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The literal as an array (xDSL stores i1 true as -1; a splat may hold a single value)."""
    dtype = numpy_dtype(attr.get_element_type())
    values = np.array(attr.get_values())
    values = values != 0 if dtype == np.bool_ else values.astype(dtype)
    shape = attr.get_shape()
    if values.size != math.prod(shape):  # a splat stored as one value
        return np.broadcast_to(values, shape)
    return values.reshape(shape)


def _static_sizes(sizes: Sequence[int], total: int, what: str) -> list[int]:
    """Fill at most one dynamic size so that the sizes add up to ``total``."""
    dynamic = [i for i, s in enumerate(sizes) if s == DYNAMIC_INDEX]
    if len(dynamic) > 1:
        raise ValueError(f"{what} has {len(dynamic)} dynamic sizes; at most one can be inferred")
    out = list(sizes)
    if dynamic:
        out[dynamic[0]] = total - sum(s for s in sizes if s != DYNAMIC_INDEX)
    if sum(out) != total or min(out, default=0) < 0:
        raise ValueError(f"{what} sizes {out} do not add up to {total}")
    return out


# --------------------------------------------------------------------------- the op table


@register_impls
class GraphFunctions(InterpreterFunctions):
    """numpy implementations of every graph op; ``graph.weight`` reads ``weights``."""

    def __init__(self, weights: WeightStore | None = None):
        super().__init__()
        self.weights = weights if weights is not None else WeightStore()

    # unary (float only, by the dialect's constraints)

    @impl(graph.NegOp)
    @_kernel
    def run_neg(self, op: graph.NegOp, x: np.ndarray) -> np.ndarray:
        return np.negative(x)

    @impl(graph.AbsOp)
    @_kernel
    def run_abs(self, op: graph.AbsOp, x: np.ndarray) -> np.ndarray:
        return np.abs(x)

    @impl(graph.ExpOp)
    @_kernel
    def run_exp(self, op: graph.ExpOp, x: np.ndarray) -> np.ndarray:
        return np.exp(_up(x))

    @impl(graph.LogOp)
    @_kernel
    def run_log(self, op: graph.LogOp, x: np.ndarray) -> np.ndarray:
        return np.log(_up(x))

    @impl(graph.SqrtOp)
    @_kernel
    def run_sqrt(self, op: graph.SqrtOp, x: np.ndarray) -> np.ndarray:
        return np.sqrt(_up(x))

    @impl(graph.RsqrtOp)
    @_kernel
    def run_rsqrt(self, op: graph.RsqrtOp, x: np.ndarray) -> np.ndarray:
        return 1 / np.sqrt(_up(x))

    @impl(graph.ReciprocalOp)
    @_kernel
    def run_reciprocal(self, op: graph.ReciprocalOp, x: np.ndarray) -> np.ndarray:
        return 1 / _up(x)

    @impl(graph.ReluOp)
    @_kernel
    def run_relu(self, op: graph.ReluOp, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0)

    @impl(graph.SigmoidOp)
    @_kernel
    def run_sigmoid(self, op: graph.SigmoidOp, x: np.ndarray) -> np.ndarray:
        return _sigmoid(_up(x))

    @impl(graph.TanhOp)
    @_kernel
    def run_tanh(self, op: graph.TanhOp, x: np.ndarray) -> np.ndarray:
        return np.tanh(_up(x))

    @impl(graph.ErfOp)
    @_kernel
    def run_erf(self, op: graph.ErfOp, x: np.ndarray) -> np.ndarray:
        return _erf(_up(x))

    @impl(graph.SiluOp)
    @_kernel
    def run_silu(self, op: graph.SiluOp, x: np.ndarray) -> np.ndarray:
        x = _up(x)
        return x * _sigmoid(x)

    @impl(graph.GeluOp)
    @_kernel
    def run_gelu(self, op: graph.GeluOp, x: np.ndarray) -> np.ndarray:
        return _gelu(_up(x), op.approximate.data)

    # binary (numpy broadcasting)

    @impl(graph.AddOp)
    @_kernel
    def run_add(self, op: graph.AddOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _no_bool("add", a, b)
        return np.add(_up(a), _up(b))

    @impl(graph.SubOp)
    @_kernel
    def run_sub(self, op: graph.SubOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _no_bool("sub", a, b)
        return np.subtract(_up(a), _up(b))

    @impl(graph.MulOp)
    @_kernel
    def run_mul(self, op: graph.MulOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _no_bool("mul", a, b)
        return np.multiply(_up(a), _up(b))

    @impl(graph.DivOp)
    @_kernel
    def run_div(self, op: graph.DivOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _no_bool("div", a, b)
        if np.issubdtype(a.dtype, np.integer):
            return _int_div(a, b)
        return np.divide(_up(a), _up(b))

    @impl(graph.MaximumOp)
    @_kernel
    def run_maximum(self, op: graph.MaximumOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.maximum(a, b)  # propagates NaN, like PyTorch

    @impl(graph.MinimumOp)
    @_kernel
    def run_minimum(self, op: graph.MinimumOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.minimum(a, b)

    @impl(graph.PowOp)
    @_kernel
    def run_pow(self, op: graph.PowOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _no_bool("pow", a, b)
        return np.power(_up(a), _up(b))  # integer ** negative integer raises ValueError

    @impl(graph.WhereOp)
    @_kernel
    def run_where(
        self, op: graph.WhereOp, cond: np.ndarray, a: np.ndarray, b: np.ndarray
    ) -> np.ndarray:
        return np.where(cond, a, b)

    @impl(graph.CastOp)
    @_kernel
    def run_cast(self, op: graph.CastOp, x: np.ndarray) -> np.ndarray:
        assert isinstance(op.result.type, TensorType)
        return _convert(x, numpy_dtype(op.result.type.get_element_type()))

    # contractions

    @impl(graph.MatmulOp)
    @_kernel
    def run_matmul(self, op: graph.MatmulOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._matmul(op, a, b)

    @impl(graph.BatchMatmulOp)
    @_kernel
    def run_batch_matmul(self, op: graph.BatchMatmulOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.shape[:-2] != b.shape[:-2]:
            raise ValueError(f"batch dims differ: {_fmt(a.shape)} and {_fmt(b.shape)}")
        return self._matmul(op, a, b)

    @staticmethod
    def _matmul(
        op: graph.MatmulOp | graph.BatchMatmulOp, a: np.ndarray, b: np.ndarray
    ) -> np.ndarray:
        if op.transpose_a is not None:
            a = np.swapaxes(a, -1, -2)
        if op.transpose_b is not None:
            b = np.swapaxes(b, -1, -2)
        return np.matmul(_up(a), _up(b))

    @impl(graph.Conv2dOp)
    @_kernel
    def run_conv2d(
        self, op: graph.Conv2dOp, x: np.ndarray, w: np.ndarray, bias: np.ndarray | None = None
    ) -> np.ndarray:
        out = _conv2d(op, _up(x), _up(w))
        return out if bias is None else out + _up(bias).reshape(1, -1, 1, 1)

    # pooling / resize

    @impl(graph.MaxPool2dOp)
    @_kernel
    def run_max_pool2d(self, op: graph.MaxPool2dOp, x: np.ndarray) -> np.ndarray:
        out_hw = _pool_shape(op, x)
        xp = _pad_hw(x, op.padding.get_values(), -np.inf)
        kh, kw = op.kernel.get_values()
        stride = op.stride.get_values()
        taps = (_window(xp, i, j, out_hw, stride) for i in range(kh) for j in range(kw))
        return functools.reduce(np.maximum, taps)

    @impl(graph.AvgPool2dOp)
    @_kernel
    def run_avg_pool2d(self, op: graph.AvgPool2dOp, x: np.ndarray) -> np.ndarray:
        out_hw = _pool_shape(op, x)
        padding, stride = op.padding.get_values(), op.stride.get_values()
        xp = _pad_hw(_up(x), padding)
        valid = _pad_hw(np.ones(x.shape[-2:], dtype=xp.dtype), padding)
        kh, kw = op.kernel.get_values()
        total = sum(_window(xp, i, j, out_hw, stride) for i in range(kh) for j in range(kw))
        count = sum(_window(valid, i, j, out_hw, stride) for i in range(kh) for j in range(kw))
        if np.any(count == 0):
            raise ValueError("a pooling window lies entirely in the padding")
        return total / count

    @impl(graph.ResizeOp)
    @_kernel
    def run_resize(self, op: graph.ResizeOp, x: np.ndarray) -> np.ndarray:
        oh, ow = _result_shape(op)[2:]
        if DYNAMIC_INDEX in (oh, ow):
            raise ValueError("the result's H and W must be static to resize to them")
        if op.mode.data == "nearest":
            return x[:, :, _nearest_source(x.shape[2], oh)][..., _nearest_source(x.shape[3], ow)]
        h0, h1, fh = _bilinear_source(x.shape[2], oh)
        w0, w1, fw = _bilinear_source(x.shape[3], ow)
        x = _up(x)
        fh, fw = fh.astype(x.dtype)[:, None], fw.astype(x.dtype)[None, :]
        top = x[:, :, h0][..., w0] * (1 - fw) + x[:, :, h0][..., w1] * fw
        bottom = x[:, :, h1][..., w0] * (1 - fw) + x[:, :, h1][..., w1] * fw
        return top * (1 - fh) + bottom * fh

    # reductions / norms

    @impl(graph.ReduceSumOp)
    @_kernel
    def run_reduce_sum(self, op: graph.ReduceSumOp, x: np.ndarray) -> np.ndarray:
        _no_bool("reduce_sum", x)
        dtype = x.dtype if np.issubdtype(x.dtype, np.integer) else None  # ints wrap
        axes = self._axes(op, x.ndim)
        return np.sum(_up(x), axis=axes, keepdims=op.keepdims is not None, dtype=dtype)

    @impl(graph.ReduceMeanOp)
    @_kernel
    def run_reduce_mean(self, op: graph.ReduceMeanOp, x: np.ndarray) -> np.ndarray:
        _no_bool("reduce_mean", x)
        axes, keepdims = self._axes(op, x.ndim), op.keepdims is not None
        if not np.issubdtype(x.dtype, np.integer):
            return np.mean(_up(x), axis=axes, keepdims=keepdims)
        total = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64)
        count = math.prod(x.shape[a] for a in axes)
        return _int_div(total, np.int64(count))

    @impl(graph.ReduceMaxOp)
    @_kernel
    def run_reduce_max(self, op: graph.ReduceMaxOp, x: np.ndarray) -> np.ndarray:
        return np.max(x, axis=self._axes(op, x.ndim), keepdims=op.keepdims is not None)

    @staticmethod
    def _axes(
        op: graph.ReduceSumOp | graph.ReduceMeanOp | graph.ReduceMaxOp, rank: int
    ) -> tuple[int, ...]:
        """Normalized axes (the verifier guarantees they are in range)."""
        return tuple(a % rank for a in op.axes.get_values())

    @impl(graph.SoftmaxOp)
    @_kernel
    def run_softmax(self, op: graph.SoftmaxOp, x: np.ndarray) -> np.ndarray:
        x, axis = _up(x), _int(op.axis)
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)

    @impl(graph.LayerNormOp)
    @_kernel
    def run_layer_norm(
        self, op: graph.LayerNormOp, x: np.ndarray, w: np.ndarray, b: np.ndarray
    ) -> np.ndarray:
        x = _up(x)
        axes = tuple(range(_int(op.axis) % x.ndim, x.ndim))
        return _normalize(x, axes, op.epsilon.value.data) * _up(w) + _up(b)

    @impl(graph.GroupNormOp)
    @_kernel
    def run_group_norm(
        self, op: graph.GroupNormOp, x: np.ndarray, w: np.ndarray, b: np.ndarray
    ) -> np.ndarray:
        x, groups = _up(x), _int(op.num_groups)
        n, c = x.shape[:2]
        if c % groups:
            raise ValueError(f"channels {c} are not divisible into {groups} groups")
        y = _normalize(x.reshape(n, groups, -1), (2,), op.epsilon.value.data).reshape(x.shape)
        param_shape = (1, c) + (1,) * (x.ndim - 2)
        return y * _up(w).reshape(param_shape) + _up(b).reshape(param_shape)

    @impl(graph.RmsNormOp)
    @_kernel
    def run_rms_norm(self, op: graph.RmsNormOp, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        x = _up(x)
        ms = np.mean(np.square(x), axis=-1, keepdims=True)
        return x / np.sqrt(ms + op.epsilon.value.data) * _up(w)

    # data movement

    @impl(graph.ReshapeOp)
    @_kernel
    def run_reshape(self, op: graph.ReshapeOp, x: np.ndarray) -> np.ndarray:
        shape = _result_shape(op)
        if shape.count(DYNAMIC_INDEX) > 1:
            raise ValueError(f"cannot infer more than one dynamic dim of {_fmt(shape)}")
        return x.reshape(tuple(-1 if d == DYNAMIC_INDEX else d for d in shape))

    @impl(graph.TransposeOp)
    @_kernel
    def run_transpose(self, op: graph.TransposeOp, x: np.ndarray) -> np.ndarray:
        return np.transpose(x, op.perm.get_values())

    @impl(graph.ConcatOp)
    @_kernel
    def run_concat(self, op: graph.ConcatOp, *xs: np.ndarray) -> np.ndarray:
        return np.concatenate(xs, axis=_int(op.axis))

    @impl(graph.SliceOp)
    @_kernel
    def run_slice(self, op: graph.SliceOp, x: np.ndarray) -> np.ndarray:
        bounds = zip(
            op.start.get_values(), op.limit.get_values(), op.step.get_values(), strict=True
        )
        return x[tuple(slice(s, e, k) for s, e, k in bounds)]

    @impl(graph.UpdateSliceOp)
    @_kernel
    def run_update_slice(
        self, op: graph.UpdateSliceOp, dest: np.ndarray, update: np.ndarray, index: np.ndarray
    ) -> np.ndarray:
        axis = _int(op.axis) % dest.ndim
        start = int(np.asarray(index).reshape(-1)[0])
        if not 0 <= start <= dest.shape[axis] - update.shape[axis]:
            raise ValueError(
                f"index {start} puts an update of {update.shape[axis]} outside "
                f"{dest.shape[axis]} along axis {axis}"
            )
        out = dest.copy()
        where = [slice(None)] * dest.ndim
        where[axis] = slice(start, start + update.shape[axis])
        out[tuple(where)] = update
        return out

    @impl(graph.SplitOp)
    @_kernel
    def run_split(self, op: graph.SplitOp, x: np.ndarray) -> tuple[np.ndarray, ...]:
        axis = _int(op.axis) % x.ndim
        declared = [_result_shape(op, i)[axis] for i in range(len(op.results))]
        sizes = _static_sizes(declared, x.shape[axis], "split")
        return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))

    @impl(graph.GatherOp)
    @_kernel
    def run_gather(self, op: graph.GatherOp, data: np.ndarray, indices: np.ndarray) -> np.ndarray:
        return np.take(data, indices.astype(np.intp), axis=_int(op.axis))

    # values

    @impl(graph.WeightOp)
    @_kernel
    def run_weight(self, op: graph.WeightOp) -> np.ndarray:
        assert isinstance(op.result.type, TensorType)
        return self.weights.get(op.weight_name.data, op.result.type)

    @impl(graph.ConstantOp)
    @_kernel
    def run_constant(self, op: graph.ConstantOp) -> np.ndarray:
        return _constant(op.value)

    # structure: a fused group computes exactly what its body computes

    @impl(graph.FusedOp)
    def run_fused(
        self, interpreter: Interpreter, op: graph.FusedOp, args: PythonValues
    ) -> PythonValues:
        return interpreter.run_ssacfg_region(op.body, args, "graph.fused")

    @impl(graph.IfOp)
    def run_if(self, interpreter: Interpreter, op: graph.IfOp, args: PythonValues) -> PythonValues:
        taken = op.then_region if bool(np.asarray(args[0]).reshape(-1)[0]) else op.else_region
        return interpreter.run_ssacfg_region(taken, (), "graph.if")

    @impl(graph.LoopOp)
    def run_loop(
        self, interpreter: Interpreter, op: graph.LoopOp, args: PythonValues
    ) -> PythonValues:
        carried = tuple(args)
        for i in range(op.trip_count.value.data):
            index = np.array(i, dtype=np.int64)
            carried = interpreter.run_ssacfg_region(op.body, (index, *carried), "graph.loop")
        return carried

    @impl_terminator(graph.YieldOp)
    def run_yield(
        self, interpreter: Interpreter, op: graph.YieldOp, args: PythonValues
    ) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()


# --------------------------------------------------------------------------- public API


def run_function(
    module: ModuleOp,
    inputs: Sequence[np.ndarray],
    weights: WeightStore | None = None,
    function: str | None = None,
) -> list[np.ndarray]:
    """Run ``function`` (default: the first public func.func) on ``inputs``; return its results.

    The module is verified first and inputs are checked against the function's argument types
    (dynamic dims accept any size) and converted to the IR dtype. Missing weights are
    generated by a default ``WeightStore``. Results are fresh, writable arrays.
    """
    verify_module(module)
    func_op = _find_function(module, function)
    args = _check_inputs(func_op, inputs)
    _check_supported(module, func_op)

    from xdsl.interpreters.func import FuncFunctions  # ~0.15 s of imports: only when running

    interp = Interpreter(module)
    interp.register_implementations(FuncFunctions())
    interp.register_implementations(GraphFunctions(weights))
    try:
        results = interp.call_op(func_op, tuple(args))
    except GeError as e:
        e.__notes__ = []  # xDSL attaches the whole module in generic form; the location suffices
        raise
    return [np.require(r, requirements=["C", "O", "W"]) for r in results]


def random_inputs(func_op: func.FuncOp, seed: int = 0, dynamic_size: int = 4) -> list[np.ndarray]:
    """Deterministic inputs for ``func_op``: floats standard normal, integers in ``[0, 8)``
    (narrowed to the axis size when the argument is used directly as gather indices), i1
    random booleans; dynamic dims get ``dynamic_size``."""
    rng = np.random.default_rng(seed)
    body = func_op.body.blocks.first
    arrays = []
    for i, t in enumerate(func_op.function_type.inputs.data):
        if not isinstance(t, TensorType):
            raise GeError(f"input {i} of @{func_op.sym_name.data} has non-tensor type {t}")
        shape = tuple(dynamic_size if d == DYNAMIC_INDEX else d for d in t.get_shape())
        dtype = numpy_dtype(t.get_element_type())
        if dtype == np.bool_:
            arrays.append(rng.random(shape) < 0.5)
        elif np.issubdtype(dtype, np.integer):
            bound = _index_bound(body.args[i]) if body is not None else DEFAULT_INDEX_BOUND
            arrays.append(rng.integers(0, bound, size=shape).astype(dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(dtype))
    return arrays


def _index_bound(arg: SSAValue) -> int:
    """Upper bound for an integer input: smaller than every axis it directly gathers from."""
    bound = DEFAULT_INDEX_BOUND
    for use in arg.uses:
        op = use.operation
        if isinstance(op, graph.GatherOp) and use.index == 1:
            data = op.data.type
            assert isinstance(data, TensorType)
            size = data.get_shape()[_int(op.axis) % data.get_num_dims()]
            if size != DYNAMIC_INDEX:
                bound = min(bound, size)
    return max(bound, 1)


def _find_function(module: ModuleOp, name: str | None) -> func.FuncOp:
    funcs = [op for op in module.ops if isinstance(op, func.FuncOp)]
    if name is not None:
        found = next((f for f in funcs if f.sym_name.data == name), None)
        if found is None:
            known = ", ".join(f"@{f.sym_name.data}" for f in funcs) or "none"
            raise GeError(f"no function @{name} in the module (functions: {known})")
    else:
        public = [f for f in funcs if f.sym_visibility is None or f.sym_visibility.data == "public"]
        if not public:
            raise GeError("the module has no public func.func to run")
        found = public[0]
    if found.body.blocks.first is None:
        raise GeError(f"@{found.sym_name.data} is a declaration without a body", location_of(found))
    return found


def _check_inputs(func_op: func.FuncOp, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Check count and shapes of ``inputs``; return copies in the IR dtypes."""
    name, types = func_op.sym_name.data, func_op.function_type.inputs.data
    if len(inputs) != len(types):
        raise GeError(f"@{name} takes {len(types)} inputs, got {len(inputs)}")
    args = []
    for i, (x, t) in enumerate(zip(inputs, types, strict=True)):
        if not isinstance(t, TensorType):
            raise GeError(f"input {i} of @{name} has non-tensor type {t}")
        array, dtype = np.asarray(x), numpy_dtype(t.get_element_type())
        if not _shape_matches(array.shape, t.get_shape()):
            raise GeError(f"input {i} of @{name}: expected {t}, got shape {_fmt(array.shape)}")
        if not np.can_cast(array.dtype, dtype, "same_kind"):
            raise GeError(f"input {i} of @{name}: cannot convert {array.dtype} to {t}")
        args.append(array.astype(dtype))
    return args


def _check_supported(module: ModuleOp, entry: func.FuncOp) -> None:
    """Reject ops without an implementation up front, with their location, in ``entry`` and the
    functions it calls."""
    supported = (
        *graph.GRAPH_OPS,
        graph.FusedOp,
        graph.YieldOp,
        graph.IfOp,
        graph.LoopOp,
        func.ReturnOp,
        func.CallOp,
    )
    by_name = {op.sym_name.data: op for op in module.ops if isinstance(op, func.FuncOp)}
    todo, seen = [entry], {entry.sym_name.data}
    while todo:
        function = todo.pop()
        if function.body.blocks.first is None:
            raise GeError(f"@{function.sym_name.data} is called but has no body")
        for op in function.body.walk():
            if not isinstance(op, supported):
                raise GeError(
                    f"the reference interpreter does not support '{op.name}'", location_of(op)
                )
            if isinstance(op, func.CallOp):
                callee = by_name.get(op.callee.root_reference.data)
                if callee is not None and callee.sym_name.data not in seen:
                    seen.add(callee.sym_name.data)
                    todo.append(callee)
