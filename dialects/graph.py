"""The graph dialect: value-semantics tensor ops that models are written in.

Ops are IRDL definitions; every one is ``Pure`` so xDSL's generic CSE/DCE apply. Attributes of
an op are properties, printed in the attribute dictionary of the custom form (defaults elided):
``graph.conv2d %x, %w, %b {stride = array<i64: 2, 2>} : (...) -> ...``. Shape rules live in
``shapes.py`` and are shared with the builder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from xdsl.dialects.builtin import (
    AnyFloat,
    AnyFloatConstr,
    AnyTensorTypeConstr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    TensorType,
    UnitAttr,
    f32,
    i1,
    i64,
)
from xdsl.ir import Attribute, Dialect, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    VarConstraint,
    irdl_op_definition,
    lazy_traits_def,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    Commutative,
    ConstantLike,
    HasCanonicalizationPatternsTrait,
    HasParent,
    IsolatedFromAbove,
    IsTerminator,
    Pure,
    RecursiveMemoryEffect,
    SameOperandsAndResultType,
)
from xdsl.utils.exceptions import VerifyException

from ge_compiler.dialects import shapes
from ge_compiler.dialects.shapes import DYN, ShapeError, fmt

if TYPE_CHECKING:
    from xdsl.pattern_rewriter import RewritePattern

FloatTensor = TensorType.constr(AnyFloatConstr)
IntTensor = TensorType.constr(IntegerType)
I64Array = DenseArrayBase.constr(i64)

STREAM_HINT = "stream_id"
"""Discardable attribute on an op (or its function): the stream the user wants it on."""

MAX_CONSTANT_ELEMENTS = 4096
"""graph.constant is for small literals; anything larger is a graph.weight."""

GELU_APPROXIMATIONS = ("none", "tanh")
RESIZE_MODES = ("nearest", "bilinear")


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


def tensor_type(value: SSAValue) -> TensorType:
    t = value.type
    assert isinstance(t, TensorType)
    return t


def shape_of(value: SSAValue) -> tuple[int, ...]:
    return tensor_type(value).get_shape()


def dtype_of(value: SSAValue) -> Attribute:
    return tensor_type(value).get_element_type()


# --------------------------------------------------------------------------- canonicalization
# Each trait hands xDSL's `canonicalize` the patterns of its op, which live in
# passes/graph/canonicalization.py (imported on first use: the passes import this module).


class ReshapeCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import RESHAPE_PATTERNS

        return RESHAPE_PATTERNS


class TransposeCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import TRANSPOSE_PATTERNS

        return TRANSPOSE_PATTERNS


class CastCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import CAST_PATTERNS

        return CAST_PATTERNS


class AddCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import ADD_PATTERNS

        return ADD_PATTERNS


class SubCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import SUB_PATTERNS

        return SUB_PATTERNS


class MulCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import MUL_PATTERNS

        return MUL_PATTERNS


class DivCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import DIV_PATTERNS

        return DIV_PATTERNS


class MatmulCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from ge_compiler.passes.graph.canonicalization import MATMUL_PATTERNS

        return MATMUL_PATTERNS


class _GraphOp(IRDLOperation):
    """Common verification plumbing: shape rules raise ShapeError, reported with the op name."""

    irdl_options = (ParsePropInAttrDict(),)

    def verify_(self) -> None:
        try:
            self.verify_shapes()
        except ShapeError as e:
            raise VerifyException(f"{self.name}: {e}") from None

    def verify_shapes(self) -> None:
        """Raise ShapeError on an inconsistent op; overridden per op family."""

    def expect_shape(self, value: SSAValue, expected: Sequence[int], what: str = "result") -> None:
        got = shape_of(value)
        if not shapes.shapes_compatible(got, expected):
            raise ShapeError(f"{what} shape {fmt(got)} does not match expected {fmt(expected)}")

    def expect_same_dtype(self, *values: SSAValue) -> None:
        first = dtype_of(values[0])
        if any(dtype_of(v) != first for v in values[1:]):  # format only on error: hot path
            dtypes = {str(dtype_of(v)) for v in values}
            raise ShapeError(f"element types differ: {', '.join(sorted(dtypes))}")


# --------------------------------------------------------------------------- elementwise


class _Unary(_GraphOp):
    """Float elementwise op: result type equals operand type."""

    T: ClassVar = VarConstraint("T", FloatTensor)
    input = operand_def(T)
    result = result_def(T)
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input attr-dict `:` type($result)"

    def __init__(self, input: SSAValue | Operation, **props: Attribute):
        v = SSAValue.get(input)
        super().__init__(operands=[v], result_types=[v.type], properties=props)


@irdl_op_definition
class NegOp(_Unary):
    name = "graph.neg"


@irdl_op_definition
class AbsOp(_Unary):
    name = "graph.abs"


@irdl_op_definition
class ExpOp(_Unary):
    name = "graph.exp"


@irdl_op_definition
class LogOp(_Unary):
    name = "graph.log"


@irdl_op_definition
class SqrtOp(_Unary):
    name = "graph.sqrt"


@irdl_op_definition
class RsqrtOp(_Unary):
    name = "graph.rsqrt"


@irdl_op_definition
class ReciprocalOp(_Unary):
    name = "graph.reciprocal"


@irdl_op_definition
class ReluOp(_Unary):
    name = "graph.relu"


@irdl_op_definition
class SigmoidOp(_Unary):
    name = "graph.sigmoid"


@irdl_op_definition
class TanhOp(_Unary):
    name = "graph.tanh"


@irdl_op_definition
class ErfOp(_Unary):
    name = "graph.erf"


@irdl_op_definition
class SiluOp(_Unary):
    name = "graph.silu"


@irdl_op_definition
class GeluOp(_Unary):
    """GELU; ``approximate = "tanh"`` selects the tanh formula (as in PyTorch)."""

    name = "graph.gelu"
    approximate = prop_def(StringAttr, default_value=StringAttr("none"))

    def verify_shapes(self) -> None:
        if self.approximate.data not in GELU_APPROXIMATIONS:
            raise ShapeError(
                f"approximate must be one of {', '.join(GELU_APPROXIMATIONS)}, "
                f"got '{self.approximate.data}'"
            )


class _Binary(_GraphOp):
    """Elementwise binary op with numpy broadcasting; operands share one element type."""

    lhs = operand_def(AnyTensorTypeConstr)
    rhs = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        a, b = SSAValue.get(lhs), SSAValue.get(rhs)
        out = TensorType(dtype_of(a), shapes.broadcast(shape_of(a), shape_of(b)))
        super().__init__(operands=[a, b], result_types=[out])

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.lhs, self.rhs, self.result)
        self.expect_shape(self.result, shapes.broadcast(shape_of(self.lhs), shape_of(self.rhs)))


@irdl_op_definition
class AddOp(_Binary):
    name = "graph.add"
    traits = traits_def(Pure(), Commutative(), AddCanonicalization())


@irdl_op_definition
class SubOp(_Binary):
    name = "graph.sub"
    traits = traits_def(Pure(), SubCanonicalization())


@irdl_op_definition
class MulOp(_Binary):
    name = "graph.mul"
    traits = traits_def(Pure(), Commutative(), MulCanonicalization())


@irdl_op_definition
class DivOp(_Binary):
    name = "graph.div"
    traits = traits_def(Pure(), DivCanonicalization())


@irdl_op_definition
class MaximumOp(_Binary):
    name = "graph.maximum"
    traits = traits_def(Pure(), Commutative())


@irdl_op_definition
class MinimumOp(_Binary):
    name = "graph.minimum"
    traits = traits_def(Pure(), Commutative())


@irdl_op_definition
class PowOp(_Binary):
    name = "graph.pow"


@irdl_op_definition
class WhereOp(_GraphOp):
    """``cond ? lhs : rhs`` elementwise with broadcasting; ``cond`` is an i1 tensor."""

    name = "graph.where"
    cond = operand_def(TensorType.constr(IntegerType(1)))
    lhs = operand_def(AnyTensorTypeConstr)
    rhs = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure())
    assembly_format = "$cond `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, cond: SSAValue, lhs: SSAValue, rhs: SSAValue):
        shape = shapes.broadcast(shapes.broadcast(shape_of(cond), shape_of(lhs)), shape_of(rhs))
        super().__init__(operands=[cond, lhs, rhs], result_types=[TensorType(dtype_of(lhs), shape)])

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.lhs, self.rhs, self.result)
        shape = shapes.broadcast(shape_of(self.cond), shape_of(self.lhs))
        self.expect_shape(self.result, shapes.broadcast(shape, shape_of(self.rhs)))


@irdl_op_definition
class CastOp(_GraphOp):
    """Element type conversion: float->int rounds half to even and saturates (NaN -> 0),
    int->int saturates, anything->i1 is ``!= 0``."""

    name = "graph.cast"
    input = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure(), CastCanonicalization())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, dtype: Attribute):
        super().__init__(operands=[input], result_types=[TensorType(dtype, shape_of(input))])

    def verify_shapes(self) -> None:
        self.expect_shape(self.result, shape_of(self.input))


# --------------------------------------------------------------------------- contractions


class _MatmulBase(_GraphOp):
    lhs = operand_def(FloatTensor)
    rhs = operand_def(FloatTensor)
    result = result_def(FloatTensor)
    transpose_a = opt_prop_def(UnitAttr)
    transpose_b = opt_prop_def(UnitAttr)
    traits = traits_def(Pure(), MatmulCanonicalization())
    assembly_format = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)"
    BATCHED: ClassVar[bool] = False

    def __init__(
        self, lhs: SSAValue, rhs: SSAValue, transpose_a: bool = False, transpose_b: bool = False
    ):
        shape = shapes.matmul(shape_of(lhs), shape_of(rhs), transpose_a, transpose_b, self.BATCHED)
        props: dict[str, Attribute] = {}
        if transpose_a:
            props["transpose_a"] = UnitAttr()
        if transpose_b:
            props["transpose_b"] = UnitAttr()
        super().__init__(
            operands=[lhs, rhs],
            result_types=[TensorType(dtype_of(lhs), shape)],
            properties=props,
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.lhs, self.rhs, self.result)
        expected = shapes.matmul(
            shape_of(self.lhs),
            shape_of(self.rhs),
            self.transpose_a is not None,
            self.transpose_b is not None,
            self.BATCHED,
        )
        self.expect_shape(self.result, expected)


@irdl_op_definition
class MatmulOp(_MatmulBase):
    """``[..., M, K] x [..., K, N]`` with broadcast batch dims (numpy matmul semantics)."""

    name = "graph.matmul"


@irdl_op_definition
class BatchMatmulOp(_MatmulBase):
    """Batched matmul whose operands have the same rank (>= 3) and equal batch dims."""

    name = "graph.batch_matmul"
    BATCHED: ClassVar[bool] = True


@irdl_op_definition
class Conv2dOp(_GraphOp):
    """2-D convolution, NCHW x OIHW (+ optional bias of O), padding (top, left, bottom, right)."""

    name = "graph.conv2d"
    input = operand_def(FloatTensor)
    filter = operand_def(FloatTensor)
    bias = opt_operand_def(FloatTensor)
    result = result_def(FloatTensor)
    stride = prop_def(I64Array, default_value=i64_array([1, 1]))
    padding = prop_def(I64Array, default_value=i64_array([0, 0, 0, 0]))
    dilation = prop_def(I64Array, default_value=i64_array([1, 1]))
    groups = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure())
    assembly_format = (
        "$input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)"
    )

    def __init__(
        self,
        input: SSAValue,
        filter: SSAValue,
        bias: SSAValue | None = None,
        stride: Sequence[int] = (1, 1),
        padding: Sequence[int] = (0, 0, 0, 0),
        dilation: Sequence[int] = (1, 1),
        groups: int = 1,
    ):
        shape = shapes.conv2d(shape_of(input), shape_of(filter), stride, padding, dilation, groups)
        super().__init__(
            operands=[input, filter, [] if bias is None else [bias]],
            result_types=[TensorType(dtype_of(input), shape)],
            properties={
                "stride": i64_array(stride),
                "padding": i64_array(padding),
                "dilation": i64_array(dilation),
                "groups": IntegerAttr(groups, i64),
            },
        )

    def verify_shapes(self) -> None:
        stride, padding, dilation = (
            self.stride.get_values(),
            self.padding.get_values(),
            self.dilation.get_values(),
        )
        operands = [self.input, self.filter] + ([self.bias] if self.bias else [])
        self.expect_same_dtype(*operands, self.result)
        expected = shapes.conv2d(
            shape_of(self.input),
            shape_of(self.filter),
            stride,
            padding,
            dilation,
            self.groups.value.data,
        )
        if self.bias is not None:
            self.expect_shape(self.bias, (shape_of(self.filter)[0],), "bias")
        self.expect_shape(self.result, expected)


# --------------------------------------------------------------------------- pooling / resize


class _Pool2d(_GraphOp):
    input = operand_def(FloatTensor)
    result = result_def(FloatTensor)
    kernel = prop_def(I64Array)
    stride = prop_def(I64Array, default_value=i64_array([1, 1]))
    padding = prop_def(I64Array, default_value=i64_array([0, 0, 0, 0]))
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(
        self,
        input: SSAValue,
        kernel: Sequence[int],
        stride: Sequence[int] | None = None,
        padding: Sequence[int] = (0, 0, 0, 0),
    ):
        stride = tuple(stride) if stride is not None else tuple(kernel)
        shape = shapes.pool2d(shape_of(input), kernel, stride, padding)
        super().__init__(
            operands=[input],
            result_types=[TensorType(dtype_of(input), shape)],
            properties={
                "kernel": i64_array(kernel),
                "stride": i64_array(stride),
                "padding": i64_array(padding),
            },
        )

    def verify_shapes(self) -> None:
        kernel, stride, padding = (
            self.kernel.get_values(),
            self.stride.get_values(),
            self.padding.get_values(),
        )
        shapes.check_window_attrs(kernel=kernel, stride=stride, padding=padding)
        pads = ((padding[0], kernel[0]), (padding[1], kernel[1]))
        pads += ((padding[2], kernel[0]), (padding[3], kernel[1]))
        if any(p >= k for p, k in pads):
            raise ShapeError(f"padding {list(padding)} must be smaller than the kernel")
        self.expect_same_dtype(self.input, self.result)
        self.expect_shape(self.result, shapes.pool2d(shape_of(self.input), kernel, stride, padding))


@irdl_op_definition
class MaxPool2dOp(_Pool2d):
    """Max pooling over NCHW; padding is -inf."""

    name = "graph.max_pool2d"


@irdl_op_definition
class AvgPool2dOp(_Pool2d):
    """Average pooling over NCHW; padded cells are excluded from the count."""

    name = "graph.avg_pool2d"


@irdl_op_definition
class ResizeOp(_GraphOp):
    """Spatial resize of NCHW to the result's H and W, as PyTorch's F.interpolate:
    nearest takes source index floor(dst * in / out); bilinear uses half-pixel centres
    (align_corners=False)."""

    name = "graph.resize"
    input = operand_def(FloatTensor)
    result = result_def(FloatTensor)
    mode = prop_def(StringAttr, default_value=StringAttr("nearest"))
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, size: Sequence[int], mode: str = "nearest"):
        n, c, *_ = shape_of(input)
        super().__init__(
            operands=[input],
            result_types=[TensorType(dtype_of(input), (n, c, *size))],
            properties={"mode": StringAttr(mode)},
        )

    def verify_shapes(self) -> None:
        if self.mode.data not in RESIZE_MODES:
            raise ShapeError(
                f"mode must be one of {', '.join(RESIZE_MODES)}, got '{self.mode.data}'"
            )
        x, y = shape_of(self.input), shape_of(self.result)
        if len(x) != 4 or len(y) != 4:
            raise ShapeError(f"input and result must be rank 4 (NCHW), got {fmt(x)} and {fmt(y)}")
        self.expect_same_dtype(self.input, self.result)
        self.expect_shape(self.result, (x[0], x[1], y[2], y[3]))
        if any(d != shapes.DYN and d < 1 for d in y[2:]):
            raise ShapeError(f"result size {fmt(y)} must be positive")


# --------------------------------------------------------------------------- reductions / norms


class _Reduce(_GraphOp):
    input = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    axes = prop_def(I64Array)
    keepdims = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, axes: Sequence[int], keepdims: bool = False):
        shape = shapes.reduce(shape_of(input), axes, keepdims)
        props: dict[str, Attribute] = {"axes": i64_array(axes)}
        if keepdims:
            props["keepdims"] = UnitAttr()
        super().__init__(
            operands=[input], result_types=[TensorType(dtype_of(input), shape)], properties=props
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.input, self.result)
        axes = self.axes.get_values()
        if not axes:
            raise ShapeError("axes must not be empty")
        expected = shapes.reduce(shape_of(self.input), axes, self.keepdims is not None)
        self.expect_shape(self.result, expected)


@irdl_op_definition
class ReduceSumOp(_Reduce):
    name = "graph.reduce_sum"


@irdl_op_definition
class ReduceMeanOp(_Reduce):
    name = "graph.reduce_mean"


@irdl_op_definition
class ReduceMaxOp(_Reduce):
    name = "graph.reduce_max"


@irdl_op_definition
class SoftmaxOp(_GraphOp):
    name = "graph.softmax"
    T: ClassVar = VarConstraint("T", FloatTensor)
    input = operand_def(T)
    result = result_def(T)
    axis = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(-1, i64))
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input attr-dict `:` type($result)"

    def __init__(self, input: SSAValue, axis: int = -1):
        super().__init__(
            operands=[input], result_types=[input.type], properties={"axis": IntegerAttr(axis, i64)}
        )

    def verify_shapes(self) -> None:
        shapes.normalize_axis(self.axis.value.data, len(shape_of(self.input)))


EPSILON_DEFAULT = FloatAttr(1e-5, f32)


class _Norm(_GraphOp):
    """A normalization with learned scale (and shift); ``epsilon`` must be positive."""

    epsilon = prop_def(FloatAttr[AnyFloat], default_value=EPSILON_DEFAULT)
    traits = traits_def(Pure())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.input, self.result)
        self.expect_shape(self.result, shape_of(self.input))
        if not self.epsilon.value.data > 0:
            raise ShapeError(f"epsilon must be > 0, got {self.epsilon.value.data}")
        for p in self.params():
            self.expect_same_dtype(self.input, p)
            self.expect_shape(p, self.param_shape(), "scale/shift")

    def params(self) -> list[SSAValue]:
        return []

    def param_shape(self) -> tuple[int, ...]:
        raise NotImplementedError


@irdl_op_definition
class LayerNormOp(_Norm):
    """Normalizes over dims ``axis..rank-1``; weight and bias have that trailing shape."""

    name = "graph.layer_norm"
    input = operand_def(FloatTensor)
    weight = operand_def(FloatTensor)
    bias = operand_def(FloatTensor)
    result = result_def(FloatTensor)
    axis = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(-1, i64))

    def __init__(
        self, input: SSAValue, weight: SSAValue, bias: SSAValue, axis: int = -1, eps: float = 1e-5
    ):
        super().__init__(
            operands=[input, weight, bias],
            result_types=[input.type],
            properties={"axis": IntegerAttr(axis, i64), "epsilon": FloatAttr(eps, f32)},
        )

    def params(self) -> list[SSAValue]:
        return [self.weight, self.bias]

    def param_shape(self) -> tuple[int, ...]:
        x = shape_of(self.input)
        return x[shapes.normalize_axis(self.axis.value.data, len(x)) :]


@irdl_op_definition
class GroupNormOp(_Norm):
    """Group norm over N C ...: channels split into ``num_groups``; weight and bias are [C]."""

    name = "graph.group_norm"
    input = operand_def(FloatTensor)
    weight = operand_def(FloatTensor)
    bias = operand_def(FloatTensor)
    result = result_def(FloatTensor)
    num_groups = prop_def(IntegerAttr.constr(i64))

    def __init__(
        self, input: SSAValue, weight: SSAValue, bias: SSAValue, num_groups: int, eps: float = 1e-5
    ):
        super().__init__(
            operands=[input, weight, bias],
            result_types=[input.type],
            properties={"num_groups": IntegerAttr(num_groups, i64), "epsilon": FloatAttr(eps, f32)},
        )

    def params(self) -> list[SSAValue]:
        return [self.weight, self.bias]

    def param_shape(self) -> tuple[int, ...]:
        x = shape_of(self.input)
        if len(x) < 3:
            raise ShapeError(f"input must have rank >= 3 (N, C, ...), got {fmt(x)}")
        groups, c = self.num_groups.value.data, x[1]
        if groups < 1:
            raise ShapeError(f"num_groups must be >= 1, got {groups}")
        if c != shapes.DYN and c % groups:
            raise ShapeError(f"channels {c} are not divisible into {groups} groups")
        return (c,)


@irdl_op_definition
class RmsNormOp(_Norm):
    """Root-mean-square norm over the last dim, scaled by a weight of that size."""

    name = "graph.rms_norm"
    input = operand_def(FloatTensor)
    weight = operand_def(FloatTensor)
    result = result_def(FloatTensor)

    def __init__(self, input: SSAValue, weight: SSAValue, eps: float = 1e-5):
        super().__init__(
            operands=[input, weight],
            result_types=[input.type],
            properties={"epsilon": FloatAttr(eps, f32)},
        )

    def params(self) -> list[SSAValue]:
        return [self.weight]

    def param_shape(self) -> tuple[int, ...]:
        return shape_of(self.input)[-1:]


# --------------------------------------------------------------------------- data movement


@irdl_op_definition
class ReshapeOp(_GraphOp):
    name = "graph.reshape"
    input = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure(), ReshapeCanonicalization())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, shape: Sequence[int]):
        super().__init__(operands=[input], result_types=[TensorType(dtype_of(input), shape)])

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.input, self.result)
        x, y = shape_of(self.input), shape_of(self.result)
        if not shapes.reshape_ok(x, y):
            raise ShapeError(f"cannot reshape {fmt(x)} ({shapes.numel(x)} elements) to {fmt(y)}")


@irdl_op_definition
class TransposeOp(_GraphOp):
    name = "graph.transpose"
    input = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    perm = prop_def(I64Array)
    traits = traits_def(Pure(), TransposeCanonicalization())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, perm: Sequence[int]):
        shape = shapes.transpose(shape_of(input), perm)
        super().__init__(
            operands=[input],
            result_types=[TensorType(dtype_of(input), shape)],
            properties={"perm": i64_array(perm)},
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.input, self.result)
        self.expect_shape(
            self.result, shapes.transpose(shape_of(self.input), self.perm.get_values())
        )


@irdl_op_definition
class ConcatOp(_GraphOp):
    name = "graph.concat"
    inputs = var_operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    axis = prop_def(IntegerAttr.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$inputs attr-dict `:` functional-type($inputs, $result)"

    def __init__(self, inputs: Sequence[SSAValue], axis: int):
        shape = shapes.concat([shape_of(v) for v in inputs], axis)
        super().__init__(
            operands=[list(inputs)],
            result_types=[TensorType(dtype_of(inputs[0]), shape)],
            properties={"axis": IntegerAttr(axis, i64)},
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(*self.inputs, self.result)
        self.expect_shape(
            self.result, shapes.concat([shape_of(v) for v in self.inputs], self.axis.value.data)
        )


@irdl_op_definition
class SliceOp(_GraphOp):
    """Static strided slice: for each dim, elements start, start+step, ... below limit."""

    name = "graph.slice"
    input = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    start = prop_def(I64Array)
    limit = prop_def(I64Array)
    step = prop_def(I64Array)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(
        self,
        input: SSAValue,
        start: Sequence[int],
        limit: Sequence[int],
        step: Sequence[int] | None = None,
    ):
        step = tuple(step) if step is not None else (1,) * len(start)
        shape = shapes.slice_(shape_of(input), start, limit, step)
        super().__init__(
            operands=[input],
            result_types=[TensorType(dtype_of(input), shape)],
            properties={
                "start": i64_array(start),
                "limit": i64_array(limit),
                "step": i64_array(step),
            },
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.input, self.result)
        expected = shapes.slice_(
            shape_of(self.input),
            self.start.get_values(),
            self.limit.get_values(),
            self.step.get_values(),
        )
        self.expect_shape(self.result, expected)


@irdl_op_definition
class SplitOp(_GraphOp):
    """Splits along ``axis`` into consecutive pieces sized by the result types."""

    name = "graph.split"
    input = operand_def(AnyTensorTypeConstr)
    outputs = var_result_def(AnyTensorTypeConstr)
    axis = prop_def(IntegerAttr.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($outputs)"

    def __init__(self, input: SSAValue, sizes: Sequence[int], axis: int):
        x = shape_of(input)
        ax = shapes.normalize_axis(axis, len(x))
        types = [TensorType(dtype_of(input), (*x[:ax], s, *x[ax + 1 :])) for s in sizes]
        super().__init__(
            operands=[input], result_types=[types], properties={"axis": IntegerAttr(axis, i64)}
        )

    def verify_shapes(self) -> None:
        if not self.outputs:
            raise ShapeError("needs at least one result")
        self.expect_same_dtype(self.input, *self.outputs)
        x = shape_of(self.input)
        ax = shapes.normalize_axis(self.axis.value.data, len(x))
        pieces = [shape_of(v) for v in self.outputs]
        for p in pieces:
            outside = [i for i in range(len(x)) if i != ax]
            if len(p) != len(x) or not all(shapes.dims_compatible(p[i], x[i]) for i in outside):
                raise ShapeError(f"result {fmt(p)} differs from input {fmt(x)} outside axis {ax}")
        whole = shapes.concat(pieces, ax)
        if not shapes.dims_compatible(whole[ax], x[ax]):
            raise ShapeError(
                f"results {', '.join(fmt(p) for p in pieces)} do not split {fmt(x)}: "
                f"sizes along axis {ax} add up to {whole[ax]}, not {x[ax]}"
            )


@irdl_op_definition
class GatherOp(_GraphOp):
    """``take(data, indices, axis)``; an embedding lookup is a gather on axis 0."""

    name = "graph.gather"
    data = operand_def(AnyTensorTypeConstr)
    indices = operand_def(IntTensor)
    result = result_def(AnyTensorTypeConstr)
    axis = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(0, i64))
    traits = traits_def(Pure())
    assembly_format = "$data `,` $indices attr-dict `:` functional-type(operands, results)"

    def __init__(self, data: SSAValue, indices: SSAValue, axis: int = 0):
        shape = shapes.gather(shape_of(data), shape_of(indices), axis)
        super().__init__(
            operands=[data, indices],
            result_types=[TensorType(dtype_of(data), shape)],
            properties={"axis": IntegerAttr(axis, i64)},
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.data, self.result)
        expected = shapes.gather(shape_of(self.data), shape_of(self.indices), self.axis.value.data)
        self.expect_shape(self.result, expected)


# --------------------------------------------------------------------------- values


@irdl_op_definition
class WeightOp(_GraphOp):
    """A named parameter; its data lives in a weight store, never inline in the IR."""

    name = "graph.weight"
    weight_name = prop_def(StringAttr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure())
    assembly_format = "$weight_name attr-dict `:` type($result)"

    def __init__(self, weight_name: str, type: TensorType):
        super().__init__(result_types=[type], properties={"weight_name": StringAttr(weight_name)})

    def verify_shapes(self) -> None:
        if not self.weight_name.data:
            raise ShapeError("weight name must not be empty")
        if shapes.numel(shape_of(self.result)) is None:
            raise ShapeError("a weight must have a static shape")


@irdl_op_definition
class ConstantOp(_GraphOp):
    """A small literal tensor (at most MAX_CONSTANT_ELEMENTS elements)."""

    name = "graph.constant"
    value = prop_def(DenseIntOrFPElementsAttr)
    result = result_def(AnyTensorTypeConstr)
    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: DenseIntOrFPElementsAttr):
        super().__init__(result_types=[value.get_type()], properties={"value": value})

    def verify_shapes(self) -> None:
        if self.value.get_type() != self.result.type:
            raise ShapeError(
                f"value type {self.value.get_type()} differs from result type {self.result.type}"
            )
        n = shapes.numel(shape_of(self.result))
        if n is None or n > MAX_CONSTANT_ELEMENTS:
            raise ShapeError(
                f"a constant must be static with at most {MAX_CONSTANT_ELEMENTS} elements; "
                "use graph.weight for large tensors"
            )

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        attrs = parser.parse_optional_attr_dict()
        value = parser.parse_attribute()
        if not isinstance(value, DenseIntOrFPElementsAttr):
            parser.raise_error(f"expected a dense elements attribute, got {value}")
        op = cls(value)
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        if self.attributes:
            printer.print_string(" ")
            printer.print_attr_dict(self.attributes)
        printer.print_string(" ")
        printer.print_attribute(self.value)


# --------------------------------------------------------------------------- structure


FUSION_KINDS = ("elementwise", "contraction", "reduction", "attention", "generic")


@irdl_op_definition
class YieldOp(IRDLOperation):
    """Returns the results of a fused group or of a graph.if branch."""

    name = "graph.yield"
    values = var_operand_def(AnyTensorTypeConstr)
    traits = lazy_traits_def(lambda: (IsTerminator(), HasParent(FusedOp, IfOp, LoopOp), Pure()))
    assembly_format = "$values attr-dict `:` type($values)"

    def __init__(self, values: Sequence[SSAValue]):
        super().__init__(operands=[list(values)])


@irdl_op_definition
class FusedOp(IRDLOperation):
    """A group of graph ops that becomes one device kernel.

    The body is isolated from above: its block arguments are the group's inputs (the operands),
    so a kernel reads exactly its operands from global memory and writes exactly its results,
    while every intermediate stays on chip. ``kind`` names the fusion rule that formed it.
    """

    name = "graph.fused"
    inputs = var_operand_def(AnyTensorTypeConstr)
    outputs = var_result_def(AnyTensorTypeConstr)
    kind = prop_def(StringAttr, default_value=StringAttr("generic"))
    body = region_def("single_block")
    traits = traits_def(Pure(), IsolatedFromAbove())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "`(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs) $body"

    def __init__(
        self, inputs: Sequence[SSAValue], result_types: Sequence[Attribute], body: Region, kind: str
    ):
        super().__init__(
            operands=[list(inputs)],
            result_types=[list(result_types)],
            regions=[body],
            properties={"kind": StringAttr(kind)},
        )

    def verify_(self) -> None:
        if self.kind.data not in FUSION_KINDS:
            raise VerifyException(f"kind must be one of {', '.join(FUSION_KINDS)}")
        block = self.body.block
        args = [a.type for a in block.args]
        if args != [v.type for v in self.inputs]:
            raise VerifyException("body arguments must have the types of the inputs")
        term = block.last_op
        if not isinstance(term, YieldOp):
            raise VerifyException("body must end with graph.yield")
        if [v.type for v in term.values] != [r.type for r in self.outputs]:
            raise VerifyException("graph.yield types must match the results")
        for op in block.ops:
            if op is not term and not isinstance(op, GRAPH_OPS):
                raise VerifyException(f"{op.name} cannot be fused (only graph compute ops)")


@irdl_op_definition
class UpdateSliceOp(_GraphOp):
    """``dest`` with ``update`` written at position ``index`` (a one-element integer tensor)
    along ``axis``: a KV cache row append. Value semantics; lowered in place when ``dest``
    dies there, so a cache is allocated once and only the update's bytes move."""

    name = "graph.update_slice"
    dest = operand_def(AnyTensorTypeConstr)
    update = operand_def(AnyTensorTypeConstr)
    index = operand_def(AnyTensorTypeConstr)
    result = result_def(AnyTensorTypeConstr)
    axis = prop_def(IntegerAttr.constr(i64))
    traits = traits_def(Pure())
    assembly_format = (
        "$dest `,` $update `,` $index attr-dict `:` type($dest) `,` type($update) `,` "
        "type($index) `->` type($result)"
    )

    def __init__(self, dest: SSAValue, update: SSAValue, index: SSAValue, axis: int):
        super().__init__(
            operands=[dest, update, index],
            result_types=[dest.type],
            properties={"axis": IntegerAttr(axis, i64)},
        )

    def verify_shapes(self) -> None:
        self.expect_same_dtype(self.dest, self.update, self.result)
        d, u = shape_of(self.dest), shape_of(self.update)
        axis = shapes.normalize_axis(self.axis.value.data, len(d))
        if len(u) != len(d):
            raise ShapeError(f"update rank {len(u)} differs from dest rank {len(d)}")
        for k, (a, b) in enumerate(zip(d, u, strict=True)):
            if k != axis and not shapes.dims_compatible(a, b):
                raise ShapeError(f"update {fmt(u)} does not fit dest {fmt(d)} outside axis {axis}")
        if DYN not in (d[axis], u[axis]) and u[axis] > d[axis]:
            raise ShapeError(f"update is longer than dest along axis {axis}")
        t = self.index.type
        if not (
            isinstance(t, TensorType)
            and isinstance(t.get_element_type(), IntegerType)
            and _numel(t) == 1
        ):
            raise ShapeError(f"index must be a one-element integer tensor, got {t}")
        self.expect_shape(self.result, d)


