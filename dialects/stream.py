"""The stream dialect: kernels, their launches on streams, copies on DMA queues, and ordering.

A ``stream.kernel`` is a module-level symbol holding the graph ops of one future device kernel
(one op, or one fused group) and its cost descriptor. ``stream.launch`` runs a kernel on a
stream; ``stream.copy`` moves data on a DMA queue. Both return a ``!stream.timepoint`` that later
tasks on other streams ``await``; tasks on one stream run in program order.

Launch and copy have two forms: the tensor form (value semantics, produced by
convert-graph-to-stream) and the buffer form (memrefs in arenas, produced by
convert-stream-to-memory), where results are written into ``outs`` destinations.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    AnyTensorTypeConstr,
    DenseArrayBase,
    IntegerAttr,
    MemRefType,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, Region, SSAValue, TypeAttribute
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    lazy_traits_def,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    opt_result_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import IsolatedFromAbove, IsTerminator, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from ge_compiler.dialects.symbols import lookup

COPY_KINDS = ("h2d", "d2h", "d2d")
KERNEL_UNITS = ("cube", "vector", "none")


@irdl_attr_definition
class TimepointType(ParametrizedAttribute, TypeAttribute):
    """The completion of a task; awaiting it orders a task after it (a record/wait event pair)."""

    name = "stream.timepoint"


def same_data(a: Attribute, b: Attribute) -> bool:
    """A tensor and a memref (or two of either) describe the same data: shape and dtype."""
    if not isinstance(a, TensorType | MemRefType) or not isinstance(b, TensorType | MemRefType):
        return False
    return a.get_shape() == b.get_shape() and a.get_element_type() == b.get_element_type()


@irdl_op_definition
class YieldOp(IRDLOperation):
    name = "stream.yield"
    values = var_operand_def()
    traits = lazy_traits_def(lambda: (IsTerminator(),))
    assembly_format = "($values^ `:` type($values))? attr-dict"

    def __init__(self, values: Sequence[SSAValue]):
        super().__init__(operands=[list(values)])

    def verify_(self) -> None:
        if not isinstance(self.parent_op(), KernelOp):
            raise VerifyException("stream.yield must terminate a stream.kernel body")


@irdl_op_definition
class KernelOp(IRDLOperation):
    """One device kernel: graph ops over its block arguments, and its cost descriptor.

    ``unit`` says which engine bounds it (cube: matmul/conv, vector: the rest, none: no compute);
    ``cube_flops`` and ``vector_flops`` are its arithmetic work. Bytes moved are derived from the
    operand and result types by the consumer, so they cannot disagree with the IR.
    """

    name = "stream.kernel"
    sym_name = prop_def(SymbolNameConstraint())
    unit = prop_def(StringAttr, default_value=StringAttr("vector"))
    cube_flops = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(0, i64))
    vector_flops = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(0, i64))
    gemm = opt_prop_def(DenseArrayBase.constr(i64))
    bytes = opt_prop_def(IntegerAttr.constr(i64))
    """Global-memory bytes it moves, when not all of its operands and results whole."""
    """The cube work as (batch, M, N, K) GEMMs, for the device model's tiling."""
    body = region_def("single_block")
    traits = traits_def(SymbolOpInterface(), IsolatedFromAbove())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$sym_name attr-dict-with-keyword $body"

    def __init__(
        self,
        sym_name: str,
        body: Region,
        unit: str,
        cube_flops: int,
        vector_flops: int,
        gemm: Sequence[int] | None = None,
        moved_bytes: int | None = None,
    ):
        props: dict[str, Attribute] = {
            "sym_name": StringAttr(sym_name),
            "unit": StringAttr(unit),
            "cube_flops": IntegerAttr(cube_flops, i64),
            "vector_flops": IntegerAttr(vector_flops, i64),
        }
        if gemm is not None:
            props["gemm"] = DenseArrayBase.from_list(i64, list(gemm))
        if moved_bytes is not None:
            props["bytes"] = IntegerAttr(moved_bytes, i64)
        super().__init__(regions=[body], properties=props)

    @property
    def input_types(self) -> tuple[Attribute, ...]:
        return tuple(a.type for a in self.body.block.args)

    @property
    def yield_types(self) -> tuple[Attribute, ...]:
        term = self.body.block.last_op
        return tuple(v.type for v in term.operands) if isinstance(term, YieldOp) else ()

    def verify_(self) -> None:
        if self.unit.data not in KERNEL_UNITS:
            raise VerifyException(f"unit must be one of {', '.join(KERNEL_UNITS)}")
        if min(self.cube_flops.value.data, self.vector_flops.value.data) < 0:
            raise VerifyException("flop counts must be >= 0")
        if not isinstance(self.body.block.last_op, YieldOp):
            raise VerifyException("kernel body must end with stream.yield")
        if self.gemm is not None:
            dims = self.gemm.get_values()
            if len(dims) != 4 or min(dims) < 1:
                raise VerifyException("gemm must be (batch, M, N, K), each >= 1")


def lookup_kernel(op: IRDLOperation, ref: SymbolRefAttr) -> KernelOp:
    kernel = lookup(op, ref)
    if not isinstance(kernel, KernelOp):
        raise VerifyException(f"'{ref.string_value()}' does not name a stream.kernel")
    return kernel


