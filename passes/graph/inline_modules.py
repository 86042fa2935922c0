"""inline-modules: inline every call of a pipeline module into its caller.

A pipeline (``GraphBuilder.add_module``) is a public function calling one private function per
module. Fusion, stream assignment and memory planning work across module boundaries only once
the calls are gone, and the lowering handles one function, so this pass runs first at every
optimization level. A module's ``stream_id`` (on its function) becomes the stream hint of each
inlined op that has none of its own, so the user's placement survives. Calls inside graph.if
branches are inlined too; functions nobody calls any more are erased if private.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.errors import GeError
from ge_compiler.ir import location_of


def inline_call(call: func.CallOp, callee: func.FuncOp) -> None:
    """Replace ``call`` by a copy of ``callee``'s body."""
    body = callee.body.block
    mapping: dict[SSAValue, SSAValue] = dict(zip(body.args, call.arguments, strict=True))
    hint = callee.attributes.get(STREAM_HINT)
    ret = body.last_op
    assert isinstance(ret, func.ReturnOp)
    for op in body.ops:
        if op is ret:
            continue
        clone = op.clone(value_mapper=mapping)
        if hint is not None and STREAM_HINT not in clone.attributes:
            clone.attributes[STREAM_HINT] = hint
        Rewriter.insert_op(clone, InsertPoint.before(call))
        for old, new in zip(op.results, clone.results, strict=True):
            mapping[old] = new
            new.name_hint = old.name_hint
    for result, value in zip(call.results, ret.arguments, strict=True):
        result.replace_all_uses_with(mapping.get(value, value))
    Rewriter.erase_op(call)


@dataclass(frozen=True)
class InlineModulesPass(ModulePass):
    """Inline every func.call to a function of the module (see the module docstring)."""

    name = "inline-modules"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = {f.sym_name.data: f for f in op.ops if isinstance(f, func.FuncOp)}
        called: set[str] = set()
        for _ in range(len(functions) + 1):  # each round inlines one more level of calls
            calls = [c for c in op.walk() if isinstance(c, func.CallOp)]
            if not calls:
                break
            for call in calls:
                name = call.callee.string_value()
                callee = functions.get(name)
                if callee is None or not callee.body.blocks:
                    raise GeError(f"call of @{name}, which has no body here", location_of(call))
                if _inside(call, callee):
                    raise GeError(f"@{name} calls itself: cannot inline", location_of(call))
                called.add(name)
                inline_call(call, callee)
        else:
            raise GeError("inline-modules: the calls form a cycle")
        for name in called:
            f = functions[name]
            if f.sym_visibility is not None and f.sym_visibility.data == "private":
                Rewriter.erase_op(f)


def _inside(op: Operation, f: func.FuncOp) -> bool:
    parent = op.parent_op()
    while parent is not None:
        if parent is f:
            return True
        parent = parent.parent_op()
    return False
