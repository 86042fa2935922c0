"""The Schedule: the versioned, self-contained JSON contract between codegen and the device model.

Everything the device model needs is in it (arenas, buffers, kernels with cost descriptors and
their graph-IR bodies for functional execution, tasks per stream, events), so the device model
never looks at compiler IR. The schema is documented in docs/schedule-format.md; bump
``SCHEDULE_VERSION`` on any incompatible change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ge_compiler.errors import GeError

SCHEDULE_VERSION = "1.4"
TASK_KINDS = ("launch", "copy")
COPY_KINDS = ("h2d", "d2h", "d2d")


@dataclass(frozen=True)
class BufferRef:
    arena: str
    offset: int
    bytes: int
    shape: list[int]
    dtype: str
    first: int
    last: int
    binding: str | None = None


@dataclass(frozen=True)
class Arena:
    name: str
    space: str
    size: int
    alignment: int


@dataclass(frozen=True)
class Kernel:
    name: str
    unit: str
    cube_flops: int
    vector_flops: int
    body: str
    """The kernel's graph ops as an MLIR module with one func.func named ``name``."""
    gemm: list[int] | None = None
    """Cube work as ``[batch, M, N, K]`` GEMMs (None for vector-only kernels)."""
    cube_dtype: str | None = None
    """Element type of the GEMM operands (decides the cube's MACs per cycle)."""
    bytes: int | None = None
    """Global-memory bytes a launch moves, when not its buffers whole (an in-place update)."""


@dataclass(frozen=True)
class Task:
    id: int
    kind: str
    stream: int
    """Stream id for a launch; DMA queue id for a copy."""
    inputs: list[int]
    outputs: list[int]
    """Indices into Schedule.buffers."""
    waits: list[int] = field(default_factory=list)
    records: list[int] = field(default_factory=list)
    """Event ids this task waits for before it starts / records when it ends."""
    kernel: str | None = None
    block_dim: int | None = None
    copy_kind: str | None = None
    cond: list[int] | None = None
    """``[i, v]``: the task runs only if input ``i`` (a one-element i1 tensor) holds ``v``
    (a graph.if branch); otherwise it is skipped: it takes no time, still in lane order, and
    still records its events."""


