"""convert-stream-to-memory: tensors become buffers in arenas, tasks write into destinations.

Every tensor of a stream-level function gets a ``memory.buffer`` with its lifetime (first and
last task index that touch it) and a binding to the outside world where it has one (function
input, function output, host weight). This first version places buffers end to end in their
arena (no reuse); the memory planner replaces the placement, not this conversion.

Arenas: ``inputs`` and ``outputs`` (device, bound by the caller), ``weights_host`` (host, the
weight store), ``weights`` (device copies of weights) and ``activations`` (everything else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FunctionType,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
)
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ge_compiler.dialects import graph, memory, stream
from ge_compiler.dialects.shapes import fmt
from ge_compiler.errors import GeError
from ge_compiler.ir import location_of

ALIGNMENT = 512
ARENAS = (
    ("inputs", "device"),
    ("outputs", "device"),
    ("weights_host", "host"),
    ("weights", "device"),
    ("activations", "device"),
)


def align(n: int, a: int = ALIGNMENT) -> int:
    return (n + a - 1) // a * a


@dataclass
class _Planned:
    arena: str
    type: MemRefType
    lifetime: tuple[int, int]
    binding: str | None = None
    offset: int = 0


@dataclass
class _Layout:
    """Buffers laid end to end per arena, in order of creation."""

    buffers: list[_Planned] = field(default_factory=list)

    def add(self, value: SSAValue, arena: str, life: tuple[int, int], binding: str | None = None):
        t = value.type
        assert isinstance(t, TensorType)
        if not t.has_static_shape():
            owner = value.owner if isinstance(value.owner, Operation) else value.owner.parent_op()
            raise GeError(
                f"tensor<{fmt(t.get_shape())}x{t.get_element_type()}> has a dynamic shape; "
                "memory planning needs static shapes (compile a shape bucket)",
                location_of(owner) if owner else None,
            )
        p = _Planned(arena, MemRefType(t.get_element_type(), t.get_shape()), life, binding)
        self.buffers.append(p)
        return p

    def place(self) -> dict[str, int]:
        sizes = {name: 0 for name, _ in ARENAS}
        for p in self.buffers:
            p.offset = sizes[p.arena]
            sizes[p.arena] = align(p.offset + memory.memref_bytes(p.type))
        return sizes


def _marks(op: Operation, name: str) -> tuple[int, ...] | None:
    attr = op.attributes.get(name)
    return tuple(attr.get_values()) if isinstance(attr, DenseArrayBase) else None


def loop_ranges(tasks: Sequence[Operation]) -> dict[int, tuple[int, int]]:
    """Per graph.loop, the first and last index of its (contiguous) tasks."""
    ranges: dict[int, tuple[int, int]] = {}
    for i, t in enumerate(tasks):
        mark = _marks(t, "ge.loop")
        if mark is not None:
            first, _ = ranges.get(mark[0], (i, i))
            ranges[mark[0]] = (first, i)
    return ranges


def _extend_over_loops(tasks: Sequence[Operation], buffers: list[_Planned]) -> None:
    """A buffer live into a loop is read by every iteration: it lives to the loop's end."""
    for first, last in loop_ranges(tasks).values():
        for p in buffers:
            start, end = p.lifetime
            if start < first <= end < last:
                p.lifetime = (start, last)


