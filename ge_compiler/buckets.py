"""Shape buckets ("gears"): compile a dynamic-shape module once per gear, run any size.

A module whose entry function has dynamic input dims (``tensor<1x?xi64>``) cannot be planned
in memory or scheduled as is: every buffer needs a size. ``specialize`` makes a static copy for
given sizes (the argument types set, ``infer-shapes`` run, everything verified); ``Gears``
keeps one compiled graph per gear (a static size) and at run time picks the smallest gear that
fits, pads the inputs to it, runs, and slices the outputs back. Memory is planned per gear
(each gear is an ordinary static compile), so a short prompt in a small gear also uses less
memory than planning everything at the bound.

One gear axis. Every dynamic dim of every input is the same symbolic length (the prompt
length): at run time they must all have the same size, and one gear size is given to all of
them. That covers a token count shared by ``input_ids``, ``position_ids`` and
``attention_mask``; independent dynamic dims (batch x length grids of gears) are not bucketed.

Padding. Inputs are padded with zeros along their dynamic dims up to the gear, as with CANN's
dynamic gears (the graph runs only at exact gear shapes; the user pads). Padding is only
harmless if the model treats it as masked or is per-token independent: a causal model, an
``attention_mask`` input that is 0 on padding (the zero padding), or ops applied per token.
A model that reduces over the padded dim (a mean over tokens, attention without a mask) gives
different results on the real tokens, and ``Gears`` cannot detect that.

Slicing rule. An output dim is sliced back to the actual size when it is dynamic in the
(shape-inferred) dynamic module and equals the gear in the gear's graph: it follows the input
length (``[1, ?, C]`` -> ``[1, n, C]``). A dynamic output dim of another size (a concat of two
inputs: ``2 * gear``) is returned padded, as is every static dim.

Compilation is lazy: a gear is compiled the first time a size needs it (``Pipeline`` also
compiles on first use, and a deployment that never sees long prompts never pays for the big
gears). ``compile_all()`` compiles every gear up front, as a server does at load (and CANN does
for its gears) so that no request pays a compile; ``compile_count`` and ``compile_seconds``
say what was compiled.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    FunctionType,
    ModuleOp,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.passes import PassPipeline
from xdsl.rewriter import Rewriter

from ge_compiler.assembly import OUTPUT_NAMES, input_names
from ge_compiler.dialects.shapes import DYN, fmt
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context, verify_module

BOUNDS_ATTR = "graph.dim_bounds"


# --------------------------------------------------------------------------- inspection


def entry_function(module: ModuleOp) -> func.FuncOp:
    """The module's public function with a body (the one that is compiled and run)."""
    for op in module.ops:
        if isinstance(op, func.FuncOp) and op.body.blocks:
            if op.sym_visibility is None or op.sym_visibility.data == "public":
                return op
    raise GeError("the module has no public func.func")


def dynamic_dims(f: func.FuncOp) -> dict[str, list[int]]:
    """The dynamic dims of each input of ``f``, by input name (inputs without any left out)."""
    out: dict[str, list[int]] = {}
    for name, t in zip(input_names(f), f.function_type.inputs.data, strict=True):
        if isinstance(t, TensorType):
            dims = [i for i, d in enumerate(t.get_shape()) if d == DYN]
            if dims:
                out[name] = dims
    return out


def _arg_bounds(f: func.FuncOp, index: int) -> list[int] | None:
    if f.arg_attrs is None:
        return None
    attr = f.arg_attrs.data[index].data.get(BOUNDS_ATTR)
    return list(attr.get_values()) if isinstance(attr, DenseArrayBase) else None


def declared_bounds(module: ModuleOp) -> dict[str, dict[int, int | None]]:
    """The upper bound of each dynamic input dim of the entry function: its own
    ``graph.dim_bounds`` argument attribute, else the smallest bound of the module functions it
    is passed to (a pipeline's inputs feed its modules' functions through ``func.call``), else
    None (unbounded)."""
    f = entry_function(module)
    functions = {o.sym_name.data: o for o in module.ops if isinstance(o, func.FuncOp)}
    out: dict[str, dict[int, int | None]] = {}
    for name, dims in dynamic_dims(f).items():
        index = input_names(f).index(name)
        arg = f.body.block.args[index]
        found = [_arg_bounds(f, index)]
        for use in arg.uses:
            if isinstance(use.operation, func.CallOp):
                callee = functions.get(use.operation.callee.string_value())
                if callee is not None:
                    found.append(_arg_bounds(callee, use.index))
        out[name] = {}
        for d in dims:
            known = [b[d] for b in found if b is not None and d < len(b) and b[d] > 0]
            out[name][d] = min(known) if known else None
    return out


