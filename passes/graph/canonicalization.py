"""Canonicalization patterns of the graph dialect, run by xDSL's ``canonicalize`` pass.

Each op lists its patterns through a ``HasCanonicalizationPatternsTrait`` in
``dialects/graph.py`` (``ReshapeCanonicalization`` ...), which imports the tuples below on first
use. Every pattern preserves the reference interpreter's semantics exactly, bit for bit,
including the sign of zero, and it never turns a program that fails at run time into one
that succeeds (a reshape with two dynamic dims stays):

- ``reshape`` to its own type is removed (at most one dynamic dim: it is then the identity);
  ``reshape(reshape(x))`` becomes one reshape of ``x`` (``x`` itself when the types match)
  when the inner reshape cannot fail where the composite succeeds;
- ``transpose`` with the identity permutation is removed; ``transpose(transpose(x, p), q)``
  becomes ``transpose(x, [p[i] for i in q])``, or ``x`` when that is the identity;
- ``cast`` to the operand's own type is removed;
- ``x * 1``, ``1 * x``, ``x / 1``, ``x - (+0.0)``, ``x + (-0.0)``, ``(-0.0) + x`` (integer 0
  for integer tensors) are removed when the constant is a ``graph.constant`` whose elements
  all equal that value and broadcasting it cannot change ``x``'s shape. ``x + (+0.0)`` is not
  ``x`` (``-0.0 + 0.0 = +0.0``, which ``reciprocal`` tells apart), so only integer or ``-0.0``
  zeros are added away;
- ``matmul(a, transpose(b, swap of the last two dims))`` becomes ``matmul(a, b)`` with
  ``transpose_b`` toggled, likewise for the lhs and ``transpose_a`` (``graph.matmul`` and
  ``graph.batch_matmul``).

Constants are read with the interpreter's own ``graph.constant`` implementation, so a value is
compared after rounding to its element type (``dense<1.0001> : tensor<f16>`` is 1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import TensorType, UnitAttr
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern
from xdsl.utils.exceptions import VerifyException

from ge_compiler.dialects import graph, shapes
from ge_compiler.dialects.graph import i64_array
from ge_compiler.dialects.shapes import DYN

# --------------------------------------------------------------------------- helpers


def _shape(value: SSAValue) -> tuple[int, ...]:
    t = value.type
    assert isinstance(t, TensorType)
    return t.get_shape()


def _valid(op: Operation) -> bool:
    """Whether a freshly built op verifies (types along a chain may be less specific than the
    composite's: then the rewrite is skipped rather than producing invalid IR)."""
    try:
        op.verify()
    except VerifyException:
        return False
    return True


def _rebuild(
    op: Operation,
    operands: Sequence[SSAValue],
    properties: dict[str, Attribute],
) -> Operation:
    """A new op of ``op``'s class with ``op``'s result types, discardable attributes (stream
    hints) and location, and the given operands and properties."""
    new = type(op).create(
        operands=list(operands),
        result_types=[r.type for r in op.results],
        properties=properties,
        attributes=dict(op.attributes),
    )
    new.location = op.location
    return new


def _splat(value: SSAValue) -> np.ndarray | None:
    """The single element of a ``graph.constant`` whose elements are all equal (bitwise, so
    +0.0 and -0.0 differ), as the interpreter reads it (a 0-d array); else None."""
    owner = value.owner
    if not isinstance(owner, graph.ConstantOp):
        return None
    from ge_compiler.passes.graph.constant_fold import constant_value

    array = constant_value(owner)
    if array.size == 0 or array.dtype == np.bool_:  # i1 arithmetic is an error: keep it
        return None
    flat = np.ascontiguousarray(array).reshape(-1)
    first = flat[:1]
    if flat.view(np.uint8).tobytes() != np.repeat(first, flat.size).view(np.uint8).tobytes():
        return None
    return first.reshape(())


def _is_one(c: np.ndarray) -> bool:
    return bool(c == 1)


def _is_zero_added(c: np.ndarray) -> bool:
    """``x + c == x`` for every x: integer 0 or float -0.0."""
    if np.issubdtype(c.dtype, np.integer):
        return bool(c == 0)
    return bool(c == 0) and bool(np.signbit(c))


def _is_zero_subtracted(c: np.ndarray) -> bool:
    """``x - c == x`` for every x: integer 0 or float +0.0."""
    if np.issubdtype(c.dtype, np.integer):
        return bool(c == 0)
    return bool(c == 0) and not bool(np.signbit(c))


def _broadcast_keeps(x: SSAValue, c: SSAValue) -> bool:
    """Broadcasting ``c`` against ``x`` leaves ``x``'s shape unchanged at run time: each dim of
    ``c`` (right-aligned) is 1 or equals a static dim of ``x``. (``tensor<?xf32>`` times
    ``tensor<3xf32>`` would turn a run-time size 1 into 3.)"""
    xs, cs = _shape(x), _shape(c)
    if len(cs) > len(xs):
        return False
    aligned = xs[len(xs) - len(cs) :]
    return all(d == 1 or (d == e and e != DYN) for d, e in zip(cs, aligned, strict=True))


def _binary_identity(
    op: graph.AddOp | graph.SubOp | graph.MulOp | graph.DivOp,
    x: SSAValue,
    c: SSAValue,
    neutral: Callable[[np.ndarray], bool],
    rewriter: PatternRewriter,
) -> bool:
    """Replace ``op`` by ``x`` if ``c`` is a splat constant for which ``neutral`` holds."""
    if op.result.type != x.type or not _broadcast_keeps(x, c):
        return False
    value = _splat(c)
    if value is None or not neutral(value):
        return False
    rewriter.replace(op, [], [x])
    return True


def _is_identity(perm: Sequence[int]) -> bool:
    return list(perm) == list(range(len(perm)))


def _reshape_succeeds(numel: int, shape: Sequence[int]) -> bool:
    """Whether the interpreter's reshape of ``numel`` elements to ``shape`` succeeds."""
    dynamic = [d for d in shape if d == DYN]
    known = int(np.prod([d for d in shape if d != DYN], dtype=np.int64))
    if len(dynamic) > 1:
        return False
    if not dynamic:
        return known == numel
    return known != 0 and numel % known == 0  # numpy cannot infer a dim next to a 0


# --------------------------------------------------------------------------- reshape


class RemoveIdentityReshape(RewritePattern):
    """``reshape x : T -> T`` is ``x`` (with at most one dynamic dim; with more the
    interpreter cannot infer them and the op fails, so it stays)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ReshapeOp, rewriter: PatternRewriter) -> None:
        if op.result.type == op.input.type and _shape(op.input).count(DYN) <= 1:
            rewriter.replace(op, [], [op.input])


class ComposeReshapes(RewritePattern):
    """``reshape(reshape(x))`` is one reshape of ``x``: reshapes only reinterpret the row-major
    element order. Done when the inner reshape cannot fail where the composite succeeds: ``x``
    is static and the inner reshape succeeds on it, or both results are static."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.ReshapeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, graph.ReshapeOp):
            return
        x = inner.input
        xs, mid, out = _shape(x), _shape(inner.result), _shape(op.result)
        n = shapes.numel(xs)
        if n is not None:
            if not _reshape_succeeds(n, mid):
                return
        elif shapes.numel(mid) is None or shapes.numel(out) is None:
            return
        if op.result.type == x.type and xs.count(DYN) <= 1:
            rewriter.replace(op, [], [x])
            return
        new = _rebuild(op, [x], {})
        if _valid(new):
            rewriter.replace(op, new)


RESHAPE_PATTERNS: tuple[RewritePattern, ...] = (RemoveIdentityReshape(), ComposeReshapes())


# --------------------------------------------------------------------------- transpose


class RemoveIdentityTranspose(RewritePattern):
    """``transpose x {perm = [0, 1, ..., n-1]}`` is ``x``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.TransposeOp, rewriter: PatternRewriter) -> None:
        if _is_identity(op.perm.get_values()) and op.result.type == op.input.type:
            rewriter.replace(op, [], [op.input])


class ComposeTransposes(RewritePattern):
    """``transpose(transpose(x, p), q)`` is ``transpose(x, c)`` with ``c[i] = p[q[i]]`` (result
    dim i is dim q[i] of the middle value, which is dim p[q[i]] of x); ``x`` if c is the
    identity."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.TransposeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, graph.TransposeOp):
            return
        p, q = inner.perm.get_values(), op.perm.get_values()
        composed = [p[i] for i in q]
        x = inner.input
        if _is_identity(composed) and op.result.type == x.type:
            rewriter.replace(op, [], [x])
            return
        new = _rebuild(op, [x], {**op.properties, "perm": i64_array(composed)})
        if _valid(new):
            rewriter.replace(op, new)


TRANSPOSE_PATTERNS: tuple[RewritePattern, ...] = (RemoveIdentityTranspose(), ComposeTransposes())


# --------------------------------------------------------------------------- cast


class RemoveIdentityCast(RewritePattern):
    """``cast x : T -> T`` is ``x`` (converting to the same element type changes nothing)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.CastOp, rewriter: PatternRewriter) -> None:
        if op.result.type == op.input.type:
            rewriter.replace(op, [], [op.input])


CAST_PATTERNS: tuple[RewritePattern, ...] = (RemoveIdentityCast(),)


# --------------------------------------------------------------------------- arithmetic


class RemoveMulByOne(RewritePattern):
    """``x * 1`` and ``1 * x`` are ``x``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.MulOp, rewriter: PatternRewriter) -> None:
        if not _binary_identity(op, op.lhs, op.rhs, _is_one, rewriter):
            _binary_identity(op, op.rhs, op.lhs, _is_one, rewriter)


