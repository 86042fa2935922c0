"""Functional mode of the device model: run a Schedule's tasks with numpy on simulated device
memory and compare the outputs with the reference interpreter on the uncompiled graph.

Timing simulation cannot show a wrong result, and the structural race check (``ordering.py``)
reasons about buffer indices, so it cannot see two buffers that share bytes. Functional mode is
an independent end-to-end oracle that reasons about nothing (it never calls ``ordering.py``):
memory is one byte array per arena with every buffer at its planned offset, copies copy bytes,
launches run their kernel body on what is in memory, and whatever the plan and the events let
happen, happens. So

- a memory plan that overlaps two live buffers really clobbers one with the other;
- memory starts as a poison pattern (``0xFF`` bytes: NaN for every float type), so reading a
  buffer nobody wrote yet shows up as NaN (as ``-1`` in integers, True in i1);
- tasks run in an order that respects *only* what the schedule guarantees (program order on each
  stream / DMA queue, and waited events). Program order alone would hide every missing event
  (the producer happens to come first), so ``check`` also runs adversarial orders:
  ``adversarial`` (among the tasks allowed to start, the latest in program order runs first:
  a consumer whose event is missing runs before its producer, a writer reusing memory too early
  clobbers it) and, for each stream and DMA queue L, ``late:L`` (L's tasks run only when no
  other task can). The ``late`` orders are complete for races between two tasks: if X on lane
  L and Y elsewhere are unordered, ``late:L`` runs Y before X (if a task of Y's ancestry were
  ready, it would run before X; if none is, Y itself is). So every unordered pair of tasks runs
  both ways round in some order, and a race changes the result unless the data happen to agree.
  One order is not enough: ``adversarial`` alone lets a DMA queue whose copies never wait run
  ahead, hiding a missing copy->launch event.

Storage: every dtype is stored with its device width. numpy has no bfloat16, so a bf16 buffer
holds the upper 16 bits of the float32 value (rounded to nearest even), and ``read`` widens
it back to float32: the device rounds at every kernel boundary, the reference interpreter
(which computes bf16 in float32) does not, hence bf16's looser tolerance.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType

from ge_compiler.builder import as_dtype
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import parse_module
from ge_compiler.schedule import Arena, BufferRef, Schedule, Task
from ge_compiler.weights import WeightStore

POISON = 0xFF
"""Initial value of every byte: NaN in f16, bf16 and f32, -1 in signed integers, True in i1."""

ORDERS = ("program", "adversarial")
"""Orders for every schedule; ``late:L`` (``L`` = ``streamN`` or ``queueN``) come on top."""

_STORAGE: dict[str, np.dtype] = {
    name: np.dtype(t)
    for name, t in {
        "f16": np.float16, "bf16": np.uint16, "f32": np.float32, "f64": np.float64,
        "i1": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
    }.items()
}  # fmt: skip
"""How each IR element type is laid out in memory (bf16: raw bits)."""

DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "f64": (1e-9, 1e-12),
    "f32": (1e-5, 1e-6),
    "f16": (1e-2, 1e-2),
    "bf16": (5e-2, 5e-2),
}
"""``(rtol, atol)`` per output dtype; integer and i1 outputs must match exactly."""


def compute_dtype(dtype: str) -> np.dtype:
    """The numpy dtype kernels compute ``dtype`` in (that of the reference interpreter)."""
    return np.dtype(np.float32) if dtype == "bf16" else _storage(dtype)


def _storage(dtype: str) -> np.dtype:
    if dtype not in _STORAGE:
        raise GeError(f"functional mode: unsupported buffer dtype '{dtype}'")
    return _STORAGE[dtype]


def _to_bf16(x: np.ndarray) -> np.ndarray:
    """float32 -> bf16 bits, rounding to nearest even; NaN stays a (quiet) NaN."""
    x = np.asarray(x, dtype=np.float32)
    bits = x.copy(order="C").view(np.uint32).astype(np.uint64)  # rank 0 included
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    nan = ((bits >> 16) & 0x8000) | 0x7FC0
    return np.where(np.isnan(x), nan, rounded).astype(np.uint16)


def _from_bf16(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


class DeviceMemory:
    """One poisoned byte array per arena; buffers are typed windows onto it at their offsets."""

    def __init__(self, arenas: Sequence[Arena]):
        self.arenas = {a.name: np.full(a.size, POISON, dtype=np.uint8) for a in arenas}

    def _bytes(self, buffer: BufferRef) -> np.ndarray:
        memory = self.arenas.get(buffer.arena)
        if memory is None:
            raise GeError(f"functional mode: buffer in unknown arena '{buffer.arena}'")
        if buffer.offset < 0 or buffer.offset + buffer.bytes > memory.size:
            raise GeError(
                f"functional mode: buffer at {buffer.offset} (+{buffer.bytes} bytes) lies outside "
                f"arena '{buffer.arena}' of {memory.size} bytes"
            )
        return memory[buffer.offset : buffer.offset + buffer.bytes]

    def view(self, buffer: BufferRef) -> np.ndarray:
        """The buffer's storage as a writable numpy view (bf16: uint16 bits), shaped."""
        storage = _storage(buffer.dtype)
        if buffer.bytes != math.prod(buffer.shape) * storage.itemsize:
            raise GeError(
                f"functional mode: a {buffer.dtype} buffer of shape {buffer.shape} cannot hold "
                f"{buffer.bytes} bytes"
            )
        return self._bytes(buffer).view(storage).reshape(buffer.shape)

    def read(self, buffer: BufferRef) -> np.ndarray:
        """A copy of the buffer's contents in its compute dtype (bf16 widened to float32)."""
        raw = self.view(buffer)
        return _from_bf16(raw) if buffer.dtype == "bf16" else raw.copy()

    def write(self, buffer: BufferRef, value: np.ndarray, what: str = "value") -> None:
        """Store ``value``, which must have the buffer's shape and compute dtype."""
        value = np.asarray(value)
        if list(value.shape) != list(buffer.shape) or value.dtype != compute_dtype(buffer.dtype):
            raise GeError(
                f"functional mode: {what} of shape {list(value.shape)} ({value.dtype}) does not "
                f"fit a {buffer.dtype} buffer of shape {buffer.shape}"
            )
        self.view(buffer)[...] = _to_bf16(value) if buffer.dtype == "bf16" else value

    def copy(self, source: BufferRef, dest: BufferRef) -> None:
        """Move the bytes of ``source`` to ``dest`` (which must be as large)."""
        if source.bytes != dest.bytes:
            raise GeError(
                f"functional mode: copy of {source.bytes} bytes into a {dest.bytes}-byte buffer"
            )
        self._bytes(dest)[...] = self._bytes(source)


