"""The run report: what ge-run prints and writes as JSON, always next to its lower bounds.

Key names are a contract with benchmarks and later tooling: model, opt_level, device,
latency_us, kernel_launches, streams_used, hbm_bytes, peak_memory_bytes, utilization
(cube, vector, hbm, overall), lower_bounds (latency_us, memory_bytes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ge_compiler.device.bounds import lower_bounds
from ge_compiler.device.config import DeviceConfig
from ge_compiler.device.energy import energy_joules
from ge_compiler.device.simulator import Simulation, simulate
from ge_compiler.schedule import Schedule


def busy_union_us(sim: Simulation, s: Schedule) -> float:
    """Time during which at least one kernel runs on the AI cores."""
    spans = sorted((r.start_us, r.end_us) for r in sim.runs if s.tasks[r.task].kind == "launch")
    total, cur_start, cur_end = 0.0, None, None
    for a, b in spans:
        if cur_end is None or a > cur_end:
            if cur_end is not None:
                total += cur_end - cur_start  # type: ignore[operator]
            cur_start, cur_end = a, b
        else:
            cur_end = max(cur_end, b)
    if cur_end is not None:
        total += cur_end - cur_start  # type: ignore[operator]
    return total


def exposed_transfer_us(s: Schedule, cfg: DeviceConfig, launch_mode: str, latency: float) -> float:
    """The part of the host-to-device transfer time not hidden behind compute: the latency
    minus the latency of the same schedule with its weights already in device memory (0 when
    they are: ``weights_resident``). Reported next to ``lower_bounds.host_link_us``."""
    if s.weights_resident or not any(t.copy_kind == "h2d" for t in s.tasks):
        return 0.0
    resident = dataclasses.replace(s, weights_resident=True)
    return max(0.0, latency - simulate(resident, cfg, launch_mode).latency_us)


def build_report(
    s: Schedule,
    cfg: DeviceConfig,
    opt_level: int,
    launch_mode: str | None = None,
    requests: int = 1,
    conditions: Mapping[int, bool] | None = None,
) -> dict[str, Any]:
    """Simulate one request (latency, utilization, bounds) and ``requests`` of them (QPS)."""
    launch_mode = launch_mode or s.launch_mode  # the schedule's own (task-sink sets "sink")
    sim = simulate(s, cfg, launch_mode, conditions=conditions)
    lb = lower_bounds(s, cfg, conditions)
    lat = sim.latency_us
    many = simulate(s, cfg, launch_mode, requests, conditions) if requests > 1 else sim
    limits = {"streams": len(s.streams), "events": s.num_events}  # resident once, loops too
    exposed = exposed_transfer_us(s, cfg, launch_mode, lat)
    s = s.expanded()  # what ran: loops unrolled, as the simulation's task indices are

    def frac(x: float) -> float:
        return round(x / lat, 6) if lat > 0 else 0.0

    ran = [r for r in sim.runs if s.runs(s.tasks[r.task], conditions)]
    launches = [r for r in ran if s.tasks[r.task].kind == "launch"]
    return {
        "model": s.model,
        "opt_level": opt_level,
        "device": cfg.name,
        "launch_mode": launch_mode,
        "latency_us": lat,
        "throughput_qps": requests / many.latency_us * 1e6 if many.latency_us > 0 else 0.0,
        "requests": requests,
        "kernel_launches": len(launches),
        "copies": len(ran) - len(launches),
        "streams_used": limits["streams"],
        "events": limits["events"],
        "hbm_bytes": sim.hbm_bytes,
        "host_link_bytes": sim.link_bytes,
        "peak_memory_bytes": sum(a.size for a in s.arenas if a.space == "device"),
        "arena_bytes": {a.name: a.size for a in s.arenas},
        "exposed_transfer_us": exposed,
        "energy_j": energy_joules(sim, cfg)["total_j"],
        "energy_breakdown_j": energy_joules(sim, cfg),
        "utilization": {
            "cube": frac(sum(r.profile.cube_peak_us for r in sim.runs)),
            "vector": frac(sum(r.profile.vector_peak_us for r in sim.runs)),
            "hbm": frac(sim.hbm_bytes / cfg.hbm_bytes_per_us),
            "overall": frac(busy_union_us(sim, s)),
        },
        "lower_bounds": {
            "latency_us": lb.latency_us,
            "memory_bytes": lb.memory_bytes,
            "critical_path_us": lb.critical_path_us,
            "cube_us": lb.cube_us,
            "vector_us": lb.vector_us,
            "hbm_us": lb.hbm_us,
            "host_link_us": lb.host_link_us,
        },
        "stream_busy_us": sim.lane_busy_us,
        "kernels": [
            {
                "name": s.tasks[r.task].kernel,
                "stream": s.tasks[r.task].stream,
                "start_us": r.start_us,
                "end_us": r.end_us,
                "cores": r.cores,
                "bound": r.profile.bound_by(cfg),
            }
            for r in launches
        ],
    }


def _si(n: float, unit: str) -> str:
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= scale:
            return f"{n / scale:.2f} {prefix}{unit}"
    return f"{n:.0f} {unit}"


def format_table(reports: list[dict[str, Any]]) -> str:
    """A side-by-side table of reports (one column each), with bounds and ratios."""
    rows: list[tuple[str, list[str]]] = [
        ("model", [r["model"] for r in reports]),
        ("opt level", [f"O{r['opt_level']}" for r in reports]),
        ("device / launch", [f"{r['device']} / {r['launch_mode']}" for r in reports]),
        ("latency", [f"{r['latency_us']:.1f} us" for r in reports]),
        ("  lower bound", [f"{r['lower_bounds']['latency_us']:.1f} us" for r in reports]),
        (
            "  latency / bound",
            [
                f"{r['latency_us'] / r['lower_bounds']['latency_us']:.2f}x"
                if r["lower_bounds"]["latency_us"]
                else "-"
                for r in reports
            ],
        ),
        (
            f"throughput ({reports[0]['requests']} req)",
            [f"{r['throughput_qps']:.2f} QPS" for r in reports],
        ),
        ("kernel launches", [str(r["kernel_launches"]) for r in reports]),
        ("copies", [str(r["copies"]) for r in reports]),
        ("streams / events", [f"{r['streams_used']} / {r['events']}" for r in reports]),
        ("HBM traffic", [_si(r["hbm_bytes"], "B") for r in reports]),
        ("energy", [f"{r['energy_j'] * 1e3:.2f} mJ" for r in reports]),
        ("peak memory", [_si(r["peak_memory_bytes"], "B") for r in reports]),
        ("  max live (bound)", [_si(r["lower_bounds"]["memory_bytes"], "B") for r in reports]),
        (
            "utilization c/v/h/all",
            [
                "{cube:.0%} / {vector:.0%} / {hbm:.0%} / {overall:.0%}".format(**r["utilization"])
                for r in reports
            ],
        ),
    ]
    width = max(len(name) for name, _ in rows)
    cols = [max(len(v[i]) for _, v in rows) for i in range(len(reports))]
    lines = []
    for name, values in rows:
        cells = "  ".join(v.rjust(w) for v, w in zip(values, cols, strict=True))
        lines.append(f"{name.ljust(width)}  {cells}")
    return "\n".join(lines)