@irdl_op_definition
class LoopOp(IRDLOperation):
    """``trip_count`` iterations of the body: an autoregressive decode or a denoising loop.

    The body block takes the iteration index (``tensor<i64>``, from 0) and the loop-carried
    values (first iteration: ``inits``) and yields their next values; the results are the last
    yielded values. The body may use values of the enclosing function (weights, encoder states).
    """

    name = "graph.loop"
    inits = var_operand_def(AnyTensorTypeConstr)
    outputs = var_result_def(AnyTensorTypeConstr)
    trip_count = prop_def(IntegerAttr.constr(i64))
    body = region_def("single_block")
    traits = traits_def(RecursiveMemoryEffect())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "`(` $inits `)` attr-dict `:` functional-type($inits, $outputs) $body"

    def __init__(
        self, inits: Sequence[SSAValue], trip_count: int, body: Region
    ):  # fmt: skip
        super().__init__(
            operands=[list(inits)],
            result_types=[[v.type for v in inits]],
            regions=[body],
            properties={"trip_count": IntegerAttr(trip_count, i64)},
        )

    def verify_(self) -> None:
        if self.trip_count.value.data < 1:
            raise VerifyException(f"trip_count must be >= 1, got {self.trip_count.value.data}")
        carried = [v.type for v in self.inits]
        if [r.type for r in self.outputs] != carried:
            raise VerifyException("results must have the types of the inits")
        block = self.body.block
        index_type = TensorType(i64, [])
        if [a.type for a in block.args] != [index_type, *carried]:
            raise VerifyException(
                "the body takes the index (tensor<i64>) and the loop-carried values"
            )
        term = block.last_op
        if not isinstance(term, YieldOp):
            raise VerifyException("the body must end with graph.yield")
        if [v.type for v in term.values] != carried:
            raise VerifyException(
                f"the body yields {_types(term.values)}, the loop carries {_types(self.inits)}"
            )


