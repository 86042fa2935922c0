"""Shared plumbing of the ONNX importer: values, the converter registry and the import context.

An ONNX value is either a runtime tensor (a GraphBuilder ``Tensor``) or a constant known at
import time (an initializer, a ``Constant`` node, a folded ``Shape``). Keeping constants as
numpy arrays lets shape/axes inputs be read at import time, and a constant only becomes IR (a
``graph.weight`` for initializers, a ``graph.constant`` for small literals) when an op consumes
it as a tensor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dialects.graph import MAX_CONSTANT_ELEMENTS
from ge_compiler.dialects.shapes import DYN
from ge_compiler.errors import GeError

# ONNX TensorProto element type -> GraphBuilder dtype name (the graph dialect's element types).
ONNX_DTYPES: dict[int, str] = {
    1: "f32",
    10: "f16",
    16: "bf16",
    9: "i1",
    3: "i8",
    6: "i32",
    7: "i64",
}
NUMPY_OF: dict[str, Any] = {
    "f32": np.float32, "f16": np.float16, "bf16": np.float32, "i1": np.bool_, "i8": np.int8,
    "i32": np.int32, "i64": np.int64,
}  # fmt: skip
MIN_OPSET = 13


class NotConstantError(GeError):
    """An input that must be known at import time (a shape, axes, pads) is a runtime tensor."""

    def __init__(self, message: str, value_name: str):
        super().__init__(message)
        self.value_name = value_name


def dtype_name(elem_type: int, what: str) -> str:
    """The graph dtype of an ONNX element type, or a GeError naming the value."""
    if elem_type not in ONNX_DTYPES:
        from onnx import helper

        try:
            onnx_name = helper.tensor_dtype_to_string(elem_type).removeprefix("TensorProto.")
        except (ValueError, KeyError):
            onnx_name = str(elem_type)
        raise GeError(f"{what}: element type {onnx_name} is not supported by the graph dialect")
    return ONNX_DTYPES[elem_type]


def numpy_dtype_name(dtype: np.dtype) -> str | None:
    """The graph dtype name of a numpy dtype, or None (float64, uint8, ...)."""
    table = {
        np.dtype(np.float32): "f32", np.dtype(np.float16): "f16", np.dtype(np.bool_): "i1",
        np.dtype(np.int8): "i8", np.dtype(np.int32): "i32", np.dtype(np.int64): "i64",
    }  # fmt: skip
    return table.get(np.dtype(dtype))


_NAME_BAD = re.compile(r"[^\w$.-]")


def ssa_name(name: str) -> str:
    """An MLIR-valid SSA name hint for an ONNX value name (``input:0`` -> ``input_0``)."""
    clean = _NAME_BAD.sub("_", name) or "arg"
    return clean if re.match(r"[A-Za-z_$.-]", clean) else f"_{clean}"


@dataclass
class Value:
    """One ONNX value: a runtime tensor, or a constant array (``initializer`` names a weight)."""

    tensor: Tensor | None = None
    const: np.ndarray | None = None
    initializer: str | None = None

    @property
    def is_const(self) -> bool:
        return self.const is not None


Converter = Callable[["Ctx", Any], Sequence["Value | Tensor | np.ndarray | None"]]
CONVERTERS: dict[str, Converter] = {}


def converter(*op_types: str) -> Callable[[Converter], Converter]:
    """Register a function turning one ONNX node into graph ops (returns its outputs)."""

    def register(fn: Converter) -> Converter:
        for t in op_types:
            CONVERTERS[t] = fn
        return fn

    return register


class Ctx:
    """The state of one import: builder, ONNX values by name, weights, the current node."""

    def __init__(self, builder: GraphBuilder, opset: int):
        self.b = builder
        self.opset = opset
        self.values: dict[str, Value] = {}
        self.weights: dict[str, np.ndarray] = {}
        self.node: Any = None
        self.model_opset: list[Any] = []  # the model's opset_import (for reference folding)

    # ------------------------------------------------------------------ errors

    def where(self) -> str:
        n = self.node
        return f"node '{n.name or n.output[0]}' ({n.op_type}, opset {self.opset})"

    def unsupported(self, what: str) -> GeError:
        """The one error for an op/attribute/case the importer cannot map (names the node)."""
        return GeError(f"unsupported ONNX {self.where()}: {what}")

    # ------------------------------------------------------------------ inputs

    def has_input(self, i: int) -> bool:
        return len(self.node.input) > i and self.node.input[i] != ""

    def value(self, i: int) -> Value:
        return self.values[self.node.input[i]]

    def x(self, i: int = 0) -> Tensor:
        """Input ``i`` as a runtime tensor (constants are materialized)."""
        return self.tensor(self.value(i), self.node.input[i])

    def inputs(self) -> list[Tensor]:
        return [self.x(i) for i in range(len(self.node.input)) if self.has_input(i)]

    def const(self, i: int, what: str) -> np.ndarray:
        """Input ``i``, which must be known at import time (shapes, axes, pads, ...)."""
        v = self.value(i)
        if v.const is None:
            name = self.node.input[i]
            raise NotConstantError(
                f"unsupported ONNX {self.where()}: {what} (input '{name}') must be a constant "
                "or initializer",
                name,
            )
        return v.const

    def opt_const(self, i: int, what: str) -> np.ndarray | None:
        return self.const(i, what) if self.has_input(i) else None

    def attr(self, name: str, default: Any = None) -> Any:
        from onnx import helper

        for a in self.node.attribute:
            if a.name == name:
                return helper.get_attribute_value(a)
        return default

    def ints_attr_or_input(self, name: str, index: int, what: str) -> list[int] | None:
        """Axes and the like: an attribute in old opsets, a constant input in newer ones."""
        a = self.attr(name)
        if a is not None:
            return [int(v) for v in a]
        c = self.opt_const(index, what)
        return None if c is None else [int(v) for v in np.asarray(c).reshape(-1)]

    # ------------------------------------------------------------------ materializing

    def tensor(self, v: Value, name: str) -> Tensor:
        """A value as IR: initializers become graph.weight, small literals graph.constant."""
        if v.tensor is not None:
            return v.tensor
        assert v.const is not None
        arr = np.asarray(v.const)
        dt = numpy_dtype_name(arr.dtype)
        if dt is None:
            raise GeError(
                f"{self.where() if self.node is not None else 'graph output'}: constant "
                f"'{name}' has element type {arr.dtype}, not supported by the graph dialect"
            )
        if v.initializer is None and arr.size <= MAX_CONSTANT_ELEMENTS:
            v.tensor = self.b.constant(arr, dt)
        else:
            wname = v.initializer or name
            while wname in self.weights and not np.array_equal(self.weights[wname], arr):
                wname += "_"
            self.weights[wname] = arr
            v.tensor = self.b.weight(wname, arr.shape, dt)
        return v.tensor

    def scalar(self, value: float, like: Tensor) -> Tensor:
        return self.b.constant(np.asarray(value, dtype=NUMPY_OF[str(like.dtype)]), str(like.dtype))

    def index_const(self, values: Sequence[int] | np.ndarray, name: str) -> Tensor:
        """An i64 index tensor (a weight when too large for graph.constant)."""
        arr = np.asarray(values, dtype=np.int64)
        return self.tensor(Value(const=arr), f"{self.node.output[0]}.{name}")


def static_shape(t: Tensor, what: str, ctx: Ctx) -> tuple[int, ...]:
    """``t``'s shape, which this conversion needs to be static."""
    if DYN in t.shape:
        raise ctx.unsupported(f"{what} needs a static shape, got a dynamic one")
    return t.shape


def norm_axis(axis: int, rank: int, ctx: Ctx) -> int:
    if not -rank <= axis < rank:
        raise GeError(f"{ctx.where()}: axis {axis} is out of range for rank {rank}")
    return axis % rank


def is_float(t: Tensor) -> bool:
    return str(t.dtype) in ("f32", "f16", "bf16")
