"""ge-bench llm: LLM decoding, prefill + N decode steps, with and without a KV cache.

With the cache, the decode step (``ge_compiler.models.llm_decode``) runs in a ``graph.loop``
(``Pipeline.enable_autoregressive_mode``): its K/V caches are allocated once at their full
length and each step writes its rows in place. Without a cache a static-shape engine recomputes
the whole window every step: one prefill over ``prompt + steps`` tokens per generated token.
Both run at ge-O3 on the device model with resident weights.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import click


def _report(module: Any, name: str, device: str) -> dict[str, Any]:
    from ge_compiler.compiled import CompiledGraph

    report = CompiledGraph.compile(module, opt_level=3, model=name).run(device=device).report
    report.pop("kernels", None)
    report.pop("stream_busy_us", None)
    return report


def llm_reports(tiny: bool, prompt: int, steps: int, device: str) -> dict[str, Any]:
    from ge_compiler.builder import GraphBuilder
    from ge_compiler.models import llm, llm_decode

    cfg = llm.TINY if tiny else llm.LlmConfig()
    if prompt + steps > cfg.max_len:
        raise click.BadParameter(f"prompt + steps must fit the {cfg.max_len}-row cache")
    cfg = replace(cfg, prefill_seq=prompt, past_len=prompt)
    prefill = _report(llm.build_llm_prefill(cfg, prompt), "llm-prefill", device)
    b = GraphBuilder()
    b.add_module("decoder", llm_decode.build_llm_decode_cached(cfg, prompt))
    pipeline = b.compile(3, device).enable_autoregressive_mode(max_steps=steps, cache_kv=True)
    cached = pipeline.run(device=device).report
    cached.pop("kernels", None)
    cached.pop("stream_busy_us", None)
    window = _report(llm.build_llm_prefill(cfg, prompt + steps), "llm-window", device)
    cache_bytes = (
        2
        * cfg.layers
        * cfg.batch
        * cfg.kv_heads
        * cfg.max_len
        * cfg.head_dim
        * (2 if cfg.dtype in ("f16", "bf16") else 4)
    )
    return {
        "config": {"tiny": tiny, "prompt": prompt, "steps": steps, "max_len": cfg.max_len},
        "kv_cache_bytes": cache_bytes,
        "prefill": prefill,
        "decode_cached": cached,
        "decode_uncached_step": window,
    }


def format_llm(r: dict[str, Any]) -> str:
    steps = r["config"]["steps"]
    pre, dec, win = r["prefill"], r["decode_cached"], r["decode_uncached_step"]
    on = dec["latency_us"]
    off = steps * win["latency_us"]
    rows = [
        ("prefill latency (ms)", f"{pre['latency_us'] / 1e3:.2f}"),
        (f"decode {steps} steps, KV cache (ms)", f"{on / 1e3:.2f}"),
        ("  per token (ms)", f"{on / steps / 1e3:.3f}"),
        ("  lower bound per token (ms)", f"{dec['lower_bounds']['latency_us'] / steps / 1e3:.3f}"),
        ("  HBM traffic per token (GB)", f"{dec['hbm_bytes'] / steps / 1e9:.3f}"),
        ("  kernel launches per token", f"{dec['kernel_launches'] / steps:.0f}"),
        (f"decode {steps} steps, no cache (ms)", f"{off / 1e3:.2f}"),
        ("  per token (ms)", f"{win['latency_us'] / 1e3:.3f}"),
        ("cache speed-up", f"{off / on:.1f}x"),
        ("KV cache, allocated once (MB)", f"{r['kv_cache_bytes'] / 1e6:.1f}"),
        ("peak memory, cached decode (GB)", f"{dec['peak_memory_bytes'] / 1e9:.2f}"),
        ("end-to-end, prompt + steps (ms)", f"{(pre['latency_us'] + on) / 1e3:.2f}"),
    ]
    width = max(len(a) for a, _ in rows)
    return "\n".join(f"{a:<{width}}  {b:>10}" for a, b in rows)


@click.command()
@click.option("--tiny", is_flag=True, help="The small config (seconds, for tests).")
@click.option("--prompt", type=click.IntRange(1), default=None, help="Prompt tokens [1024/6].")
@click.option("--steps", type=click.IntRange(1), default=None, help="Decode steps [32/4].")
@click.option("--device", default="910B2", show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False))
def llm(
    tiny: bool, prompt: int | None, steps: int | None, device: str, json_path: str | None
) -> None:
    """Prefill + N decode steps of the Qwen2-style LLM, KV cache on and off (module docstring)."""
    prompt = prompt or (6 if tiny else 1024)
    steps = steps or (4 if tiny else 32)
    r = llm_reports(tiny, prompt, steps, device)
    click.echo(f"LLM decode on {device}: prompt {prompt}, {steps} steps, ge-O3")
    click.echo(format_llm(r))
    if json_path:
        Path(json_path).write_text(json.dumps(r, indent=1))
