"""Pipeline assembly: modules (one function each) wired into one graph, with an optional
conditional branch, compiled and run.

``GraphBuilder.add_module`` records modules; ``GraphBuilder.compile`` returns a ``Pipeline``.
Everything maps onto IR: a module is a private ``func.func`` (its ``stream_id`` a hint on it),
the pipeline a public ``@pipeline`` function calling them in dependency order, and
``set_conditional_branch`` a ``graph.if`` on a runtime ``tensor<i1>`` input whose branches call
the modules of each path. The compiler inlines the calls (``inline-modules``) and optimizes
the whole graph; the branches stay fused and planned, and only the taken one runs.

Wiring: a module input is fed, in this order, by the source named in ``add_module(inputs=)``
(``"module.output"`` or a pipeline input name), by the one module output with the same name
(``GraphBuilder.output(..., names=)``; unnamed outputs are ``output0``, ``output1``...), or
else by a pipeline input of that name, shared by every module that has such an input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    FunctionType,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    i1,
    i64,
)
from xdsl.ir import Block, Region, SSAValue

from ge_compiler.dialects import graph
from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.errors import GeError
from ge_compiler.ir import verify_module
from ge_compiler.weights import WeightStore

OUTPUT_NAMES = "ge.output_names"
"""Function attribute: the names of a module's results (GraphBuilder.output(names=))."""

INPUT_NAMES = "ge.input_names"
"""Function attribute: the exact names of its inputs (SSA name hints drop ``_<digits>``)."""


def input_names(f: func.FuncOp) -> list[str]:
    """A function's input names: ``ge.input_names``, else its arguments' name hints."""
    attr = f.attributes.get(INPUT_NAMES)
    args = f.body.block.args
    if isinstance(attr, ArrayAttr) and len(attr.data) == len(args):
        return [a.data for a in attr.data if isinstance(a, StringAttr)]
    return [a.name_hint or f"input{i}" for i, a in enumerate(args)]


CONDITION = "condition"
"""The pipeline input that selects a conditional branch."""


@dataclass
class ModuleSpec:
    name: str
    function: func.FuncOp
    stream_id: int | None
    inputs: dict[str, str]

    @property
    def input_names(self) -> list[str]:
        return input_names(self.function)

    @property
    def output_names(self) -> list[str]:
        attr = self.function.attributes.get(OUTPUT_NAMES)
        n = len(self.function.function_type.outputs.data)
        if isinstance(attr, ArrayAttr):
            return [a.data for a in attr.data if isinstance(a, StringAttr)]
        return [f"output{j}" for j in range(n)]


def module_spec(
    name: str, model: ModuleOp | Any, stream_id: int | None, inputs: Mapping[str, str] | None
) -> ModuleSpec:
    """Take the one public function of ``model`` (a module, or a callable returning one)."""
    if not name.isidentifier():
        raise GeError(f"module name '{name}' must be an identifier")
    if stream_id is not None and stream_id < 0:
        raise GeError(f"module '{name}': stream_id must be >= 0, got {stream_id}")
    module = model() if callable(model) and not isinstance(model, ModuleOp) else model
    if not isinstance(module, ModuleOp):
        raise GeError(f"module '{name}': expected a ModuleOp (or a function building one)")
    funcs = [f for f in module.ops if isinstance(f, func.FuncOp) and f.body.blocks]
    if len(funcs) != 1:
        raise GeError(f"module '{name}': the model must have exactly one function")
    f = funcs[0].clone()
    f.sym_name = StringAttr(name)
    f.sym_visibility = StringAttr("private")
    if stream_id is not None:
        f.attributes[STREAM_HINT] = IntegerAttr(stream_id, i64)
    spec = ModuleSpec(name, f, stream_id, dict(inputs or {}))
    unknown = set(spec.inputs) - set(spec.input_names)
    if unknown:
        raise GeError(
            f"module '{name}' has no input(s) {', '.join(sorted(unknown))} "
            f"(inputs: {', '.join(spec.input_names)})"
        )
    return spec


