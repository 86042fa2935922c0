"""Codegen: a memory-level module becomes a Schedule.

Reads only the memory-level IR (arenas, buffers, kernels, tasks in buffer form) and writes only
the Schedule; awaited timepoints become record/wait event pairs.
"""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, MemRefType, ModuleOp, StringAttr
from xdsl.ir import SSAValue

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
    event_of_task: dict[int, int] = {}
    waits_of: list[list[int]] = []
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
            waits = []
            for tp in op.awaits:
                src = task_of_timepoint[tp]
                waits.append(event_of_task.setdefault(src, len(event_of_task)))
            waits_of.append(waits)
            if isinstance(op, stream.LaunchOp):
                task = Task(
                    id=tid,
                    kind="launch",
                    stream=op.stream.value.data,
                    inputs=[buffer_index[v] for v in op.args],
                    outputs=[buffer_index[v] for v in op.outs],
                    kernel=op.kernel.string_value(),
                    block_dim=op.block_dim.value.data if op.block_dim else None,
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

    for tid, task in enumerate(tasks):
        task.waits.extend(waits_of[tid])
        if tid in event_of_task:
            task.records.append(event_of_task[tid])

    used = {t.kernel for t in tasks if t.kernel}
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
            )
            for name, k in kernels.items()
            if name in used
        },
        tasks=tasks,
        num_events=len(event_of_task),
    )
    schedule.validate()
    return schedule
