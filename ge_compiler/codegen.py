"""Codegen: a memory-level module becomes a Schedule.

Reads only the memory-level IR (arenas, buffers, kernels, tasks in buffer form) and writes only
the Schedule; awaited timepoints become record/wait event pairs.
"""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, FunctionType, MemRefType, ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue

from ge_compiler.dialects import graph, memory, stream
from ge_compiler.errors import GeError
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task


def kernel_body_text(kernel: stream.KernelOp) -> str:
    """The kernel's ops as a standalone function, runnable by the reference interpreter."""
    body = kernel.body.clone()
    block = body.block
    term = block.last_op
    assert isinstance(term, stream.YieldOp)
    ret = func.ReturnOp(*term.values)
    block.insert_op_before(ret, term)
    block.erase_op(term)
    fn = func.FuncOp(
        kernel.sym_name.data,
        FunctionType.from_lists(kernel.input_types, kernel.yield_types),
        body,
    )
    return str(ModuleOp([fn]))


def cube_dtype(kernel: stream.KernelOp) -> str | None:
    """Element type of the kernel's (first) contraction, which sets the cube's throughput."""
    for op in kernel.body.block.ops:
        if isinstance(op, graph.MatmulOp | graph.BatchMatmulOp | graph.Conv2dOp):
            return str(graph.dtype_of(op.operands[0]))
    return None


def _cond(op: Operation) -> list[int] | None:
    attr = op.attributes.get("ge.cond")  # set on graph.if branches by convert-graph-to-stream
    return list(attr.get_values()) if isinstance(attr, DenseArrayBase) else None


def order_iterations(tasks: list[Task], first: int, last: int, num_events: int) -> int:
    """A loop body on several lanes (a stream split at the device's task limit) must not start
    an iteration before the previous one ended on every lane: its first task waits for its
    last. The event is recorded once before the loop too, so the first iteration's wait binds
    to that record (a wait is on the latest record before it). Returns the event count."""
    lanes = {(t.kind, t.stream) for t in tasks[first : last + 1]}
    if len(lanes) < 2 or first == 0:
        return num_events
    event = num_events
    tasks[first - 1].records.append(event)
    tasks[last].records.append(event)
    tasks[first].waits.append(event)
    return num_events + 1


def allocate_events(tasks: list[Task], sources: list[list[int]]) -> int:
    """Give each awaited task an event to record and its waiters the id; return the id count.

    Ids are reused like registers: a record takes the lowest id whose previous record's every
    waiter is ordered before it (same-lane program order and waited events: a vector clock per
    task), so no waiter can ever see the wrong record and the count stays near the number of
    events in flight (the device allows ``max_events``).
    """
    waiters: dict[int, list[int]] = {}
    for tid, srcs in enumerate(sources):
        for src in srcs:
            waiters.setdefault(src, []).append(tid)
    clocks: list[dict[tuple[str, int], int]] = []
    last_on_lane: dict[tuple[str, int], int] = {}
    event_of: dict[int, int] = {}
    holder: list[int] = []  # per event id, the task whose record it currently carries
    for tid, task in enumerate(tasks):
        lane = (task.kind, task.stream)
        clock = dict(clocks[last_on_lane[lane]]) if lane in last_on_lane else {}
        for src in sources[tid]:
            for other, seen in clocks[src].items():
                if clock.get(other, -1) < seen:
                    clock[other] = seen
            task.waits.append(event_of[src])
        clock[lane] = tid
        clocks.append(clock)
        last_on_lane[lane] = tid
        if tid not in waiters:
            continue

        def free(e: int, clock: dict[tuple[str, int], int] = clock) -> bool:
            return all(
                clock.get((tasks[w].kind, tasks[w].stream), -1) >= w for w in waiters[holder[e]]
            )

        e = next((e for e in range(len(holder)) if free(e)), len(holder))
        if e == len(holder):
            holder.append(tid)
        holder[e] = tid
        event_of[tid] = e
        task.records.append(e)
    return len(holder)


