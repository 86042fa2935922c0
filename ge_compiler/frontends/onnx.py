"""ONNX frontend: an ONNX model becomes a verified graph-dialect module plus its weights.

``from_onnx(path_or_model)`` checks the model with ``onnx.checker``, then walks the graph in
node order. Initializers stay numpy arrays until an op consumes them as tensors (then they
become ``graph.weight`` ops named after the initializer, with the data in a WeightStore), so
shapes and axes given as constant inputs are read at import time. Nodes whose inputs are all
constant are folded with ONNX's reference evaluator. Anything the graph dialect cannot express
ends in one GeError naming the node, its op type and the opset: never a half-built module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.compiled import CompiledGraph
from ge_compiler.errors import GeError
from ge_compiler.frontends import onnx_control, onnx_nn, onnx_ops, onnx_tensor  # noqa: F401
from ge_compiler.frontends.onnx_common import (
    CONVERTERS,
    MIN_OPSET,
    Ctx,
    Value,
    dtype_name,
    ssa_name,
)
from ge_compiler.ir import verify_module
from ge_compiler.weights import WeightStore

FOLD_LIMIT = 1 << 22
"""Constant folding stops at outputs this large (elements): keep the import cheap."""


@dataclass
class ImportedModel:
    """An imported ONNX model: the graph module, its weights and the ONNX I/O names."""

    module: ModuleOp
    weights: WeightStore
    input_names: list[str]
    output_names: list[str]
    name: str = "onnx"
    opset: int = MIN_OPSET
    folded: list[str] = field(default_factory=list)

    def compile(self, opt_level: int | str = "O3") -> CompiledGraph:
        """Compile a clone (the imported module stays reusable); run() takes ONNX names."""
        compiled = CompiledGraph.compile(
            self.module.clone(),
            self.weights,
            opt_level,
            model=self.name,
            output_names=self.output_names,
        )
        compiled.input_names = list(self.input_names)  # ONNX names, not the SSA name hints
        return compiled


def _load(model: Any) -> Any:
    import onnx

    if isinstance(model, onnx.ModelProto):
        return model
    if isinstance(model, str | os.PathLike):
        try:
            return onnx.load(os.fspath(model))
        except (OSError, ValueError) as e:
            raise GeError(f"cannot read ONNX model '{model}': {e}") from None
        except Exception as e:  # protobuf DecodeError: not an ONNX file
            raise GeError(f"'{model}' is not an ONNX model: {e}") from None
    raise GeError(f"from_onnx expects a path or an onnx.ModelProto, got {type(model).__name__}")


def _opset(model: Any) -> int:
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            if imp.version < MIN_OPSET:
                raise GeError(
                    f"ONNX opset {imp.version} is not supported (opset {MIN_OPSET} or newer; "
                    "convert older models with onnx.version_converter)"
                )
            return int(imp.version)
    raise GeError("the model imports no default-domain (ai.onnx) opset")


def _input_shape(vi: Any) -> tuple[str, list[int | None]]:
    t = vi.type
    if not t.HasField("tensor_type"):
        raise GeError(f"graph input '{vi.name}': only tensor inputs are supported")
    dt = dtype_name(t.tensor_type.elem_type, f"graph input '{vi.name}'")
    if not t.tensor_type.HasField("shape"):
        raise GeError(f"graph input '{vi.name}' has no shape (its rank must be known)")
    dims = [d.dim_value if d.HasField("dim_value") else None for d in t.tensor_type.shape.dim]
    return dt, dims


def _fold(ctx: Ctx, node: Any, model: Any) -> list[np.ndarray] | None:
    """Evaluate a node whose inputs are all constants with ONNX's reference evaluator."""
    from onnx import helper
    from onnx.reference import ReferenceEvaluator

    if node.domain not in ("", "ai.onnx") or node.op_type in ("Constant", "Loop"):
        return None
    names = [n for n in node.input if n]
    if not names or any(not ctx.values[n].is_const for n in names):
        return None
    if sum(ctx.values[n].const.size for n in names) > FOLD_LIMIT:  # type: ignore[union-attr]
        return None
    feeds = {n: ctx.values[n].const for n in names}
    try:
        g = helper.make_graph(
            [node],
            "fold",
            [helper.make_tensor_value_info(n, 0, None) for n in names],
            [helper.make_tensor_value_info(o, 0, None) for o in node.output if o],
        )
        m = helper.make_model(g, opset_imports=list(model.opset_import))
        outs = ReferenceEvaluator(m).run(None, feeds)
    except Exception:  # not foldable here: the converter decides (or reports unsupported)
        return None
    return [np.asarray(o) for o in outs]


