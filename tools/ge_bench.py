"""ge-bench: reproducible benchmarks of the compiler and the device model.

Every figure is measured in the run that prints it and shown next to its reference (a lower
bound, a roofline or a published number), never as a bare time. Recorded results live in
benchmarks/ (see benchmarks/README.md for the commands that produced them).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ge_compiler.errors import GeError


def _emit(rows: list[dict[str, Any]], json_path: str | None) -> None:
    if not rows:
        return
    keys = list(rows[0])
    cells = [[_fmt(r[k]) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    click.echo("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    for c in cells:
        click.echo("  ".join(v.rjust(w) for v, w in zip(c, widths, strict=True)))
    if json_path:
        Path(json_path).write_text(json.dumps(rows, indent=1))


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:.0f}"
    return str(v)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Benchmarks of ge-compiler (run one with ge-bench NAME --help)."""


@cli.command()
@click.option("--model", default="transformer", show_default=True)
@click.option("--requests", default=40, show_default=True, help="Requests per simulation.")
@click.option("--repeat", default=5, show_default=True)
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def simulator(model: str, requests: int, repeat: int, device: str, json_path: str | None) -> None:
    """Simulation speed in tasks per second (one core), for each launch mode."""
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.config import load_config
    from ge_compiler.device.simulator import LAUNCH_MODES, simulate
    from ge_compiler.models import build_model

    schedule = compile_module(build_model(model), 3, model).schedule
    cfg = load_config(device)
    rows = []
    for resident in (False, True):
        schedule.weights_resident = resident
        for mode in LAUNCH_MODES:
            times = []
            for _ in range(repeat):
                t0 = time.process_time()
                simulate(schedule, cfg, mode, requests)
                times.append(time.process_time() - t0)
            tasks = len(schedule.tasks) * requests
            best, median = min(times), statistics.median(times)
            rows.append(
                {
                    "model": model,
                    "launch": mode,
                    "resident_weights": resident,
                    "tasks": tasks,
                    "median_s": median,
                    "tasks_per_s_median": tasks / median,
                    "tasks_per_s_best": tasks / best,
                }
            )
    _emit(rows, json_path)


