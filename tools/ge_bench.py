"""ge-bench: reproducible benchmarks of the compiler and the device model.

Every figure is measured in the run that prints it and shown next to its reference (a lower
bound, a roofline or a published number), never as a bare time. Recorded results live in
benchmarks/ (see benchmarks/README.md for the commands that produced them).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ge_compiler.errors import GeError
from ge_compiler.tools.bench_llm import llm
from ge_compiler.tools.bench_multimodal import multimodal
from ge_compiler.tools.bench_video import video
from ge_compiler.tools.cli import run_cli


def _emit(rows: list[dict[str, Any]], json_path: str | None) -> None:
    if not rows:
        return
    keys = list(rows[0])
    cells = [[_fmt(r[k]) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    # labels (the first column, all-text columns) left-aligned, figures right-aligned
    left = [i == 0 or all(isinstance(r[k], str) for r in rows) for i, k in enumerate(keys)]
    click.echo("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)).rstrip())
    for c in cells:
        line = [v.ljust(w) if lj else v.rjust(w) for v, w, lj in zip(c, widths, left, strict=True)]
        click.echo("  ".join(line).rstrip())
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


# ---------------------------------------------------------------------- compile-time

GROWTH_TARGET = 1.2  # 10x ops in at most 12x time: per-op time may grow at most 1.2x
RATIO_TARGET = 2.0  # the ge-O3 graph pipeline through ge-opt at most 2x parse + print

_FULL_COMPILE = """\
import json, sys, time
from ge_compiler.compiler import compile_module
from ge_compiler.ir import read_module
t0 = time.perf_counter()
m = read_module(sys.argv[1])
t1 = time.perf_counter()
r = compile_module(m, int(sys.argv[2]), "bench")
t2 = time.perf_counter()
n = len(r.schedule.dumps())
t3 = time.perf_counter()
json.dump({"parse_s": t1 - t0, "compile_s": t2 - t1, "dumps_s": t3 - t2, "tasks":
    len(r.schedule.tasks), "passes": [[p.name, p.seconds, p.ops_before, p.ops_after]
    for p in r.passes]}, sys.stdout)
