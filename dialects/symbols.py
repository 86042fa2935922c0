"""Symbol lookup in near-constant time, for verifiers that resolve a reference per op.

xDSL's ``SymbolTable.lookup_symbol`` scans the symbol table's ops on every call, so verifying
n launches of n kernels is quadratic. This index maps names to ops per symbol-table op and is
rebuilt only when it misses or returns an op that has since moved or been renamed, so it is
always as correct as the scan it replaces (symbol names are unique within a table).
"""

from __future__ import annotations

import weakref

from xdsl.dialects.builtin import StringAttr, SymbolRefAttr
from xdsl.ir import Operation
from xdsl.traits import SymbolOpInterface, SymbolTable

_INDEX: weakref.WeakKeyDictionary[Operation, dict[str, Operation]] = weakref.WeakKeyDictionary()


def _table_of(op: Operation) -> Operation | None:
    anchor = op.parent_op()
    while anchor is not None and not anchor.has_trait(SymbolTable):
        anchor = anchor.parent_op()
    return anchor


def _name_of(op: Operation) -> str | None:
    trait = op.get_trait(SymbolOpInterface)
    attr = trait.get_sym_attr_name(op) if trait is not None else None
    return attr.data if isinstance(attr, StringAttr) else None


def lookup(op: Operation, ref: SymbolRefAttr) -> Operation | None:
    """The op named by a flat ``@name`` reference in ``op``'s nearest symbol table."""
    if ref.nested_references.data:
        return SymbolTable.lookup_symbol(op, ref)
    table = _table_of(op)
    if table is None:
        return None
    name = ref.root_reference.data
    index = _INDEX.get(table)
    found = index.get(name) if index is not None else None
    if found is not None and found.parent_op() is table and _name_of(found) == name:
        return found
    index = {}
    for o in table.regions[0].block.ops:
        sym = _name_of(o)
        if sym is not None:
            index.setdefault(sym, o)
    _INDEX[table] = index
    return index.get(name)