# --------------------------------------------------------------------------- task order


def lane_name(t: Task) -> str:
    return f"{'stream' if t.kind == 'launch' else 'queue'}{t.stream}"


def all_orders(schedule: Schedule) -> list[str]:
    """``program``, ``adversarial`` and ``late:L`` for each lane: together they run every pair
    of unordered tasks both ways round (see the module docstring)."""
    return [*ORDERS, *(f"late:{lane}" for lane in sorted({lane_name(t) for t in schedule.tasks}))]


def execution_order(schedule: Schedule, order: str = "adversarial") -> list[int]:
    """The order in which ``execute`` runs the tasks (indices into ``schedule.tasks``).

    A task may start once the task before it on its stream / DMA queue has ended and every
    event it waits for has been recorded: by the last task recording that event before it in
    program order (as the host issues them), or, if the program records it only later, by any
    recording task. Among the tasks that may start, ``program`` runs the earliest in program
    order (which is program order on a well-formed schedule), ``adversarial`` the latest, and
    ``late:L`` the latest not on lane L, or L's next task if no other may start. With
    ``weights_resident``, the weight copies come first (at model load) whatever they wait for.
    Raises GeError when tasks remain but none may start (an event nobody records, a cycle).
    """
    lanes_named = {lane_name(t) for t in schedule.tasks}
    late = order.removeprefix("late:") if order.startswith("late:") else None
    if order not in ORDERS and late not in lanes_named:
        known = ", ".join([*ORDERS, *(f"late:{lane}" for lane in sorted(lanes_named))])
        raise GeError(f"unknown execution order '{order}' (one of {known})")

    def priority(i: int) -> tuple[bool, int]:
        if order == "program":
            return (True, -i)
        return (lane_name(schedule.tasks[i]) != late, i)

    recorders: dict[int, list[int]] = {}
    for i, t in enumerate(schedule.tasks):
        for e in t.records:
            recorders.setdefault(e, []).append(i)
    # (task, event) -> the tasks of which one must have ended; most often exactly one
    needs: dict[tuple[int, int], list[int]] = {}
    for i, t in enumerate(schedule.tasks):
        for e in t.waits:
            earlier = [r for r in recorders.get(e, []) if r < i]
            needs[i, e] = earlier[-1:] or recorders.get(e, [])

    # resident weights are copied when the model is loaded, before any inference task
    result = [i for i, t in enumerate(schedule.tasks) if schedule.is_preloaded(t)]
    done = set(result)
    lanes: dict[tuple[str, int], deque[int]] = {}
    for i, t in enumerate(schedule.tasks):
        if i not in done:
            lanes.setdefault((t.kind, t.stream), deque()).append(i)

    def blocked_on(i: int) -> list[int]:
        t = schedule.tasks[i]
        return [e for e in t.waits if not any(r in done for r in needs[i, e])]

    while len(result) < len(schedule.tasks):
        heads = [q[0] for q in lanes.values() if q]
        ready = [i for i in heads if not blocked_on(i)]
        if not ready:
            stuck = "; ".join(f"task {i} waits for event(s) {blocked_on(i)}" for i in heads)
            raise GeError(f"functional mode: deadlock, no task can start ({stuck})")
        i = max(ready, key=priority)
        t = schedule.tasks[i]
        lanes[t.kind, t.stream].popleft()
        done.add(i)
        result.append(i)
    return result