"""


def _tool(name: str) -> list[str]:
    """The installed console script next to this Python (real start-up), or ``-m``."""
    script = Path(sys.executable).with_name(name)
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", f"ge_compiler.tools.{name.replace('-', '_')}"]


def _transformer_graph(target_ops: int) -> tuple[Any, int]:
    """A transformer-encoder stack with about ``target_ops`` ops (nested ops counted).

    Each block is layer_norm, q/k/v matmul + bias add, reshape/transpose into heads, scaled
    scores, softmax, matmul, transpose/reshape back, output projection, residual add, then
    layer_norm, matmul + bias + gelu, matmul + bias, residual add: 46 ops, the normalized
    activation having three consumers and the residual stream two. Small dims (hidden 64)
    keep the text of the weights' types short; shapes do not change the op count.
    """
    from ge_compiler.compiler import count_ops
    from ge_compiler.models.transformer import TransformerConfig, build_transformer

    def build(layers: int) -> Any:
        cfg = TransformerConfig(layers=layers, hidden=64, heads=4, ffn=256, seq=16, dtype="f16")
        return build_transformer(cfg)

    one, two = count_ops(build(1)), count_ops(build(2))
    per_layer, fixed = two - one, 2 * one - two
    layers = max(1, round((target_ops - fixed) / per_layer))
    return build(layers), layers


def _timed_run(cmd: list[str], runs: int) -> tuple[float, list[float], str]:
    """Median wall seconds of ``runs`` runs of ``cmd`` (stdout discarded), and the last stdout."""
    times, out = [], ""
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise GeError(f"{' '.join(cmd[-4:])} failed: {last}")
        out = done.stdout
    return statistics.median(times), times, out


def _growth(rows: list[dict[str, Any]], key: str) -> list[float | None]:
    """Per-op growth of ``key`` from each size to the next (time ratio / op-count ratio)."""
    out: list[float | None] = [None]
    for prev, cur in zip(rows, rows[1:], strict=False):
        if prev[key] and cur[key] is not None:
            out.append((cur[key] / prev[key]) / (cur["ops"] / prev["ops"]))
        else:
            out.append(None)
    return out


@cli.command("compile-time")
@click.option(
    "--sizes",
    default="1000,10000,50000",
    show_default=True,
    help="Comma-separated op counts of the generated graphs.",
)
@click.option(
    "--repeat",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Runs per measurement (median); sizes of 50k ops and more run one fewer.",
)
@click.option(
    "--full/--no-full",
    default=True,
    show_default=True,
    help="Also (c): the full compile to a Schedule via compile_module at ge-O3.",
)
@click.option(
    "--profile",
    "profile_top",
    type=click.IntRange(0),
    default=0,
    help="cProfile ge-opt (b) on the largest graph and print this many top functions.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Keep the generated .mlir files here (default: a temporary directory).",
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def compile_time(
    sizes: str,
    repeat: int,
    full: bool,
    profile_top: int,
    workdir: str | None,
    json_path: str | None,
) -> None:
    """Compile time against graph size: (a) ge-opt parse + print, no passes; (b) ge-opt with
    the ge-O3 graph pipeline; (c) the full compile to a Schedule (compile_module).

    Each is a subprocess (tool start-up included), the median of --repeat runs. b/a should be
    at most 2; per-op time should grow at most 1.2x from one size to the next (10x ops in at
    most 12x time). One extra ``ge-opt --timing`` run per size gives the per-pass seconds.
    """
    from ge_compiler.compiler import count_ops
    from ge_compiler.pipelines import pipeline_spec

    try:
        targets = sorted({int(x) for x in sizes.split(",") if x.strip()})
    except ValueError:
        raise click.BadParameter(
            f"not a list of integers: {sizes!r}", param_hint="--sizes"
        ) from None
    if not targets or min(targets) < 60:
        raise click.BadParameter("sizes must be at least 60 ops", param_hint="--sizes")
    spec = pipeline_spec(3, lower=False)
    tmp = None if workdir else tempfile.TemporaryDirectory(prefix="ge-bench-")
    root = Path(workdir or tmp.name)  # type: ignore[union-attr]
    root.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    per_pass: list[dict[str, Any]] = []
    try:
        for target in targets:
            module, layers = _transformer_graph(target)
            ops = count_ops(module)
            path = root / f"transformer-{target}.mlir"
            path.write_text(str(module))
            del module
            runs = repeat if target < 50_000 else max(1, repeat - 1)
            click.echo(f"... {ops} ops ({layers} blocks), {runs} runs each", err=True)
            a, a_all, _ = _timed_run([*_tool("ge-opt"), str(path)], runs)
            b, b_all, _ = _timed_run([*_tool("ge-opt"), str(path), "-p", spec], runs)
            timing = subprocess.run(
                [*_tool("ge-opt"), str(path), "-p", spec, "--timing", "-o", os.devnull],
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            passes = _parse_timing(timing.stderr)
            row: dict[str, Any] = {
                "ops": ops,
                "blocks": layers,
                "bytes": path.stat().st_size,
                "a_parse_print_s": a,
                "b_graph_O3_s": b,
                "b/a": b / a,
                "b_passes_s": sum(p[1] for p in passes),
            }
            if full:
                cmd = [sys.executable, "-c", _FULL_COMPILE, str(path), "3"]
                c, c_all, out = _timed_run(cmd, runs)
                detail = json.loads(out)
                row["c_full_O3_s"] = c
                row["c_tasks"] = detail["tasks"]
            else:
                c_all, detail = [], {}
            rows.append(row)
            entry = {
                "ops": ops,
                "runs": {"a": a_all, "b": b_all, "c": c_all},
                "ge_opt_passes": [
                    {"name": n, "seconds": t, "ops_before": x, "ops_after": y}
                    for n, t, x, y in passes
                ],
                "compile_module": detail,
            }
            per_pass.append(entry)
        profile = _profile(path, spec, profile_top) if profile_top else []
    finally:
        if tmp is not None:
            tmp.cleanup()
    for key, label in (
        ("a_parse_print_s", "a_growth/op"),
        ("b_graph_O3_s", "b_growth/op"),
        ("c_full_O3_s", "c_growth/op"),
    ):
        if key in rows[0]:
            for r, g in zip(rows, _growth(rows, key), strict=True):
                r[label] = g if g is not None else "-"
    _emit(rows, None)
    breakdown = _pass_breakdown(per_pass)
    if breakdown:
        click.echo("")
        _emit(breakdown, None)
    verdicts = _compile_time_verdicts(rows, breakdown)
    for v in verdicts:
        click.echo(v)
    if profile:
        click.echo(f"\ncProfile of (b) at {rows[-1]['ops']} ops, top {profile_top} by own time:")
        _emit(profile, None)
    if json_path:
        payload = {
            "command": f"ge-bench compile-time --sizes {','.join(map(str, targets))} "
            f"--repeat {repeat}{'' if full else ' --no-full'}"
            + (f" --profile {profile_top}" if profile_top else ""),
            "pipeline_b": spec,
            "repeat": repeat,
            "targets": {"b/a": RATIO_TARGET, "growth_per_op": GROWTH_TARGET},
            "rows": rows,
            "per_pass": breakdown,
            "detail": per_pass,
            "verdicts": verdicts,
            "profile": profile,
            "machine": _machine(),
        }
        Path(json_path).write_text(json.dumps(payload, indent=1))


def _profile(path: Path, spec: str, top: int) -> list[dict[str, Any]]:
    """cProfile one ge-opt run of the graph pipeline: the ``top`` functions by own time."""
    import pstats

    out = path.with_suffix(".prof")
    tool = _tool("ge-opt")
    target = [tool[0]] if len(tool) == 1 else ["-m", "ge_compiler.tools.ge_opt"]
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), *target, str(path), "-p", spec]
    done = subprocess.run(
        [*cmd, "-o", os.devnull], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if done.returncode != 0:
        raise GeError(f"profiling failed: {done.stderr.strip()[-300:]}")
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in stats.values())
    rows = []

    def name(key: tuple[str, int, str]) -> str:
        file, line, fn = key
        return f"{fn} ({'/'.join(Path(file).parts[-2:])}:{line})" if line else fn

    for key, (_, calls, tt, ct, callers) in sorted(
        stats.items(), key=lambda kv: kv[1][2], reverse=True
    )[:top]:
        caller = max(callers.items(), key=lambda kv: kv[1][3])[0] if callers else None
        rows.append(
            {
                "function": name(key),
                "calls": calls,
                "own_s": tt,
                "cumulative_s": ct,
                "own_share": tt / total if total else 0.0,
                "main_caller": name(caller) if caller else "-",
            }
        )
    return rows


def _parse_timing(stderr: str) -> list[tuple[str, float, int, int]]:
    rows = []
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[3] == "->" and parts[0] not in ("pass", "total"):
            rows.append((parts[0], float(parts[1]), int(parts[2]), int(parts[4])))
    return rows


def _pass_breakdown(per_pass: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per pass (ge-opt graph passes, then compile_module's lowering and codegen): seconds
    at each size and the per-op growth from the previous size."""
    rows: list[dict[str, Any]] = []
    names: list[str] = []
    table: dict[str, list[float | None]] = {}
    for i, entry in enumerate(per_pass):
        items = [(f"ge-opt {p['name']}", p["seconds"]) for p in entry["ge_opt_passes"]]
        detail = entry["compile_module"]
        if detail:
            items += [("compile_module parse", detail["parse_s"])]
            items += [(f"compile_module {n}", t) for n, t, _, _ in detail["passes"]]
            items += [("compile_module schedule dumps", detail["dumps_s"])]
        seen: dict[str, int] = {}
        for name, t in items:
            seen[name] = seen.get(name, 0) + 1
            key = name if seen[name] == 1 else f"{name} #{seen[name]}"
            if key not in table:
                names.append(key)
                table[key] = [None] * len(per_pass)
            table[key][i] = t
    ops = [e["ops"] for e in per_pass]
    for key in names:
        row: dict[str, Any] = {"step": key}
        for n, t in zip(ops, table[key], strict=True):
            row[f"s@{n}"] = t if t is not None else "-"
        for j in range(1, len(ops)):
            t0, t1 = table[key][j - 1], table[key][j]
            g = (t1 / t0) / (ops[j] / ops[j - 1]) if t0 and t1 is not None else None
            row[f"growth {ops[j - 1]}->{ops[j]}"] = g if g is not None else "-"
        rows.append(row)
    return rows


