"""The memory dialect: arenas and the buffers placed in them.

``memory.arena`` is a module-level symbol (a block of host or device memory with a size and an
alignment). ``memory.buffer`` is a memref view at a byte offset of an arena, with the
``lifetime`` (first and last task index, inclusive) during which its contents matter; the
memory planner chooses offsets so that buffers whose lifetimes overlap do not share bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    MemRefType,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    i64,
)
from xdsl.ir import Dialect
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from ge_compiler.dialects.symbols import lookup
from ge_compiler.dtypes import shaped_bytes

ARENA_SPACES = ("device", "host")


def memref_bytes(t: MemRefType) -> int:
    return shaped_bytes(t)


@irdl_op_definition
class ArenaOp(IRDLOperation):
    name = "memory.arena"
    sym_name = prop_def(SymbolNameConstraint())
    space = prop_def(StringAttr, default_value=StringAttr("device"))
    size = prop_def(IntegerAttr.constr(i64))
    alignment = prop_def(IntegerAttr.constr(i64), default_value=IntegerAttr(512, i64))
    traits = traits_def(SymbolOpInterface())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$sym_name attr-dict"

    def __init__(self, sym_name: str, size: int, space: str = "device", alignment: int = 512):
        super().__init__(
            properties={
                "sym_name": StringAttr(sym_name),
                "space": StringAttr(space),
                "size": IntegerAttr(size, i64),
                "alignment": IntegerAttr(alignment, i64),
            }
        )

    def verify_(self) -> None:
        if self.space.data not in ARENA_SPACES:
            raise VerifyException(f"space must be one of {', '.join(ARENA_SPACES)}")
        if self.size.value.data < 0:
            raise VerifyException(f"size must be >= 0, got {self.size.value.data}")
        align = self.alignment.value.data
        if align < 1 or align & (align - 1):
            raise VerifyException(f"alignment must be a power of two, got {align}")


@irdl_op_definition
class BufferOp(IRDLOperation):
    name = "memory.buffer"
    arena = prop_def(SymbolRefAttr)
    offset = prop_def(IntegerAttr.constr(i64))
    lifetime = opt_prop_def(DenseArrayBase.constr(i64))
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$arena `[` $offset `]` attr-dict `:` type($result)"

    def __init__(
        self, arena: str, offset: int, type: MemRefType, lifetime: Sequence[int] | None = None
    ):
        props = {"arena": SymbolRefAttr(arena), "offset": IntegerAttr(offset, i64)}
        if lifetime is not None:
            props["lifetime"] = DenseArrayBase.from_list(i64, list(lifetime))
        super().__init__(result_types=[type], properties=props)

    @property
    def size_bytes(self) -> int:
        assert isinstance(self.result.type, MemRefType)
        return memref_bytes(self.result.type)

    def verify_(self) -> None:
        if not self.result.type.has_static_shape():  # type: ignore[union-attr]
            raise VerifyException("a buffer must have a static shape")
        arena = lookup(self, self.arena)
        if not isinstance(arena, ArenaOp):
            raise VerifyException(f"'{self.arena.string_value()}' does not name a memory.arena")
        offset, end = self.offset.value.data, self.offset.value.data + self.size_bytes
        if offset < 0 or end > arena.size.value.data:
            raise VerifyException(
                f"buffer [{offset}, {end}) lies outside arena @{arena.sym_name.data} "
                f"of {arena.size.value.data} bytes"
            )
        if offset % arena.alignment.value.data:
            raise VerifyException(
                f"offset {offset} is not aligned to {arena.alignment.value.data} bytes"
            )
        if self.lifetime is not None:
            life = self.lifetime.get_values()
            if len(life) != 2 or not 0 <= life[0] <= life[1]:
                raise VerifyException("lifetime must be [first, last] with 0 <= first <= last")


Memory = Dialect("memory", [ArenaOp, BufferOp], [])