# --------------------------------------------------------------------------- execution


def _tensor_type(buffer: BufferRef) -> TensorType:
    return TensorType(as_dtype(buffer.dtype), buffer.shape)


def _bind_inputs(
    schedule: Schedule, memory: DeviceMemory, inputs: Sequence[np.ndarray], weights: WeightStore
) -> None:
    bound = schedule.bindings("input")
    if len(bound) != len(inputs):
        raise GeError(f"@{schedule.function} takes {len(bound)} inputs, got {len(inputs)}")
    for buffer in bound:
        i = int(buffer.binding.split(":")[1])  # type: ignore[union-attr]
        if not 0 <= i < len(inputs):
            raise GeError(f"functional mode: a buffer is bound to missing input {i}")
        x, dtype = np.asarray(inputs[i]), compute_dtype(buffer.dtype)
        if not np.can_cast(x.dtype, dtype, "same_kind"):
            raise GeError(f"input {i}: cannot convert {x.dtype} to {buffer.dtype}")
        memory.write(buffer, x.astype(dtype), f"input {i}")
    for buffer in schedule.bindings("weight"):
        name = buffer.binding.removeprefix("weight:")  # type: ignore[union-attr]
        memory.write(buffer, weights.get(name, _tensor_type(buffer)), f"weight '{name}'")


def _run_task(
    schedule: Schedule,
    t: Task,
    memory: DeviceMemory,
    kernels: dict[str, ModuleOp],
    weights: WeightStore,
) -> None:
    buffers = schedule.buffers
    if t.kind == "copy":
        if len(t.inputs) != 1 or len(t.outputs) != 1:
            raise GeError(f"functional mode: copy task {t.id} does not copy one buffer to one")
        memory.copy(buffers[t.inputs[0]], buffers[t.outputs[0]])
        return
    if t.kernel not in schedule.kernels:
        raise GeError(f"functional mode: task {t.id} launches unknown kernel '{t.kernel}'")
    if t.kernel not in kernels:
        kernels[t.kernel] = parse_module(schedule.kernels[t.kernel].body, f"<kernel {t.kernel}>")
    args = [memory.read(buffers[b]) for b in t.inputs]
    results = run_function(kernels[t.kernel], args, weights, function=t.kernel)
    if len(results) != len(t.outputs):
        raise GeError(
            f"functional mode: kernel '{t.kernel}' returns {len(results)} values, but task "
            f"{t.id} has {len(t.outputs)} output buffers"
        )
    for j, (b, value) in enumerate(zip(t.outputs, results, strict=True)):
        memory.write(buffers[b], value, f"result {j} of task {t.id} ('{t.kernel}')")