@dataclass
class _Wiring:
    """Where each module input comes from: ("module", name, j) or ("input", name)."""

    sources: dict[tuple[str, int], tuple[str, str, int] | tuple[str, str]]
    order: list[str]
    pipeline_inputs: dict[str, TensorType] = field(default_factory=dict)


def wire(
    specs: Sequence[ModuleSpec],
    looped: str | None = None,
    group: frozenset[str] = frozenset(),
    carried: frozenset[str] = frozenset(),
) -> _Wiring:
    """Sources of every module input. ``looped``: the one autoregressive module (its ``step``
    is the loop index); ``group`` / ``carried``: modules looped together and the names their
    outputs carry to their inputs at the next step (initial values: pipeline inputs)."""
    by_name = {s.name: s for s in specs}
    producers: dict[str, list[tuple[str, int]]] = {}
    for s in specs:
        for j, out in enumerate(s.output_names):
            producers.setdefault(out, []).append((s.name, j))
    sources: dict[tuple[str, int], Any] = {}
    inputs: dict[str, TensorType] = {}
    deps: dict[str, set[str]] = {s.name: set() for s in specs}
    for s in specs:
        types = s.function.function_type.inputs.data
        for i, arg in enumerate(s.input_names):
            want = types[i]
            ref = s.inputs.get(arg)
            if s.name in group and ref is None and arg == STEP:
                sources[(s.name, i)] = ("step",)
                continue
            if s.name in group and ref in (None, arg) and arg in carried:
                got = inputs.setdefault(arg, want)  # the first step's value
                if got != want:
                    raise GeError(f"module '{s.name}' input '{arg}' is {want}, elsewhere {got}")
                sources[(s.name, i)] = ("carried", arg)
                continue
            if ref is not None and "." in ref:
                mod, out = ref.split(".", 1)
                if mod not in by_name:
                    raise GeError(f"module '{s.name}' input '{arg}': unknown module '{mod}'")
                outs = by_name[mod].output_names
                if out not in outs:
                    raise GeError(
                        f"module '{s.name}' input '{arg}': module '{mod}' has no output "
                        f"'{out}' (outputs: {', '.join(outs)})"
                    )
                src: Any = ("module", mod, outs.index(out))
            elif (
                ref is None and len(producers.get(arg, [])) == 1 and producers[arg][0][0] != s.name
            ):
                src = ("module", *producers[arg][0])
            elif ref is None and len(producers.get(arg, [])) > 1:
                mods = ", ".join(m for m, _ in producers[arg])
                raise GeError(f"module '{s.name}' input '{arg}' matches outputs of {mods}")
            elif s.name == looped and arg == STEP and ref is None:
                sources[(s.name, i)] = ("step",)  # the loop index (loop_call)
                continue
            else:
                src = ("input", ref or arg)
            if src[0] == "module":
                got = by_name[src[1]].function.function_type.outputs.data[src[2]]
                deps[s.name].add(src[1])
            else:
                got = inputs.setdefault(src[1], want)  # type: ignore[arg-type]
            if got != want:
                raise GeError(f"module '{s.name}' input '{arg}' is {want}, its source gives {got}")
            sources[(s.name, i)] = src
    return _Wiring(sources, topological(deps), inputs)


def topological(deps: dict[str, set[str]]) -> list[str]:
    order: list[str] = []
    ready = [m for m in deps if not deps[m]]
    pending = {m: set(d) for m, d in deps.items() if d}
    while ready:
        m = ready.pop(0)
        order.append(m)
        for other in list(pending):
            pending[other].discard(m)
            if not pending[other]:
                del pending[other]
                ready.append(other)
    if pending:
        raise GeError(f"the modules form a cycle: {', '.join(sorted(pending))}")
    return order