def _compile_time_verdicts(rows: list[dict[str, Any]], steps: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        ok = r["b/a"] <= RATIO_TARGET
        out.append(
            f"{r['ops']} ops: b/a = {r['b/a']:.2f} "
            f"({'meets' if ok else 'MISSES'} the {RATIO_TARGET:g}x target)"
        )
    for key in ("a_growth/op", "b_growth/op", "c_growth/op"):
        for prev, r in zip(rows, rows[1:], strict=False):
            g = r.get(key)
            if isinstance(g, float):
                ok = g <= GROWTH_TARGET
                out.append(
                    f"{key.split('_')[0]} {prev['ops']} -> {r['ops']} ops: per-op time x{g:.2f} "
                    f"({'linear enough' if ok else 'SUPERLINEAR'}, target <= {GROWTH_TARGET:g})"
                )
    big = rows[-1].get("c_full_O3_s") or rows[-1]["b_graph_O3_s"]
    for s in steps:
        times = {k[2:]: v for k, v in s.items() if k.startswith("s@")}
        last = list(times.values())[-1]
        for k, g in s.items():
            if not (k.startswith("growth") and isinstance(g, float) and g > GROWTH_TARGET):
                continue
            before = times[k.split()[1].split("->")[0]]
            # steps that matter (5% of the largest run) and are long enough to measure
            if isinstance(last, float) and last >= 0.05 * big and before >= 0.25:
                out.append(f"superlinear step: {s['step']} {k[7:]}: per-op x{g:.2f}")
    return out


def _machine() -> dict[str, Any]:
    import platform

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15min": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------------- fusion


def _default_fusion_models() -> str:
    from ge_compiler.models import MODELS

    names = [n for n in MODELS if n.endswith("-tiny")] + ["transformer", "sd21-unet"]
    return ",".join(n for n in names if n in MODELS)


def graph_compute_ops(module: Any) -> int:
    """Top-level compute ops of the module's functions: graph ops other than weights and
    constants (what an unfused compile launches one kernel for, at most)."""
    from xdsl.dialects import func

    skip = {"graph.weight", "graph.constant"}
    return sum(
        1
        for f in module.ops
        if isinstance(f, func.FuncOp)
        for op in f.body.ops
        if op.name.startswith("graph.") and op.name not in skip
    )


@cli.command()
@click.option(
    "--models",
    default=None,
    help="Comma-separated built-in models [default: every *-tiny model, transformer, sd21-unet].",
)
@click.option("--device", default="910B2", show_default=True)
@click.option(
    "--launch-mode", type=click.Choice(["host", "sink"]), default="host", show_default=True
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def fusion(models: str | None, device: str, launch_mode: str, json_path: str | None) -> None:
    """What ge-O3 (fusion) does to each model against ge-O0: graph compute ops, kernel
    launches, HBM bytes per inference and latency from the device model (weights resident
    in device memory, and copied from the host each inference), and compile time.

    graph_ops are the top-level compute ops of the graph (graph.weight and graph.constant
    excluded; at O0 each constant is materialized by a kernel, so launches_O0 can exceed
    graph_ops); ops/launch is graph_ops / launches at O3. One request is simulated; the
    weight copies of a non-resident deployment cross the host link (host_link_MB, O3).
    """
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.config import load_config
    from ge_compiler.models import build_model
    from ge_compiler.pipelines import pipeline_spec
    from ge_compiler.report import build_report

    names = [n.strip() for n in (models or _default_fusion_models()).split(",") if n.strip()]
    cfg = load_config(device)
    rows = []
    for name in names:
        module = build_model(name)
        row: dict[str, Any] = {"model": name, "graph_ops": graph_compute_ops(module)}
        for level in (0, 3):
            graph_passes = len([p for p in pipeline_spec(level, lower=False).split(",") if p])
            t0 = time.perf_counter()
            result = compile_module(module if level == 0 else build_model(name), level, name)
            wall = time.perf_counter() - t0
            s = result.schedule
            row[f"launches_O{level}"] = sum(1 for t in s.tasks if t.kind == "launch")
            row[f"graph_pipeline_s_O{level}"] = sum(p.seconds for p in result.passes[:graph_passes])
            row[f"compile_s_O{level}"] = wall
            for resident, tag in ((True, "resident"), (False, "copied")):
                s.weights_resident = resident
                r = build_report(s, cfg, level, launch_mode, 1)
                row[f"hbm_bytes_O{level}_{tag}"] = r["hbm_bytes"]
                row[f"host_link_bytes_O{level}_{tag}"] = r["host_link_bytes"]
                row[f"latency_us_O{level}_{tag}"] = r["latency_us"]
                row[f"bound_us_O{level}_{tag}"] = r["lower_bounds"]["latency_us"]
        row["ops/launch"] = row["graph_ops"] / row["launches_O3"]
        row["launches_O0/O3"] = row["launches_O0"] / row["launches_O3"]
        rows.append(row)
        click.echo(f"... {name}", err=True)

    def mb(x: float) -> float:
        return x / 1e6

    click.echo(f"ge-O0 -> ge-O3 on {cfg.name} ({launch_mode} launch), one inference")
    _emit(
        [
            {
                "model": r["model"],
                "graph_ops": r["graph_ops"],
                "launches_O0": r["launches_O0"],
                "launches_O3": r["launches_O3"],
                "ops/launch": r["ops/launch"],
                "O0/O3": r["launches_O0/O3"],
                "graph_passes_s": r["graph_pipeline_s_O3"],
                "compile_s_O0": r["compile_s_O0"],
                "compile_s_O3": r["compile_s_O3"],
            }
            for r in rows
        ],
        None,
    )
    for tag, what in (("resident", "weights resident"), ("copied", "weights copied each run")):
        click.echo(f"\nHBM traffic and latency, {what} (bound: latency lower bound at O3)")
        _emit(
            [
                {
                    "model": r["model"],
                    "hbm_MB_O0": mb(r[f"hbm_bytes_O0_{tag}"]),
                    "hbm_MB_O3": mb(r[f"hbm_bytes_O3_{tag}"]),
                    "hbm_O3/O0": r[f"hbm_bytes_O3_{tag}"] / r[f"hbm_bytes_O0_{tag}"],
                    "host_link_MB": mb(r[f"host_link_bytes_O3_{tag}"]),
                    "latency_us_O0": r[f"latency_us_O0_{tag}"],
                    "latency_us_O3": r[f"latency_us_O3_{tag}"],
                    "speedup": r[f"latency_us_O0_{tag}"] / r[f"latency_us_O3_{tag}"],
                    "bound_us_O3": r[f"bound_us_O3_{tag}"],
                }
                for r in rows
            ],
            None,
        )
    if json_path:
        payload = {
            "command": f"ge-bench fusion --models {','.join(names)} --device {device} "
            f"--launch-mode {launch_mode}",
            "pipelines": {"O0": pipeline_spec(0), "O3": pipeline_spec(3)},
            "rows": rows,
            "machine": _machine(),
        }
        Path(json_path).write_text(json.dumps(payload, indent=1))


# ---------------------------------------------------------------------- memory, streams

MEMORY_TARGET = 1.05  # peak device memory at most 1.05x the max-live-bytes lower bound
REUSE_TARGET = 3.0  # activation memory reuse: at least 3x less than one buffer per tensor
LATENCY_TARGET = 1.15  # ge-O3 latency at most 1.15x its lower bound
REAL_SIZE_MODELS = ("transformer", "sd21-unet", "sd21-vae-decoder", "sd21-text-encoder")


def _default_issue5_models() -> str:
    from ge_compiler.models import MODELS

    names = [n for n in MODELS if n.endswith("-tiny")] + list(REAL_SIZE_MODELS)
    return ",".join(n for n in names if n in MODELS)


def _model_names(models: str | None) -> list[str]:
    return [n.strip() for n in (models or _default_issue5_models()).split(",") if n.strip()]


def _stats(xs: list[float]) -> dict[str, float]:
    """mean / p90 / max (p90 as in benchmarks/memory_placement.py); NaN-free input."""
    if not xs:
        return {"mean": float("nan"), "p90": float("nan"), "max": float("nan")}
    ys = sorted(xs)
    return {
        "mean": statistics.fmean(ys),
        "p90": ys[min(len(ys) - 1, int(0.9 * len(ys)))],
        "max": ys[-1],
    }


def random_dag(seed: int, index: int) -> Any:
    """Random graph ``index`` of ``seed`` (each instance reproducible on its own): 30-200 ops
    of f16 2-D tensors: unary and binary elementwise ops, matmuls (by a weight or, when the
    shapes allow, by another activation), softmax, layer_norm and reshapes. Operands are mostly
    recent values, sometimes far-back ones (skip connections), so values get several consumers
    and the graph branches; a quarter of the ops carry a random ``stream_id`` hint (0-3). Every
    value nothing reads is a graph output (nothing is dead)."""
    import random
    from contextlib import nullcontext

    MAX_ELEMENTS = 1 << 20  # noqa: N806 (2 MB in f16: matmuls keep values at most this big)

    from ge_compiler.builder import GraphBuilder

    rng = random.Random(seed * 1_000_003 + index)
    n_ops = rng.randint(30, 200)
    dims = (16, 32, 64, 128, 256, 512)
    b = GraphBuilder("f16")
    unary = (b.gelu, b.relu, b.silu, b.sigmoid, b.tanh, b.exp, b.neg)
    binary = (b.add, b.mul, b.sub, b.maximum)
    kinds = ("unary", "binary", "matmul", "softmax", "layer_norm", "reshape")
    weights = (3, 4, 3, 1, 1, 1)
    with b.module(f"dag{seed}_{index}"):
        pool = [b.input("x", (rng.choice(dims[:4]), rng.choice(dims)))]
        if rng.random() < 0.5:
            pool.append(b.input("x2", (rng.choice(dims[:4]), rng.choice(dims))))
        n_inputs = len(pool)
        used = [0] * len(pool)
        w = 0

        def pick() -> int:
            if rng.random() < 0.8:
                return len(pool) - 1 - min(int(rng.expovariate(0.5)), len(pool) - 1)
            return rng.randrange(len(pool))

        def weight(shape: tuple[int, ...]) -> Any:
            nonlocal w
            w += 1
            return b.weight(f"w{w}", shape)

        for _ in range(n_ops):
            kind = rng.choices(kinds, weights)[0]
            i = pick()
            x = pool[i]
            r, c = x.shape
            operands = [i]
            hint = rng.randrange(4) if rng.random() < 0.25 else None
            with b.stream(hint) if hint is not None else nullcontext():
                if kind == "unary":
                    y = rng.choice(unary)(x)
                elif kind == "binary":
                    same = [j for j, t in enumerate(pool) if t.shape == x.shape and j != i]
                    if same and rng.random() < 0.8:
                        j = rng.choice(same)
                        operands.append(j)
                        other = pool[j]
                    else:
                        other = weight((c,) if rng.random() < 0.5 else (r, c))
                    y = rng.choice(binary)(x, other)
                elif kind == "matmul":
                    right = [
                        j
                        for j, t in enumerate(pool)
                        if t.shape[0] == c and j != i and r * t.shape[1] <= MAX_ELEMENTS
                    ]
                    if right and rng.random() < 0.3:
                        j = rng.choice(right)
                        operands.append(j)
                        y = b.matmul(x, pool[j])
                    else:
                        n = rng.choice([d for d in dims if r * d <= MAX_ELEMENTS] or [16])
                        y = b.matmul(x, weight((c, n)))
                elif kind == "softmax":
                    y = b.softmax(x)
                elif kind == "layer_norm":
                    y = b.layer_norm(x, weight((c,)), weight((c,)))
                elif c >= 32 and (r < 2 or rng.random() < 0.5):
                    y = b.reshape(x, (r * 2, c // 2))
                else:
                    y = b.reshape(x, (r // 2, c * 2)) if r >= 2 else b.reshape(x, (c, r))
            for j in operands:
                used[j] += 1
            pool.append(y)
            used.append(0)
        leaves = zip(pool[n_inputs:], used[n_inputs:], strict=True)
        b.output(*[t for t, u in leaves if u == 0])  # the last value is always one
    return b.build()


def _live_bytes(s: Any, arenas: set[str], alignment: int = 1) -> int:
    """Max over task indices of the bytes of the buffers of ``arenas`` live there (each
    rounded up to ``alignment``)."""
    delta: dict[int, int] = {}
    for buf in s.buffers:
        if buf.arena in arenas:
            size = -(-buf.bytes // alignment) * alignment
            delta[buf.first] = delta.get(buf.first, 0) + size
            delta[buf.last + 1] = delta.get(buf.last + 1, 0) - size
    live = peak = 0
    for i in sorted(delta):
        live += delta[i]
        peak = max(peak, live)
    return peak


def compile_with_and_without_reuse(module: Any, model: str) -> tuple[Any, Any, float]:
    """The ge-O3 Schedule of ``module`` and the Schedule of the same ge-O3 pipeline lowered
    without plan-memory (one buffer per tensor), and the compile seconds.

    plan-memory is the last pass of ge-O3, so the pipeline runs once up to it, the no-reuse
    Schedule is emitted there, and plan-memory then finishes the module in place: the result
    is exactly ``compile_module(module, 3)`` (the tests check it), in one compile."""
    from xdsl.passes import PassPipeline

    from ge_compiler.codegen import emit_schedule
    from ge_compiler.compiler import pipeline_callback
    from ge_compiler.ir import make_context, verify_module
    from ge_compiler.passes import get_all_passes
    from ge_compiler.pipelines import GRAPH_PIPELINES, LOWERING_PIPELINES

    t0 = time.perf_counter()
    names = [*GRAPH_PIPELINES[3], *LOWERING_PIPELINES[3]]
    assert names[-1] == "plan-memory", names
    verify_module(module)
    ctx = make_context()
    spec = ",".join(n for n in names if n != "plan-memory")
    PassPipeline.parse_spec(get_all_passes(), spec, pipeline_callback(None)).apply(ctx, module)
    no_reuse = emit_schedule(module, model)
    PassPipeline.parse_spec(get_all_passes(), "plan-memory", pipeline_callback(None)).apply(
        ctx, module
    )
    o3 = emit_schedule(module, model)
    return o3, no_reuse, time.perf_counter() - t0


def memory_row(s: Any, no_reuse: Any, cfg: Any) -> dict[str, Any]:
    """Memory figures of a ge-O3 Schedule ``s`` against its bounds and its no-reuse twin."""
    from ge_compiler.device.bounds import lower_bounds

    device = {a.name for a in s.arenas if a.space == "device"}
    arena = {a.name: a.size for a in s.arenas if a.space == "device"}
    peak = sum(arena.values())
    s.weights_resident = True  # the default deployment: weights live for the whole call
    bound = lower_bounds(s, cfg).memory_bytes
    act = arena.get("activations", 0)
    act_live = _live_bytes(s, {"activations"})
    act_none = next((a.size for a in no_reuse.arenas if a.name == "activations"), 0)
    live = {a: _live_bytes(s, {a}) for a in sorted(device)}
    split = sum(live.values())  # each arena at its own bound: what separate arenas allow
    return {
        "activations_bytes": act,
        "activations_live_bound": act_live,
        "activations/live": act / act_live if act_live else 1.0,
        "activations_live_aligned": _live_bytes(s, {"activations"}, cfg.memory_alignment),
        "peak_bytes": peak,
        "bound_bytes": bound,
        "peak/bound": peak / bound if bound else 1.0,
        "arenas_live_sum": split,
        "peak/arenas_live": peak / split if split else 1.0,
        "arenas_live/bound": split / bound if bound else 1.0,
        "no_reuse_activations_bytes": act_none,
        "reuse_factor": act_none / act if act else 1.0,
        "arena_bytes": arena,
        "arena_live_bytes": live,
        "worst_arena": max(arena, key=lambda a: arena[a] - live[a]) if arena else "-",
    }


def _check(s: Any) -> str | None:
    from ge_compiler.device.ordering import check_ordering

    try:
        check_ordering(s)
    except GeError as e:
        return str(e)
    return None


@cli.command()
@click.option(
    "--models",
    default=None,
    help="Comma-separated built-in models [default: every *-tiny model, transformer, "
    "sd21-unet, sd21-vae-decoder, sd21-text-encoder].",
)
@click.option("--random", "n_random", type=click.IntRange(0), default=200, show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def memory(
    models: str | None, n_random: int, seed: int, device: str, json_path: str | None
) -> None:
    """Memory planning at ge-O3: device arenas against the max-live-bytes lower bound, and
    activation memory against the same pipeline lowered without plan-memory.

    Per built-in model, then over N random DAGs (30-200 ops, branches, several consumers,
    random sizes and stream hints; ``random_dag(seed, i)`` rebuilds instance i). Every
    Schedule (with and without reuse) must pass the device model's ordering check
    (device/ordering.py); failures are counted and listed. Targets: peak/bound <= 1.05,
    reuse factor >= 3x on the UNet-style models.
    """
    from ge_compiler.device.config import load_config
    from ge_compiler.models import build_model

    cfg = load_config(device)
    names = _model_names(models)
    failures: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    t_start = time.perf_counter()
    for name in names:
        module = build_model(name)
        s, no_reuse, took = compile_with_and_without_reuse(module, name)
        row = {"model": name, "tasks": len(s.tasks), **memory_row(s, no_reuse, cfg)}
        row["compile_s"] = took
        for tag, sched in (("O3", s), ("no-reuse", no_reuse)):
            err = _check(sched)
            if err:
                failures.append({"model": name, "schedule": tag, "error": err})
        rows.append(row)
        click.echo(f"... {name} ({took:.1f} s)", err=True)
    models_s = time.perf_counter() - t_start

    def mb(x: float) -> float:
        return x / 1e6

    click.echo(f"Memory at ge-O3 on {cfg.name}: device arenas vs max live bytes (lower bound)")
    _emit(
        [
            {
                "model": r["model"],
                "act_MB": mb(r["activations_bytes"]),
                "act_live_MB": mb(r["activations_live_bound"]),
                "act/live_aligned": r["activations_bytes"] / r["activations_live_aligned"]
                if r["activations_live_aligned"]
                else 1.0,
                "peak_MB": mb(r["peak_bytes"]),
                "bound_MB": mb(r["bound_bytes"]),
                "peak/bound": r["peak/bound"],
                "pack": r["peak/arenas_live"],
                "split": r["arenas_live/bound"],
                "no_reuse_act_MB": mb(r["no_reuse_activations_bytes"]),
                "reuse": r["reuse_factor"],
                "compile_s": r["compile_s"],
            }
            for r in rows
        ],
        None,
    )
    t_random = time.perf_counter()
    instances: list[dict[str, Any]] = []
    for i in range(n_random):
        try:
            module = random_dag(seed, i)
            s, no_reuse, took = compile_with_and_without_reuse(module, f"dag{seed}_{i}")
        except GeError as e:
            failures.append({"seed": seed, "instance": i, "schedule": "compile", "error": str(e)})
            continue
        row = memory_row(s, no_reuse, cfg)
        instances.append(
            {
                "instance": i,
                "tasks": len(s.tasks),
                "streams": len(s.streams),
                "peak/bound": row["peak/bound"],
                "peak/arenas_live": row["peak/arenas_live"],
                "arenas_live/bound": row["arenas_live/bound"],
                "activations/live": row["activations/live"],
                "activations/no_reuse": 1 / row["reuse_factor"],
                "reuse_factor": row["reuse_factor"],
            }
        )
        for tag, sched in (("O3", s), ("no-reuse", no_reuse)):
            err = _check(sched)
            if err:
                failures.append({"seed": seed, "instance": i, "schedule": tag, "error": err})
    random_s = time.perf_counter() - t_random
    summary: dict[str, Any] = {}
    if n_random:
        for key in (
            "peak/bound", "peak/arenas_live", "arenas_live/bound", "activations/live",
            "activations/no_reuse", "reuse_factor",
        ):  # fmt: skip
            summary[key] = _stats([r[key] for r in instances])
        summary["tasks"] = _stats([float(r["tasks"]) for r in instances])
        summary["multi_stream"] = sum(1 for r in instances if r["streams"] > 1)
        click.echo(
            f"\n{len(instances)} random DAGs (seed {seed}) at ge-O3, "
            f"{summary['multi_stream']} on several streams"
        )
        _emit([{"ratio": k, **v} for k, v in summary.items() if k != "multi_stream"], None)
    click.echo(f"\ncheck_ordering failures: {len(failures)}")
    for f in failures:
        where = f.get("model") or f"seed {f['seed']} instance {f['instance']}"
        click.echo(f"  {where} ({f['schedule']}): {f['error']}")
    click.echo(f"run time: models {models_s:.1f} s, random DAGs {random_s:.1f} s")
    if json_path:
        payload = {
            "command": f"ge-bench memory --models {','.join(names)} --random {n_random} "
            f"--seed {seed} --device {device}",
            "targets": {"peak/bound": MEMORY_TARGET, "reuse_factor_unet": REUSE_TARGET},
            "rows": rows,
            "random": {"instances": n_random, "seed": seed, "summary": summary, "rows": instances},
            "ordering_failures": failures,
            "run_s": {"models": models_s, "random": random_s},
            "machine": _machine(),
        }
        Path(json_path).write_text(json.dumps(payload, indent=1))


@cli.command()
@click.option(
    "--models",
    default=None,
    help="Comma-separated built-in models [default: every *-tiny model, transformer, "
    "sd21-unet, sd21-vae-decoder, sd21-text-encoder].",
)
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def streams(models: str | None, device: str, json_path: str | None) -> None:
    """Streams, events and transfer overlap: each model at ge-O0 and ge-O3, one inference,
    each schedule's own launch mode (O3: graph sink), weights resident: latency against its
    lower bound, streams, events, kernel launches, utilization; and, with the weights copied
    from the host each inference (--host-weights), the transfer time not hidden behind
    compute (exposed_transfer_us) next to the host-link lower bound. Target: ge-O3 latency
    at most 1.15x its bound.
    """
    from ge_compiler.compiler import compile_module
    from ge_compiler.device.config import load_config
    from ge_compiler.models import build_model
    from ge_compiler.report import build_report

    cfg = load_config(device)
    names = _model_names(models)
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    t_start = time.perf_counter()
    for name in names:
        for level in (0, 3):
            t0 = time.perf_counter()
            s = compile_module(build_model(name), level, name).schedule
            took = time.perf_counter() - t0
            err = _check(s)
            if err:
                failures.append({"model": name, "level": level, "error": err})
            s.weights_resident = True
            r = build_report(s, cfg, level)
            s.weights_resident = False
            h = build_report(s, cfg, level)
            lb = r["lower_bounds"]["latency_us"]
            rows.append(
                {
                    "model": name,
                    "level": f"O{level}",
                    "launch_mode": r["launch_mode"],
                    "latency_us": r["latency_us"],
                    "bound_us": lb,
                    "latency/bound": r["latency_us"] / lb if lb else float("inf"),
                    "streams": r["streams_used"],
                    "events": r["events"],
                    "launches": r["kernel_launches"],
                    "util_overall": r["utilization"]["overall"],
                    "utilization": r["utilization"],
                    "host_latency_us": h["latency_us"],
                    "host_bound_us": h["lower_bounds"]["latency_us"],
                    "host_latency/bound": h["latency_us"] / h["lower_bounds"]["latency_us"]
                    if h["lower_bounds"]["latency_us"]
                    else float("inf"),
                    "host_link_bound_us": h["lower_bounds"]["host_link_us"],
                    "exposed_transfer_us": h["exposed_transfer_us"],
                    "compile_s": took,
                }
            )
        click.echo(f"... {name}", err=True)
    run_s = time.perf_counter() - t_start
    click.echo(f"ge-O0 vs ge-O3 on {cfg.name}, one inference, weights resident")
    _emit(
        [
            {
                k: r[k]
                for k in (
                    "model", "level", "latency_us", "bound_us", "latency/bound", "streams",
                    "events", "launches", "util_overall",
                )
            }
            for r in rows
        ],
        None,
    )  # fmt: skip
    click.echo("\nweights copied from the host each inference (--host-weights)")
    _emit(
        [
            {
                k: r[k]
                for k in (
                    "model", "level", "host_latency_us", "host_bound_us", "host_latency/bound",
                    "host_link_bound_us", "exposed_transfer_us",
                )
            }
            for r in rows
        ],
        None,
    )  # fmt: skip
    click.echo(f"\ncheck_ordering failures: {len(failures)}")
    for f in failures:
        click.echo(f"  {f['model']} O{f['level']}: {f['error']}")
    click.echo(f"run time: {run_s:.1f} s")
    if json_path:
        payload = {
            "command": f"ge-bench streams --models {','.join(names)} --device {device}",
            "targets": {"latency/bound_O3": LATENCY_TARGET},
            "rows": rows,
            "ordering_failures": failures,
            "run_s": run_s,
            "machine": _machine(),
        }
        Path(json_path).write_text(json.dumps(payload, indent=1))


cli.add_command(multimodal)
cli.add_command(llm)
cli.add_command(video)


def main(args: list[str] | None = None) -> None:
    run_cli(cli, "ge-bench", args)


if __name__ == "__main__":
    main()