def _single_op_cases() -> list[tuple[str, Callable[[Any], None]]]:
    """Single-kernel graphs: (label, body that builds the op inside a module)."""

    def matmul(m: int, n: int, k: int, dtype: str) -> Callable[[Any], None]:
        def build(b: Any) -> None:
            x = b.input("x", (m, k), dtype)
            b.output(b.matmul(x, b.weight("w", (k, n), dtype)))

        return build

    def conv(n: int, c: int, hw: int, o: int, ksz: int, stride: int) -> Callable[[Any], None]:
        def build(b: Any) -> None:
            x = b.input("x", (n, c, hw, hw), "f16")
            w = b.weight("w", (o, c, ksz, ksz), "f16")
            b.output(b.conv2d(x, w, stride=stride, padding=ksz // 2))

        return build

    def eltwise(numel: int) -> Callable[[Any], None]:
        def build(b: Any) -> None:
            x = b.input("x", (numel,), "f16")
            b.output(b.add(x, b.input("y", (numel,), "f16")))

        return build

    def softmax(rows: int, cols: int) -> Callable[[Any], None]:
        def build(b: Any) -> None:
            b.output(b.softmax(b.input("x", (rows, cols), "f16")))

        return build

    return [
        ("matmul 128x128x128 f16", matmul(128, 128, 128, "f16")),
        ("matmul 1024^3 f16", matmul(1024, 1024, 1024, "f16")),
        ("matmul 4096^3 f16", matmul(4096, 4096, 4096, "f16")),
        ("matmul 4096^3 f32", matmul(4096, 4096, 4096, "f32")),
        ("matmul 77x1024x1024 f16", matmul(77, 1024, 1024, "f16")),
        ("matmul 8192x320x320 f16", matmul(8192, 320, 320, "f16")),
        ("conv 2x320x64x64 3x3 f16", conv(2, 320, 64, 320, 3, 1)),
        ("conv 1x512x256x256 3x3 f16", conv(1, 512, 256, 512, 3, 1)),
        ("conv 1x64x56x56 1x1 f16", conv(1, 64, 56, 256, 1, 1)),
        ("add 1M f16", eltwise(1 << 20)),
        ("add 64M f16", eltwise(1 << 26)),
        ("softmax 8192x4096 f16", softmax(8192, 4096)),
    ]


@cli.command()
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def kernels(device: str, json_path: str | None) -> None:
    """Single-kernel times of the device model against their roofline."""
    from ge_compiler.builder import GraphBuilder
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.config import load_config
    from ge_compiler.device.simulator import simulate

    cfg = load_config(device)
    rows = []
    for label, build in _single_op_cases():
        b = GraphBuilder()
        with b.module("k"):
            build(b)
        s = compile_module(b.build(), 0, label).schedule
        s.weights_resident = True
        sim = simulate(s, cfg, "sink")
        (launch,) = [i for i, t in enumerate(s.tasks) if t.kind == "launch"]
        p = sim.profiles[launch]
        took = sim.end_us[launch] - sim.start_us[launch]
        roof = p.roofline_us(cfg)
        rows.append(
            {
                "kernel": label,
                "bound": p.bound_by(cfg),
                "tiles": p.tiles,
                "cores": sim.cores[launch],
                "model_us": took,
                "roofline_us": roof,
                "model/roofline": took / roof if roof else float("inf"),
                "overhead_us": cfg.kernel_overhead_us,
            }
        )
    _emit(rows, json_path)


@cli.command()
@click.option("--steps", default=20, show_default=True)
@click.option("--device", default="910B2", show_default=True)
@click.option(
    "--reference-s",
    default=0.81,
    show_default=True,
    help="Published end-to-end time to compare with (ASCEND.md: about 0.81 s).",
)
@click.option("-O", "opt_level", type=click.IntRange(0, 3), default=3, show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def calibrate(
    steps: int, device: str, reference_s: float, opt_level: int, json_path: str | None
) -> None:
    """Stable Diffusion 2.1, 512x512: text encoder + STEPS UNet (CFG batch 2) + VAE decoder.

    Weights resident (an offline model), graph-sink launch; each module is compiled at the
    given level and simulated once, and the UNet time is multiplied by the step count (no
    loop op yet).
    """
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.bounds import lower_bounds
    from ge_compiler.device.config import load_config
    from ge_compiler.device.simulator import simulate
    from ge_compiler.models.clip_text import ClipTextConfig, build_clip_text
    from ge_compiler.models.unet import build_unet
    from ge_compiler.models.vae import build_vae_decoder

    cfg = load_config(device)
    parts = [
        ("text_encoder (batch 2)", 1, lambda: build_clip_text(ClipTextConfig(batch=2))),
        (f"unet (batch 2) x {steps}", steps, build_unet),
        ("vae_decoder", 1, build_vae_decoder),
    ]
    rows = []
    total = bound = 0.0
    for label, times, build in parts:
        s = compile_module(build(), opt_level, label).schedule
        s.weights_resident = True
        one = simulate(s, cfg, "sink").latency_us
        lb = lower_bounds(s, cfg).latency_us
        total += one * times
        bound += lb * times
        rows.append(
            {
                "part": label,
                "kernels": sum(1 for t in s.tasks if t.kind == "launch"),
                "model_ms": one * times / 1e3,
                "bound_ms": lb * times / 1e3,
            }
        )
    rows.append(
        {
            "part": "total",
            "kernels": "",
            "model_ms": total / 1e3,
            "bound_ms": bound / 1e3,
        }
    )
    _emit(rows, json_path)
    err = (total / 1e6 - reference_s) / reference_s
    click.echo(f"model {total / 1e6:.3f} s vs reference {reference_s:.2f} s: error {err:+.1%}")


def main(args: list[str] | None = None) -> None:
    try:
        cli.main(args=args, prog_name="ge-bench", standalone_mode=False)
    except GeError as e:
        print(e.render("ge-bench"), file=sys.stderr)
        sys.exit(1)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
