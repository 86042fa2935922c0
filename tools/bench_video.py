"""ge-bench video: 16 frames through three stages pipelined across streams.

``ge_compiler.models.video``: per frame, feature extraction (stream 0), frame generation
(stream 1, each frame after the previous one) and post-processing (stream 2). Compiled at
ge-O0 (one stream), at ge-O3 with everything on one stream, and at ge-O3 with the stages on
their streams, simulated side by side: the last column minus the middle one is what pipelining
the stages across streams buys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def video_reports(tiny: bool, device: str) -> dict[str, Any]:
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.config import load_config
    from ge_compiler.models import video
    from ge_compiler.pipelines import GRAPH_PIPELINES, LOWERING_PIPELINES
    from ge_compiler.report import build_report

    cfg = load_config(device)
    vcfg = video.TINY if tiny else video.VideoConfig()
    one_stream = ",".join(
        p.replace("convert-graph-to-stream", "convert-graph-to-stream{single-stream=true}")
        for p in (*GRAPH_PIPELINES[3], *LOWERING_PIPELINES[3])
        if p != "assign-streams"
    )
    out = {}
    for key, level, spec in (
        ("O0", 0, None),
        ("O3_one_stream", 3, one_stream),
        ("O3", 3, None),
    ):
        schedule = compile_module(video.build_video(vcfg), level, "video", passes=spec).schedule
        report = build_report(schedule, cfg, level, requests=2)
        report.pop("kernels", None)
        out[key] = report
    out["frames"] = vcfg.frames
    return out


@click.command()
@click.option("--tiny", is_flag=True, help="The small config (seconds, for tests).")
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def video(tiny: bool, device: str, json_path: str | None) -> None:
    """16-frame video generation, three stages pipelined across streams (module docstring)."""
    r = video_reports(tiny, device)
    cols = ("O0", "O3_one_stream", "O3")
    rows = [
        ("latency (ms)", lambda x: f"{x['latency_us'] / 1e3:.2f}"),
        ("per frame (ms)", lambda x: f"{x['latency_us'] / 1e3 / r['frames']:.3f}"),
        ("lower bound (ms)", lambda x: f"{x['lower_bounds']['latency_us'] / 1e3:.2f}"),
        ("streams", lambda x: str(x["streams_used"])),
        ("kernel launches", lambda x: str(x["kernel_launches"])),
        ("utilization (some kernel running)", lambda x: f"{x['utilization']['overall']:.0%}"),
        ("throughput, 2 requests (videos/s)", lambda x: f"{x['throughput_qps']:.2f}"),
    ]
    click.echo(f"video, {r['frames']} frames, on {device}")
    click.echo(f"{'':<36}" + "".join(f"{c:>16}" for c in cols))
    for name, fmt in rows:
        click.echo(f"{name:<36}" + "".join(f"{fmt(r[c]):>16}" for c in cols))
    gain = r["O3_one_stream"]["latency_us"] / r["O3"]["latency_us"]
    click.echo(f"pipelining the stages across streams: {gain:.2f}x faster than one stream at O3")
    if json_path:
        Path(json_path).write_text(json.dumps(r, indent=1))
