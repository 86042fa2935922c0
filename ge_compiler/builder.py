"""GraphBuilder: write graph IR from Python, op by op and module by module.

Each pipeline module is a ``func.func`` built inside ``with b.module("name"):``; ops are methods
(``y = b.conv2d(x, w, stride=2)``) and Tensors support ``+ - * / @``. Result types come from the
same shape rules as the verifiers, so a shape error is reported when the op is built, naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import prod

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    BFloat16Type,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    TensorType,
    bf16,
    f16,
    f32,
    i1,
    i8,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from ge_compiler.assembly import (
    INPUT_NAMES,
    OUTPUT_NAMES,
    ModuleSpec,
    Options,
    Pipeline,
    module_spec,
)
from ge_compiler.dialects import graph
from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.dialects.shapes import DYN, ShapeError
from ge_compiler.errors import GeError
from ge_compiler.ir import verify_module

DTYPES: dict[str, Attribute] = {
    "f16": f16, "bf16": bf16, "f32": f32, "i1": i1, "i8": i8, "i32": i32, "i64": i64,
}  # fmt: skip


def as_dtype(dtype: str | Attribute) -> Attribute:
    if isinstance(dtype, Attribute):
        return dtype
    if dtype not in DTYPES:
        raise GeError(f"unknown dtype '{dtype}' (one of {', '.join(DTYPES)})")
    return DTYPES[dtype]


def pair(v: int | Sequence[int]) -> tuple[int, int]:
    if isinstance(v, int):
        return (v, v)
    a, b = v
    return (a, b)


def quad(v: int | Sequence[int]) -> tuple[int, int, int, int]:
    """Padding as (top, left, bottom, right) from an int, (h, w) or the four values."""
    if isinstance(v, int):
        return (v, v, v, v)
    if len(v) == 2:
        return (v[0], v[1], v[0], v[1])
    t, left, b, r = v
    return (t, left, b, r)


@dataclass(frozen=True)
class Tensor:
    """A value under construction: an SSA value plus the builder that made it."""

    value: SSAValue
    builder: GraphBuilder = field(repr=False, compare=False)

    @property
    def type(self) -> TensorType:
        return graph.tensor_type(self.value)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.type.get_shape()

    @property
    def dtype(self) -> Attribute:
        return self.type.get_element_type()

    def __add__(self, o: Tensor) -> Tensor:
        return self.builder.add(self, o)

    def __sub__(self, o: Tensor) -> Tensor:
        return self.builder.sub(self, o)

    def __mul__(self, o: Tensor) -> Tensor:
        return self.builder.mul(self, o)

    def __truediv__(self, o: Tensor) -> Tensor:
        return self.builder.div(self, o)

    def __matmul__(self, o: Tensor) -> Tensor:
        return self.builder.matmul(self, o)

    def __neg__(self) -> Tensor:
        return self.builder.neg(self)


@dataclass
class _Function:
    name: str
    block: Block = field(default_factory=Block)
    outputs: list[SSAValue] = field(default_factory=list)
    stream_id: int | None = None
    output_names: list[str] = field(default_factory=list)
    input_names: list[str] = field(default_factory=list)


class GraphBuilder:
    """Builds a module of graph-dialect functions (one per pipeline module)."""

    def __init__(self, dtype: str | Attribute = "f32"):
        self.dtype = as_dtype(dtype)
        self._functions: list[func.FuncOp] = []
        self._current: _Function | None = None
        self._stream: int | None = None
        self._modules: list[ModuleSpec] = []
        self._options = Options()

    # ------------------------------------------------------------------ pipelines

    def add_module(
        self,
        name: str,
        model: ModuleOp | Callable[[], ModuleOp],
        stream_id: int | None = None,
        inputs: Mapping[str, str] | None = None,
    ) -> GraphBuilder:
        """Add a pipeline module: a built model (or a function building one). Its inputs are
        wired by name to other modules' outputs or to pipeline inputs (see
        ``ge_compiler.assembly``); ``inputs`` maps an input to ``"module.output"`` or to a
        pipeline input name explicitly."""
        if any(m.name == name for m in self._modules):
            raise GeError(f"module '{name}' is added twice")
        self._modules.append(module_spec(name, model, stream_id, inputs))
        return self

    def enable_optimization(
        self, fuse_kernels: bool = True, reuse_memory: bool = True, overlap_compute: bool = True
    ) -> GraphBuilder:
        """Choose what ``compile`` does beyond the level's cleanup: kernel fusion, memory
        reuse, and multi-stream execution with transfers overlapped."""
        self._options = Options(fuse_kernels, reuse_memory, overlap_compute)
        return self

    def compile(
        self,
        opt_level: int | str = 3,
        device: str = "910B2",
        dynamic_shape: bool = False,
        gears: Sequence[int] | None = None,
    ) -> Pipeline:
        """The pipeline of the added modules, ready to ``run`` (compiled on first use). With
        ``dynamic_shape``, inputs with ``None`` dims run through shape buckets
        (``ge_compiler.buckets.Gears``): one compile per gear, chosen per run from the input
        length; ``gears`` lists the sizes (default: powers of two up to the inputs'
        ``graph.dim_bounds``, which an input without a bound then needs)."""
        if gears is not None and not dynamic_shape:
            raise GeError("gears= needs dynamic_shape=True")
        level = int(str(opt_level).upper().removeprefix("GE-").removeprefix("O"))
        pipeline = Pipeline(list(self._modules), self._options, level, device)
        if dynamic_shape:
            from ge_compiler.buckets import Gears

            pipeline.gears = Gears.for_pipeline(pipeline, gears)
        return pipeline

    # ------------------------------------------------------------------ structure

    @contextmanager
    def module(self, name: str, stream_id: int | None = None) -> Iterator[GraphBuilder]:
        """Build one pipeline module as ``func.func @name``; ops inside go to it."""
        if self._current is not None:
            raise GeError(f"module '{name}' opened inside module '{self._current.name}'")
        if any(f.sym_name.data == name for f in self._functions):
            raise GeError(f"module '{name}' is defined twice")
        self._current = _Function(name, stream_id=stream_id)
        try:
            yield self
            self._functions.append(self._finish(self._current))
        finally:
            self._current = None

    @contextmanager
    def stream(self, stream_id: int) -> Iterator[None]:
        """Hint that ops built inside run on ``stream_id`` (honoured by stream assignment)."""
        previous, self._stream = self._stream, stream_id
        try:
            yield
        finally:
            self._stream = previous

    def _finish(self, fn: _Function) -> func.FuncOp:
        if not fn.outputs:
            raise GeError(f"module '{fn.name}' has no outputs (call output())")
        fn.block.add_op(func.ReturnOp(*fn.outputs))
        ftype = ([a.type for a in fn.block.args], [v.type for v in fn.outputs])
        f = func.FuncOp(fn.name, ftype, Region(fn.block))
        if fn.stream_id is not None:
            f.attributes[STREAM_HINT] = IntegerAttr(fn.stream_id, i64)
        f.attributes[INPUT_NAMES] = ArrayAttr([StringAttr(n) for n in fn.input_names])
        if fn.output_names:
            if len(fn.output_names) != len(fn.outputs):
                raise GeError(f"module '{fn.name}': name all outputs or none")
            f.attributes[OUTPUT_NAMES] = ArrayAttr([StringAttr(n) for n in fn.output_names])
        return f

    def build(self) -> ModuleOp:
        """The finished, verified module."""
        if self._current is not None:
            raise GeError(f"module '{self._current.name}' is still open")
        if not self._functions:
            raise GeError("nothing was built")
        module = ModuleOp(list(self._functions))
        self._functions = []
        verify_module(module)
        return module

    @property
    def _fn(self) -> _Function:
        if self._current is None:
            raise GeError("ops must be built inside 'with builder.module(name):'")
        return self._current

    def _emit(self, make: type[Operation], *args: object, **kwargs: object) -> Operation:
        try:
            op = make(*args, **kwargs)
        except ShapeError as e:
            raise GeError(f"{make.name}: {e}") from None  # type: ignore[attr-defined]
        if self._stream is not None:
            op.attributes[STREAM_HINT] = IntegerAttr(self._stream, i64)
        self._fn.block.add_op(op)
        try:  # report every rule (dtypes, norms, reshape sizes) at the call, not at build()
            op.verify(verify_nested_ops=False)
        except (VerifyException, DiagnosticException) as e:
            op.detach()
            op.erase(safe_erase=False)
            raise GeError(str(GeError.from_verify_error(op, e))) from None
        return op

    def _t(self, op: Operation) -> Tensor:
        return Tensor(op.results[0], self)

    # ------------------------------------------------------------------ values

    def input(self, name: str, shape: Sequence[int | None], dtype: str | None = None) -> Tensor:
        """A function argument; ``None`` in the shape is a dynamic dim."""
        dims = [DYN if d is None else d for d in shape]
        arg = self._fn.block.insert_arg(
            TensorType(as_dtype(dtype) if dtype else self.dtype, dims), len(self._fn.block.args)
        )
        arg.name_hint = name
        self._fn.input_names.append(name)  # name hints lose "_<digits>" suffixes: keep it exact
        return Tensor(arg, self)

    def output(self, *values: Tensor, names: Sequence[str] | None = None) -> None:
        """Results of the current module; ``names`` lets pipelines wire them by name."""
        if names is not None:
            if len(names) != len(values):
                raise GeError(f"{len(names)} output names for {len(values)} outputs")
            self._fn.output_names.extend(names)
        elif self._fn.output_names:
            raise GeError("name all outputs of a module or none")
        self._fn.outputs.extend(v.value for v in values)

    def weight(self, name: str, shape: Sequence[int], dtype: str | None = None) -> Tensor:
        t = TensorType(as_dtype(dtype) if dtype else self.dtype, list(shape))
        return self._t(self._emit(graph.WeightOp, name, t))

    def constant(self, value: np.ndarray | float, dtype: str | None = None) -> Tensor:
        arr = np.asarray(value)
        el = as_dtype(dtype) if dtype else self.dtype
        t = TensorType(el, arr.shape)
        if isinstance(el, Float16Type | BFloat16Type | Float32Type):
            data = [float(x) for x in arr.reshape(-1)]
        elif isinstance(el, IntegerType):
            data = [int(x) for x in arr.reshape(-1)]
        else:
            raise GeError(f"constants of {el} are not supported")
        return self._t(self._emit(graph.ConstantOp, DenseIntOrFPElementsAttr.from_list(t, data)))

    def scalar(self, value: float, like: Tensor) -> Tensor:
        """A rank-0 constant of ``like``'s dtype, for broadcasting."""
        return self.constant(np.asarray(value), str(like.dtype))

    # ------------------------------------------------------------------ elementwise

    def _unary(self, cls: type[Operation], x: Tensor, **props: Attribute) -> Tensor:
        return self._t(self._emit(cls, x.value, **props))

    def neg(self, x: Tensor) -> Tensor:
        return self._unary(graph.NegOp, x)

    def abs(self, x: Tensor) -> Tensor:
        return self._unary(graph.AbsOp, x)

    def exp(self, x: Tensor) -> Tensor:
        return self._unary(graph.ExpOp, x)

    def log(self, x: Tensor) -> Tensor:
        return self._unary(graph.LogOp, x)

    def sqrt(self, x: Tensor) -> Tensor:
        return self._unary(graph.SqrtOp, x)

    def rsqrt(self, x: Tensor) -> Tensor:
        return self._unary(graph.RsqrtOp, x)

    def reciprocal(self, x: Tensor) -> Tensor:
        return self._unary(graph.ReciprocalOp, x)

    def relu(self, x: Tensor) -> Tensor:
        return self._unary(graph.ReluOp, x)

    def sigmoid(self, x: Tensor) -> Tensor:
        return self._unary(graph.SigmoidOp, x)

    def tanh(self, x: Tensor) -> Tensor:
        return self._unary(graph.TanhOp, x)

    def erf(self, x: Tensor) -> Tensor:
        return self._unary(graph.ErfOp, x)

    def silu(self, x: Tensor) -> Tensor:
        return self._unary(graph.SiluOp, x)

    def gelu(self, x: Tensor, approximate: str = "none") -> Tensor:
        from xdsl.dialects.builtin import StringAttr

        return self._unary(graph.GeluOp, x, approximate=StringAttr(approximate))

    def _binary(self, cls: type[Operation], a: Tensor, b: Tensor) -> Tensor:
        return self._t(self._emit(cls, a.value, b.value))

    def add(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.AddOp, a, b)

    def sub(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.SubOp, a, b)

    def mul(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.MulOp, a, b)

    def div(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.DivOp, a, b)

    def maximum(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.MaximumOp, a, b)

    def minimum(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.MinimumOp, a, b)

    def pow(self, a: Tensor, b: Tensor) -> Tensor:
        return self._binary(graph.PowOp, a, b)

    def where(self, cond: Tensor, a: Tensor, b: Tensor) -> Tensor:
        return self._t(self._emit(graph.WhereOp, cond.value, a.value, b.value))

    def cast(self, x: Tensor, dtype: str) -> Tensor:
        return self._t(self._emit(graph.CastOp, x.value, as_dtype(dtype)))

    # ------------------------------------------------------------------ contractions

    def matmul(
        self, a: Tensor, b: Tensor, transpose_a: bool = False, transpose_b: bool = False
    ) -> Tensor:
        return self._t(self._emit(graph.MatmulOp, a.value, b.value, transpose_a, transpose_b))

    def batch_matmul(
        self, a: Tensor, b: Tensor, transpose_a: bool = False, transpose_b: bool = False
    ) -> Tensor:
        return self._t(self._emit(graph.BatchMatmulOp, a.value, b.value, transpose_a, transpose_b))

    def conv2d(
        self,
        x: Tensor,
        w: Tensor,
        bias: Tensor | None = None,
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        dilation: int | Sequence[int] = 1,
        groups: int = 1,
    ) -> Tensor:
        op = self._emit(
            graph.Conv2dOp,
            x.value,
            w.value,
            bias.value if bias is not None else None,
            pair(stride),
            quad(padding),
            pair(dilation),
            groups,
        )
        return self._t(op)

    # ------------------------------------------------------------------ pooling / resize

    def _pool(
        self,
        cls: type[Operation],
        x: Tensor,
        kernel: int | Sequence[int],
        stride: int | Sequence[int] | None,
        padding: int | Sequence[int],
    ) -> Tensor:
        """Pooling; the stride defaults to the kernel size (as in PyTorch)."""
        s = pair(stride) if stride is not None else None
        return self._t(self._emit(cls, x.value, pair(kernel), s, quad(padding)))

    def max_pool2d(
        self,
        x: Tensor,
        kernel: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
    ) -> Tensor:
        return self._pool(graph.MaxPool2dOp, x, kernel, stride, padding)

    def avg_pool2d(
        self,
        x: Tensor,
        kernel: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
    ) -> Tensor:
        return self._pool(graph.AvgPool2dOp, x, kernel, stride, padding)

    def resize(
        self,
        x: Tensor,
        size: Sequence[int] | None = None,
        scale: int | None = None,
        mode: str = "nearest",
    ) -> Tensor:
        if size is None:
            if scale is None:
                raise GeError("graph.resize: give size or scale")
            size = (x.shape[2] * scale, x.shape[3] * scale)
        return self._t(self._emit(graph.ResizeOp, x.value, tuple(size), mode))

    # ------------------------------------------------------------------ reductions / norms

    def reduce_sum(self, x: Tensor, axes: Sequence[int], keepdims: bool = False) -> Tensor:
        return self._t(self._emit(graph.ReduceSumOp, x.value, list(axes), keepdims))

    def reduce_mean(self, x: Tensor, axes: Sequence[int], keepdims: bool = False) -> Tensor:
        return self._t(self._emit(graph.ReduceMeanOp, x.value, list(axes), keepdims))

    def reduce_max(self, x: Tensor, axes: Sequence[int], keepdims: bool = False) -> Tensor:
        return self._t(self._emit(graph.ReduceMaxOp, x.value, list(axes), keepdims))

    def softmax(self, x: Tensor, axis: int = -1) -> Tensor:
        return self._t(self._emit(graph.SoftmaxOp, x.value, axis))

    def layer_norm(
        self, x: Tensor, weight: Tensor, bias: Tensor, axis: int = -1, eps: float = 1e-5
    ) -> Tensor:
        return self._t(self._emit(graph.LayerNormOp, x.value, weight.value, bias.value, axis, eps))

    def group_norm(
        self, x: Tensor, weight: Tensor, bias: Tensor, num_groups: int, eps: float = 1e-5
    ) -> Tensor:
        op = self._emit(graph.GroupNormOp, x.value, weight.value, bias.value, num_groups, eps)
        return self._t(op)

    def rms_norm(self, x: Tensor, weight: Tensor, eps: float = 1e-5) -> Tensor:
        return self._t(self._emit(graph.RmsNormOp, x.value, weight.value, eps))

    # ------------------------------------------------------------------ data movement

    def reshape(self, x: Tensor, shape: Sequence[int]) -> Tensor:
        """Reshape; one ``-1`` entry is inferred from the element count."""
        dims = list(shape)
        if dims.count(-1) > 1:
            raise GeError("graph.reshape: at most one -1 in the shape")
        if -1 in dims:
            known = prod(d for d in dims if d != -1)
            total = prod(x.shape) if DYN not in x.shape else None
            dims[dims.index(-1)] = DYN if total is None or known == 0 else total // known
        return self._t(self._emit(graph.ReshapeOp, x.value, dims))

    def transpose(self, x: Tensor, perm: Sequence[int]) -> Tensor:
        return self._t(self._emit(graph.TransposeOp, x.value, list(perm)))

    def concat(self, xs: Sequence[Tensor], axis: int) -> Tensor:
        return self._t(self._emit(graph.ConcatOp, [x.value for x in xs], axis))

    def slice(
        self,
        x: Tensor,
        start: Sequence[int],
        limit: Sequence[int],
        step: Sequence[int] | None = None,
    ) -> Tensor:
        return self._t(self._emit(graph.SliceOp, x.value, list(start), list(limit), step))

    def split(self, x: Tensor, sizes: Sequence[int], axis: int) -> list[Tensor]:
        op = self._emit(graph.SplitOp, x.value, list(sizes), axis)
        return [Tensor(r, self) for r in op.results]

    def update_slice(self, dest: Tensor, update: Tensor, index: Tensor, axis: int) -> Tensor:
        """``dest`` with ``update`` written at ``index`` along ``axis`` (a KV cache append)."""
        return self._t(self._emit(graph.UpdateSliceOp, dest.value, update.value, index.value, axis))

    def gather(self, data: Tensor, indices: Tensor, axis: int = 0) -> Tensor:
        return self._t(self._emit(graph.GatherOp, data.value, indices.value, axis))

    def embedding(self, table: Tensor, ids: Tensor) -> Tensor:
        """Rows of ``table`` selected by integer ``ids`` (a gather on axis 0)."""
        return self.gather(table, ids, 0)

    # ------------------------------------------------------------------ control flow

    def _region_block(
        self, arg_types: Sequence[Attribute], body: Callable[..., Sequence[Tensor]], what: str
    ) -> tuple[Block, list[SSAValue]]:
        """Build ``body`` into a new block (emission redirected there), ended by graph.yield."""
        fn = self._fn
        block = Block(arg_types=list(arg_types))
        outer, fn.block = fn.block, block
        try:
            results = body(*(Tensor(a, self) for a in block.args))
            if isinstance(results, Tensor):
                results = [results]
            values = []
            for r in results:
                if not isinstance(r, Tensor):
                    raise GeError(f"{what} must return Tensors, got {type(r).__name__}")
                values.append(r.value)
        except BaseException:
            _drop_block(block)
            raise
        finally:
            fn.block = outer
        block.add_op(graph.YieldOp(values))
        return block, values

    def if_(
        self,
        cond: Tensor,
        then_fn: Callable[[], Sequence[Tensor]],
        else_fn: Callable[[], Sequence[Tensor]],
    ) -> list[Tensor]:
        """``graph.if``: the results of ``then_fn`` or ``else_fn`` (each builds its branch and
        returns the values to yield; both may use outer values) on a one-element i1 ``cond``."""
        then_block, then_values = self._region_block([], then_fn, "graph.if: the then branch")
        try:
            else_block, _ = self._region_block([], else_fn, "graph.if: the else branch")
        except BaseException:
            _drop_block(then_block)
            raise
        types = [v.type for v in then_values]
        op = self._emit(graph.IfOp, cond.value, types, Region(then_block), Region(else_block))
        return [Tensor(r, self) for r in op.results]

    def loop(
        self,
        trip_count: int,
        inits: Sequence[Tensor],
        body_fn: Callable[[Tensor, list[Tensor]], Sequence[Tensor]],
    ) -> list[Tensor]:
        """``graph.loop``: ``trip_count`` runs of ``body_fn(index, carried)`` (index a
        ``tensor<i64>`` from 0; carried first ``inits``), which returns the next carried values;
        the results are the last ones."""
        types = [TensorType(i64, []), *(t.type for t in inits)]
        block, _ = self._region_block(
            types, lambda i, *carried: body_fn(i, list(carried)), "graph.loop: the body"
        )
        op = self._emit(graph.LoopOp, [t.value for t in inits], trip_count, Region(block))
        return [Tensor(r, self) for r in op.results]


def _drop_block(block: Block) -> None:
    """Erase a region body that will not be used (its ops no longer use outer values)."""
    for op in reversed(list(block.ops)):
        op.detach()
        op.erase(safe_erase=False)