def without_inputs(f: func.FuncOp, absent: Sequence[int], suffix: str) -> func.FuncOp:
    """A copy of module function ``f`` with inputs ``absent`` removed. An absent input must be
    additive (a residual: every use is a graph.add), so absent means zero and the adds go."""
    g = f.clone()
    g.sym_name = StringAttr(f"{f.sym_name.data}__{suffix}")
    block = g.body.block
    for i in sorted(absent, reverse=True):
        arg = block.args[i]
        for add in list(dict.fromkeys(use.operation for use in arg.uses)):
            if (
                not isinstance(add, graph.AddOp)
                or add.lhs.type != add.rhs.type
                or add.lhs is add.rhs
            ):
                raise GeError(
                    f"module '{f.sym_name.data}': input '{arg.name_hint}' has no producer on "
                    "this path and is not an additive residual (only a graph.add of equal "
                    "shapes can take an absent input as zero)"
                )
            other = add.rhs if add.lhs is arg else add.lhs
            add.result.replace_all_uses_with(other)
            add.detach()
            add.erase()
        block.erase_arg(arg)
    inputs = [a.type for a in block.args]
    g.function_type = FunctionType.from_lists(inputs, list(g.function_type.outputs.data))
    return g


@dataclass(frozen=True)
class Branch:
    true_path: tuple[str, ...]
    false_path: tuple[str, ...]


STEP = "step"
"""The input of an autoregressive module that receives the loop index (tensor<i64>)."""


@dataclass(frozen=True)
class Autoregressive:
    module: str
    max_steps: int
    group: tuple[str, ...] = ()
    """Several modules looped together (a denoising step: ControlNet, UNet, sampler)."""


def group_carried(specs: Sequence[ModuleSpec], group: Sequence[str]) -> list[str]:
    """The names a group carries to the next step: an output of a looped module that a looped
    module at or before it (in the group's order, the order of one step) takes as an input.
    An output read only by later modules of the step is passed within the step."""
    by_name = {s.name: s for s in specs}
    names: list[str] = []
    for k, producer in enumerate(group):
        earlier = {n for m in group[: k + 1] for n in by_name[m].input_names if n != STEP}
        for out in by_name[producer].output_names:
            if out in earlier and out not in names:
                names.append(out)
    return names


def carried_inputs(spec: ModuleSpec) -> list[int]:
    """For each output of an autoregressive module, the input it feeds at the next step."""
    names = spec.input_names
    carried = []
    for out in spec.output_names:
        if out not in names:
            raise GeError(
                f"module '{spec.name}': output '{out}' has no input of the same name to carry "
                "it to the next step (autoregressive mode carries every output)"
            )
        carried.append(names.index(out))
    return carried


def loop_call(spec: ModuleSpec, operands: list[SSAValue], steps: int, into: Block) -> list:
    """A graph.loop of ``steps`` iterations calling ``spec``'s function; ``operands`` are the
    first step's inputs. Returns the loop's results, in the module's output order."""
    carried = carried_inputs(spec)
    types = spec.function.function_type.inputs.data
    body = Block(arg_types=[TensorType(i64, []), *(types[i] for i in carried)])
    args = list(operands)
    for i, arg in zip(carried, body.args[1:], strict=True):
        args[i] = arg
    names = spec.input_names
    if STEP in names:
        if types[names.index(STEP)] != TensorType(i64, []):
            raise GeError(f"module '{spec.name}': input '{STEP}' must be tensor<i64>")
        args[names.index(STEP)] = body.args[0]
    outputs = list(spec.function.function_type.outputs.data)
    call = func.CallOp(spec.function.sym_name.data, args, outputs)
    body.add_ops([call, graph.YieldOp(list(call.results))])
    loop = graph.LoopOp([operands[i] for i in carried], steps, Region(body))
    if spec.stream_id is not None:
        loop.attributes[STREAM_HINT] = IntegerAttr(spec.stream_id, i64)
    into.add_op(loop)
    return list(loop.outputs)