def set_bounds(module: ModuleOp, bounds: Mapping[str, Sequence[int]]) -> None:
    """Put ``graph.dim_bounds`` (one entry per dim: static dims their size, dynamic ones their
    bound) on the named inputs of the module's entry function; GraphBuilder has no argument
    attributes, so a built model gets its bounds this way."""
    f = entry_function(module)
    names = input_names(f)
    unknown = sorted(set(bounds) - set(names))
    if unknown:
        raise GeError(f"set_bounds: unknown input(s) {', '.join(unknown)}")
    old = f.arg_attrs.data if f.arg_attrs is not None else [DictionaryAttr({})] * len(names)
    attrs = []
    for name, d in zip(names, old, strict=True):
        entries = dict(d.data)
        if name in bounds:
            entries[BOUNDS_ATTR] = DenseArrayBase.from_list(i64, list(bounds[name]))
        attrs.append(DictionaryAttr(entries))
    f.arg_attrs = ArrayAttr(attrs)
    verify_module(module)


# --------------------------------------------------------------------------- specialize


def specialize(module: ModuleOp, sizes: Mapping[str, Mapping[int, int]]) -> ModuleOp:
    """A static copy of ``module``: the entry's dynamic input dims set to ``sizes`` (input name
    -> dim -> size), then ``inline-modules,infer-shapes`` (a pipeline's module functions take
    their old types through a call, so the calls are inlined first; the compile pipelines start
    with inline-modules anyway), every type checked static, the module verified."""
    m = module.clone()
    f = entry_function(m)
    names = input_names(f)
    bounds = declared_bounds(module)
    types = list(f.function_type.inputs.data)
    unknown = sorted(set(sizes) - set(names))
    if unknown:
        raise GeError(
            f"specialize: unknown input(s) {', '.join(unknown)} (inputs: {', '.join(names)})"
        )
    for name, given in sizes.items():
        i = names.index(name)
        t = types[i]
        if not isinstance(t, TensorType):
            raise GeError(f"specialize: input '{name}' is not a tensor ({t})")
        shape = list(t.get_shape())
        for d, n in given.items():
            if not 0 <= d < len(shape):
                raise GeError(f"specialize: input '{name}' ({t}) has no dim {d}")
            if n < 1:
                raise GeError(f"specialize: input '{name}' dim {d}: size must be >= 1, got {n}")
            if shape[d] != DYN:
                if shape[d] != n:
                    raise GeError(
                        f"specialize: input '{name}' dim {d} is static ({shape[d]}), got {n}"
                    )
                continue
            bound = bounds.get(name, {}).get(d)
            if bound is not None and n > bound:
                raise GeError(
                    f"specialize: input '{name}' dim {d}: size {n} is above its bound {bound}"
                )
            shape[d] = n
        types[i] = TensorType(t.get_element_type(), shape, t.encoding)
    missing = [
        f"{n}[{d}]"
        for n, t in zip(names, types, strict=True)
        if isinstance(t, TensorType)
        for d, s in enumerate(t.get_shape())
        if s == DYN
    ]
    if missing:
        raise GeError(f"specialize: no size for dynamic dim(s) {', '.join(missing)}")
    block = f.body.block
    for arg, t in zip(list(block.args), types, strict=True):
        if arg.type != t:
            Rewriter.replace_value_with_new_type(arg, t)
    f.function_type = FunctionType.from_lists(types, list(f.function_type.outputs.data))
    if f.arg_attrs is not None:  # a bound on a now static dim would contradict it
        f.arg_attrs = ArrayAttr(
            [
                DictionaryAttr({k: v for k, v in d.data.items() if k != BOUNDS_ATTR})
                for d in f.arg_attrs.data
            ]
        )
    _run(m, "inline-modules,infer-shapes")
    while _refine_branches(m):  # infer-shapes leaves graph.if results as declared
        _run(m, "infer-shapes")
    f = entry_function(m)
    for op in f.walk():
        for r in op.results:
            if isinstance(r.type, TensorType) and not r.type.has_static_shape():
                raise GeError(
                    f"specialize: {op.name} still has a dynamic result "
                    f"(tensor<{fmt(r.type.get_shape())}>) with every input static"
                )
    verify_module(m)
    return m


