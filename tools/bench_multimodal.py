"""ge-bench multimodal: the headline benchmark, ge-O0 against ge-O3 on the multimodal pipeline.

The pipeline (``ge_compiler.models.multimodal``: VL encoder, SD3 MMDiT denoiser with the
ControlNet branch taken, SD3 VAE decoder, 1024x1024) is compiled at ge-O0 (no fusion, one
stream, a host launch per kernel, one buffer per tensor, no overlap) and at ge-O3, both are
simulated in the same run, and the reference case's table is printed with the change of each
figure and the lower bounds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

TARGETS = (  # (report key, how the O3/O0 ratio must compare, the target)
    ("latency_us", "<=", 0.50),
    ("kernel_launches", "<=", 0.30),
    ("throughput_qps", ">=", 2.5),
    ("hbm_bytes", "<=", 0.55),
)


def pipeline_reports(
    tiny: bool, device: str, requests: int, control: bool, steps: int | None = None
) -> dict[str, Any]:
    from ge_compiler.models import multimodal

    cfg = multimodal.TINY if tiny else multimodal.MultimodalConfig()
    out = {}
    for key, level in (("baseline", 0), ("optimized", 3)):
        if steps is None:  # one denoising step, the ControlNet behind a conditional branch
            pipeline = multimodal.build_pipeline(cfg, opt_level=level)
            inputs = {"condition": control}
        else:  # the denoising loop (graph.loop), the ControlNet in every step
            pipeline = multimodal.build_denoising_pipeline(cfg, steps, opt_level=level)
            inputs = {}
        result = pipeline.run(inputs, device=device, requests=requests)
        report = dict(result.report)
        report["model"] = "multimodal-tiny" if tiny else "multimodal"
        report["compile_seconds"] = round(pipeline.compiled.result.compile_seconds, 3)
        out[key] = report
    return out


def _row(name: str, a: float, b: float, fmt: str) -> str:
    change = f"{(b / a - 1) * 100:+.1f}%" if a else "-"
    return f"{name:<26}{fmt.format(a):>16}{fmt.format(b):>16}{change:>10}"


def format_comparison(base: dict[str, Any], opt: dict[str, Any]) -> str:
    lb0, lb3 = base["lower_bounds"], opt["lower_bounds"]
    u0, u3 = base["utilization"]["overall"], opt["utilization"]["overall"]
    lines = [
        f"{'':<26}{'ge-O0':>16}{'ge-O3':>16}{'change':>10}",
        _row(
            "end-to-end latency (ms)", base["latency_us"] / 1e3, opt["latency_us"] / 1e3, "{:.2f}"
        ),
        _row("  lower bound (ms)", lb0["latency_us"] / 1e3, lb3["latency_us"] / 1e3, "{:.2f}"),
        _row(
            "  latency / bound",
            base["latency_us"] / lb0["latency_us"],
            opt["latency_us"] / lb3["latency_us"],
            "{:.2f}x",
        ),
        _row("device utilization (%)", u0 * 100, u3 * 100, "{:.1f}"),
        _row("kernel launches", base["kernel_launches"], opt["kernel_launches"], "{:.0f}"),
        _row(
            f"throughput ({base['requests']} req, QPS)",
            base["throughput_qps"],
            opt["throughput_qps"],
            "{:.3f}",
        ),
        _row("HBM traffic (GB)", base["hbm_bytes"] / 1e9, opt["hbm_bytes"] / 1e9, "{:.3f}"),
        _row(
            "peak memory (GB)",
            base["peak_memory_bytes"] / 1e9,
            opt["peak_memory_bytes"] / 1e9,
            "{:.2f}",
        ),
        _row(
            "  max live bound (GB)", lb0["memory_bytes"] / 1e9, lb3["memory_bytes"] / 1e9, "{:.2f}"
        ),
        _row("energy (J)", base["energy_j"], opt["energy_j"], "{:.2f}"),
        _row("streams", base["streams_used"], opt["streams_used"], "{:.0f}"),
        _row("events", base["events"], opt["events"], "{:.0f}"),
    ]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def verdicts(base: dict[str, Any], opt: dict[str, Any]) -> list[str]:
    out = []
    for key, how, target in TARGETS:
        ratio = opt[key] / base[key] if base[key] else float("inf")
        ok = ratio <= target if how == "<=" else ratio >= target
        out.append(
            f"{key}: O3/O0 = {ratio:.3f} (target {how} {target}) {'met' if ok else 'MISSED'}"
        )
    util = opt["utilization"]["overall"]
    out.append(
        f"utilization at O3: {util:.1%} (target >= 90%) {'met' if util >= 0.9 else 'MISSED'}"
    )
    bound = opt["latency_us"] / opt["lower_bounds"]["latency_us"]
    out.append(
        f"O3 latency / bound: {bound:.2f}x (target <= 1.15x) {'met' if bound <= 1.15 else 'MISSED'}"
    )
    return out


@click.command()
@click.option("--tiny", is_flag=True, help="The small-config pipeline (seconds, for tests).")
@click.option("--device", default="910B2", show_default=True)
@click.option(
    "--requests", type=click.IntRange(1), default=4, show_default=True,
    help="Independent requests simulated together for throughput_qps.",
)  # fmt: skip
@click.option(
    "--control/--no-control", default=True, show_default=True,
    help="Take the ControlNet branch (a sketch is given) or not.",
)  # fmt: skip
@click.option(
    "--steps", type=click.IntRange(1), default=None,
    help="Denoising steps in a graph.loop (ControlNet in every step); default: one step with "
    "the ControlNet behind a conditional branch.",
)  # fmt: skip
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def multimodal(
    tiny: bool,
    device: str,
    requests: int,
    control: bool,
    steps: int | None,
    json_path: str | None,
) -> None:
    """The multimodal pipeline at ge-O0 and ge-O3, side by side (see the module docstring)."""
    reports = pipeline_reports(tiny, device, requests, control, steps)
    base, opt = reports["baseline"], reports["optimized"]
    name = base["model"]
    what = (
        f"{steps} denoising steps"
        if steps
        else (f"one step, ControlNet branch {'taken' if control else 'not taken'}")
    )
    click.echo(f"{name} on {device}, {what}")
    click.echo(format_comparison(base, opt))
    for line in verdicts(base, opt):
        click.echo(line)
    if json_path:
        Path(json_path).write_text(json.dumps(reports, indent=1))