@dataclass
class Schedule:
    model: str
    function: str
    arenas: list[Arena]
    buffers: list[BufferRef]
    kernels: dict[str, Kernel]
    tasks: list[Task]
    num_events: int
    launch_mode: str = "host"
    weights_resident: bool = False
    """Deployment choice: weights are loaded into device memory when the model is loaded, so
    the copies of weight-bound buffers are not part of an inference (they cost nothing)."""
    loops: list[list[int]] = field(default_factory=list)
    """``[first, last, trips]`` per graph.loop: tasks ``first..last`` run ``trips`` times in a
    row (an autoregressive decode, a denoising loop). Consumers execute ``expanded()``."""
    version: str = SCHEDULE_VERSION

    def expanded(self) -> Schedule:
        """The same schedule with every loop unrolled into its iterations (task ids renumbered,
        events and buffers kept: a wait binds to the latest record before it, which is the
        same iteration's or the last one before)."""
        if not self.loops:
            return self
        tasks: list[Task] = []
        starts = {first: (last, trips) for first, last, trips in self.loops}
        i = 0
        while i < len(self.tasks):
            last, trips = starts.get(i, (i, 1))
            for _ in range(trips):
                for t in self.tasks[i : last + 1]:
                    tasks.append(replace(t, id=len(tasks)))
            i = last + 1
        return replace(self, tasks=tasks, loops=[])

    @property
    def streams(self) -> list[int]:
        return sorted({t.stream for t in self.tasks if t.kind == "launch"})

    @property
    def dma_queues(self) -> list[int]:
        return sorted({t.stream for t in self.tasks if t.kind == "copy"})

    def is_preloaded(self, task: Task) -> bool:
        """A weight copy that happens at model load, not per inference."""
        if not self.weights_resident or task.kind != "copy":
            return False
        binding = self.buffers[task.inputs[0]].binding
        return binding is not None and binding.startswith("weight:")

    def runs(self, task: Task, conditions: Mapping[int, bool] | None) -> bool:
        """Whether ``task`` executes when input ``i`` holds ``conditions[i]`` (an unknown
        condition counts as true: the then branch)."""
        if task.cond is None:
            return True
        index, value = task.cond
        return bool((conditions or {}).get(index, True)) == bool(value)

    def bindings(self, prefix: str) -> list[BufferRef]:
        """Buffers bound to ``input:i`` / ``output:i`` in index order, or ``weight:name``."""
        found = [b for b in self.buffers if b.binding and b.binding.startswith(prefix + ":")]
        if prefix in ("input", "output"):
            found.sort(key=lambda b: int(b.binding.split(":")[1]))  # type: ignore[union-attr]
        return found

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1)

    def validate(self) -> None:
        """Check every cross-reference, so a consumer never meets a dangling index."""
        arenas = {a.name: a for a in self.arenas}
        if len(arenas) != len(self.arenas):
            raise GeError("malformed schedule: two arenas share a name")
        for i, b in enumerate(self.buffers):
            a = arenas.get(b.arena)
            if a is None:
                raise GeError(f"malformed schedule: buffer {i} names unknown arena '{b.arena}'")
            if b.offset < 0 or b.offset + b.bytes > a.size:
                raise GeError(f"malformed schedule: buffer {i} lies outside arena '{a.name}'")
        recorded: set[int] = set()
        for i, t in enumerate(self.tasks):
            where = f"malformed schedule: task {i}"
            if t.id != i:
                raise GeError(f"{where} has id {t.id}")
            if t.kind not in TASK_KINDS:
                raise GeError(f"{where} has unknown kind '{t.kind}'")
            if t.stream < 0:
                raise GeError(f"{where} has a negative stream or queue")
            if t.cond is not None and (
                len(t.cond) != 2 or t.cond[0] < 0 or t.cond[1] not in (0, 1)
            ):
                raise GeError(f"{where} has a malformed cond {t.cond} (must be [input, 0 or 1])")
            if any(not 0 <= b < len(self.buffers) for b in (*t.inputs, *t.outputs)):
                raise GeError(f"{where} names a buffer that does not exist")
            if t.kind == "launch" and t.kernel not in self.kernels:
                raise GeError(f"{where} launches unknown kernel '{t.kernel}'")
            if t.block_dim is not None and t.block_dim < 1:
                raise GeError(f"{where} has block_dim {t.block_dim} (must be >= 1)")
            if t.kind == "copy" and (
                t.copy_kind not in COPY_KINDS or len(t.inputs) != 1 or len(t.outputs) != 1
            ):
                raise GeError(f"{where} is not a copy of one buffer to one buffer")
            for e in t.waits:
                if e not in recorded:
                    raise GeError(f"{where} waits for event {e}, which no earlier task records")
            for e in t.records:
                if not 0 <= e < self.num_events:
                    raise GeError(f"{where} records event {e} beyond num_events")
                recorded.add(e)  # ids may be reused: a wait is on the latest record before it
        previous = -1
        for loop in self.loops:
            if len(loop) != 3 or not previous < loop[0] <= loop[1] < len(self.tasks) or loop[2] < 1:
                raise GeError(
                    f"malformed schedule: loop {loop} (must be [first, last, trips >= 1], "
                    "in order, not overlapping)"
                )
            previous = loop[1]
        for name, k in self.kernels.items():
            if k.gemm is None:
                continue
            if len(k.gemm) != 4 or min(k.gemm) < 1:
                raise GeError(f"malformed schedule: kernel {name}: gemm must be 4 dims >= 1")
            batch, m, n, kk = k.gemm
            if 2 * batch * m * n * kk != k.cube_flops:
                raise GeError(
                    f"malformed schedule: kernel {name}: gemm {k.gemm} is "
                    f"{2 * batch * m * n * kk} flops, cube_flops says {k.cube_flops}"
                )

    @classmethod
    def from_json(cls, data: Any) -> Schedule:
        if not isinstance(data, dict):
            raise GeError("malformed schedule: expected a JSON object")
        version = data.get("version")
        if version != SCHEDULE_VERSION:
            raise GeError(f"schedule version {version!r} is not supported ({SCHEDULE_VERSION})")
        try:
            schedule = cls(
                model=data["model"],
                function=data["function"],
                arenas=[Arena(**a) for a in data["arenas"]],
                buffers=[BufferRef(**b) for b in data["buffers"]],
                kernels={k: Kernel(**v) for k, v in data["kernels"].items()},
                tasks=[Task(**t) for t in data["tasks"]],
                num_events=data["num_events"],
                launch_mode=data.get("launch_mode", "host"),
                weights_resident=bool(data.get("weights_resident", False)),
                loops=[list(x) for x in data.get("loops", [])],
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise GeError(f"malformed schedule: {type(e).__name__}: {e}") from None
        schedule.validate()
        return schedule

    @classmethod
    def loads(cls, text: str) -> Schedule:
        try:
            return cls.from_json(json.loads(text))
        except json.JSONDecodeError as e:
            raise GeError(f"schedule is not valid JSON: {e}") from None
