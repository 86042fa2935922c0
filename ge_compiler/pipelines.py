"""Named pipelines: the one place that says what each optimization level runs.

``GRAPH_PIPELINES[level]`` are the graph-level passes of ``ge-O<level>``; ``LOWERING`` takes the
optimized graph to the memory level that codegen reads. Levels only name passes that exist:
fusion, stream assignment and memory planning join them as they are built.
"""

from __future__ import annotations

from ge_compiler.errors import GeError

OPT_LEVELS = (0, 1, 2, 3)

_CLEANUP = ("inline-modules", "infer-shapes", "canonicalize", "constant-fold", "cse", "prune")

GRAPH_PIPELINES: dict[int, tuple[str, ...]] = {
    0: ("inline-modules",),  # pipeline modules are calls; lowering needs one function
    1: _CLEANUP,
    2: (*_CLEANUP, "fuse", "dce"),
    3: (*_CLEANUP, "fuse", "dce"),
}

LOWERING: tuple[str, ...] = (
    "convert-graph-to-stream",
    "overlap-transfers",
    "insert-events",
    "convert-stream-to-memory",
)
"""The plain lowering: a kernel launched by the host per op on the stream its hint names, one
buffer per tensor. Weight copies are issued first (overlap-transfers) at every level: a copy
interleaved with the launches needs an event of its own, which no event can be shared with,
so a model with more weights than the device has events (SD3's MMDiT: 1976) could not run.
With resident weights (the default) no copy runs per inference, so this does not change the
baseline's timing. insert-events keeps the event count within the device's limit and splits
a stream only where its task limit forces it."""

LOWERING_PIPELINES: dict[int, tuple[str, ...]] = {
    0: ("convert-graph-to-stream{single-stream=true}", *LOWERING[1:]),  # baseline: one stream
    1: (*LOWERING, "plan-memory"),
    2: (*LOWERING, "plan-memory"),
    3: (
        "convert-graph-to-stream",
        "assign-streams",
        "overlap-transfers",
        "insert-events",
        "task-sink",
        "convert-stream-to-memory",
        "plan-memory",
    ),
}
"""Graph to memory level per optimization level: stream assignment, transfer overlap, minimal
events and graph-sink launch at ge-O3; memory reuse from ge-O1."""


def pipeline_spec(level: int, lower: bool = True) -> str:
    """The ge-opt ``-p`` spec of optimization level ``level`` (with the lowering tail)."""
    if level not in OPT_LEVELS:
        raise GeError(f"optimization level must be one of {OPT_LEVELS}, got {level}")
    return ",".join(GRAPH_PIPELINES[level] + (LOWERING_PIPELINES[level] if lower else ()))