def emit_schedule(module: ModuleOp, model: str = "module") -> Schedule:
    arenas = [o for o in module.ops if isinstance(o, memory.ArenaOp)]
    kernels = {o.sym_name.data: o for o in module.ops if isinstance(o, stream.KernelOp)}
    functions = [o for o in module.ops if isinstance(o, func.FuncOp) and o.body.blocks]
    if not arenas or len(functions) != 1:
        raise GeError("codegen needs a memory-level module (run convert-stream-to-memory first)")
    f = functions[0]

    buffers: list[BufferRef] = []
    buffer_index: dict[SSAValue, int] = {}
    tasks: list[Task] = []
    task_of_timepoint: dict[SSAValue, int] = {}
    sources: list[list[int]] = []  # per task, the tasks whose timepoints it awaits
    for op in f.body.block.ops:
        if isinstance(op, memory.BufferOp):
            t = op.result.type
            assert isinstance(t, MemRefType)
            first, last = op.lifetime.get_values() if op.lifetime else (0, 0)
            binding = op.attributes.get("binding")
            buffer_index[op.result] = len(buffers)
            buffers.append(
                BufferRef(
                    arena=op.arena.string_value(),
                    offset=op.offset.value.data,
                    bytes=op.size_bytes,
                    shape=list(t.get_shape()),
                    dtype=str(t.get_element_type()),
                    first=first,
                    last=last,
                    binding=binding.data if isinstance(binding, StringAttr) else None,
                )
            )
        elif isinstance(op, stream.LaunchOp | stream.CopyOp):
            tid = len(tasks)
            sources.append(list(dict.fromkeys(task_of_timepoint[tp] for tp in op.awaits)))
            if isinstance(op, stream.LaunchOp):
                task = Task(
                    id=tid,
                    kind="launch",
                    stream=op.stream.value.data,
                    inputs=[buffer_index[v] for v in op.args],
                    outputs=[buffer_index[v] for v in op.outs],
                    kernel=op.kernel.string_value(),
                    block_dim=op.block_dim.value.data if op.block_dim else None,
                    cond=_cond(op),
                )
            else:
                task = Task(
                    id=tid,
                    kind="copy",
                    stream=op.queue.value.data,
                    inputs=[buffer_index[op.source]],
                    outputs=[buffer_index[op.dest]] if op.dest is not None else [],
                    copy_kind=op.kind.data,
                )
            task_of_timepoint[op.done] = tid
            tasks.append(task)
        elif not isinstance(op, func.ReturnOp):
            raise GeError(f"codegen cannot emit {op.name}")

    num_events = allocate_events(tasks, sources)
    loops: dict[int, list[int]] = {}
    for op_index, op in enumerate(
        o for o in f.body.block.ops if isinstance(o, stream.LaunchOp | stream.CopyOp)
    ):
        attr = op.attributes.get("ge.loop")  # set on graph.loop bodies by convert-graph-to-stream
        if isinstance(attr, DenseArrayBase):
            loop, trips = attr.get_values()
            span = loops.setdefault(loop, [op_index, op_index, trips])
            span[1] = op_index
    for first, last, _ in loops.values():
        num_events = order_iterations(tasks, first, last, num_events)

    used = {t.kernel for t in tasks if t.kernel}
    launch_mode = module.attributes.get("ge.launch_mode")  # set by task-sink
    schedule = Schedule(
        model=model,
        function=f.sym_name.data,
        arenas=[
            Arena(a.sym_name.data, a.space.data, a.size.value.data, a.alignment.value.data)
            for a in arenas
        ],
        buffers=buffers,
        kernels={
            name: Kernel(
                name,
                k.unit.data,
                k.cube_flops.value.data,
                k.vector_flops.value.data,
                kernel_body_text(k),
                list(k.gemm.get_values()) if k.gemm is not None else None,
                cube_dtype(k),
                k.bytes.value.data if k.bytes is not None else None,
            )
            for name, k in kernels.items()
            if name in used
        },
        tasks=tasks,
        num_events=num_events,
        loops=sorted(loops.values()),
        launch_mode=launch_mode.data if isinstance(launch_mode, StringAttr) else "host",
    )
    schedule.validate()
    return schedule
