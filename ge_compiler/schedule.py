"""The Schedule: the versioned, self-contained JSON contract between codegen and the device model.

Everything the device model needs is in it (arenas, buffers, kernels with cost descriptors and
their graph-IR bodies for functional execution, tasks per stream, events), so the device model
never looks at compiler IR. The schema is documented in docs/schedule-format.md; bump
``SCHEDULE_VERSION`` on any incompatible change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ge_compiler.errors import GeError

SCHEDULE_VERSION = "1.0"
TASK_KINDS = ("launch", "copy")


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
    version: str = SCHEDULE_VERSION

    @property
    def streams(self) -> list[int]:
        return sorted({t.stream for t in self.tasks if t.kind == "launch"})

    @property
    def dma_queues(self) -> list[int]:
        return sorted({t.stream for t in self.tasks if t.kind == "copy"})

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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schedule:
        version = data.get("version")
        if version != SCHEDULE_VERSION:
            raise GeError(f"schedule version {version!r} is not supported ({SCHEDULE_VERSION})")
        try:
            return cls(
                model=data["model"],
                function=data["function"],
                arenas=[Arena(**a) for a in data["arenas"]],
                buffers=[BufferRef(**b) for b in data["buffers"]],
                kernels={k: Kernel(**v) for k, v in data["kernels"].items()},
                tasks=[Task(**t) for t in data["tasks"]],
                num_events=data["num_events"],
                launch_mode=data.get("launch_mode", "host"),
            )
        except (KeyError, TypeError) as e:
            raise GeError(f"malformed schedule: {e}") from None

    @classmethod
    def loads(cls, text: str) -> Schedule:
        try:
            return cls.from_json(json.loads(text))
        except json.JSONDecodeError as e:
            raise GeError(f"schedule is not valid JSON: {e}") from None
