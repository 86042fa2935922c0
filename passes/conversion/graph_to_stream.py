"""convert-graph-to-stream: every graph op becomes a kernel and a launch; weights become copies.

Each compute op of a function is outlined into a ``stream.kernel`` symbol (its body: the op over
block arguments, with its cost descriptor) and replaced by a ``stream.launch`` on the op's
stream hint (``stream_id`` attribute, default 0; a launch from a hinted op or function is
marked ``pinned`` so that assign-streams keeps it there). Each ``graph.weight`` stays a host
value and gets a ``stream.copy "h2d"``; its consumers use the device copy and await the
copy's timepoint. Launches await the timepoints of producers on other streams; same-stream
order is program order.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    ModuleOp,
    TensorType,
    UnitAttr,
    i64,
)
from xdsl.ir import Block, BlockArgument, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ge_compiler.cost import op_cost
from ge_compiler.dialects import graph, stream
from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.errors import GeError
from ge_compiler.ir import location_of

COND = "ge.cond"
"""On a launch from a graph.if branch: ``array<i64: k, v>``, run only if function input ``k``
(a one-element i1 tensor) holds ``v`` (1 for the then branch, 0 for the else branch)."""


def flatten_branches(f: func.FuncOp) -> None:
    """Move the ops of each graph.if of ``f`` in front of it, marked with the condition under
    which they run, and replace its results by ``graph.where(cond, then, else)``: on the device
    only the taken branch runs and the where (reading both, one of them never written) picks
    its result. The condition must be a function input, whose value the device reads at run
    time; nested graph.if is not lowered yet."""
    block = f.body.block
    for op in [o for o in block.ops if isinstance(o, graph.IfOp)]:
        cond = op.cond
        if not (isinstance(cond, BlockArgument) and cond.owner is block):
            raise GeError(
                "graph.if: the condition must be an input of the function to be lowered "
                "(the device reads it at run time)",
                location_of(op),
            )
        yielded = []
        for region, value in ((op.then_region, 1), (op.else_region, 0)):
            term = region.block.last_op
            assert isinstance(term, graph.YieldOp)
            for o in list(region.block.ops):
                if o is term:
                    continue
                if any(isinstance(n, graph.IfOp) for n in o.walk()):
                    raise GeError("nested graph.if is not lowered yet", location_of(o))
                o.detach()
                if not isinstance(o, graph.WeightOp | graph.ConstantOp):
                    o.attributes[COND] = DenseArrayBase.from_list(i64, [cond.index, value])
                Rewriter.insert_op(o, InsertPoint.before(op))
            yielded.append(list(term.values))
        for result, a, b in zip(op.outputs, *yielded, strict=True):
            pick = graph.WhereOp(cond, a, b)
            pick.location = op.location
            Rewriter.insert_op(pick, InsertPoint.before(op))
            result.replace_all_uses_with(pick.result)
        Rewriter.erase_op(op)


LOOP = "ge.loop"
"""On a task of a graph.loop body: ``array<i64: loop, trips>``; the tasks of one loop are
contiguous and the device runs them ``trips`` times in order."""
STATE = "ge.state"
"""On the launch that copies a loop-carried value's init into its state buffer (once, before
the loop): ``array<i64: loop, k>``."""
CARRY = "ge.carry"
"""On the body launch whose result is the next value of carried value ``k``: it writes into
the state buffer (in place), ``array<i64: loop, k>``."""


def _marks(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


def _in_place_ok(producer: Operation, state: SSAValue, body_ops: list[Operation]) -> bool:
    """``producer`` may write the next value over the state: it reads the state as its
    in-place operand (an update_slice's dest, or an elementwise op's operand of the same type)
    and no op after it in the body reads the state."""
    if isinstance(producer, graph.UpdateSliceOp):
        reads = producer.dest is state
    else:
        from ge_compiler.passes.graph.fuse import ELEMENTWISE

        reads = isinstance(producer, ELEMENTWISE) and any(
            v is state and v.type == producer.results[0].type for v in producer.operands
        )
    if not reads:
        return False
    position = body_ops.index(producer)
    return all(
        body_ops.index(u.operation) <= position for u in state.uses if u.operation in body_ops
    )


def flatten_loops(f: func.FuncOp) -> None:
    """Move each graph.loop body in front of the loop, marked with ``ge.loop``, on one stream
    (the loop's hint): the device repeats the marked tasks ``trip_count`` times, so a
    later iteration's writes are ordered after the earlier one's reads by stream order.

    Each loop-carried value (the index first) gets a state: a copy of its init made once
    (``ge.state``); the body reads the state, and the op producing the next value writes into
    the state's buffer (``ge.carry``): in place when it is an update_slice of the state (a KV
    cache row append) or an elementwise op that is the state's last reader, else through an
    extra identity copy. Weights and constants of the body move out of the loop."""
    block = f.body.block
    for n, loop in enumerate([o for o in block.ops if isinstance(o, graph.LoopOp)]):
        body = loop.body.block
        term = body.last_op
        assert isinstance(term, graph.YieldOp)
        trips = loop.trip_count.value.data
        hint = loop.attributes.get(STREAM_HINT)
        zero = graph.ConstantOp(DenseIntOrFPElementsAttr.from_list(TensorType(i64, []), [0]))
        one = graph.ConstantOp(DenseIntOrFPElementsAttr.from_list(TensorType(i64, []), [1]))
        Rewriter.insert_op([zero, one], InsertPoint.before(loop))
        index = body.args[0]
        step = graph.AddOp(index, one.result)
        body.insert_op_before(step, term)
        inits = [zero.result, *loop.inits]
        states = []
        for k, (init, arg) in enumerate(zip(inits, body.args, strict=True)):
            state = graph.ReshapeOp(init, init.type.get_shape())  # type: ignore[union-attr]
            state.attributes[STATE] = _marks(n, k)
            state.location = loop.location
            Rewriter.insert_op(state, InsertPoint.before(loop))
            arg.replace_all_uses_with(state.result)
            states.append(state.result)
        nexts = [step.result, *term.values]  # after the replacement: a yielded arg is its state
        body_ops = [o for o in body.ops if o is not term]
        copies: list[tuple[int, SSAValue]] = []
        final = list(nexts)  # per carried value, the SSA value holding it after an iteration
        for k, (nxt, state) in enumerate(zip(nexts, states, strict=True)):
            producer = nxt.owner
            if (
                isinstance(producer, Operation)
                and producer in body_ops
                and CARRY not in producer.attributes
                and len(producer.results) == 1
                and _in_place_ok(producer, state, body_ops)
            ):
                producer.attributes[CARRY] = _marks(n, k)
            else:  # the next value is computed elsewhere: copy it over the state at the end
                if nxt in states:  # another state (a shift, a swap): read it before any write
                    tmp = graph.ReshapeOp(nxt, state.type.get_shape())  # type: ignore[union-attr]
                    body.insert_op_before(tmp, term)
                    body_ops.append(tmp)
                    nxt = tmp.result
                copies.append((k, nxt))
        for k, nxt in copies:  # after every temporary: no carry reads an overwritten state
            carry = graph.ReshapeOp(nxt, states[k].type.get_shape())  # type: ignore[union-attr]
            carry.attributes[CARRY] = _marks(n, k)
            body.insert_op_before(carry, term)
            body_ops.append(carry)
            final[k] = carry.result
        for o in list(body.ops):
            if o is term:
                continue
            if any(isinstance(x, graph.LoopOp | graph.IfOp) for x in o.walk()):
                raise GeError(
                    "a loop body with nested control flow is not lowered yet", location_of(o)
                )
            o.detach()
            if not isinstance(o, graph.WeightOp | graph.ConstantOp):
                o.attributes[LOOP] = _marks(n, trips)
                if hint is not None:
                    o.attributes[STREAM_HINT] = hint
                else:
                    o.attributes.pop(STREAM_HINT, None)
            Rewriter.insert_op(o, InsertPoint.before(loop))
        for result, value in zip(loop.outputs, final[1:], strict=True):
            result.replace_all_uses_with(value)  # in the state's buffer, after the last carry
        Rewriter.erase_op(loop)


def stream_hint(op: Operation, default: int) -> int:
    attr = op.attributes.get(STREAM_HINT)
    return attr.value.data if isinstance(attr, IntegerAttr) else default


def outline(op: Operation, name: str) -> stream.KernelOp:
    """A kernel whose body is ``op`` applied to block arguments (a fused group: its body)."""
    if isinstance(op, graph.FusedOp):
        body = op.body.clone()
        block = body.block
        term = block.last_op
        assert isinstance(term, graph.YieldOp)
        block.insert_op_before(stream.YieldOp(term.values), term)
        block.erase_op(term)
        block = body.detach_block(block)
    else:
        block = Block(arg_types=[v.type for v in op.operands])
        clone = op.clone()
        for i, arg in enumerate(block.args):
            clone.operands[i] = arg
        for mark in (STREAM_HINT, COND, LOOP, STATE, CARRY):  # task marks, not the kernel's
            clone.attributes.pop(mark, None)
        block.add_ops([clone, stream.YieldOp(clone.results)])
    cost = op_cost(op)
    return stream.KernelOp(
        name, Region(block), cost.unit, cost.cube_flops, cost.vector_flops, cost.gemm, cost.bytes
    )


@dataclass(frozen=True)
class ConvertGraphToStream(ModulePass):
    name = "convert-graph-to-stream"
    single_stream: bool = False
    """Ignore stream hints: everything on stream 0 (the unoptimized baseline of ge-O0)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = [f for f in op.ops if isinstance(f, func.FuncOp) and f.body.blocks]
        for f in functions:
            self.convert_function(op, f)

    def convert_function(self, module: ModuleOp, f: func.FuncOp) -> None:
        flatten_loops(f)
        flatten_branches(f)
        default_stream = 0 if self.single_stream else stream_hint(f, 0)
        # The task (and its stream, or None for a DMA copy) that produced each device value.
        producer: dict[SSAValue, tuple[SSAValue, int | None]] = {}
        count = 0
        for op in list(f.body.block.ops):
            if isinstance(op, func.ReturnOp):
                continue
            if op.regions and not isinstance(op, graph.FusedOp):
                raise GeError(f"{op.name} has regions: it cannot be lowered", location_of(op))
            if isinstance(op, graph.WeightOp):
                copy = stream.CopyOp("h2d", op.result)
                copy.location = op.location
                Rewriter.insert_op(copy, InsertPoint.after(op))
                op.result.replace_uses_with_if(
                    copy.output, lambda use, c=copy: use.operation is not c
                )
                producer[copy.output] = (copy.done, None)
                continue
            if not isinstance(op, (*graph.GRAPH_OPS, graph.FusedOp)):
                raise GeError(f"cannot lower {op.name} to a kernel", location_of(op))
            label = op.kind.data if isinstance(op, graph.FusedOp) else op.name.split(".")[1]
            kernel = outline(op, f"{f.sym_name.data}_k{count}_{label}")
            kernel.location = op.location
            count += 1
            Rewriter.insert_op(kernel, InsertPoint.before(f))
            sid = default_stream if self.single_stream else stream_hint(op, default_stream)
            awaits = []
            for v in op.operands:
                if v in producer:
                    done, where = producer[v]
                    if where != sid and done not in awaits:
                        awaits.append(done)
            launch = stream.LaunchOp(
                kernel.sym_name.data,
                list(op.operands),
                [r.type for r in op.results],
                awaits=awaits,
                stream=sid,
            )
            launch.location = op.location
            for mark in (COND, LOOP, STATE, CARRY):
                if mark in op.attributes:
                    launch.attributes[mark] = op.attributes[mark]
            hinted = STREAM_HINT in op.attributes or STREAM_HINT in f.attributes
            if hinted and not self.single_stream:
                launch.attributes["pinned"] = UnitAttr()  # assign-streams keeps the user's stream
            Rewriter.insert_op(launch, InsertPoint.before(op))
            for old, new in zip(op.results, launch.outputs, strict=True):
                old.replace_all_uses_with(new)
                producer[new] = (launch.done, sid)
            Rewriter.erase_op(op)