def _refine_branches(module: ModuleOp) -> bool:
    """Infer the branches of each ``graph.if`` with a dynamic result (infer-shapes does not
    enter graph.if) and give it the static type both branches yield; whether anything
    changed."""
    from ge_compiler.dialects import graph
    from ge_compiler.passes.graph.infer_shapes import ShapeInference

    changed = False
    for op in list(module.walk()):
        if not isinstance(op, graph.IfOp) or all(
            not isinstance(r.type, TensorType) or r.type.has_static_shape() for r in op.outputs
        ):
            continue
        for region in (op.then_region, op.else_region):
            ShapeInference().block(region.block)
        yields = [r.block.last_op for r in (op.then_region, op.else_region)]
        for i, res in enumerate(list(op.outputs)):
            t = res.type
            if not isinstance(t, TensorType) or t.has_static_shape():
                continue
            got = {y.operands[i].type for y in yields if y is not None and i < len(y.operands)}
            if len(got) == 1:
                new = got.pop()
                if isinstance(new, TensorType) and new.has_static_shape():
                    Rewriter.replace_value_with_new_type(op.results[i], new)
                    changed = True
    return changed


def _run(module: ModuleOp, spec: str) -> None:
    from ge_compiler.passes import get_all_passes

    PassPipeline.parse_spec(get_all_passes(), spec).apply(make_context(), module)


# --------------------------------------------------------------------------- gears


def choose_gears(bound: int, minimum: int = 16) -> list[int]:
    """Powers of two from ``minimum`` (rounded up to one) below ``bound``, then ``bound``:
    at most 2x padding per size, log2(bound / minimum) + 1 compiles."""
    if bound < 1:
        raise GeError(f"choose_gears: the bound must be >= 1, got {bound}")
    if minimum < 1:
        raise GeError(f"choose_gears: the minimum gear must be >= 1, got {minimum}")
    gears, g = [], 1
    while g < minimum:
        g *= 2
    while g < bound:
        gears.append(g)
        g *= 2
    return [*gears, bound]


