"""ge-run: compile a model at an optimization level, simulate it on a device, report.

The model is a built-in (``--model NAME``) or a graph-level .mlir file. Several ``-O`` levels
print side by side, so a before/after comparison comes from one run. Bad input exits 1 with a
one-line diagnostic, never a traceback. ``--timing`` prints each level's per-pass table (wall
seconds, ops before -> after) on stderr; the JSON report always lists the passes.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import click

from ge_compiler.errors import GeError
from ge_compiler.tools.cli import run_cli


def _load(model: str | None, path: str | None):
    """(name, module loader, weights or None); FILE is a graph-level .mlir or an .onnx model."""
    from ge_compiler.ir import read_module
    from ge_compiler.models import build_model

    if (model is None) == (path is None):
        raise GeError("give exactly one of --model NAME or a .mlir FILE (or an .onnx model)")
    if model is not None:
        return model, lambda: build_model(model), None
    if Path(path).suffix.lower() == ".onnx":  # type: ignore[arg-type]
        from ge_compiler.frontends import from_onnx

        imported = from_onnx(path)
        return Path(path).stem, imported.module.clone, imported.weights  # type: ignore[arg-type]
    return Path(path).stem, lambda: read_module(path), None  # type: ignore[arg-type]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--model", "-m", help="Built-in model name (see --list-models).")
@click.option(
    "-O",
    "opt_levels",
    multiple=True,
    type=click.IntRange(0, 3),
    help="Optimization level 0-3; repeat (-O0 -O3) to compare side by side. Default 3.",
)
@click.option("--device", "-d", default="910B2", show_default=True, help="Bundled chip or JSON.")
@click.option(
    "--launch-mode",
    type=click.Choice(["host", "sink"]),
    default=None,
    help="How the host issues tasks. Default: the schedule's own (graph sink after the "
    "task-sink pass of ge-O3, host launches below).",
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the report.")
@click.option(
    "--schedule",
    "schedule_path",
    type=click.Path(dir_okay=False),
    help="Write the Schedule JSON of the (last) compiled level.",
)
@click.option(
    "--requests",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Independent requests simulated together for throughput_qps.",
)
@click.option(
    "--trace",
    "trace_path",
    type=click.Path(dir_okay=False),
    help="Write a Chrome/Perfetto trace of the (last) level.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Execute the schedule functionally and compare with the reference "
    "interpreter on the uncompiled graph; exit 1 on a mismatch.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the random inputs and generated weights used by --check.",
)
@click.option(
    "--resident-weights/--host-weights",
    default=True,
    show_default=True,
    help="Weights loaded into device memory at model load, as deployed models are (the "
    "default), or copied from the host in every inference.",
)
@click.option(
    "--timing",
    is_flag=True,
    help="Print, on stderr, each compiled level's passes with their wall seconds and op "
    "counts before -> after, and a total line.",
)
@click.option("--list-models", is_flag=True, help="List built-in models and exit.")
def cli(
    file: str | None,
    model: str | None,
    opt_levels: tuple[int, ...],
    device: str,
    launch_mode: str | None,
    json_path: str | None,
    schedule_path: str | None,
    requests: int,
    trace_path: str | None,
    check: bool,
    seed: int,
    resident_weights: bool,
    timing: bool,
    list_models: bool,
) -> None:
    """Compile FILE (graph-level .mlir or .onnx) or --model NAME, simulate it and report."""
    from ge_compiler.compiler import compile_module, format_pass_table
    from ge_compiler.device.config import load_config
    from ge_compiler.models import MODELS
    from ge_compiler.report import build_report, format_table

    if list_models:
        click.echo("\n".join(MODELS))
        return
    name, load, weights = _load(model, file)
    cfg = load_config(device)
    reports = []
    failed = []
    for level in opt_levels or (3,):
        module = load()
        original = module.clone() if check else None
        result = compile_module(module, level, name)
        result.schedule.weights_resident = resident_weights
        report = build_report(result.schedule, cfg, level, launch_mode, requests)
        report["compile_seconds"] = round(result.compile_seconds, 4)
        report["passes"] = [
            {**dataclasses.asdict(p), "seconds": round(p.seconds, 6)} for p in result.passes
        ]
        if timing:
            click.echo(format_pass_table(result.passes, f"// {name} O{level}"), err=True)
        if original is not None:
            from ge_compiler.device.functional import check as functional_check

            verdict = functional_check(original, result.schedule, weights=weights, seed=seed)
            report["check"] = {
                "passed": verdict.passed,
                # JSON has no infinity: an error too large to measure is null.
                "max_abs_err": verdict.max_abs_err if math.isfinite(verdict.max_abs_err) else None,
                "max_rel_err": verdict.max_rel_err if math.isfinite(verdict.max_rel_err) else None,
                "message": verdict.message,
            }
            if not verdict.passed:
                failed.append(f"O{level}: {verdict.message}")
        reports.append(report)
        if schedule_path:
            Path(schedule_path).write_text(result.schedule.dumps())
        if trace_path:
            from ge_compiler.device.simulator import simulate
            from ge_compiler.device.trace import write_trace

            mode = launch_mode or result.schedule.launch_mode
            write_trace(trace_path, result.schedule, simulate(result.schedule, cfg, mode))
    click.echo(format_table(reports))
    for r in reports:
        if "check" in r:
            click.echo(f"check O{r['opt_level']}: {r['check']['message']}")
    if json_path:
        payload = reports[0] if len(reports) == 1 else {"reports": reports}
        Path(json_path).write_text(json.dumps(payload, indent=1))
    if failed:
        raise GeError("functional check failed: " + " | ".join(failed))


def main(args: list[str] | None = None) -> None:
    run_cli(cli, "ge-run", args)


if __name__ == "__main__":
    main()
