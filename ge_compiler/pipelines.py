"""Named pipelines: the one place that says what each optimization level runs.

``GRAPH_PIPELINES[level]`` are the graph-level passes of ``ge-O<level>``; ``LOWERING`` takes the
optimized graph to the memory level that codegen reads. Levels only name passes that exist:
fusion, stream assignment and memory planning join them as they are built.
"""

from __future__ import annotations

from ge_compiler.errors import GeError

OPT_LEVELS = (0, 1, 2, 3)

_CLEANUP = ("infer-shapes", "canonicalize", "constant-fold", "cse", "prune")

GRAPH_PIPELINES: dict[int, tuple[str, ...]] = {
    0: (),
    1: _CLEANUP,
    2: (*_CLEANUP, "fuse", "dce"),
    3: (*_CLEANUP, "fuse", "dce"),
}

LOWERING: tuple[str, ...] = ("convert-graph-to-stream", "convert-stream-to-memory")


def pipeline_spec(level: int, lower: bool = True) -> str:
    """The ge-opt ``-p`` spec of optimization level ``level`` (with the lowering tail)."""
    if level not in OPT_LEVELS:
        raise GeError(f"optimization level must be one of {OPT_LEVELS}, got {level}")
    return ",".join(GRAPH_PIPELINES[level] + (LOWERING if lower else ()))
