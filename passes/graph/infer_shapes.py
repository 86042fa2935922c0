"""infer-shapes: static shape inference and symbolic upper bounds for dynamic dims.

Static. Every graph op's result type is recomputed from its operand types with the shape rules
of ``dialects/shapes.py`` (the functions the verifiers check against) and met with the type the
IR declares: a ``?`` the operands determine becomes that size, a size the IR states stays (the
verifier already accepted it as compatible), and two different sizes are an error. Ops are
visited in program order, so refinements flow forward: a function that wrote
``tensor<?x4xf32>`` for values that are really ``2x4`` comes out fully static. Where the shape
rules cannot see a size, the pass adds what is implied by the op's meaning: the one dynamic
dim of a reshape result from the element count, the one dynamic piece of a split from the
rest, the non-concatenated dims of a concat from any input that knows them. ``graph.fused``
bodies are inferred with their block arguments typed as the group's inputs, and the group's
result types follow its ``graph.yield``; function result types follow ``func.return``, and a
``func.call``'s results follow its callee (which is inferred first). Every rewritten op is
verified on the spot, so an inconsistency is reported at that op's ``file:line:col`` as a
``GeError``. Function arguments are never changed. An op the pass does not understand (not a
graph op, ``func.return`` or ``graph.yield``; e.g. a ``func.call``, whose callee takes the old
types) still reads a refined value at its old type: a reshape read only by such ops keeps its
old result type, any other value is read through a ``graph.reshape`` back to it.

Symbolic. A dynamic input dim may declare an upper bound with the argument attribute
``graph.dim_bounds``, one entry per dim of the argument (static dims repeat their size, ``-1``
leaves a dynamic dim unbounded)::

    func.func @encode(%ids: tensor<?x77xi64> {graph.dim_bounds = array<i64: 8, 77>}) -> ...

Bounds propagate through every graph op: elementwise and broadcasting ops (the larger of two
dynamic dims, a dim broadcast against 1 keeps its bound), matmul (M, N, broadcast or equal batch
dims), conv/pool windows (the output size at the input bound), reductions, reshape (element
count bound / the static dims' product), transpose, concat (sum along the axis), slice (also
without an input bound: a slice is never longer than ``limit - start``), split, gather (data and
index bounds) and ``graph.fused`` bodies. An op with a result dim that stays dynamic but has a
bound gets the discardable attribute ``graph.dim_bounds = array<i64: ...>``: one entry per dim
of each result (results concatenated in order), static dims their size, ``-1`` for an unbounded
dim. Function results with bounded dynamic dims get the same attribute as a result attribute
(``-> (tensor<?x4xf32> {graph.dim_bounds = array<i64: 8, 4>})``), which is also how a caller
learns the bounds of a ``func.call``. Memory planning can then plan a dynamic tensor at its
bound. Bounds assume no dynamic dim is 0 at run time (a tensor with a zero dim has no elements,
so planning at the bound stays safe). Rerunning the pass recomputes every bound attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import prod

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    FunctionType,
    ModuleOp,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from ge_compiler.dialects import graph, shapes, symbols
from ge_compiler.dialects.shapes import DYN, Shape, ShapeError, fmt
from ge_compiler.errors import GeError
from ge_compiler.ir import location_of

BOUNDS_ATTR = "graph.dim_bounds"
"""Upper bounds of a value's dims: on function arguments (input), on ops and results (output)."""

Bounds = tuple[int | None, ...]
"""Per dim: the size of a static dim, the upper bound of a dynamic one, None if unbounded."""