@dataclass(frozen=True)
class ConvertStreamToMemory(ModulePass):
    name = "convert-stream-to-memory"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = [f for f in op.ops if isinstance(f, func.FuncOp) and f.body.blocks]
        if any(isinstance(o, memory.ArenaOp) for o in op.ops):
            raise GeError("module is already in memory form")
        if len(functions) > 1:
            raise GeError("convert-stream-to-memory handles one function per module for now")
        for f in functions:
            self.convert_function(op, f)

    def convert_function(self, module: ModuleOp, f: func.FuncOp) -> None:
        block = f.body.block
        ret = block.last_op
        assert isinstance(ret, func.ReturnOp)
        tasks = [o for o in block.ops if isinstance(o, stream.LaunchOp | stream.CopyOp)]
        index = {t: i for i, t in enumerate(tasks)}
        # Results are written in place into the outputs arena by their launch when only one
        # result uses the value; the others are copied there (d2d) after the last task.
        returned = list(ret.arguments)
        in_place = [
            isinstance(v.owner, stream.LaunchOp) and returned.count(v) == 1 for v in returned
        ]
        end = len(tasks) + in_place.count(False)  # one past the last task: "until the end"

        def last_use(v: SSAValue, default: int) -> int:
            return max((index.get(u.operation, end) for u in v.uses), default=default)

        layout = _Layout()
        planned: dict[SSAValue, _Planned] = {}
        states: dict[tuple[int, ...], _Planned] = {}  # graph.loop state buffers by (loop, k)
        for i, arg in enumerate(block.args):
            planned[arg] = layout.add(arg, "inputs", (0, last_use(arg, 0)), f"input:{i}")
        for o in block.ops:
            if isinstance(o, graph.WeightOp):
                life = (0, last_use(o.result, 0))
                binding = f"weight:{o.weight_name.data}"
                planned[o.result] = layout.add(o.result, "weights_host", life, binding)
            elif o in index:
                if isinstance(o, stream.CopyOp) and o.kind.data == "d2h":
                    raise GeError("a d2h copy in tensor form has no host arena yet", location_of(o))
                is_weight = isinstance(o, stream.CopyOp) and o.kind.data == "h2d"
                arena = "weights" if is_weight else "activations"
                carry = _marks(o, "ge.carry")
                for r in o.results[:-1]:
                    life = (index[o], last_use(r, index[o]))
                    if carry is not None:  # the next value of a loop-carried state: in place
                        p = planned[r] = states[carry]
                        p.lifetime = (p.lifetime[0], max(p.lifetime[1], life[1]))
                        continue
                    planned[r] = layout.add(r, arena, life)
                    if (state := _marks(o, "ge.state")) is not None:
                        states[state] = planned[r]
            elif not isinstance(o, func.ReturnOp):
                raise GeError(f"{o.name} is not a stream task", location_of(o))

        _extend_over_loops(tasks, layout.buffers)
        out_copies: list[tuple[SSAValue, _Planned]] = []
        for j, v in enumerate(returned):
            if in_place[j]:
                p = planned[v]
                p.arena, p.binding, p.lifetime = "outputs", f"output:{j}", (p.lifetime[0], end)
            else:
                copy_index = len(tasks) + len(out_copies)
                out = layout.add(v, "outputs", (copy_index, end), f"output:{j}")
                out_copies.append((v, out))
        sizes = layout.place()

        # Build the memory-level body: arenas, buffers, then the tasks in buffer form.
        for name, space in ARENAS:
            Rewriter.insert_op(
                memory.ArenaOp(name, sizes[name], space, ALIGNMENT), InsertPoint.before(f)
            )
        new = Block()
        buffer_of: dict[int, SSAValue] = {}
        for p in layout.buffers:
            b = memory.BufferOp(p.arena, p.offset, p.type, p.lifetime)
            if p.binding:
                b.attributes["binding"] = StringAttr(p.binding)
            new.add_op(b)
            buffer_of[id(p)] = b.result

        def buf(v: SSAValue) -> SSAValue:
            return buffer_of[id(planned[v])]

        done: dict[SSAValue, SSAValue] = {}
        for t in tasks:
            awaits = [done[a] for a in t.awaits]
            if isinstance(t, stream.LaunchOp):
                nt: Operation = stream.LaunchOp(
                    t.kernel.string_value(),
                    [buf(a) for a in t.args],
                    outs=[buf(r) for r in t.outputs],
                    awaits=awaits,
                    stream=t.stream.value.data,
                )
                if t.block_dim is not None:
                    nt.properties["block_dim"] = t.block_dim
            else:
                nt = stream.CopyOp(
                    t.kind.data,
                    buf(t.source),
                    buf(t.output),
                    awaits=awaits,
                    queue=t.queue.value.data,
                )
            nt.location = t.location
            nt.attributes.update(t.attributes)  # ge.cond, pinned: they hold at every level
            new.add_op(nt)
            done[t.done] = nt.results[-1]
        for v, out in out_copies:
            src_done = [done[v.owner.results[-1]]] if v.owner in index else []
            new.add_op(stream.CopyOp("d2d", buf(v), buffer_of[id(out)], awaits=src_done))
        new.add_op(func.ReturnOp())

        f.body.detach_block(block)
        f.body.add_block(new)
        f.function_type = FunctionType.from_lists([], [])
        block.erase(safe_erase=False)
