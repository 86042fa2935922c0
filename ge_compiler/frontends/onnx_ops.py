"""ONNX math ops -> graph ops: elementwise, activations, contractions, reductions, softmax.

Activations the graph dialect lacks (LeakyRelu, Elu, HardSigmoid, ...) are composed from its
elementwise ops, so fusion sees them as one elementwise group anyway.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ge_compiler.builder import Tensor
from ge_compiler.dialects.shapes import DYN
from ge_compiler.frontends.onnx_common import ONNX_DTYPES, Ctx, converter, dtype_name, is_float

_BINARY = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div"}
_UNARY = {
    "Sqrt": "sqrt", "Exp": "exp", "Log": "log", "Relu": "relu", "Sigmoid": "sigmoid",
    "Tanh": "tanh", "Erf": "erf", "Reciprocal": "reciprocal",
}  # fmt: skip


@converter(*_BINARY)
def _binary(ctx: Ctx, node: Any) -> list[Tensor]:
    return [getattr(ctx.b, _BINARY[node.op_type])(ctx.x(0), ctx.x(1))]


@converter("Pow")
def _pow(ctx: Ctx, node: Any) -> list[Tensor]:
    base, exponent = ctx.x(0), ctx.x(1)
    if not is_float(base):
        raise ctx.unsupported(f"integer base ({base.dtype})")
    if exponent.dtype != base.dtype:  # ONNX allows e.g. f32 ** i64
        exponent = ctx.b.cast(exponent, str(base.dtype))
    return [ctx.b.pow(base, exponent)]


@converter(*_UNARY)
def _unary(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    if not is_float(x):
        raise ctx.unsupported(f"element type {x.dtype} (float only)")
    return [getattr(ctx.b, _UNARY[node.op_type])(x)]


@converter("Neg", "Abs")
def _neg_abs(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = ctx.x(0), ctx.b
    if is_float(x):
        return [b.neg(x) if node.op_type == "Neg" else b.abs(x)]
    if str(x.dtype) == "i1":
        raise ctx.unsupported("element type i1")
    neg = b.sub(ctx.scalar(0, x), x)  # integers: 0 - x, max(x, -x)
    return [neg if node.op_type == "Neg" else b.maximum(x, neg)]


@converter("Max", "Min", "Sum", "Mean")
def _variadic(ctx: Ctx, node: Any) -> list[Tensor]:
    xs = ctx.inputs()
    op = {"Max": ctx.b.maximum, "Min": ctx.b.minimum}.get(node.op_type, ctx.b.add)
    out = functools.reduce(op, xs)
    if node.op_type == "Mean":
        out = ctx.b.div(out, ctx.scalar(len(xs), out))
    return [out]


@converter("Identity", "Dropout")
def _identity(ctx: Ctx, node: Any) -> list[Any]:
    if node.op_type == "Dropout" and ctx.has_input(2):
        training = ctx.const(2, "training_mode")
        if bool(np.asarray(training).reshape(-1)[0]):
            raise ctx.unsupported("training_mode=True")
    return [ctx.value(0)]


@converter("Where")
def _where(ctx: Ctx, node: Any) -> list[Tensor]:
    return [ctx.b.where(ctx.x(0), ctx.x(1), ctx.x(2))]


@converter("Cast", "CastLike")
def _cast(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    if node.op_type == "Cast":
        target = dtype_name(ctx.attr("to"), f"{ctx.where()}: cast target")
    else:
        target = str(ctx.x(1).dtype)
    if target == str(x.dtype):
        return [x]
    if is_float(x) and target in ("i8", "i32", "i64"):
        raise ctx.unsupported(
            "float -> integer cast of a runtime tensor (ONNX truncates, graph.cast rounds)"
        )
    return [ctx.b.cast(x, target)]


# --------------------------------------------------------------------------- activations


def _neg_part(ctx: Ctx, x: Tensor) -> Tensor:
    """min(x, 0) as -relu(-x)."""
    return ctx.b.neg(ctx.b.relu(ctx.b.neg(x)))


def _float_input(ctx: Ctx) -> Tensor:
    x = ctx.x(0)
    if not is_float(x):
        raise ctx.unsupported(f"element type {x.dtype} (float only)")
    return x


@converter("LeakyRelu", "PRelu")
def _leaky(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = _float_input(ctx), ctx.b
    slope = ctx.x(1) if node.op_type == "PRelu" else ctx.scalar(ctx.attr("alpha", 0.01), x)
    return [b.add(b.relu(x), b.mul(slope, _neg_part(ctx, x)))]


@converter("Elu", "Selu", "Celu")
def _elu(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = _float_input(ctx), ctx.b
    default_alpha = 1.67326319217681884765625 if node.op_type == "Selu" else 1.0
    alpha = float(ctx.attr("alpha", default_alpha))
    neg = _neg_part(ctx, x)
    if node.op_type == "Celu":
        neg = b.div(neg, ctx.scalar(alpha, x))
    expm1 = b.sub(b.exp(neg), ctx.scalar(1.0, x))
    out = b.add(b.relu(x), b.mul(ctx.scalar(alpha, x), expm1))
    if node.op_type == "Selu":
        out = b.mul(out, ctx.scalar(float(ctx.attr("gamma", 1.05070102214813232421875)), x))
    return [out]


def _hard_sigmoid(ctx: Ctx, x: Tensor, alpha: float, beta: float) -> Tensor:
    b = ctx.b
    y = b.add(b.mul(x, ctx.scalar(alpha, x)), ctx.scalar(beta, x))
    return b.maximum(b.minimum(y, ctx.scalar(1.0, x)), ctx.scalar(0.0, x))


@converter("HardSigmoid", "HardSwish")
def _hard(ctx: Ctx, node: Any) -> list[Tensor]:
    x = _float_input(ctx)
    if node.op_type == "HardSwish":
        return [ctx.b.mul(x, _hard_sigmoid(ctx, x, 1 / 6, 0.5))]
    return [_hard_sigmoid(ctx, x, ctx.attr("alpha", 0.2), ctx.attr("beta", 0.5))]


def _softplus(ctx: Ctx, x: Tensor) -> Tensor:
    """log(1 + exp(x)) as relu(x) + log(1 + exp(-|x|)): no overflow for large x."""
    b = ctx.b
    tail = b.log(b.add(ctx.scalar(1.0, x), b.exp(b.neg(b.abs(x)))))
    return b.add(b.relu(x), tail)


@converter("Softplus", "Softsign", "Mish", "Swish", "Gelu")
def _smooth(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = _float_input(ctx), ctx.b
    if node.op_type == "Softplus":
        return [_softplus(ctx, x)]
    if node.op_type == "Softsign":
        return [b.div(x, b.add(ctx.scalar(1.0, x), b.abs(x)))]
    if node.op_type == "Mish":
        return [b.mul(x, b.tanh(_softplus(ctx, x)))]
    if node.op_type == "Swish":
        alpha = float(ctx.attr("alpha", 1.0))
        return [b.silu(x) if alpha == 1.0 else b.mul(x, b.sigmoid(b.mul(x, ctx.scalar(alpha, x))))]
    approximate = ctx.attr("approximate", b"none")
    approximate = approximate.decode() if isinstance(approximate, bytes) else approximate
    return [b.gelu(x, approximate)]


@converter("Clip")
def _clip(ctx: Ctx, node: Any) -> list[Tensor]:
    x = ctx.x(0)
    if ctx.has_input(1):
        x = ctx.b.maximum(x, ctx.x(1))
    if ctx.has_input(2):
        x = ctx.b.minimum(x, ctx.x(2))
    return [x]


# --------------------------------------------------------------------------- contractions


@converter("MatMul")
def _matmul(ctx: Ctx, node: Any) -> list[Tensor]:
    a, w, b = ctx.x(0), ctx.x(1), ctx.b
    if not (is_float(a) and is_float(w)):
        raise ctx.unsupported("integer matmul")
    a_vec, w_vec = len(a.shape) == 1, len(w.shape) == 1
    if a_vec:
        a = b.reshape(a, (1, a.shape[0]))
    if w_vec:
        w = b.reshape(w, (w.shape[0], 1))
    y = b.matmul(a, w)
    if a_vec or w_vec:
        shape = list(y.shape)
        drop = [len(shape) - 2] * a_vec + [len(shape) - 1] * w_vec
        y = b.reshape(y, [d for i, d in enumerate(shape) if i not in drop])
    return [y]


@converter("Gemm")
def _gemm(ctx: Ctx, node: Any) -> list[Tensor]:
    b = ctx.b
    y = b.matmul(ctx.x(0), ctx.x(1), bool(ctx.attr("transA", 0)), bool(ctx.attr("transB", 0)))
    alpha, beta = float(ctx.attr("alpha", 1.0)), float(ctx.attr("beta", 1.0))
    if alpha != 1.0:
        y = b.mul(y, ctx.scalar(alpha, y))
    if ctx.has_input(2) and beta != 0.0:
        c = ctx.x(2)
        if beta != 1.0:
            c = b.mul(c, ctx.scalar(beta, c))
        y = b.add(y, c)
    return [y]


# --------------------------------------------------------------------------- reductions

_REDUCE = ("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2",
           "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp")  # fmt: skip


@converter(*_REDUCE)
def _reduce(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b, op = ctx.x(0), ctx.b, node.op_type
    axes = ctx.ints_attr_or_input("axes", 1, "axes")
    keep = bool(ctx.attr("keepdims", 1))
    if not axes:
        if ctx.attr("noop_with_empty_axes", 0):
            return [x]
        axes = list(range(len(x.shape)))
    if op not in ("ReduceSum", "ReduceMean", "ReduceMax") and not is_float(x):
        raise ctx.unsupported(f"element type {x.dtype} (float only)")
    if op in ("ReduceSum", "ReduceMean", "ReduceMax"):
        fn = {"ReduceSum": b.reduce_sum, "ReduceMean": b.reduce_mean, "ReduceMax": b.reduce_max}
        return [fn[op](x, axes, keep)]
    if op == "ReduceMin":
        return [b.neg(b.reduce_max(b.neg(x), axes, keep))]
    if op == "ReduceL1":
        return [b.reduce_sum(b.abs(x), axes, keep)]
    if op in ("ReduceL2", "ReduceSumSquare"):
        s = b.reduce_sum(b.mul(x, x), axes, keep)
        return [b.sqrt(s) if op == "ReduceL2" else s]
    if op == "ReduceLogSum":
        return [b.log(b.reduce_sum(x, axes, keep))]
    m = b.reduce_max(x, axes, True)  # ReduceLogSumExp, shifted by the max
    s = b.log(b.reduce_sum(b.exp(b.sub(x, m)), axes, keep))
    return [b.add(s, m if keep else b.reduce_max(x, axes, False))]


@converter("Softmax", "LogSoftmax")
def _softmax(ctx: Ctx, node: Any) -> list[Tensor]:
    x, b = _float_input(ctx), ctx.b
    axis = int(ctx.attr("axis", -1))
    if node.op_type == "Softmax":
        return [b.softmax(x, axis)]
    shifted = b.sub(x, b.reduce_max(x, [axis], True))
    return [b.sub(shifted, b.log(b.reduce_sum(b.exp(shifted), [axis], True)))]


# --------------------------------------------------------------------------- einsum


def _einsum_terms(ctx: Ctx, eq: str, ranks: list[int]) -> tuple[list[str], str]:
    """Explicit index strings, with ``...`` expanded to capital letters."""
    eq = eq.replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise ctx.unsupported(f"equation '{eq}' names {len(terms)} operands")
    ell = ""
    out_terms = []
    for t, r in zip(terms, ranks, strict=True):
        if "..." in t:
            n = r - (len(t) - 3)
            e = "ABCDEFGHIJKLMNOP"[16 - n :] if n else ""
            ell = e if len(e) > len(ell) else ell
            t = t.replace("...", e)
        out_terms.append(t)
    if "->" not in eq:  # implicit output: ellipsis, then letters used once, sorted
        letters = "".join(out_terms)
        rhs = "..." + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    rhs = rhs.replace("...", ell)
    for t in out_terms:
        if len(set(t)) != len(t):
            raise ctx.unsupported(f"equation '{eq}': repeated index in one operand (diagonal)")
    return out_terms, rhs


def _sum_out(ctx: Ctx, x: Tensor, term: str, keep: str) -> tuple[Tensor, str]:
    axes = [i for i, c in enumerate(term) if c not in keep]
    if not axes:
        return x, term
    return ctx.b.reduce_sum(x, axes), "".join(c for c in term if c in keep)


def _permute(ctx: Ctx, x: Tensor, term: str, order: str) -> Tensor:
    perm = [term.index(c) for c in order]
    return x if perm == sorted(perm) else ctx.b.transpose(x, perm)


@converter("Einsum")
def _einsum(ctx: Ctx, node: Any) -> list[Tensor]:
    xs, b = ctx.inputs(), ctx.b
    eq = ctx.attr("equation").decode()
    terms, out = _einsum_terms(ctx, eq, [len(x.shape) for x in xs])
    if len(xs) == 1:
        y, t = _sum_out(ctx, xs[0], terms[0], out)
        return [_permute(ctx, y, t, out)]
    if len(xs) != 2:
        raise ctx.unsupported(f"equation '{eq}' with {len(xs)} operands (1 or 2 supported)")
    (a, ta), (w, tw) = (_sum_out(ctx, xs[0], terms[0], out + terms[1]),
                        _sum_out(ctx, xs[1], terms[1], out + terms[0]))  # fmt: skip
    batch = "".join(c for c in ta if c in tw and c in out)
    contract = "".join(c for c in ta if c in tw and c not in out)
    left = "".join(c for c in ta if c not in tw)
    right = "".join(c for c in tw if c not in ta)
    size = {c: d for t, x in ((ta, a), (tw, w)) for c, d in zip(t, x.shape, strict=True)}
    if DYN in size.values():
        raise ctx.unsupported("einsum needs static shapes")
    sb = [size[c] for c in batch]
    n = [int(np.prod([size[c] for c in g], dtype=np.int64)) for g in (left, contract, right)]
    a2 = b.reshape(_permute(ctx, a, ta, batch + left + contract), [*sb, n[0], n[1]])
    w2 = b.reshape(_permute(ctx, w, tw, batch + contract + right), [*sb, n[1], n[2]])
    y = b.reshape(b.matmul(a2, w2), [size[c] for c in batch + left + right])
    return [_permute(ctx, y, batch + left + right, out)]


__all__ = ["ONNX_DTYPES"]