UNARY = (
    graph.NegOp, graph.AbsOp, graph.ExpOp, graph.LogOp, graph.SqrtOp, graph.RsqrtOp,
    graph.ReciprocalOp, graph.ReluOp, graph.SigmoidOp, graph.TanhOp, graph.ErfOp, graph.SiluOp,
    graph.GeluOp, graph.CastOp, graph.SoftmaxOp,
    graph.LayerNormOp, graph.GroupNormOp, graph.RmsNormOp,
)  # fmt: skip
"""Ops whose result has the shape of their (first) operand ``input``."""
BINARY = (
    graph.AddOp, graph.SubOp, graph.MulOp, graph.DivOp, graph.MaximumOp, graph.MinimumOp,
    graph.PowOp,
)  # fmt: skip
MATMUL = (graph.MatmulOp, graph.BatchMatmulOp)
POOL = (graph.MaxPool2dOp, graph.AvgPool2dOp)
REDUCE = (graph.ReduceSumOp, graph.ReduceMeanOp, graph.ReduceMaxOp)
VALUES = (graph.WeightOp, graph.ConstantOp)


def _shape(v: SSAValue) -> Shape:
    return graph.shape_of(v)


def _declared(op: Operation) -> list[Shape]:
    return [_shape(r) for r in op.results]


# --------------------------------------------------------------------------- static shapes


def infer_result_shapes(op: Operation) -> list[Shape]:
    """The result shapes of graph op ``op`` implied by its operands (and its declared types for
    what only they carry: reshape targets, resize sizes, split pieces). Raises ShapeError."""
    s = _shape
    match op:
        case graph.WhereOp():
            return [shapes.broadcast(shapes.broadcast(s(op.cond), s(op.lhs)), s(op.rhs))]
        case _ if isinstance(op, BINARY):
            return [shapes.broadcast(s(op.lhs), s(op.rhs))]
        case _ if isinstance(op, UNARY):
            return [s(op.input)]
        case graph.MatmulOp() | graph.BatchMatmulOp():
            ta, tb = op.transpose_a is not None, op.transpose_b is not None
            return [shapes.matmul(s(op.lhs), s(op.rhs), ta, tb, op.BATCHED)]
        case graph.Conv2dOp():
            stride, padding = op.stride.get_values(), op.padding.get_values()
            dilation, groups = op.dilation.get_values(), op.groups.value.data
            return [shapes.conv2d(s(op.input), s(op.filter), stride, padding, dilation, groups)]
        case graph.MaxPool2dOp() | graph.AvgPool2dOp():
            kernel, stride, padding = (a.get_values() for a in (op.kernel, op.stride, op.padding))
            return [shapes.pool2d(s(op.input), kernel, stride, padding)]
        case graph.ResizeOp():
            x, y = s(op.input), s(op.result)
            if len(x) != 4 or len(y) != 4:
                raise ShapeError(f"input and result must be rank 4 (NCHW), got {fmt(x)}, {fmt(y)}")
            return [(x[0], x[1], y[2], y[3])]
        case graph.ReduceSumOp() | graph.ReduceMeanOp() | graph.ReduceMaxOp():
            return [shapes.reduce(s(op.input), op.axes.get_values(), op.keepdims is not None)]
        case graph.ReshapeOp():
            return [_reshape(s(op.input), s(op.result))]
        case graph.TransposeOp():
            return [shapes.transpose(s(op.input), op.perm.get_values())]
        case graph.ConcatOp():
            return [_concat([s(v) for v in op.inputs], op.axis.value.data)]
        case graph.SliceOp():
            bounds = (op.start.get_values(), op.limit.get_values(), op.step.get_values())
            return [shapes.slice_(s(op.input), *bounds)]
        case graph.SplitOp():
            return _split(s(op.input), [s(r) for r in op.outputs], op.axis.value.data)
        case graph.GatherOp():
            return [shapes.gather(s(op.data), s(op.indices), op.axis.value.data)]
    return _declared(op)  # weights, constants: their type is their shape


