"""Chrome trace / Perfetto export of a simulation: one track per stream and per DMA queue.

Complete ('X') events in microseconds, with the kernel name and its work as arguments; thread
name metadata ('M') labels the tracks. Open the file in ui.perfetto.dev or chrome://tracing.
"""

from __future__ import annotations

import json
from typing import Any

from ge_compiler.device.simulator import Simulation
from ge_compiler.schedule import Schedule


def trace_events(s: Schedule, sim: Simulation) -> dict[str, Any]:
    s = s.expanded()  # the simulation ran the loops unrolled
    tracks: dict[tuple[str, int], int] = {}
    events: list[dict[str, Any]] = []
    per_request = len(s.tasks)
    for run in sim.runs:
        request, t = divmod(run.task, per_request)[0], s.tasks[run.task % per_request]
        key = (t.kind, t.stream)
        if key not in tracks:
            tid = tracks[key] = len(tracks)
            label = f"stream {t.stream}" if t.kind == "launch" else f"DMA queue {t.stream}"
            events.append(
                {"ph": "M", "name": "thread_name", "pid": 0, "tid": tid, "args": {"name": label}}
            )
        p = run.profile
        events.append(
            {
                "ph": "X",
                "name": (t.kernel if t.kind == "launch" else f"copy {t.copy_kind}")
                + (f" #{request}" if request else ""),
                "cat": t.kind,
                "pid": 0,
                "tid": tracks[key],
                "ts": run.start_us,
                "dur": run.end_us - run.start_us,
                "args": {
                    "task": t.id,
                    "request": request,
                    "cube_flops": p.cube_flops,
                    "vector_flops": p.vector_flops,
                    "hbm_bytes": p.hbm_bytes,
                    "host_link_bytes": p.link_bytes,
                    "cores": run.cores,
                    "waits": t.waits,
                    "records": t.records,
                },
            }
        )
    meta = {"ph": "M", "name": "process_name", "pid": 0, "args": {"name": f"{s.model} device"}}
    return {"traceEvents": [meta, *events], "displayTimeUnit": "ms"}


def write_trace(path: str, s: Schedule, sim: Simulation) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(trace_events(s, sim), f)