@irdl_op_definition
class IfOp(IRDLOperation):
    """Run one of two branches on a runtime condition (a one-element i1 tensor).

    The branches are single blocks without arguments that may use values from the enclosing
    function and end with graph.yield of the results. Both branches are optimized (fused,
    planned) like the rest of the graph; on the device only the taken one executes.
    """

    name = "graph.if"
    cond = operand_def(AnyTensorTypeConstr)
    outputs = var_result_def(AnyTensorTypeConstr)
    then_region = region_def("single_block")
    else_region = region_def("single_block")
    traits = traits_def(RecursiveMemoryEffect())
    assembly_format = (
        "$cond attr-dict `:` type($cond) `->` `(` type($outputs) `)` $then_region "
        "`else` $else_region"
    )

    def __init__(
        self, cond: SSAValue, result_types: Sequence[Attribute], then_region: Region,
        else_region: Region,
    ):  # fmt: skip
        super().__init__(
            operands=[cond], result_types=[list(result_types)], regions=[then_region, else_region]
        )

    def verify_(self) -> None:
        t = self.cond.type
        if not (isinstance(t, TensorType) and t.get_element_type() == i1 and _numel(t) == 1):
            raise VerifyException(f"condition must be a one-element i1 tensor, got {t}")
        for what, region in (("then", self.then_region), ("else", self.else_region)):
            block = region.block
            if block.args:
                raise VerifyException(f"the {what} branch takes no block arguments")
            term = block.last_op
            if not isinstance(term, YieldOp):
                raise VerifyException(f"the {what} branch must end with graph.yield")
            if [v.type for v in term.values] != [r.type for r in self.outputs]:
                raise VerifyException(
                    f"the {what} branch yields {_types(term.values)}, "
                    f"graph.if returns {_types(self.outputs)}"
                )


def _numel(t: TensorType) -> int:
    n = 1
    for d in t.get_shape():
        n *= d
    return n


def _types(values: Sequence[SSAValue]) -> str:
    return "(" + ", ".join(str(v.type) for v in values) + ")"


GRAPH_OPS: tuple[type[IRDLOperation], ...] = (
    NegOp, AbsOp, ExpOp, LogOp, SqrtOp, RsqrtOp, ReciprocalOp, ReluOp, SigmoidOp, TanhOp, ErfOp,
    SiluOp, GeluOp,
    AddOp, SubOp, MulOp, DivOp, MaximumOp, MinimumOp, PowOp, WhereOp, CastOp,
    MatmulOp, BatchMatmulOp, Conv2dOp, MaxPool2dOp, AvgPool2dOp, ResizeOp,
    ReduceSumOp, ReduceMeanOp, ReduceMaxOp, SoftmaxOp, LayerNormOp, GroupNormOp, RmsNormOp,
    ReshapeOp, TransposeOp, ConcatOp, SliceOp, SplitOp, GatherOp,
    WeightOp, ConstantOp, UpdateSliceOp,
)  # fmt: skip

Graph = Dialect("graph", [*GRAPH_OPS, FusedOp, YieldOp, IfOp, LoopOp], [])