def assemble(
    specs: Sequence[ModuleSpec],
    branch: Branch | None = None,
    autoregressive: Autoregressive | None = None,
) -> tuple[ModuleOp, list[str], list[str]]:
    """The pipeline module; its input names and output names (``module.output``)."""
    if not specs:
        raise GeError("no modules were added (GraphBuilder.add_module)")
    group = tuple(autoregressive.group) if autoregressive else ()
    carried = group_carried(specs, group) if group else []
    if group and branch is not None:
        raise GeError("a conditional branch inside a looped group is not supported yet")
    looped = autoregressive.module if autoregressive and not group else None
    w = wire(specs, looped, frozenset(group), frozenset(carried))
    by_name = {s.name: s for s in specs}
    consumed = {(src[1], src[2]) for src in w.sources.values() if src[0] == "module"}
    outputs = [
        (m, j)
        for m in w.order
        for j in range(len(by_name[m].output_names))
        if (m, j) not in consumed
    ]
    in_names = list(w.pipeline_inputs)
    in_types = [w.pipeline_inputs[n] for n in in_names]
    if branch is not None:
        if CONDITION in w.pipeline_inputs:
            raise GeError(f"a module already has an input named '{CONDITION}'")
        in_names.append(CONDITION)
        in_types.append(TensorType(i1, []))
    block = Block(arg_types=in_types)
    for arg, n in zip(block.args, in_names, strict=True):
        arg.name_hint = n
    arg_of = dict(zip(in_names, block.args, strict=True))
    value: dict[tuple[str, int], SSAValue] = {}
    extra: list[func.FuncOp] = []

    def call(
        m: str, into: Block, available: set[str], scope: dict[str, SSAValue] | None = None
    ) -> None:
        spec = by_name[m]
        operands, absent = [], []
        for i in range(len(spec.input_names)):
            src = w.sources[(m, i)]
            if src[0] == "carried":
                operands.append(scope[src[1]])  # type: ignore[index]  # a loop body arg
            elif src[0] == "step":
                # the loop index: in a group's body (scope), or put there by loop_call
                operands.append(scope[STEP] if scope else None)  # type: ignore[arg-type]
            elif src[0] == "input":
                operands.append(arg_of[src[1]])
            elif src[1] in available:
                operands.append(value[(src[1], src[2])])
            else:
                absent.append(i)
        callee = spec.function
        if absent:
            missing = sorted({w.sources[(m, i)][1] for i in absent})
            callee = without_inputs(callee, absent, "without_" + "_".join(missing))
            extra.append(callee)
        if autoregressive is not None and not group and autoregressive.module == m:
            results = loop_call(spec, operands, autoregressive.max_steps, into)
        else:
            c = func.CallOp(callee.sym_name.data, operands, list(callee.function_type.outputs.data))
            into.add_op(c)
            results = list(c.results)
        for j, r in enumerate(results):
            r.name_hint = f"{m}_{spec.output_names[j]}"
            value[(m, j)] = r

    if group:
        _group_loop(autoregressive, carried, w, by_name, block, call, value, arg_of)  # type: ignore[arg-type]
    elif branch is None:
        done: set[str] = set()
        for m in w.order:
            call(m, block, done)
            done.add(m)
    else:
        _branch_calls(branch, w, by_name, block, call, value, outputs, arg_of[CONDITION])
    block.add_op(func.ReturnOp(*(value[o] for o in outputs)))
    pipeline = func.FuncOp(
        "pipeline",
        (in_types, [value[o].type for o in outputs]),
        Region(block),
    )
    names = [f"{m}.{by_name[m].output_names[j]}" for m, j in outputs]
    pipeline.attributes[OUTPUT_NAMES] = ArrayAttr([StringAttr(n) for n in names])
    pipeline.attributes[INPUT_NAMES] = ArrayAttr([StringAttr(n) for n in in_names])
    module = ModuleOp([pipeline, *(s.function.clone() for s in specs), *extra])
    verify_module(module)
    return module, in_names, names