def check_forms(
    op_name: str, data: Sequence[SSAValue], outs: Sequence[SSAValue], results: Sequence[SSAValue]
) -> None:
    """Tensor form: tensors in, results out, no outs. Buffer form: memrefs in, outs, no results."""
    if outs:
        if results or not all(isinstance(v.type, MemRefType) for v in (*data, *outs)):
            raise VerifyException(
                f"{op_name} with outs is in buffer form: all operands must be memrefs and it "
                "has no tensor results"
            )
    elif not all(isinstance(v.type, TensorType) for v in data):
        raise VerifyException(f"{op_name} in tensor form takes tensors (buffer form needs outs)")


@irdl_op_definition
class LaunchOp(IRDLOperation):
    """Run a kernel on a stream after the awaited timepoints."""

    name = "stream.launch"
    kernel = prop_def(SymbolRefAttr)
    stream = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(0, i64))
    block_dim = opt_prop_def(IntegerAttr.constr(i64))
    args = var_operand_def()
    outs = var_operand_def(MemRefType)
    awaits = var_operand_def(TimepointType)
    outputs = var_result_def(AnyTensorTypeConstr)
    done = result_def(TimepointType)
    irdl_options = (AttrSizedOperandSegments(as_property=True), ParsePropInAttrDict())
    assembly_format = (
        "$kernel `(` $args `)` (`outs` `(` $outs^ `)`)? (`await` `(` $awaits^ `)`)? attr-dict"
        " `:` `(` type($args) `)` (`outs` `(` type($outs)^ `)`)? `->` `(` type($outputs) `)`"
    )

    def __init__(
        self,
        kernel: str,
        args: Sequence[SSAValue],
        result_types: Sequence[Attribute] = (),
        outs: Sequence[SSAValue] = (),
        awaits: Sequence[SSAValue] = (),
        stream: int = 0,
    ):
        super().__init__(
            operands=[list(args), list(outs), list(awaits)],
            result_types=[list(result_types), TimepointType()],
            properties={"kernel": SymbolRefAttr(kernel), "stream": IntegerAttr(stream, i64)},
        )

    def verify_(self) -> None:
        if self.stream.value.data < 0:
            raise VerifyException(f"stream id must be >= 0, got {self.stream.value.data}")
        if self.block_dim is not None and self.block_dim.value.data < 1:
            raise VerifyException(f"block_dim must be >= 1, got {self.block_dim.value.data}")
        check_forms(self.name, self.args, self.outs, self.outputs)
        kernel = lookup_kernel(self, self.kernel)
        produced = self.outs if self.outs else self.outputs
        for what, values, expected in (
            ("argument", self.args, kernel.input_types),
            ("result", produced, kernel.yield_types),
        ):
            if len(values) != len(expected):
                raise VerifyException(
                    f"kernel @{kernel.sym_name.data} has {len(expected)} {what}(s), "
                    f"launch gives {len(values)}"
                )
            for i, (v, t) in enumerate(zip(values, expected, strict=True)):
                if not same_data(v.type, t):
                    raise VerifyException(f"{what} {i} is {v.type}, kernel expects {t}")


@irdl_op_definition
class CopyOp(IRDLOperation):
    """Move data on a DMA queue: host->device (h2d), device->host (d2h) or device->device."""

    name = "stream.copy"
    kind = prop_def(StringAttr)
    queue = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(0, i64))
    source = operand_def()
    dest = opt_operand_def(MemRefType)
    awaits = var_operand_def(TimepointType)
    output = opt_result_def(AnyTensorTypeConstr)
    done = result_def(TimepointType)
    irdl_options = (AttrSizedOperandSegments(as_property=True), ParsePropInAttrDict())
    assembly_format = (
        "$kind $source (`to` $dest^)? (`await` `(` $awaits^ `)`)? attr-dict"
        " `:` type($source) (`to` type($dest)^)? (`->` type($output)^)?"
    )

    def __init__(
        self,
        kind: str,
        source: SSAValue,
        dest: SSAValue | None = None,
        awaits: Sequence[SSAValue] = (),
        queue: int = 0,
    ):
        super().__init__(
            operands=[source, [] if dest is None else [dest], list(awaits)],
            result_types=[[source.type] if dest is None else [], TimepointType()],
            properties={"kind": StringAttr(kind), "queue": IntegerAttr(queue, i64)},
        )

    def verify_(self) -> None:
        if self.kind.data not in COPY_KINDS:
            raise VerifyException(f"kind must be one of {', '.join(COPY_KINDS)}")
        if self.queue.value.data < 0:
            raise VerifyException(f"queue must be >= 0, got {self.queue.value.data}")
        outs = [self.dest] if self.dest is not None else []
        results = [self.output] if self.output is not None else []
        check_forms(self.name, [self.source], outs, results)
        if not outs and not results:
            raise VerifyException("stream.copy needs a destination or a result")
        target = (outs or results)[0]
        if not same_data(self.source.type, target.type):
            raise VerifyException(f"copy changes data: {self.source.type} to {target.type}")


Stream = Dialect("stream", [KernelOp, YieldOp, LaunchOp, CopyOp], [TimepointType])