def _reshape(x: Shape, y: Shape) -> Shape:
    """The one dynamic dim of a reshape target, from a static input's element count."""
    n = shapes.numel(x)
    dynamic = [i for i, d in enumerate(y) if d == DYN]
    if n is None or len(dynamic) != 1:
        return y
    rest = prod(d for d in y if d != DYN)
    if rest == 0 or n % rest:
        raise ShapeError(f"cannot reshape {fmt(x)} ({n} elements) to {fmt(y)}")
    return tuple(n // rest if d == DYN else d for d in y)


def _concat(xs: Sequence[Shape], axis: int) -> Shape:
    """``shapes.concat``, plus: a dim outside the axis is known if any input knows it."""
    out = list(shapes.concat(xs, axis))
    ax = shapes.normalize_axis(axis, len(out))
    for i, d in enumerate(out):
        if i != ax and d == DYN:
            out[i] = next((x[i] for x in xs if x[i] != DYN), DYN)
    return tuple(out)


def _split(x: Shape, pieces: Sequence[Shape], axis: int) -> list[Shape]:
    """Pieces take the input's dims outside the axis; one dynamic piece gets the remainder."""
    ax = shapes.normalize_axis(axis, len(x))
    out = []
    for p in pieces:
        if len(p) != len(x):
            raise ShapeError(f"result {fmt(p)} differs from input {fmt(x)} in rank")
        out.append([p[i] if i == ax else x[i] for i in range(len(x))])
    dynamic = [i for i, p in enumerate(pieces) if p[ax] == DYN]
    if x[ax] != DYN and len(dynamic) == 1:
        rest = x[ax] - sum(p[ax] for p in pieces if p[ax] != DYN)
        if rest < 0:
            raise ShapeError(f"results along axis {ax} are longer than the input {fmt(x)}")
        out[dynamic[0]][ax] = rest
    return [tuple(p) for p in out]


def meet(inferred: Shape, declared: Shape) -> Shape:
    """The most static shape compatible with both; ShapeError if they disagree."""
    if not shapes.shapes_compatible(inferred, declared):
        raise ShapeError(
            f"the operands give a result of shape {fmt(inferred)}, "
            f"but the IR declares {fmt(declared)}"
        )
    return tuple(d if d != DYN else e for d, e in zip(inferred, declared, strict=True))


# --------------------------------------------------------------------------- bounds


def static_bounds(shape: Shape) -> Bounds:
    return tuple(None if d == DYN else d for d in shape)


def _max_all(*xs: int | None) -> int | None:
    """The largest, if every one is known."""
    return None if None in xs else max(x for x in xs if x is not None)


def _min_known(*xs: int | None) -> int | None:
    """The smallest known one (for dims that must be equal)."""
    known = [x for x in xs if x is not None]
    return min(known) if known else None


def broadcast_bounds(a: Shape, ab: Bounds, b: Shape, bb: Bounds) -> Bounds:
    """Bounds of ``broadcast(a, b)``: against a static 1 a dim keeps its bound; two dynamic dims
    are equal or one is 1, so the larger bound holds."""
    rank = max(len(a), len(b))
    a, b = (1,) * (rank - len(a)) + tuple(a), (1,) * (rank - len(b)) + tuple(b)
    ab, bb = (1,) * (rank - len(ab)) + tuple(ab), (1,) * (rank - len(bb)) + tuple(bb)
    out: list[int | None] = []
    for x, bx, y, by in zip(a, ab, b, bb, strict=True):
        if x != DYN and y != DYN:
            out.append(max(x, y))
        elif x == DYN and y == DYN:
            out.append(_max_all(bx, by))
        elif x == DYN:
            out.append(bx if y == 1 else y)
        else:
            out.append(by if x == 1 else x)
    return tuple(out)


def _window_bound(size: int | None, kernel: int, stride: int, lo: int, hi: int, dil: int):
    if size is None:
        return None
    out = shapes.window_out(size, kernel, stride, lo, hi, dil)
    return None if out == DYN else out


def infer_result_bounds(op: Operation, bound: Callable[[SSAValue], Bounds]) -> list[Bounds]:
    """Upper bounds of ``op``'s result dims (already typed), from its operands' bounds."""
    s = _shape
    match op:
        case graph.WhereOp():
            c_l = broadcast_bounds(s(op.cond), bound(op.cond), s(op.lhs), bound(op.lhs))
            cl_shape = shapes.broadcast(s(op.cond), s(op.lhs))
            return [broadcast_bounds(cl_shape, c_l, s(op.rhs), bound(op.rhs))]
        case _ if isinstance(op, BINARY):
            return [broadcast_bounds(s(op.lhs), bound(op.lhs), s(op.rhs), bound(op.rhs))]
        case _ if isinstance(op, UNARY):
            return [bound(op.input)]
        case graph.MatmulOp() | graph.BatchMatmulOp():
            a, b = bound(op.lhs), bound(op.rhs)
            m = a[-1] if op.transpose_a is not None else a[-2]
            n = b[-2] if op.transpose_b is not None else b[-1]
            if op.BATCHED:
                batch = tuple(_min_known(x, y) for x, y in zip(a[:-2], b[:-2], strict=True))
            else:
                batch = broadcast_bounds(s(op.lhs)[:-2], a[:-2], s(op.rhs)[:-2], b[:-2])
            return [(*batch, m, n)]
        case graph.Conv2dOp():
            (n, _, h, w), (_, _, kh, kw) = bound(op.input), s(op.filter)
            (sh, sw), (pt, pl, pb, pr) = op.stride.get_values(), op.padding.get_values()
            dh, dw = op.dilation.get_values()
            oh, ow = _window_bound(h, kh, sh, pt, pb, dh), _window_bound(w, kw, sw, pl, pr, dw)
            return [(n, bound(op.filter)[0], oh, ow)]
        case graph.MaxPool2dOp() | graph.AvgPool2dOp():
            n, c, h, w = bound(op.input)
            (kh, kw), (sh, sw) = op.kernel.get_values(), op.stride.get_values()
            pt, pl, pb, pr = op.padding.get_values()
            return [
                (n, c, _window_bound(h, kh, sh, pt, pb, 1), _window_bound(w, kw, sw, pl, pr, 1))
            ]
        case graph.ResizeOp():
            n, c, *_ = bound(op.input)
            return [(n, c, None, None)]
        case graph.ReduceSumOp() | graph.ReduceMeanOp() | graph.ReduceMaxOp():
            x = bound(op.input)
            axes = {shapes.normalize_axis(a, len(x)) for a in op.axes.get_values()}
            if op.keepdims is not None:
                return [tuple(1 if i in axes else d for i, d in enumerate(x))]
            return [tuple(d for i, d in enumerate(x) if i not in axes)]
        case graph.ReshapeOp():
            x, y = bound(op.input), s(op.result)
            rest = prod(d for d in y if d != DYN)
            most = None if None in x or rest == 0 else prod(d for d in x if d is not None) // rest
            return [tuple(d if d != DYN else most for d in y)]
        case graph.TransposeOp():
            x = bound(op.input)
            return [tuple(x[p] for p in op.perm.get_values())]
        case graph.ConcatOp():
            xs = [bound(v) for v in op.inputs]
            ax = shapes.normalize_axis(op.axis.value.data, len(xs[0]))
            parts = [x[ax] for x in xs]
            along = None if None in parts else sum(p for p in parts if p is not None)
            rank = len(xs[0])
            return [
                tuple(along if i == ax else _min_known(*(x[i] for x in xs)) for i in range(rank))
            ]
        case graph.SliceOp():
            out: list[int | None] = []
            x = bound(op.input)
            for d, start, limit, step in zip(
                x, op.start.get_values(), op.limit.get_values(), op.step.get_values(), strict=True
            ):
                end = limit if d is None else min(limit, d)
                out.append(max(0, -(-(end - start) // step)))
            return [tuple(out)]
        case graph.SplitOp():
            x = bound(op.input)
            ax = shapes.normalize_axis(op.axis.value.data, len(x))
            fixed = sum(d for r in op.outputs if (d := s(r)[ax]) != DYN)
            piece = None if x[ax] is None else max(0, x[ax] - fixed)
            return [tuple(piece if i == ax else x[i] for i in range(len(x))) for _ in op.outputs]
        case graph.GatherOp():
            data, ax = bound(op.data), shapes.normalize_axis(op.axis.value.data, len(s(op.data)))
            return [(*data[:ax], *bound(op.indices), *data[ax + 1 :])]
    return [static_bounds(s(r)) for r in op.results]


def _fit(shape: Shape, raw: Bounds) -> Bounds:
    """Static dims are their own bound; a raw bound is kept only for dims that are dynamic."""
    if len(raw) != len(shape):
        return static_bounds(shape)
    return tuple(d if d != DYN else b for d, b in zip(shape, raw, strict=True))


def bounds_attr(values: Sequence[tuple[Shape, Bounds]]) -> DenseArrayBase | None:
    """``array<i64: ...>`` for values with at least one bounded dynamic dim, else None."""
    pairs = [(d, b) for shape, bs in values for d, b in zip(shape, bs, strict=True)]
    if not any(d == DYN and b is not None for d, b in pairs):
        return None
    return DenseArrayBase.from_list(i64, [-1 if b is None else b for _, bs in values for b in bs])


# --------------------------------------------------------------------------- the pass


def _count(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def _understood(op: Operation) -> bool:
    """Ops whose operand types the pass keeps consistent when it refines a value."""
    return isinstance(op, (*graph.GRAPH_OPS, graph.FusedOp, graph.YieldOp, func.ReturnOp))


def _error(op: Operation, e: object) -> GeError:
    return GeError(f"{op.name}: {e}", location_of(op))


class ShapeInference:
    """Infers the functions of one module; callees before their callers."""

    def __init__(self) -> None:
        self.bounds: dict[SSAValue, Bounds] = {}
        self.original: dict[SSAValue, Attribute] = {}
        self.done: set[func.FuncOp] = set()
        self.active: set[func.FuncOp] = set()

    def bound(self, v: SSAValue) -> Bounds:
        return _fit(_shape(v), self.bounds.get(v, ()))

    # ------------------------------------------------------------------ functions

    def function(self, f: func.FuncOp) -> None:
        if f in self.done or f in self.active or not f.body.blocks:
            return  # a recursive call keeps the callee's declared result types
        if fully_static(f):  # verified static types are already exact: nothing to infer
            self.done.add(f)
            return
        self.active.add(f)
        block = f.body.block
        for i, arg in enumerate(block.args):
            self.bounds[arg] = self.argument_bounds(f, i, arg)
        self.block(block)
        ret = block.last_op
        if isinstance(ret, func.ReturnOp):
            outputs = [v.type for v in ret.arguments]
            f.function_type = FunctionType.from_lists(list(f.function_type.inputs), outputs)
            f.res_attrs = self.result_attrs(f, ret.arguments)
        self.active.discard(f)
        self.done.add(f)

    def argument_bounds(self, f: func.FuncOp, index: int, arg: SSAValue) -> Bounds:
        attrs = f.arg_attrs.data[index].data if f.arg_attrs is not None else {}
        declared = attrs.get(BOUNDS_ATTR)
        if not isinstance(arg.type, TensorType):
            if declared is not None:
                raise self.bad_bounds(f, index, f"is not a tensor ({arg.type})")
            return ()
        shape = _shape(arg)
        if declared is None:
            return static_bounds(shape)
        if not isinstance(declared, DenseArrayBase) or declared.elt_type != i64:
            raise self.bad_bounds(f, index, f"must be an array<i64: ...>, got {declared}")
        values = declared.get_values()
        if len(values) != len(shape):
            raise self.bad_bounds(
                f, index, f"has {_count(len(values))}, but {arg.type} has {len(shape)} dims"
            )
        out: list[int | None] = []
        for i, (d, b) in enumerate(zip(shape, values, strict=True)):
            if d != DYN and b != d:
                raise self.bad_bounds(f, index, f"gives {b} for dim {i}, which is static ({d})")
            if d == DYN and b < 1 and b != -1:
                raise self.bad_bounds(f, index, f"gives {b} for dim {i}: use >= 1, or -1")
            out.append(None if b == -1 else b)
        return tuple(out)

    @staticmethod
    def bad_bounds(f: func.FuncOp, index: int, why: str) -> GeError:
        return GeError(
            f"@{f.sym_name.data}: {BOUNDS_ATTR} of argument {index} {why}", location_of(f)
        )

    def result_attrs(self, f: func.FuncOp, values: Sequence[SSAValue]) -> ArrayAttr | None:
        old = f.res_attrs.data if f.res_attrs is not None else [DictionaryAttr({})] * len(values)
        dicts = []
        for d, v in zip(old, values, strict=True):
            entries = {k: a for k, a in d.data.items() if k != BOUNDS_ATTR}
            if isinstance(v.type, TensorType):
                attr = bounds_attr([(_shape(v), self.bound(v))])
                if attr is not None:
                    entries[BOUNDS_ATTR] = attr
            dicts.append(DictionaryAttr(entries))
        if f.res_attrs is None and not any(d.data for d in dicts):
            return None
        return ArrayAttr(dicts)

    # ------------------------------------------------------------------ ops

    def block(self, block: Block) -> None:
        for op in list(block.ops):
            self.op(op)

    def op(self, op: Operation) -> None:
        op.attributes.pop(BOUNDS_ATTR, None)
        if isinstance(op, graph.FusedOp):
            self.fused(op)
        elif isinstance(op, graph.GRAPH_OPS):
            self.graph_op(op)
        elif isinstance(op, func.ReturnOp | graph.YieldOp):
            return
        else:
            self.foreign(op)
            if isinstance(op, func.CallOp):
                self.call(op)
            return
        self.attach(op)

    def attach(self, op: Operation) -> None:
        attr = bounds_attr([(_shape(r), self.bound(r)) for r in op.results])
        if attr is not None:
            op.attributes[BOUNDS_ATTR] = attr

    def graph_op(self, op: Operation) -> None:
        try:
            inferred = infer_result_shapes(op)
            for r, shape in zip(list(op.results), inferred, strict=True):
                self.retype(r, TensorType(graph.dtype_of(r), meet(shape, _shape(r))))
        except ShapeError as e:
            raise self.error(op, e) from None
        self.verify(op)
        try:
            raw = infer_result_bounds(op, self.bound)
        except ShapeError as e:
            raise _error(op, f"with the declared {BOUNDS_ATTR}, {e}") from None
        for r, b in zip(op.results, raw, strict=True):
            self.bounds[r] = _fit(_shape(r), b)

    def fused(self, op: graph.FusedOp) -> None:
        body = op.body.block
        for arg, v in zip(list(body.args), op.inputs, strict=True):
            arg = self.retype(arg, v.type)
            self.bounds[arg] = self.bound(v)
        self.block(body)
        term = body.last_op
        assert isinstance(term, graph.YieldOp)
        for r, v in zip(list(op.outputs), term.values, strict=True):
            r = self.retype(r, v.type)
            self.bounds[r] = self.bound(v)
        self.verify(op)

    def call(self, op: func.CallOp) -> None:
        callee = symbols.lookup(op, op.callee)
        if not isinstance(callee, func.FuncOp):
            return
        self.function(callee)
        outputs = callee.function_type.outputs.data
        res_attrs = callee.res_attrs.data if callee.res_attrs is not None else None
        if len(outputs) != len(op.results):
            return  # the verifier reports the mismatch
        for i, (r, t) in enumerate(zip(list(op.results), outputs, strict=True)):
            r = self.retype(r, t)
            declared = res_attrs[i].data.get(BOUNDS_ATTR) if res_attrs is not None else None
            if isinstance(declared, DenseArrayBase) and isinstance(t, TensorType):
                values = declared.get_values()
                self.bounds[r] = _fit(_shape(r), tuple(None if b < 0 else b for b in values))

    def foreign(self, op: Operation) -> None:
        """An op the pass does not understand reads its operands at their old types: a reshape
        read only by such ops keeps its old result type, anything else gets a reshape back."""
        for v in set(op.operands):
            old = self.original.get(v)
            if old is None or old == v.type or not isinstance(old, TensorType):
                continue
            if isinstance(v.owner, graph.ReshapeOp) and not any(
                _understood(u.operation) for u in v.uses
            ):
                self.retype(v, old)
        operands = list(op.operands)
        for i, v in enumerate(operands):
            old = self.original.get(v)
            if old is not None and old != v.type and isinstance(old, TensorType):
                cast = graph.ReshapeOp(v, old.get_shape())
                cast.location = op.location
                Rewriter.insert_op(cast, InsertPoint.before(op))
                self.bounds[cast.result] = self.bound(v)
                self.original[cast.result] = old
                operands[i] = cast.result
        if operands != list(op.operands):
            op.operands = operands

    def retype(self, v: SSAValue, new: Attribute) -> SSAValue:
        """Give ``v`` the shape of ``new`` (keeping its element type and encoding)."""
        old = v.type
        if isinstance(old, TensorType) and isinstance(new, TensorType):
            new = TensorType(old.get_element_type(), new.get_shape(), old.encoding)
        if new == old:
            return v
        bounds = self.bounds.pop(v, None)
        first = self.original.pop(v, old)
        v = Rewriter.replace_value_with_new_type(v, new)
        self.original[v] = first
        if bounds is not None:
            self.bounds[v] = bounds
        return v

    def error(self, op: Operation, e: object) -> GeError:
        err = _error(op, e)
        refined = [i for i, v in enumerate(op.operands) if v in self.original]
        if refined:
            which = ", ".join(str(i) for i in refined)
            err = GeError(f"{err.message} (operand {which} refined by infer-shapes)", err.location)
        return err

    def verify(self, op: Operation) -> None:
        try:
            op.verify(verify_nested_ops=False)
        except (VerifyException, DiagnosticException) as e:
            err = GeError.from_verify_error(op, e)
            raise self.error(op, err.message.removeprefix(f"{op.name}: ")) from None


def fully_static(f: func.FuncOp) -> bool:
    """No dynamic dim and no bound attribute anywhere in ``f``: after verification, whose
    shape rules accept only equal static sizes, every type is exactly what inference would
    give, so the pass can skip the function (a 50k-op static graph took seconds)."""
    attrs = [*(f.arg_attrs.data if f.arg_attrs else ()), *(f.res_attrs.data if f.res_attrs else ())]
    if any(BOUNDS_ATTR in a.data for a in attrs if isinstance(a, DictionaryAttr)):
        return False
    for arg in f.body.block.args:
        if isinstance(arg.type, TensorType) and not arg.type.has_static_shape():
            return False
    for op in f.body.walk():
        if BOUNDS_ATTR in op.attributes:
            return False
        for r in op.results:
            if isinstance(r.type, TensorType) and not r.type.has_static_shape():
                return False
    return True


@dataclass(frozen=True)
class InferShapesPass(ModulePass):
    """Refine result types from operand types and attach upper bounds of dynamic dims."""

    name = "infer-shapes"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        inference = ShapeInference()
        for f in [o for o in op.ops if isinstance(o, func.FuncOp)]:
            inference.function(f)
