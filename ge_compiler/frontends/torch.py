"""PyTorch frontend: ``torch.export`` programs and ``torch.compile`` graphs -> graph dialect.

``from_torch(model, args)`` exports the model with ``torch.export.export``, decomposes it to
the core aten op set (keeping a few ops the graph dialect has directly: linear, silu,
scaled_dot_product_attention, upsampling) and walks the fx graph. Parameters, buffers and
constants stay ``torch.Tensor`` constants until an op consumes them as tensors (then they
become ``graph.weight`` ops named after the parameter, with the data in a WeightStore); nodes
whose inputs are all constants (masks, position ids, ``arange``/``full``) are folded by running
the aten op eagerly. Anything the graph dialect cannot express ends in one GeError naming the
fx node, the aten op and its target.

``ge_backend`` (registered as ``torch.compile(model, backend="ge")`` when this module is
imported) imports the aten graph that AOTAutograd hands it, compiles it at ge-O3 and returns a
callable that runs the reference interpreter; ``last_compiled`` is the latest such callable.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.compiled import CompiledGraph
from ge_compiler.compiler import CompileResult
from ge_compiler.errors import GeError
from ge_compiler.frontends.onnx import ImportedModel
from ge_compiler.frontends.onnx_common import ssa_name
from ge_compiler.frontends.torch_ops import CONVERTERS, Ctx, TValue, dtype_name, op_name

__all__ = ["GeCompiledFunction", "decomposition_table", "from_torch", "ge_backend"]

_KEPT = (
    "linear.default", "silu.default", "scaled_dot_product_attention.default",
    "upsample_nearest2d.vec", "upsample_bilinear2d.vec", "upsample_nearest2d.default",
    "upsample_bilinear2d.default", "_safe_softmax.default",
)  # fmt: skip
"""Ops the core-aten decomposition would break up but the graph dialect has directly."""


def decomposition_table() -> Any:
    """``torch.export``'s core-aten table minus the ops kept whole (see ``_KEPT``)."""
    table = torch.export.default_decompositions()
    for name in _KEPT:
        packet, overload = name.split(".")
        op = getattr(getattr(torch.ops.aten, packet), overload, None)
        if op is not None:
            table.pop(op, None)
    return table


@dataclass
class Placeholder:
    """How an fx placeholder enters the graph: a runtime input or a named constant."""

    name: str
    weight: torch.Tensor | None = None
    value: Any = None  # a non-tensor input specialized at export time


# --------------------------------------------------------------------------- the graph walk


def _resolve(ctx: Ctx, a: Any) -> Any:
    if isinstance(a, torch.fx.Node):
        return ctx.values[a.name]
    if isinstance(a, list | tuple):
        return [_resolve(ctx, x) for x in a]
    if isinstance(a, dict):
        return {k: _resolve(ctx, v) for k, v in a.items()}
    return a


def _runtime(v: Any) -> bool:
    if isinstance(v, TValue):
        return not v.is_const
    if isinstance(v, list):
        return any(_runtime(x) for x in v)
    if isinstance(v, dict):
        return any(_runtime(x) for x in v.values())
    return False


def _to_torch(v: Any) -> Any:
    if isinstance(v, TValue):
        return v.const
    if isinstance(v, list):
        return [_to_torch(x) for x in v]
    if isinstance(v, dict):
        return {k: _to_torch(x) for k, x in v.items()}
    return v


def _weights_in(v: Any) -> list[str]:
    if isinstance(v, TValue):
        return [v.weight] if v.weight else []
    if isinstance(v, list):
        return [w for x in v for w in _weights_in(x)]
    return []


def _from_torch_value(v: Any, weight: str | None = None) -> Any:
    if isinstance(v, torch.Tensor):
        return TValue(const=v, weight=weight)
    if isinstance(v, list | tuple):
        return [_from_torch_value(x) for x in v]
    return v