def from_onnx(
    model: Any,
    name: str | None = None,
    dtype: str = "f32",
    fixed_inputs: Mapping[str, np.ndarray] | None = None,
) -> ImportedModel:
    """Import an ONNX model (a path or a ModelProto) into the graph dialect.

    ``fixed_inputs`` binds graph inputs to arrays at import time (they become constants), for
    models that take shapes or axes as inputs. ``dtype`` is the builder's default float type.
    """
    import onnx

    proto = _load(model)
    try:
        onnx.checker.check_model(proto)
    except onnx.checker.ValidationError as e:
        raise GeError(f"invalid ONNX model: {str(e).strip().splitlines()[0]}") from None
    opset = _opset(proto)
    g = proto.graph
    fixed = dict(fixed_inputs or {})
    model_name = name or g.name or "onnx"
    b = GraphBuilder(dtype)
    ctx = Ctx(b, opset)
    ctx.model_opset = list(proto.opset_import)
    folded: list[str] = []
    from onnx import numpy_helper

    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)
        ctx.values[init.name] = Value(const=arr, initializer=init.name)
    input_names: list[str] = []
    with b.module(ssa_name(model_name)):
        for vi in g.input:
            if vi.name in ctx.values:  # an initializer with a default: a constant
                continue
            if vi.name in fixed:
                ctx.values[vi.name] = Value(const=np.asarray(fixed[vi.name]))
                continue
            dt, dims = _input_shape(vi)
            ctx.values[vi.name] = Value(tensor=b.input(ssa_name(vi.name), dims, dt))
            input_names.append(vi.name)
        for node in g.node:
            ctx.node = node
            _convert_node(ctx, node, proto, folded)
        ctx.node = None
        outputs: list[Tensor] = []
        for vi in g.output:
            if vi.name not in ctx.values:
                raise GeError(f"graph output '{vi.name}' is produced by no node")
            outputs.append(ctx.tensor(ctx.values[vi.name], vi.name))
        b.output(*outputs)
    module = b.build()
    verify_module(module)
    return ImportedModel(
        module,
        WeightStore(ctx.weights),
        input_names,
        [vi.name for vi in g.output],
        model_name,
        opset,
        folded,
    )


def _convert_node(ctx: Ctx, node: Any, proto: Any, folded: list[str]) -> None:
    """Fold or convert one node and bind its outputs."""
    for i in node.input:
        if i and i not in ctx.values:
            raise GeError(f"{ctx.where()}: input '{i}' is not defined before use")
    if node.op_type == "Scan":
        raise ctx.unsupported("control flow other than If and Loop is not supported")
    consts = _fold(ctx, node, proto)
    if consts is not None:
        folded.append(node.name or node.output[0])
        for out, c in zip(node.output, consts, strict=False):
            if out:
                ctx.values[out] = Value(const=c)
        return
    if node.domain not in ("", "ai.onnx"):
        raise ctx.unsupported(f"operator domain '{node.domain}' is not supported")
    fn = CONVERTERS.get(node.op_type)
    if fn is None:
        raise ctx.unsupported("no conversion for this operator")
    try:
        results = list(fn(ctx, node))
    except GeError as e:
        if "node '" in e.message:
            raise
        raise GeError(f"{ctx.where()}: {e.message}") from None
    for i, out in enumerate(node.output):
        if not out:
            continue
        r = results[i] if i < len(results) else None
        if r is None:
            raise ctx.unsupported(f"output {i} ('{out}') is not supported")
        if isinstance(r, Value):
            ctx.values[out] = r
        elif isinstance(r, np.ndarray):
            ctx.values[out] = Value(const=r)
        else:
            ctx.values[out] = Value(tensor=r)


def supported_op_types() -> list[str]:
    """ONNX op types (default domain) the importer converts."""
    return sorted(CONVERTERS)