def execute(
    schedule: Schedule,
    inputs: Sequence[np.ndarray],
    weights: WeightStore | None = None,
    order: str = "adversarial",
) -> list[np.ndarray]:
    """Run every task of ``schedule`` on a fresh ``DeviceMemory``; return the ``output:j``
    buffers (copies, in ``j`` order, bf16 widened to float32).

    Inputs are written to the ``input:i`` buffers and weights (from ``weights``, by default a
    ``WeightStore()`` like the interpreter's) to the ``weight:NAME`` host buffers; everything
    else is computed by the tasks, in ``execution_order(schedule, order)``.
    """
    weights = weights if weights is not None else WeightStore()
    schedule = schedule.expanded()  # loops run iteration after iteration
    memory = DeviceMemory(schedule.arenas)
    _bind_inputs(schedule, memory, inputs, weights)
    conditions = {
        t.cond[0]: bool(np.asarray(inputs[t.cond[0]]).reshape(-1)[0])
        for t in schedule.tasks
        if t.cond is not None and t.cond[0] < len(inputs)
    }
    kernels: dict[str, ModuleOp] = {}
    for i in execution_order(schedule, order):
        if schedule.runs(schedule.tasks[i], conditions):  # a graph.if branch not taken: skip
            _run_task(schedule, schedule.tasks[i], memory, kernels, weights)
    return [memory.read(b) for b in schedule.bindings("output")]


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class OutputCheck:
    index: int
    dtype: str
    shape: list[int]
    passed: bool
    max_abs_err: float
    """Over the elements finite in both results; inf if the device has a NaN or inf too many."""
    max_rel_err: float
    mismatches: int
    """Elements outside tolerance, spurious NaNs included."""
    nans: int
    """Elements that are NaN on the device but not in the reference (unwritten memory?)."""


@dataclass
class CheckResult:
    passed: bool
    max_abs_err: float
    max_rel_err: float
    """Over every output and order run (inf after an execution error)."""
    outputs: list[OutputCheck] = field(default_factory=list)
    """Per output, for the order that failed (or the first order, if the check passed)."""
    message: str = ""
    order: str = ""
    """The order that failed, or every order run (comma-separated) if the check passed."""


def _compare(
    j: int, dtype: str, got: np.ndarray, want: np.ndarray, tol: tuple[float, float]
) -> OutputCheck:
    shape = list(want.shape)
    if got.shape != want.shape:
        return OutputCheck(j, dtype, shape, False, math.inf, math.inf, want.size, 0)
    if not np.issubdtype(want.dtype, np.floating):
        bad = int(np.count_nonzero(got != want))
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        err = float(diff.max()) if diff.size else 0.0
        return OutputCheck(j, dtype, shape, bad == 0, err, err, bad, 0)
    g, w = got.astype(np.float64), want.astype(np.float64)
    rtol, atol = tol
    nans = int(np.count_nonzero(np.isnan(g) & ~np.isnan(w)))
    close = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
    finite = np.isfinite(g) & np.isfinite(w)
    if np.any(~close & ~finite):  # a NaN or inf the reference does not have
        return OutputCheck(j, dtype, shape, False, math.inf, math.inf, int(np.sum(~close)), nans)
    diff = np.abs(g - w)[finite]
    rel = diff / np.maximum(np.abs(w[finite]), np.finfo(np.float64).tiny)
    abs_err = float(diff.max()) if diff.size else 0.0
    rel_err = float(rel.max()) if rel.size else 0.0
    bad = int(np.count_nonzero(~close))
    return OutputCheck(j, dtype, shape, bad == 0, abs_err, rel_err, bad, nans)