def _fold(ctx: Ctx, node: torch.fx.Node, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run an op whose inputs are all constants eagerly; None if that fails."""
    try:
        with torch.no_grad():
            out = node.target(*_to_torch(args), **_to_torch(kwargs))  # type: ignore[operator]
    except Exception:  # the converter decides (or reports the op as unsupported)
        return None
    names = _weights_in(args)
    derived = f"{names[0]}.{node.name}" if len(names) == 1 else None
    return _from_torch_value(out, derived) if out is not None else _NONE


_NONE = object()


def _wrap(v: Any) -> Any:
    if isinstance(v, Tensor):
        return TValue(tensor=v)
    if isinstance(v, list | tuple):
        return [_wrap(x) for x in v]
    return v


def _convert(ctx: Ctx, node: torch.fx.Node, folded: list[str]) -> Any:
    args = _resolve(ctx, list(node.args))
    kwargs = _resolve(ctx, dict(node.kwargs))
    if node.target is operator.getitem:
        seq, i = args
        if seq[i] is None:
            src = node.args[0]
            assert isinstance(src, torch.fx.Node)
            ctx.node = src
            raise ctx.unsupported(f"result {i} (used by '{node.name}') is not supported")
        return seq[i]
    if not _runtime(args) and not _runtime(kwargs):
        out = _fold(ctx, node, args, kwargs)
        if out is not None:
            folded.append(node.name)
            return None if out is _NONE else out
    fn = CONVERTERS.get(op_name(node.target))
    if fn is None:
        raise ctx.unsupported("no conversion for this op")
    try:
        return _wrap(fn(ctx, *args, **kwargs))
    except GeError as e:
        if "fx node '" in e.message:
            raise
        raise GeError(f"{ctx.where()}: {e.message}") from None
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as e:
        raise ctx.unsupported(f"cannot convert these arguments ({type(e).__name__}: {e})") from e


def _flat_outputs(a: Any) -> list[Any]:
    if isinstance(a, list | tuple):
        return [x for y in a for x in _flat_outputs(y)]
    return [a]


def import_graph(
    gm: torch.fx.GraphModule,
    placeholders: Sequence[Placeholder],
    name: str = "torch",
    outputs: Sequence[int] | None = None,
) -> ImportedModel:
    """Import an aten-level fx graph; ``placeholders`` describe its placeholders in order.

    ``outputs`` selects which of the flattened graph outputs are model outputs (default all).
    """
    b = GraphBuilder("f32")
    ctx = Ctx(b)
    folded: list[str] = []
    input_names: list[str] = []
    nodes = list(gm.graph.nodes)
    ph_nodes = [n for n in nodes if n.op == "placeholder"]
    if len(ph_nodes) != len(placeholders):
        raise GeError(f"{len(placeholders)} placeholder specs for {len(ph_nodes)} placeholders")
    specs = dict(zip((n.name for n in ph_nodes), placeholders, strict=True))
    results: list[Tensor] = []
    with b.module(ssa_name(name)):
        for node in nodes:
            ctx.node = node
            if node.op == "placeholder":
                ctx.values[node.name] = _placeholder(ctx, node, specs[node.name], input_names)
            elif node.op == "get_attr":
                value = gm
                for part in str(node.target).split("."):
                    value = getattr(value, part)
                ctx.values[node.name] = _from_torch_value(value, str(node.target))
            elif node.op == "call_function":
                ctx.values[node.name] = _convert(ctx, node, folded)
            elif node.op == "output":
                flat = _flat_outputs(_resolve(ctx, node.args[0]))
                chosen = [flat[i] for i in outputs] if outputs is not None else flat
                for i, v in enumerate(chosen):
                    if not isinstance(v, TValue):
                        raise GeError(f"output {i} is {type(v).__name__}, not a tensor")
                    results.append(ctx.t(v))
            else:
                raise ctx.unsupported(f"fx '{node.op}' nodes are not supported")
        if not results:
            raise GeError("the program has no tensor outputs")
        b.output(*results)
    module = b.build()
    from ge_compiler.weights import WeightStore

    return ImportedModel(
        module,
        WeightStore(ctx.weights),
        input_names,
        [f"output{i}" for i in range(len(results))],
        name,
        0,
        folded,
    )


def _placeholder(ctx: Ctx, node: torch.fx.Node, spec: Placeholder, names: list[str]) -> Any:
    if spec.weight is not None:
        return TValue(const=spec.weight.detach(), weight=spec.name)
    val = node.meta.get("val")
    if not isinstance(val, torch.Tensor):
        if spec.value is not None or val is None or isinstance(val, int | float | bool):
            return spec.value if spec.value is not None else val
        raise GeError(f"input '{spec.name}': {type(val).__name__} inputs are not supported")
    try:
        shape = [int(d) for d in val.shape]
    except (TypeError, RuntimeError):
        raise GeError(
            f"input '{spec.name}' has a dynamic shape (export with static shapes)"
        ) from None
    names.append(spec.name)
    dt = dtype_name(val.dtype, f"input '{spec.name}'")
    return TValue(tensor=ctx.b.input(ssa_name(spec.name), shape, dt))


# --------------------------------------------------------------------------- torch.export


def from_torch(
    model: Any,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
    decompose: bool = True,
) -> ImportedModel:
    """Import a ``torch.nn.Module`` (exported with ``args``) or a ``torch.export`` program.

    Inputs are named after ``forward``'s arguments, outputs ``output0``, ``output1``, ...;
    parameters and buffers become weights named by their state-dict keys.
    """
    if isinstance(model, torch.export.ExportedProgram):
        ep = model
        model_name = name or "torch"
    elif isinstance(model, torch.nn.Module):
        model_name = name or type(model).__name__
        try:
            ep = torch.export.export(model, tuple(args), kwargs=kwargs)
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise GeError(f"torch.export failed for {model_name}: {first}") from e
    else:
        raise GeError(f"from_torch expects an nn.Module or ExportedProgram, got {type(model)}")
    if decompose:
        ep = ep.run_decompositions(decomposition_table())
    sig = ep.graph_signature
    placeholders = []
    for spec in sig.input_specs:
        kind = spec.kind.name
        if kind == "USER_INPUT":
            arg = spec.arg
            value = getattr(arg, "value", None) if not hasattr(arg, "name") else None
            placeholders.append(Placeholder(getattr(arg, "name", "input"), value=value))
        elif kind in ("PARAMETER", "BUFFER", "CONSTANT_TENSOR"):
            assert spec.target is not None
            tensor = ep.state_dict.get(spec.target, ep.constants.get(spec.target))
            if not isinstance(tensor, torch.Tensor):
                raise GeError(f"{kind.lower()} '{spec.target}' is not a tensor")
            placeholders.append(Placeholder(spec.target, weight=tensor))
        else:
            raise GeError(f"unsupported exported input kind {kind} ('{spec.arg}')")
    user = [i for i, s in enumerate(sig.output_specs) if s.kind.name == "USER_OUTPUT"]
    for s in sig.output_specs:
        if s.kind.name != "USER_OUTPUT":
            raise GeError(
                f"the model mutates '{s.target}' ({s.kind.name}); only inference graphs "
                "without mutation are supported (call model.eval())"
            )
    return import_graph(ep.graph_module, placeholders, model_name, user)


# --------------------------------------------------------------------------- torch.compile


@dataclass
class GeCompiledFunction:
    """What ``ge_backend`` returns for one fx graph: imported, compiled, and runnable.

    Calling it runs the imported graph on the reference interpreter (``functional=True``:
    executes the ge-O3 schedule on the device model instead) and returns torch tensors.
    ``result`` is the ge-O3 ``CompileResult`` (module, schedule, per-pass records);
    ``report()`` simulates the schedule and returns the device-model report.
    """

    imported: ImportedModel
    compiled: CompiledGraph
    input_positions: list[int]
    out_dtypes: list[torch.dtype]
    functional: bool = False
    device: str = "910B2"
    calls: int = 0
    last_report: dict[str, Any] = field(default_factory=dict)

    @property
    def result(self) -> CompileResult:
        return self.compiled.result

    def report(self, device: str | None = None) -> dict[str, Any]:
        """The device-model report of the compiled schedule (simulated, no data)."""
        return self.compiled.run(device=device or self.device).report

    def __call__(self, *args: Any) -> tuple[torch.Tensor, ...]:
        from ge_compiler.interpreter import run_function

        arrays = [_array(args[i]) for i in self.input_positions]
        self.calls += 1
        if self.functional:
            run = self.compiled.run(arrays, self.device, functional=True)
            self.last_report = run.report
            outs = [run.outputs[n] for n in self.compiled.output_names]
        else:
            outs = run_function(self.imported.module, arrays, self.imported.weights)
        return tuple(
            torch.from_numpy(np.array(o, order="C")).to(dt)
            for o, dt in zip(outs, self.out_dtypes, strict=True)
        )


def _array(t: Any) -> np.ndarray:
    if not isinstance(t, torch.Tensor):
        return np.asarray(t)
    t = t.detach().cpu()
    return (t.float() if t.dtype == torch.bfloat16 else t).numpy()


last_compiled: GeCompiledFunction | None = None
"""The callable that ``ge_backend`` made last (one per fx graph; see ``compiled_functions``)."""
compiled_functions: list[GeCompiledFunction] = []
"""Every callable ``ge_backend`` made in this process, oldest first."""


def _pretty(name: str) -> str:
    """``l_self_modules_fc_parameters_weight_`` (a Dynamo placeholder) -> ``self.fc.weight``."""
    out = name.removeprefix("l_").removesuffix("_")
    for part in ("_modules_", "_parameters_", "_buffers_"):
        out = out.replace(part, ".")
    return out


def _is_weight(t: Any, node: torch.fx.Node) -> bool:
    if isinstance(t, torch.nn.Parameter):
        return True
    source = getattr(node.meta.get("grapharg"), "source", None)
    name = getattr(source, "name", "")
    return "_buffers" in str(name() if callable(name) else name)


def ge_backend(
    gm: torch.fx.GraphModule,
    example_inputs: list[Any],
    options: dict[str, Any] | None = None,
    **_: Any,
) -> Callable[..., Any]:
    """``torch.compile`` backend: import the aten graph, compile at ge-O3, run on numpy.

    Parameters and buffers (lifted by Dynamo, or attributes of ``gm``) are read once, when the
    graph is compiled (inference: change them and call ``torch._dynamo.reset()``). Options
    (``torch.compile(..., options={...})``): ``opt_level`` (default "O3"), ``functional``
    (run the compiled schedule on the device model instead of the interpreter), ``device``.
    """
    from torch._functorch.aot_autograd import aot_module_simplified

    opts = dict(options or {})
    dyn_ph = [n for n in gm.graph.nodes if n.op == "placeholder"]
    lifted = [*gm.named_parameters(), *gm.named_buffers()]
    specs = [Placeholder(n, weight=t) for n, t in lifted]
    for t, node in zip(example_inputs, dyn_ph, strict=False):
        specs.append(
            Placeholder(_pretty(node.name), weight=t)
            if isinstance(t, torch.Tensor) and _is_weight(t, node)
            else Placeholder(node.name)
        )

    def fw_compiler(fx_gm: torch.fx.GraphModule, _inputs: list[Any]) -> GeCompiledFunction:
        global last_compiled
        if len(specs) != sum(1 for n in fx_gm.graph.nodes if n.op == "placeholder"):
            raise GeError("ge backend: the AOT graph's inputs do not match Dynamo's")
        from torch._subclasses.fake_tensor import unset_fake_temporarily

        with unset_fake_temporarily():  # AOT compiles under fake mode; folding needs real data
            imported = import_graph(fx_gm, specs, "torch_compile")
        out_node = next(n for n in fx_gm.graph.nodes if n.op == "output")
        metas = [a.meta.get("val") for a in _flat_outputs(out_node.args[0])]
        fn = GeCompiledFunction(
            imported,
            imported.compile(opts.get("opt_level", "O3")),
            [i for i, s in enumerate(specs) if s.weight is None],
            [m.dtype for m in metas],
            bool(opts.get("functional", False)),
            str(opts.get("device", "910B2")),
        )
        last_compiled = fn
        compiled_functions.append(fn)
        return fn

    with torch.no_grad():
        return aot_module_simplified(
            gm, example_inputs, fw_compiler=fw_compiler, decompositions=_aot_table()
        )


def _aot_table() -> dict[Any, Any]:
    return dict(decomposition_table().items())


def _register() -> None:
    from torch._dynamo import list_backends, register_backend

    if "ge" not in list_backends(exclude_tags=()):
        register_backend(compiler_fn=ge_backend, name="ge")


_register()