def _group_loop(
    auto: Autoregressive,
    carried: list[str],
    w: _Wiring,
    by_name: dict[str, ModuleSpec],
    block: Block,
    call: Any,
    value: dict[tuple[str, int], SSAValue],
    arg_of: dict[str, SSAValue],
) -> None:
    """Modules the group needs, then one graph.loop whose body calls the group's modules in
    order (carried names as block arguments), then the modules that use the group."""
    group = set(auto.group)
    if not carried:
        raise GeError(f"the looped modules {', '.join(auto.group)} carry nothing to the next step")
    producer: dict[str, tuple[str, int]] = {}
    for m in w.order:
        if m in group:
            for j, out in enumerate(by_name[m].output_names):
                if out in carried:
                    if out in producer:
                        raise GeError(f"two looped modules output '{out}'")
                    producer[out] = (m, j)
    users: dict[str, set[str]] = {m: set() for m in w.order}
    for (m, _), src in w.sources.items():
        if src[0] == "module":
            users[src[1]].add(m)
    after: set[str] = set()
    todo = [u for g in group for u in users[g] if u not in group]
    while todo:
        m = todo.pop()
        if m not in after:
            after.add(m)
            todo.extend(users[m] - group)
    for (m, _), src in w.sources.items():
        if m in group and src[0] == "module" and src[1] in after:
            raise GeError(f"module '{src[1]}' both uses the looped modules and feeds them")
    done: set[str] = set()
    for m in w.order:
        if m not in group and m not in after:
            call(m, block, done)
            done.add(m)
    types = [by_name[producer[x][0]].function.function_type.outputs.data[producer[x][1]]
             for x in carried]  # fmt: skip
    body = Block(arg_types=[TensorType(i64, []), *types])
    scope = {STEP: body.args[0], **dict(zip(carried, body.args[1:], strict=True))}
    inside = set(done)
    for m in w.order:
        if m in group:
            call(m, body, inside, scope)
            inside.add(m)
    body.add_op(graph.YieldOp([value[producer[x]] for x in carried]))
    loop = graph.LoopOp([arg_of[x] for x in carried], auto.max_steps, Region(body))
    hints = [by_name[m].stream_id for m in auto.group if by_name[m].stream_id is not None]
    if hints:
        loop.attributes[STREAM_HINT] = IntegerAttr(hints[-1], i64)
    block.add_op(loop)
    for x, r in zip(carried, loop.outputs, strict=True):
        value[producer[x]] = r
    for (m, _), src in w.sources.items():
        if m not in group and src[0] == "module" and src[1] in group:
            if (src[1], src[2]) not in producer.values():
                raise GeError(
                    f"module '{m}' uses output {src[2]} of looped module '{src[1]}', which is "
                    "not carried to the next step (only carried values come out of the loop)"
                )
    for m in w.order:
        if m in after:
            call(m, block, done | group)
            done.add(m)


def _branch_calls(
    branch: Branch,
    w: _Wiring,
    by_name: dict[str, ModuleSpec],
    block: Block,
    call: Any,
    value: dict[tuple[str, int], SSAValue],
    outputs: list[tuple[str, int]],
    cond: SSAValue,
) -> None:
    """Modules outside both paths run before or after the graph.if; the branches call their
    path's modules; values the rest uses must come out of both branches."""
    in_paths = set(branch.true_path) | set(branch.false_path)
    feeds_paths: set[str] = set()
    for (m, _), src in w.sources.items():
        if m in in_paths and src[0] == "module" and src[1] not in in_paths:
            feeds_paths.add(src[1])
    before = [m for m in w.order if m not in in_paths and _reaches(m, feeds_paths, w, in_paths)]
    after = [m for m in w.order if m not in in_paths and m not in before]
    for m in before:  # it runs before the branch, so it cannot read a module inside it
        used = [src[1] for (u, _), src in w.sources.items() if u == m and src[0] == "module"]
        inside = sorted(set(used) & in_paths)
        if inside:
            raise GeError(
                f"module '{m}' is on neither path but uses {', '.join(inside)} (on a path) and "
                "feeds a module on a path: put it on the paths"
            )
    done: set[str] = set()
    for m in before:
        call(m, block, done)
        done.add(m)
    needed = sorted(
        {
            (src[1], src[2])
            for (m, _), src in w.sources.items()
            if m not in in_paths and src[0] == "module" and src[1] in in_paths
        }
        | {o for o in outputs if o[0] in in_paths}
    )
    for m, _ in needed:
        if m not in branch.true_path or m not in branch.false_path:
            raise GeError(
                f"module '{m}' is on only one path, but modules after the branch use its "
                "output: both paths must produce it"
            )
    regions = []
    for path in (branch.true_path, branch.false_path):
        inner = Block()
        available = set(done)
        for m in [m for m in w.order if m in path]:
            call(m, inner, available)
            available.add(m)
        inner.add_op(graph.YieldOp([value[o] for o in needed]))
        regions.append(Region(inner))
    choice = graph.IfOp(cond, [value[o].type for o in needed], *regions)
    block.add_op(choice)
    for o, r in zip(needed, choice.outputs, strict=True):
        value[o] = r
    for m in after:
        call(m, block, done | in_paths)
        done.add(m)


