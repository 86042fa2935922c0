"""Offset placement quality vs the max-live-bytes lower bound, on random DAG-shaped schedules.

Each instance is a random DAG of 50-400 ops (each op reads 1-3 earlier results, mostly recent
ones, sometimes far back like a skip connection; one op in ten has two outputs), run in a
random topological order; a tensor lives from its producer's step to its last consumer's step
(to the end if nothing reads it: a graph output). Sizes are log-uniform from 1 KiB to 16 MiB,
alignment 512. Prints mean / p90 / max of arena / max_live_bytes per strategy and for
``place`` (best-of + compaction), and the time ``place`` takes; ``--json FILE`` saves it all.

    /tmp/v1/bin/python benchmarks/memory_placement.py [--instances 200] [--seed 0] [--json F]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from ge_compiler.device.plan_check import raise_on_violation
from ge_compiler.passes.memory.placement import (
    Request,
    aligned_size,
    candidates,
    max_live_bytes,
    place,
)

ALIGNMENT = 512


def random_instance(rng: random.Random) -> list[Request]:
    """Tensor lifetimes of a random DAG run in a random topological order."""
    n_ops = rng.randint(50, 400)
    producers: list[int] = []  # tensor -> producing op
    inputs: list[list[int]] = []  # op -> tensors it reads
    sizes: list[int] = []
    for op in range(n_ops):
        reads: set[int] = set()
        if producers:
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if rng.random() < 0.8:
                    t = len(producers) - 1 - min(int(rng.expovariate(0.5)), len(producers) - 1)
                else:
                    t = rng.randrange(len(producers))
                reads.add(t)
        inputs.append(sorted(reads))
        for _ in range(2 if rng.random() < 0.1 else 1):
            producers.append(op)
            sizes.append(int(2 ** rng.uniform(10, 24)))
    # Random topological order (Kahn, random ready op).
    deps = [{producers[t] for t in inputs[op]} for op in range(n_ops)]
    users: list[list[int]] = [[] for _ in range(n_ops)]
    for op, ds in enumerate(deps):
        for d in ds:
            users[d].append(op)
    indeg = [len(ds) for ds in deps]
    ready = [op for op in range(n_ops) if indeg[op] == 0]
    pos = [0] * n_ops
    step = 0
    while ready:
        op = ready.pop(rng.randrange(len(ready)))
        pos[op] = step
        step += 1
        for u in users[op]:
            indeg[u] -= 1
            if indeg[u] == 0:
                ready.append(u)
    last = [-1] * len(producers)
    for op in range(n_ops):
        for t in inputs[op]:
            last[t] = max(last[t], pos[op])
    return [
        Request(sizes[t], pos[producers[t]], last[t] if last[t] >= 0 else n_ops - 1)
        for t in range(len(producers))
    ]


def stats(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {
        "mean": statistics.fmean(xs),
        "p90": xs[min(len(xs) - 1, int(0.9 * len(xs)))],
        "max": xs[-1],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    ratios: dict[str, list[float]] = {}
    best: list[float] = []
    best_plain: list[float] = []
    place_s: list[float] = []
    n_buffers: list[int] = []
    for _ in range(args.instances):
        reqs = random_instance(rng)
        bound = max_live_bytes(reqs, ALIGNMENT)
        cands = candidates(reqs, ALIGNMENT)
        for p in cands:
            ratios.setdefault(p.strategy, []).append(p.size / bound)
        best_plain.append(min(p.size for p in cands) / bound)
        t0 = time.process_time()
        p = place(reqs, ALIGNMENT)
        place_s.append(time.process_time() - t0)
        raise_on_violation(
            [aligned_size(r.size, ALIGNMENT) for r in reqs],
            p.offsets,
            p.size,
            [(r.start, r.end) for r in reqs],
            ALIGNMENT,
        )
        best.append(p.size / bound)
        n_buffers.append(len(reqs))
    result = {
        "instances": args.instances,
        "seed": args.seed,
        "alignment": ALIGNMENT,
        "buffers": {"mean": statistics.fmean(n_buffers), "max": max(n_buffers)},
        "ratio_to_max_live_bytes": {k: stats(v) for k, v in ratios.items()}
        | {"best-of, no compaction": stats(best_plain), "place (best-of + compact)": stats(best)},
        "place_cpu_seconds": stats(place_s) | {"total": sum(place_s)},
    }
    print(
        f"{args.instances} instances (seed {args.seed}), "
        f"{result['buffers']['mean']:.0f} buffers on average (max {result['buffers']['max']}); "
        "arena / max_live_bytes:"
    )
    print(f"  {'strategy':28} {'mean':>7} {'p90':>7} {'max':>7}")
    for name, s in result["ratio_to_max_live_bytes"].items():
        print(f"  {name:28} {s['mean']:7.4f} {s['p90']:7.4f} {s['max']:7.4f}")
    t = result["place_cpu_seconds"]
    print(
        f"place() CPU time per instance: mean {t['mean'] * 1e3:.1f} ms, p90 "
        f"{t['p90'] * 1e3:.1f} ms, max {t['max'] * 1e3:.1f} ms (total {t['total']:.2f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