class RemoveAddZero(RewritePattern):
    """``x + 0`` and ``0 + x`` are ``x`` for integer 0 and float -0.0 (not +0.0: it turns a
    -0.0 into +0.0)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.AddOp, rewriter: PatternRewriter) -> None:
        if not _binary_identity(op, op.lhs, op.rhs, _is_zero_added, rewriter):
            _binary_identity(op, op.rhs, op.lhs, _is_zero_added, rewriter)


class RemoveSubZero(RewritePattern):
    """``x - 0`` is ``x`` for integer 0 and float +0.0 (``x - (-0.0)`` is ``x + 0.0``)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.SubOp, rewriter: PatternRewriter) -> None:
        _binary_identity(op, op.lhs, op.rhs, _is_zero_subtracted, rewriter)


class RemoveDivByOne(RewritePattern):
    """``x / 1`` is ``x`` (also for integers, which divide truncating toward zero)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: graph.DivOp, rewriter: PatternRewriter) -> None:
        _binary_identity(op, op.lhs, op.rhs, _is_one, rewriter)


MUL_PATTERNS: tuple[RewritePattern, ...] = (RemoveMulByOne(),)
ADD_PATTERNS: tuple[RewritePattern, ...] = (RemoveAddZero(),)
SUB_PATTERNS: tuple[RewritePattern, ...] = (RemoveSubZero(),)
DIV_PATTERNS: tuple[RewritePattern, ...] = (RemoveDivByOne(),)


# --------------------------------------------------------------------------- matmul


_FLAGS = ("transpose_a", "transpose_b")


def _swaps_last_two(perm: Sequence[int]) -> bool:
    n = len(perm)
    return n >= 2 and list(perm) == [*range(n - 2), n - 1, n - 2]


class FoldTransposeIntoMatmul(RewritePattern):
    """``matmul(a, transpose(b, [..., n-1, n-2]))`` is ``matmul(a, b)`` with ``transpose_b``
    toggled (the op swaps the last two dims of b itself); likewise for the lhs and
    ``transpose_a``. Batch dims are untouched, so this holds for batch_matmul too."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: graph.MatmulOp | graph.BatchMatmulOp, rewriter: PatternRewriter
    ) -> None:
        for index, flag in ((1, "transpose_b"), (0, "transpose_a")):
            t = op.operands[index].owner
            if not isinstance(t, graph.TransposeOp) or not _swaps_last_two(t.perm.get_values()):
                continue
            operands = list(op.operands)
            operands[index] = t.input
            flags = {f for f in _FLAGS if f in op.properties} ^ {flag}
            props = {k: v for k, v in op.properties.items() if k not in _FLAGS}
            props.update((f, UnitAttr()) for f in _FLAGS if f in flags)  # printed a, b
            new = _rebuild(op, operands, props)
            if _valid(new):
                rewriter.replace(op, new)
                return


MATMUL_PATTERNS: tuple[RewritePattern, ...] = (FoldTransposeIntoMatmul(),)
