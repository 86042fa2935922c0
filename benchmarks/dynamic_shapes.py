"""Latency across prompt lengths with shape buckets ("gears") vs an exact compile per length.

The CLIP text encoder over a dynamic prompt length (``ge_compiler/models/dynamic_text.py``,
SD 2.1 sizes, f16, bound 256) is compiled once per gear (``ge_compiler.buckets.Gears``: powers
of two from 16, the bound included), then every prompt length runs on the device model
(simulation, weights resident) in the smallest gear that fits. Next to it, the same length
compiled exactly (the graph a per-shape recompile would build) shows what padding costs. Prints
the compile count and time, a row per length (gear, latencies, padding cost, peak memory) and
the spread (min / median / max latency, max/min). ``--json FILE`` saves it all.

    /tmp/v1/bin/python benchmarks/dynamic_shapes.py [--tiny] [--device 910B2] [--json F]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from ge_compiler.buckets import Gears
from ge_compiler.models.clip_text import ClipTextConfig
from ge_compiler.models.dynamic_text import TINY, build_text_encoder_dynamic

REAL_LENGTHS = (8, 20, 33, 64, 77, 100, 150, 200, 256)
TINY_LENGTHS = (3, 8, 13, 16, 20, 32)


def prompt(n: int, vocab: int) -> dict[str, np.ndarray]:
    """Inputs of an ``n``-token prompt (ids are arbitrary: simulation does not read them)."""
    return {
        "input_ids": (np.arange(n, dtype=np.int64) % vocab)[None],
        "position_ids": np.arange(n, dtype=np.int64)[None],
        "attention_mask": np.ones((1, n), np.int64),
    }


def measure(tiny: bool, device: str, opt_level: int = 3) -> dict[str, Any]:
    cfg, bound, lengths = (
        (TINY, 32, TINY_LENGTHS) if tiny else (ClipTextConfig(), 256, REAL_LENGTHS)
    )
    module = build_text_encoder_dynamic(cfg, bound)
    gears = Gears(module, opt_level=opt_level, model="text-encoder-dynamic").compile_all()
    rows = []
    exact_seconds = 0.0
    for n in lengths:
        r = gears.run(prompt(n, cfg.vocab), device=device)
        start = time.perf_counter()
        exact = gears.compile_size(n).run(prompt(n, cfg.vocab), device=device).report
        exact_seconds += time.perf_counter() - start
        lat, ex = r.report["latency_us"], exact["latency_us"]
        rows.append(
            {
                "length": n,
                "gear": r.report["shape_bucket"]["gear"],
                "latency_us": lat,
                "exact_latency_us": ex,
                "padding_cost": lat / ex - 1,
                "peak_memory_bytes": r.report["peak_memory_bytes"],
                "exact_peak_memory_bytes": exact["peak_memory_bytes"],
            }
        )
    lats = [r["latency_us"] for r in rows]
    return {
        "model": f"clip-text dynamic ({'tiny' if tiny else 'SD 2.1 sizes, f16'}), bound {bound}",
        "device": device,
        "opt_level": opt_level,
        "gears": gears.sizes,
        "compile_count": gears.compile_count,
        "compile_seconds": gears.compile_seconds,
        "exact_compile_count": len(lengths),
        "exact_compile_seconds": exact_seconds,
        "rows": rows,
        "spread": {
            "min_us": min(lats),
            "median_us": statistics.median(lats),
            "max_us": max(lats),
            "max_over_min": max(lats) / min(lats),
        },
    }


def format_table(res: dict[str, Any]) -> str:
    out = [
        f"{res['model']} on {res['device']}, ge-O{res['opt_level']}, weights resident",
        f"gears {res['gears']}: {res['compile_count']} compiles, "
        f"{res['compile_seconds']:.1f} s (exact per length: {res['exact_compile_count']} "
        f"compiles, {res['exact_compile_seconds']:.1f} s incl. simulation)",
        "",
        "| length | gear | latency (us) | exact-shape latency (us) | padding cost "
        "| peak MiB (gear / exact) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["rows"]:
        out.append(
            f"| {r['length']} | {r['gear']} | {r['latency_us']:.1f} | "
            f"{r['exact_latency_us']:.1f} | {100 * r['padding_cost']:+.1f}% | "
            f"{r['peak_memory_bytes'] / 2**20:.1f} / {r['exact_peak_memory_bytes'] / 2**20:.1f} |"
        )
    s = res["spread"]
    out += [
        "",
        f"spread: min {s['min_us']:.1f} us, median {s['median_us']:.1f} us, "
        f"max {s['max_us']:.1f} us, max/min {s['max_over_min']:.2f}x",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="the tiny config (bound 32): seconds")
    p.add_argument("--device", default="910B2")
    p.add_argument("--opt-level", type=int, default=3)
    p.add_argument("--json", dest="json_path", help="write the results to this file")
    args = p.parse_args(argv)
    res = measure(args.tiny, args.device, args.opt_level)
    print(format_table(res))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
