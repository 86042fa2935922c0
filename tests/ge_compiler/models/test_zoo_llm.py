"""The Qwen2.5-7B-style LLM decoder: sizes, and decode steps that agree with prefill."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from zoo_checks import (
    check_o3,
    check_real_size,
    param_count,
    run_tiny,
    signature,
)

from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.llm import (
    TINY,
    LlmConfig,
    build_llm_decode_step,
    build_llm_prefill,
    rope_tables,
)
from ge_compiler.weights import WeightStore

# Qwen/Qwen2.5-7B(-Instruct): 7,615,616,512 parameters (the model card's 7.61B): embeddings and
# untied lm_head 2 x 152064 x 3584, 28 layers x 233,057,792, final norm 3584. The rotary
# cos/sin tables are buffers in HF and not counted.
QWEN25_7B = 7_615_616_512
ROPE = ("rope.cos", "rope.sin")


@pytest.fixture(scope="module")
def full() -> dict[str, ModuleOp]:
    return {name: build_model(name) for name in ("llm-decoder-prefill", "llm-decoder-step")}


def test_registered() -> None:
    for name in ("llm-decoder-prefill", "llm-decoder-step"):
        assert name in MODELS and f"{name}-tiny" in MODELS


def test_real_size_builds(full: dict[str, ModuleOp]) -> None:
    for module in full.values():
        check_real_size(module)
    kv = "tensor<1x4x1024x128xf16>"
    assert signature(full["llm-decoder-prefill"]) == (
        ["tensor<1x1024xi64>"] * 2,
        ["tensor<1x152064xf16>"] + [kv] * 56,
    )
    cache, row = "tensor<1x4x4096x128xf16>", "tensor<1x4x1x128xf16>"
    assert signature(full["llm-decoder-step"]) == (
        ["tensor<1x1xi64>"] * 2 + [cache] * 56,
        ["tensor<1x152064xf16>"] + [row] * 56,
    )


@pytest.mark.parametrize("name", ["llm-decoder-prefill", "llm-decoder-step"])
def test_parameter_count(full: dict[str, ModuleOp], name: str) -> None:
    assert param_count(full[name], ROPE) == QWEN25_7B


def test_past_len_is_checked() -> None:
    with pytest.raises(GeError, match="past_len 16 outside"):
        build_llm_decode_step(TINY, 16)


@pytest.mark.parametrize("name", ["llm-decoder-prefill-tiny", "llm-decoder-step-tiny"])
def test_tiny_runs_in_the_interpreter(name: str) -> None:
    logits, *kv = run_tiny(name)
    assert logits.shape == (1, TINY.vocab) and len(kv) == 2 * TINY.layers


@pytest.mark.parametrize("name", ["llm-decoder-prefill-tiny", "llm-decoder-step-tiny"])
def test_tiny_o3_matches_the_interpreter(name: str) -> None:
    check_o3(name)


def test_decode_step_agrees_with_prefill() -> None:
    """Prefill of S tokens, then one step on the cache, equals prefill of S + 1 tokens: the
    logits of the last token and its K/V rows (real rotary tables, GQA with 2 groups)."""
    cfg = replace(TINY, batch=2)
    cos, sin = rope_tables(cfg)
    weights = WeightStore({"rope.cos": cos.astype(np.float32), "rope.sin": sin.astype(np.float32)})
    s = 5
    rng = np.random.default_rng(0)
    ids = rng.integers(0, cfg.vocab, size=(cfg.batch, s + 1))
    pos = np.broadcast_to(np.arange(s + 1), ids.shape).copy()
    _, *kv = run_function(build_llm_prefill(cfg, s), [ids[:, :s], pos[:, :s]], weights)
    long_logits, *long_kv = run_function(build_llm_prefill(cfg, s + 1), [ids, pos], weights)
    caches = []
    for t in kv:  # rows 0..S-1 of a max_len cache, the rest garbage that must not be read
        cache = np.full((cfg.batch, cfg.kv_heads, cfg.max_len, cfg.head_dim), 1e4, np.float32)
        cache[:, :, :s] = t
        caches.append(cache)
    step = build_llm_decode_step(cfg, s)
    logits, *rows = run_function(step, [ids[:, s:], pos[:, s:], *caches], weights)
    np.testing.assert_allclose(logits, long_logits, rtol=1e-4, atol=1e-4)
    for row, full_kv, short_kv in zip(rows, long_kv, kv, strict=True):
        np.testing.assert_allclose(row, full_kv[:, :, s:], rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(short_kv, full_kv[:, :, :s], rtol=1e-4, atol=1e-4)  # causal
    assert LlmConfig().head_dim == 128
