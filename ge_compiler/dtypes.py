"""Element types: the mapping from IR element types to numpy and to bytes on the device.

numpy has no bfloat16, so the reference interpreter computes bf16 tensors in float32; sizes on
the device always use the IR type (bf16 = 2 bytes).
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import (
    BFloat16Type,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    ShapedType,
)
from xdsl.ir import Attribute

from ge_compiler.errors import GeError


def numpy_dtype(t: Attribute) -> np.dtype:
    match t:
        case Float16Type():
            return np.dtype(np.float16)
        case BFloat16Type() | Float32Type():
            return np.dtype(np.float32)
        case Float64Type():
            return np.dtype(np.float64)
        case IntegerType(width=w) if w.data == 1:
            return np.dtype(np.bool_)
        case IntegerType(width=w) if w.data in (8, 16, 32, 64):
            return np.dtype(f"int{w.data}")
    raise GeError(f"unsupported element type {t}")


def shaped_bytes(t: ShapedType) -> int:
    """Bytes of a statically shaped tensor or memref."""
    n = 1
    for d in t.get_shape():
        n *= d
    return n * byte_width(t.get_element_type())


def byte_width(t: Attribute) -> int:
    """Bytes per element on the device (i1 is stored as one byte)."""
    match t:
        case Float16Type() | BFloat16Type():
            return 2
        case Float32Type():
            return 4
        case Float64Type():
            return 8
        case IntegerType(width=w):
            return max(1, w.data // 8)
    raise GeError(f"unsupported element type {t}")
