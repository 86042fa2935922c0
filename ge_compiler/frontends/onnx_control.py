"""ONNX control flow -> ``graph.if`` / ``graph.loop``.

Subgraphs (``If`` branches, the ``Loop`` body) are converted node by node with the importer's
own machinery in a nested scope: outer-scope names stay visible, names defined inside do not
leak out, and constants materialized inside a region stay inside it. A constant ``If``
condition imports only the taken branch. ``Loop`` is supported in its static form: a constant
trip count ``M``, the condition absent or a constant, the body's ``cond_out`` the constant true
(or an ``Identity`` of ``cond_in``) and no scan outputs; anything else is one GeError naming
the node.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import numpy as np

from ge_compiler.builder import Tensor
from ge_compiler.frontends.onnx_common import Ctx, Value, converter

LOOP_UNSUPPORTED = "unsupported: Loop with a data-dependent condition/scan outputs"


@contextmanager
def _scope(ctx: Ctx) -> Iterator[None]:
    """A nested value scope: copies of the outer values (so a constant materialized inside a
    region is cached only there), restored with the current node on exit."""
    saved_values, saved_node = ctx.values, ctx.node
    ctx.values = {k: Value(v.tensor, v.const, v.initializer) for k, v in saved_values.items()}
    try:
        yield
    finally:
        ctx.values, ctx.node = saved_values, saved_node


def _convert_graph(ctx: Ctx, g: Any, bind: Mapping[str, Value]) -> list[Value]:
    """Convert subgraph ``g`` in the current scope (``bind``: its formal inputs); its outputs.
    The current node is the enclosing control-flow node again on return."""
    from onnx import numpy_helper

    from ge_compiler.frontends.onnx import _convert_node

    outer = ctx.node
    ctx.values.update(bind)
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)
        ctx.values[init.name] = Value(const=arr, initializer=init.name)
    proto = SimpleNamespace(opset_import=ctx.model_opset)
    folded: list[str] = []
    for node in g.node:
        ctx.node = node
        _convert_node(ctx, node, proto, folded)
    ctx.node = outer
    outs = []
    for vi in g.output:
        if vi.name not in ctx.values:
            raise ctx.unsupported(f"subgraph '{g.name}' output '{vi.name}' is produced by no node")
        outs.append(ctx.values[vi.name])
    return outs


def _as_tensors(ctx: Ctx, g: Any, values: list[Value]) -> list[Tensor]:
    return [ctx.tensor(v, vi.name) for v, vi in zip(values, g.output, strict=True)]


@converter("If")
def _if(ctx: Ctx, node: Any) -> list[Any]:
    then_g, else_g = ctx.attr("then_branch"), ctx.attr("else_branch")
    cond = ctx.value(0)
    if cond.is_const:  # fold to the taken branch (what the prune pass would do anyway)
        c = np.asarray(cond.const)
        if c.size != 1:
            raise ctx.unsupported(f"the condition must have one element, got shape {c.shape}")
        with _scope(ctx):
            return _convert_graph(ctx, then_g if bool(c.reshape(-1)[0]) else else_g, {})
    c_t = ctx.x(0)
    if str(c_t.dtype) != "i1" or int(np.prod(c_t.shape)) != 1:
        raise ctx.unsupported(f"the condition must be a one-element bool tensor, got {c_t.type}")

    def branch(g: Any) -> Any:
        def build() -> list[Tensor]:
            with _scope(ctx):
                return _as_tensors(ctx, g, _convert_graph(ctx, g, {}))

        return build

    return ctx.b.if_(c_t, branch(then_g), branch(else_g))


@converter("Loop")
def _loop(ctx: Ctx, node: Any) -> list[Any]:
    body = ctx.attr("body")
    n_carried = len(node.input) - 2
    if len(body.output) != 1 + n_carried or len(body.input) != 2 + n_carried:
        raise ctx.unsupported(
            f"{LOOP_UNSUPPORTED} ({len(body.output) - 1 - n_carried} scan output(s))"
        )
    if not ctx.has_input(0):
        raise ctx.unsupported(f"{LOOP_UNSUPPORTED} (no trip count M)")
    trip = int(np.asarray(ctx.const(0, "the trip count M")).reshape(-1)[0])
    run = True
    if ctx.has_input(1):
        run = bool(np.asarray(ctx.const(1, "the loop condition")).reshape(-1)[0])
    if trip <= 0 or not run:  # no iteration: the results are the initial values
        return [ctx.value(i) for i in range(2, len(node.input))]
    inits = [ctx.x(i) for i in range(2, len(node.input))]
    iter_name, cond_name = body.input[0].name, body.input[1].name
    iter_dims = body.input[0].type.tensor_type.shape.dim

    def build(index: Tensor, carried: list[Tensor]) -> list[Tensor]:
        with _scope(ctx):
            i = index if len(iter_dims) == 0 else ctx.b.reshape(index, [1] * len(iter_dims))
            bind = {iter_name: Value(tensor=i), cond_name: Value(const=np.array(True))}
            for vi, t in zip(body.input[2:], carried, strict=True):
                bind[vi.name] = Value(tensor=t)
            outs = _convert_graph(ctx, body, bind)
            cond_out = outs[0]
            if not (cond_out.is_const and bool(np.all(cond_out.const))):
                raise ctx.unsupported(f"{LOOP_UNSUPPORTED} (cond_out is not the constant true)")
            return [ctx.tensor(v, vi.name) for v, vi in zip(outs[1:], body.output[1:], strict=True)]

    if not inits:
        raise ctx.unsupported(f"{LOOP_UNSUPPORTED} (no loop-carried values)")
    return ctx.b.loop(trip, inits, build)