def _find_function(module: ModuleOp, name: str) -> func.FuncOp:
    for op in module.ops:
        if isinstance(op, func.FuncOp) and op.sym_name.data == name:
            return op
    raise GeError(f"the uncompiled module has no function @{name} (the schedule's function)")


def check(
    module: ModuleOp,
    schedule: Schedule,
    inputs: Sequence[np.ndarray] | None = None,
    weights: WeightStore | None = None,
    seed: int = 0,
    orders: Sequence[str] | None = None,
    tolerances: Mapping[str, tuple[float, float]] | None = None,
) -> CheckResult:
    """Execute ``schedule`` functionally in each of ``orders`` and compare with the reference
    interpreter running ``module`` (the graph *before* compilation; compile_module mutates its
    argument, so compile a clone).

    ``orders`` defaults to ``all_orders(schedule)``: program order first (a failure there is a
    plan or kernel bug, not a synchronization one), then the adversarial ones; the first order
    that fails is reported.

    Both sides get the same inputs (default ``random_inputs(function, seed)``) and the same
    ``WeightStore`` (default ``WeightStore(seed=seed)``), so generated weights agree. Float
    outputs must agree within ``DEFAULT_TOLERANCES`` (updated by ``tolerances``) for their dtype,
    and a NaN the reference does not have is a mismatch; integer outputs must be equal. An
    execution error (deadlock, a kernel failing on garbage) is a failed check, not an exception.
    """
    schedule = schedule.expanded()
    orders = all_orders(schedule) if orders is None else list(orders)
    if not orders:
        raise GeError("check needs at least one execution order")
    fn = _find_function(module, schedule.function)
    inputs = list(inputs) if inputs is not None else random_inputs(fn, seed)
    weights = weights if weights is not None else WeightStore(seed=seed)
    tol = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    expected = run_function(module, inputs, weights, function=schedule.function)
    results = []
    for order in orders:
        results.append(_check_order(schedule, inputs, weights, order, expected, tol))
        if not results[-1].passed:
            return results[-1]
    abs_err = max(r.max_abs_err for r in results)
    rel_err = max(r.max_rel_err for r in results)
    message = (
        f"{len(expected)} output(s) match the reference in {len(orders)} execution order(s) "
        f"({', '.join(orders)}; max abs err {abs_err:.3g}, max rel err {rel_err:.3g})"
    )
    return CheckResult(True, abs_err, rel_err, results[0].outputs, message, ", ".join(orders))


def _check_order(
    schedule: Schedule,
    inputs: Sequence[np.ndarray],
    weights: WeightStore,
    order: str,
    expected: list[np.ndarray],
    tol: Mapping[str, tuple[float, float]],
) -> CheckResult:
    try:
        got = execute(schedule, inputs, weights, order)
    except GeError as e:
        message = f"{order} order: execution failed: {e}"
        return CheckResult(False, math.inf, math.inf, [], message, order)
    if len(got) != len(expected):
        message = f"{order} order: the schedule has {len(got)} outputs, the graph {len(expected)}"
        return CheckResult(False, math.inf, math.inf, [], message, order)
    dtypes = [b.dtype for b in schedule.bindings("output")]
    outputs = [
        _compare(j, d, g, e, tol.get(d, (0.0, 0.0)))
        for j, (d, g, e) in enumerate(zip(dtypes, got, expected, strict=True))
    ]
    abs_err = max((o.max_abs_err for o in outputs), default=0.0)
    rel_err = max((o.max_rel_err for o in outputs), default=0.0)
    failed = [o for o in outputs if not o.passed]
    message = ""
    if failed:
        message = f"{order} order: " + "; ".join(
            f"output {o.index} ({o.dtype} {o.shape}): {o.mismatches} element(s) differ"
            + (f", {o.nans} NaN (unwritten memory?)" if o.nans else "")
            + f", max abs err {o.max_abs_err:.3g}"
            for o in failed
        )
    return CheckResult(not failed, abs_err, rel_err, outputs, message, order)