def _reaches(m: str, targets: set[str], w: _Wiring, in_paths: set[str]) -> bool:
    """Whether module ``m`` is (transitively, outside the paths) needed by a module in
    ``targets``, or is one: such modules run before the branch."""
    if m in targets:
        return True
    users = {um for (um, _), src in w.sources.items() if src[0] == "module" and src[1] == m}
    return any(u not in in_paths and _reaches(u, targets, w, in_paths) for u in users)


@dataclass
class Options:
    fuse_kernels: bool = True
    reuse_memory: bool = True
    overlap_compute: bool = True


class Pipeline:
    """A compiled pipeline of modules: ``run`` simulates it (and computes it, functionally)."""

    def __init__(self, specs: list[ModuleSpec], options: Options, opt_level: int, device: str):
        self.specs = specs
        self.options = options
        self.opt_level = opt_level
        self.device = device
        self.branch: Branch | None = None
        self.autoregressive: Autoregressive | None = None
        self.weights = WeightStore()
        self._compiled: Any = None
        self.gears: Any = None  # buckets.Gears: set by GraphBuilder.compile(dynamic_shape=True)
        self._check_streams()
        self.module, self.input_names, self.output_names = assemble(specs)

    def _check_streams(self) -> None:
        from ge_compiler.device.config import load_config

        limit = load_config(self.device).max_streams
        for s in self.specs:
            if s.stream_id is not None and s.stream_id >= limit:
                raise GeError(
                    f"module '{s.name}': stream_id {s.stream_id} is beyond {self.device}'s "
                    f"{limit} streams"
                )

    def set_conditional_branch(
        self, condition: str, true_path: Sequence[str], false_path: Sequence[str]
    ) -> Pipeline:
        """Run ``true_path``'s modules if input ``condition`` is true, else ``false_path``'s."""
        if condition != CONDITION:
            raise GeError(f"the condition input is named '{CONDITION}' (got '{condition}')")
        known = {s.name for s in self.specs}
        for what, path in (("true_path", true_path), ("false_path", false_path)):
            unknown = [m for m in path if m not in known]
            if unknown:
                raise GeError(f"{what} names unknown module(s): {', '.join(unknown)}")
            twice = sorted({m for m in path if list(path).count(m) > 1})
            if twice:
                raise GeError(f"{what} names module(s) twice: {', '.join(twice)}")
        return self._reassemble(branch=Branch(tuple(true_path), tuple(false_path)))

    def enable_autoregressive_mode(
        self, max_steps: int, cache_kv: bool = True, module: str | Sequence[str] | None = None
    ) -> Pipeline:
        """Run ``module`` (default: the last one added) ``max_steps`` times in a graph.loop,
        each output feeding the input of the same name at the next step (``step`` gets the
        index). ``cache_kv``: its KV caches (inputs named ``*cache*``) are carried and
        updated in place, allocated once at their full size."""
        if isinstance(module, (list, tuple)):
            return self._loop_group(list(module), max_steps, cache_kv)
        name = module or self.specs[-1].name
        spec = next((s for s in self.specs if s.name == name), None)
        if spec is None:
            raise GeError(f"unknown module '{name}'")
        if max_steps < 1:
            raise GeError(f"max_steps must be >= 1, got {max_steps}")
        carried = [spec.input_names[i] for i in carried_inputs(spec)]
        has_cache = any("cache" in n for n in carried)
        if cache_kv and not has_cache:
            raise GeError(f"module '{name}' carries no KV cache (no input named *cache*)")
        if not cache_kv and has_cache:
            raise GeError(
                f"module '{name}' is a cached decode step; without a KV cache each step must "
                "recompute the prefix: build that step (a prefill) as the module instead"
            )
        return self._reassemble(autoregressive=Autoregressive(name, max_steps))

    def _loop_group(self, names: list[str], max_steps: int, cache_kv: bool) -> Pipeline:
        """Several modules looped together; ``cache_kv`` requires a carried ``*cache*``."""
        known = {s.name for s in self.specs}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise GeError(f"unknown module(s): {', '.join(unknown)}")
        if len(set(names)) != len(names) or not names:
            raise GeError("name each looped module once")
        if max_steps < 1:
            raise GeError(f"max_steps must be >= 1, got {max_steps}")
        carried = group_carried(self.specs, names)
        if cache_kv and not any("cache" in n for n in carried):
            raise GeError("the looped modules carry no KV cache (no input named *cache*)")
        auto = Autoregressive(names[-1], max_steps, tuple(names))
        return self._reassemble(autoregressive=auto)

    def _reassemble(
        self, branch: Branch | None = None, autoregressive: Autoregressive | None = None
    ) -> Pipeline:
        """Assemble with a new branch or loop; on an error the pipeline stays as it was."""
        branch = branch or self.branch
        autoregressive = autoregressive or self.autoregressive
        self.module, self.input_names, self.output_names = assemble(
            self.specs, branch, autoregressive
        )
        self.branch, self.autoregressive = branch, autoregressive
        self._compiled = None
        if self.gears is not None:  # the gears of the new module
            self.gears = type(self.gears).for_pipeline(self, self.gears.requested)
        return self

    def pass_spec(self) -> str:
        from ge_compiler.pipelines import GRAPH_PIPELINES, LOWERING_PIPELINES

        drop = set()
        if not self.options.fuse_kernels:
            drop.add("fuse")
        if not self.options.reuse_memory:
            drop.add("plan-memory")
        if not self.options.overlap_compute:
            drop |= {"assign-streams", "overlap-transfers"}
        passes = GRAPH_PIPELINES[self.opt_level] + LOWERING_PIPELINES[self.opt_level]
        return ",".join(p for p in passes if p not in drop)

    @property
    def compiled(self) -> Any:
        """The CompiledGraph (compiled on first use)."""
        if self.gears is not None:
            raise GeError(
                "a dynamic-shape pipeline has a compiled graph per gear: pipeline.gears"
                ".compiled(gear)"
            )
        if self._compiled is None:
            from ge_compiler.compiled import CompiledGraph

            self._compiled = CompiledGraph.compile(
                self.module.clone(),
                self.weights,
                self.opt_level,
                "pipeline",
                self.output_names,
                passes=self.pass_spec(),
            )
        return self._compiled

    def run(
        self,
        inputs: Mapping[str, np.ndarray] | None = None,
        device: str | None = None,
        functional: bool = False,
        requests: int = 1,
    ) -> Any:
        """Simulate on ``device``; with ``functional`` also compute the outputs by name (with
        dynamic shapes: in the smallest gear that fits, padded and sliced back)."""
        if self.gears is not None:
            return self.gears.run(
                inputs or {}, device=device or self.device, functional=functional,
                requests=requests,
            )  # fmt: skip
        return self.compiled.run(
            inputs or {}, device=device or self.device, functional=functional, requests=requests
        )