class Gears:
    """One compiled graph per gear of a dynamic-shape module (see the module docstring)."""

    def __init__(
        self,
        module: ModuleOp,
        gears: Sequence[int] | None = None,
        *,
        minimum: int = 16,
        opt_level: int = 3,
        weights: Any = None,
        model: str = "module",
        output_names: Sequence[str] | None = None,
        passes: str | None = None,
    ):
        from ge_compiler.weights import WeightStore

        self.module = module
        self.opt_level = opt_level
        self.weights = weights if weights is not None else WeightStore()
        self.model = model
        self.passes = passes
        self.requested = list(gears) if gears is not None else None
        f = entry_function(module)
        self.input_names = input_names(f)
        self.dims = dynamic_dims(f)
        if not self.dims:
            raise GeError("dynamic_shape: the module has no dynamic input dims (compile it as is)")
        bounds = declared_bounds(module)
        known = [b for dims in bounds.values() for b in dims.values() if b is not None]
        self.bound = min(known) if known else None
        if gears is None:
            if self.bound is None:
                where = ", ".join(f"{n}[{d}]" for n, ds in self.dims.items() for d in ds)
                raise GeError(
                    f"dynamic dim(s) {where} have no upper bound: declare {BOUNDS_ATTR} on the "
                    "input or give the gears explicitly (gears=[...])"
                )
            gears = choose_gears(self.bound, minimum)
        sizes = sorted(set(gears))
        if not sizes or sizes[0] < 1 or len(sizes) != len(gears):
            raise GeError(f"gears must be distinct sizes >= 1, got {list(gears)}")
        if self.bound is not None and sizes[-1] > self.bound:
            raise GeError(f"gear {sizes[-1]} is above the dynamic dims' bound {self.bound}")
        self.sizes: list[int] = sizes
        n_out = len(f.function_type.outputs.data)
        attr = f.attributes.get(OUTPUT_NAMES)
        if output_names is not None:
            self.output_names = list(output_names)
        elif isinstance(attr, ArrayAttr):
            self.output_names = [a.data for a in attr.data if isinstance(a, StringAttr)]
        else:
            self.output_names = [f"output{j}" for j in range(n_out)]
        inferred = module.clone()
        _run(inferred, "infer-shapes")
        outs = entry_function(inferred).function_type.outputs.data
        self.output_dims = [  # the dynamic dims of each output: candidates for slicing
            [d for d, s in enumerate(t.get_shape()) if s == DYN]
            if isinstance(t, TensorType)
            else []
            for t in outs
        ]
        self._graphs: dict[int, Any] = {}
        self.compile_count = 0
        self.compile_seconds = 0.0

    @classmethod
    def for_pipeline(cls, pipeline: Any, gears: Sequence[int] | None = None) -> Gears:
        """The gears of a ``Pipeline`` (its module, weights, level and pass spec)."""
        return cls(
            pipeline.module,
            gears,
            opt_level=pipeline.opt_level,
            weights=pipeline.weights,
            model="pipeline",
            output_names=pipeline.output_names,
            passes=pipeline.pass_spec(),
        )

    # ------------------------------------------------------------------ compile

    def sizes_for(self, n: int) -> dict[str, dict[int, int]]:
        """``specialize``'s sizes for length ``n`` on every dynamic dim."""
        return {name: {d: n for d in dims} for name, dims in self.dims.items()}

    def compile_size(self, n: int) -> Any:
        """A CompiledGraph for exactly length ``n`` (a gear, or an exact-shape comparison);
        not cached or counted (``compiled`` does both for gears)."""
        from ge_compiler.compiled import CompiledGraph

        return CompiledGraph.compile(
            specialize(self.module, self.sizes_for(n)),
            self.weights,
            self.opt_level,
            self.model,
            self.output_names,
            passes=self.passes,
        )

    def compiled(self, gear: int) -> Any:
        """The compiled graph of ``gear`` (compiled now if it was not yet)."""
        if gear not in self.sizes:
            raise GeError(f"{gear} is not a gear (gears: {', '.join(map(str, self.sizes))})")
        if gear not in self._graphs:
            start = time.perf_counter()
            self._graphs[gear] = self.compile_size(gear)
            self.compile_seconds += time.perf_counter() - start
            self.compile_count += 1
        return self._graphs[gear]

    def compile_all(self) -> Gears:
        """Compile every gear now (no request then pays a compile)."""
        for g in self.sizes:
            self.compiled(g)
        return self

    # ------------------------------------------------------------------ run

    def gear_for(self, n: int) -> int:
        """The smallest gear >= ``n``."""
        for g in self.sizes:
            if g >= n:
                return g
        raise GeError(
            f"size {n} is above the largest gear {self.sizes[-1]} (gears: "
            f"{', '.join(map(str, self.sizes))}); compile with larger gears"
        )

    def _by_name(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray]) -> dict:
        if isinstance(inputs, Mapping):
            return dict(inputs)
        return dict(zip(self.input_names, inputs, strict=False))

    def size_of(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray]) -> int:
        """The actual length: the size of every given input's dynamic dims (all equal)."""
        seen: dict[str, int] = {}
        for name, a in self._by_name(inputs).items():
            for d in self.dims.get(name, ()):
                shape = np.shape(a)
                if d >= len(shape):
                    raise GeError(f"input '{name}' has shape {shape}: no dynamic dim {d}")
                seen[f"{name}[{d}]"] = shape[d]
        if not seen:
            raise GeError("no input with a dynamic dim was given: pass it, or size=")
        if len(set(seen.values())) > 1:
            got = ", ".join(f"{k}={v}" for k, v in seen.items())
            raise GeError(f"the dynamic dims are one length (one gear axis), got {got}")
        return next(iter(seen.values()))

    def pad(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray], gear: int) -> dict:
        """The inputs zero-padded at the end of their dynamic dims to ``gear``."""
        out = {}
        for name, a in self._by_name(inputs).items():
            a = np.asarray(a)
            widths = [(0, 0)] * a.ndim
            for d in self.dims.get(name, ()):
                widths[d] = (0, gear - a.shape[d])
            out[name] = np.pad(a, widths) if any(w for _, w in widths) else a
        return out

    def run(
        self,
        inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray] = (),
        device: str = "910B2",
        functional: bool = False,
        requests: int = 1,
        launch_mode: str | None = None,
        resident_weights: bool = True,
        size: int | None = None,
    ) -> Any:
        """Run the smallest gear that fits: pad, simulate (and compute), slice the outputs. The
        report gains ``shape_bucket = {"size", "gear", "gears"}``; ``size`` gives the length
        when only simulating without the dynamic inputs."""
        from ge_compiler.compiled import RunResult

        n = size if size is not None and not self._has_dynamic(inputs) else self.size_of(inputs)
        gear = self.gear_for(n)
        graph = self.compiled(gear)
        result = graph.run(
            self.pad(inputs, gear),
            device=device,
            functional=functional,
            requests=requests,
            launch_mode=launch_mode,
            resident_weights=resident_weights,
        )
        outputs = {}
        for (name, value), dims in zip(result.outputs.items(), self.output_dims, strict=False):
            index = [slice(None)] * np.ndim(value)
            for d in dims:
                if value.shape[d] == gear:
                    index[d] = slice(0, n)
            outputs[name] = value[tuple(index)]
        report = dict(result.report)
        report["shape_bucket"] = {"size": n, "gear": gear, "gears": list(self.sizes)}
        return RunResult(outputs, report)

    def _has_dynamic(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray]) -> bool:
        return any(name in self.dims for name in self._by_name(inputs))
