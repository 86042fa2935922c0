"""Lower bounds that every simulated result is reported next to.

Computed from the Schedule alone, independently of the simulator: no execution of the schedule
can beat them. Latency: the longest chain of true data dependences (a task reads a buffer
another task wrote) with each task at its roofline time, and the total work of each resource
(cube, vector, HBM, host link) at its peak. Memory: the largest sum of bytes of device buffers
alive at the same task index (inputs, outputs and resident weights for the whole call).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ge_compiler.device.config import DeviceConfig
from ge_compiler.device.timing import task_profile
from ge_compiler.schedule import Schedule


@dataclass(frozen=True)
class LowerBounds:
    latency_us: float
    critical_path_us: float
    cube_us: float
    vector_us: float
    hbm_us: float
    host_link_us: float
    memory_bytes: int


def latency_bounds(
    s: Schedule, cfg: DeviceConfig, conditions: Mapping[int, bool] | None = None
) -> dict[str, float]:
    writer: dict[int, int] = {}
    finish: list[float] = []
    cube = vector = hbm = link = 0.0
    for t in s.tasks:
        if not s.runs(t, conditions):  # the branch not taken
            finish.append(0.0)
            continue
        p = task_profile(s, t, cfg)
        cube += p.cube_peak_us
        vector += p.vector_peak_us
        hbm += p.min_hbm_bytes / cfg.hbm_bytes_per_us
        link += p.link_bytes / cfg.host_link_bytes_per_us
        start = max((finish[writer[b]] for b in t.inputs if b in writer), default=0.0)
        finish.append(start + p.roofline_us(cfg))
        for b in t.outputs:
            writer[b] = t.id
    return {
        "critical_path_us": max(finish, default=0.0),
        "cube_us": cube,
        "vector_us": vector,
        "hbm_us": hbm,
        "host_link_us": link,
    }


def max_live_bytes(s: Schedule) -> int:
    """Max over task indices of the bytes of device buffers live there (a sweep over lifetimes).

    Memory the caller owns for the whole call, the function's inputs and outputs, and weights
    resident in device memory (``weights_resident``: loaded with the model, freed with it) are
    live from the first task to the last; only the other buffers live from their first to
    their last use."""
    device = {a.name for a in s.arenas if a.space == "device"}
    end = max((b.last for b in s.buffers), default=0)
    delta: dict[int, int] = {}
    for b in s.buffers:
        if b.arena in device:
            binding = b.binding or ""
            whole = binding.startswith(("input:", "output:")) or (
                s.weights_resident and b.arena == "weights"
            )
            first, last = (0, end) if whole else (b.first, b.last)
            delta[first] = delta.get(first, 0) + b.bytes
            delta[last + 1] = delta.get(last + 1, 0) - b.bytes
    live = peak = 0
    for i in sorted(delta):
        live += delta[i]
        peak = max(peak, live)
    return peak


def lower_bounds(
    s: Schedule, cfg: DeviceConfig, conditions: Mapping[int, bool] | None = None
) -> LowerBounds:
    parts = latency_bounds(s.expanded(), cfg, conditions)
    return LowerBounds(latency_us=max(parts.values()), memory_bytes=max_live_bytes(s), **parts)
