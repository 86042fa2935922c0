"""A Qwen2-style LLM decoder (HF Qwen2ForCausalLM): a prefill function and a decode-step
function.

Sizes follow the HF config of Qwen/Qwen2.5-7B-Instruct: num_hidden_layers 28, hidden_size 3584,
num_attention_heads 28 (head_dim 128), num_key_value_heads 4 (grouped-query attention, 7 query
heads per KV head), intermediate_size 18944, vocab_size 152064, rms_norm_eps 1e-6, rope_theta
1e6, max_position_embeddings 32768, q/k/v projections with bias, o_proj and the MLP without,
untied lm_head. Layers: RMSNorm, attention (rotary embedding on q and k, causal), residual,
RMSNorm, SwiGLU MLP ``down(silu(gate(x)) * up(x))``, residual; final RMSNorm; lm_head.

Rotary embedding: the graph dialect has no sin/cos, so the cos and sin of every position are
two [max_len, 128] tables (``rope.cos``, ``rope.sin``: HF's ``cos/sin`` rows, i.e. the
128 / 2 = 64 frequencies ``rope_theta ** (-2i / 128)`` repeated for both halves) gathered by the
``position_ids`` input; they are fixed functions of rope_theta (a buffer in HF, not
parameters). ``rotate_half`` is a split, a negation and a concat.

Signatures (B = batch, S = prompt length, P = ``past_len``, L = layers, Hkv = KV heads,
D = head_dim, M = ``max_len``):

``build_llm_prefill(cfg, seq)`` -> ``@llm_prefill``
    inputs  ``input_ids`` [B, S] i64, ``position_ids`` [B, S] i64 (0..S-1)
    outputs ``logits`` [B, V] (last position only), then ``k_0, v_0, ..., k_{L-1}, v_{L-1}``
            [B, Hkv, S, D] (keys after the rotary embedding): rows 0..S-1 of the KV cache.

``build_llm_decode_step(cfg, past_len)`` -> ``@llm_decode_step``
    inputs  ``input_ids`` [B, 1] i64, ``position_ids`` [B, 1] i64 (= P), then
            ``k_cache_0, v_cache_0, ..., k_cache_{L-1}, v_cache_{L-1}`` [B, Hkv, M, D]
    outputs ``logits`` [B, V], then ``k_0, v_0, ...`` [B, Hkv, 1, D]: the new cache rows for
            position P, which the caller writes at row P of each cache.
    The step attends to cache rows 0..P-1 (a static slice, so one function per P) and to the
    new token itself; rows P..M-1 of the cache inputs are never read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.errors import GeError
from ge_compiler.models.layers import causal_mask, linear, most_negative


@dataclass(frozen=True)
class LlmConfig:
    """Defaults: Qwen2.5-7B, batch 1, a 4096-position KV cache, prefill of 1024 tokens and a
    decode step after 1024 cached positions."""

    layers: int = 28
    hidden: int = 3584
    heads: int = 28
    kv_heads: int = 4
    intermediate: int = 18944
    vocab: int = 152064
    eps: float = 1e-6
    rope_theta: float = 1e6
    max_len: int = 4096
    prefill_seq: int = 1024
    past_len: int = 1024
    batch: int = 1
    dtype: str = "f16"

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


TINY = LlmConfig(
    layers=2, hidden=32, heads=4, kv_heads=2, intermediate=48, vocab=64, max_len=16,
    prefill_seq=6, past_len=5, dtype="f32",
)  # fmt: skip


def rope_tables(cfg: LlmConfig) -> tuple[np.ndarray, np.ndarray]:
    """HF's cos/sin rows for positions 0..max_len-1 (for filling ``rope.cos``/``rope.sin``)."""
    d = cfg.head_dim
    inv_freq = 1.0 / cfg.rope_theta ** (np.arange(0, d, 2, dtype=np.float64) / d)
    angles = np.outer(np.arange(cfg.max_len, dtype=np.float64), inv_freq)
    angles = np.concatenate([angles, angles], axis=-1)
    return np.cos(angles), np.sin(angles)


def rms_norm(b: GraphBuilder, x: Tensor, name: str, eps: float) -> Tensor:
    return b.rms_norm(x, b.weight(f"{name}.weight", (x.shape[-1],)), eps)


def rotary(b: GraphBuilder, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    """``x * cos + rotate_half(x) * sin`` for x [B, h, S, D] and cos/sin [B, 1, S, D]."""
    half = x.shape[-1] // 2
    x1, x2 = b.split(x, [half, half], -1)
    return x * cos + b.concat([b.neg(x2), x1], -1) * sin


def decoder_layer(
    b: GraphBuilder,
    x: Tensor,
    cos: Tensor,
    sin: Tensor,
    cfg: LlmConfig,
    name: str,
    past: tuple[Tensor, Tensor] | None,
    mask: Tensor | None,
) -> tuple[Tensor, Tensor, Tensor]:
    """One Qwen2DecoderLayer on x [B, S, C]; ``past`` = the cached (k, v) [B, Hkv, P, D] or None.
    Returns (output, k, v) with this step's k/v rows [B, Hkv, S, D]."""
    batch, seq, hidden = x.shape
    d, hkv = cfg.head_dim, cfg.kv_heads
    groups = cfg.heads // hkv
    h = rms_norm(b, x, f"{name}.input_layernorm", cfg.eps)

    def heads(t: Tensor, n: int) -> Tensor:  # [B, S, n*D] -> [B, n, S, D]
        return b.transpose(b.reshape(t, (batch, seq, n, d)), (0, 2, 1, 3))

    q = rotary(b, heads(linear(b, h, cfg.heads * d, f"{name}.attn.q_proj"), cfg.heads), cos, sin)
    k = rotary(b, heads(linear(b, h, hkv * d, f"{name}.attn.k_proj"), hkv), cos, sin)
    v = heads(linear(b, h, hkv * d, f"{name}.attn.v_proj"), hkv)
    keys, values = k, v
    if past is not None:
        keys, values = b.concat([past[0], k], 2), b.concat([past[1], v], 2)
    total = keys.shape[2]
    # GQA: query head j uses KV head j // groups (HF repeat_kv), as a broadcast batch dim
    qg = b.reshape(q, (batch, hkv, groups, seq, d))
    kg = b.reshape(keys, (batch, hkv, 1, total, d))
    vg = b.reshape(values, (batch, hkv, 1, total, d))
    scores = b.matmul(qg, kg, transpose_b=True) * b.scalar(d**-0.5, q)  # [B, Hkv, G, S, T]
    if mask is not None:
        scores = b.where(mask, b.scalar(most_negative(scores), scores), scores)
    ctx = b.matmul(b.softmax(scores, -1), vg)  # [B, Hkv, G, S, D]
    ctx = b.reshape(b.transpose(b.reshape(ctx, (batch, cfg.heads, seq, d)), (0, 2, 1, 3)),
                    (batch, seq, hidden))  # fmt: skip
    x = x + linear(b, ctx, hidden, f"{name}.attn.o_proj", bias=False)
    h = rms_norm(b, x, f"{name}.post_attention_layernorm", cfg.eps)
    gate = b.silu(linear(b, h, cfg.intermediate, f"{name}.mlp.gate_proj", bias=False))
    up = linear(b, h, cfg.intermediate, f"{name}.mlp.up_proj", bias=False)
    x = x + linear(b, gate * up, hidden, f"{name}.mlp.down_proj", bias=False)
    return x, k, v


def _embed(b: GraphBuilder, cfg: LlmConfig, seq: int) -> tuple[Tensor, Tensor, Tensor]:
    """Inputs input_ids and position_ids: (embeddings, cos, sin) with cos/sin [B, 1, S, D]."""
    ids = b.input("input_ids", (cfg.batch, seq), "i64")
    pos = b.input("position_ids", (cfg.batch, seq), "i64")
    x = b.embedding(b.weight("model.embed_tokens.weight", (cfg.vocab, cfg.hidden)), ids)
    shape = (cfg.batch, 1, seq, cfg.head_dim)
    cos = b.reshape(b.gather(b.weight("rope.cos", (cfg.max_len, cfg.head_dim)), pos), shape)
    sin = b.reshape(b.gather(b.weight("rope.sin", (cfg.max_len, cfg.head_dim)), pos), shape)
    return x, cos, sin


def _head(b: GraphBuilder, x: Tensor, cfg: LlmConfig) -> Tensor:
    """Final norm and lm_head on the last position: logits [B, V]."""
    batch, seq, hidden = x.shape
    last = b.reshape(b.slice(x, (0, seq - 1, 0), (batch, seq, hidden)), (batch, hidden))
    return linear(b, rms_norm(b, last, "model.norm", cfg.eps), cfg.vocab, "lm_head", bias=False)


def build_llm_prefill(cfg: LlmConfig = LlmConfig(), seq: int | None = None) -> ModuleOp:
    seq = cfg.prefill_seq if seq is None else seq
    b = GraphBuilder(cfg.dtype)
    with b.module("llm_prefill"):
        x, cos, sin = _embed(b, cfg, seq)
        mask = b.reshape(causal_mask(b, seq), (1, 1, 1, seq, seq))
        kv: list[Tensor] = []
        for i in range(cfg.layers):
            x, k, v = decoder_layer(b, x, cos, sin, cfg, f"model.layer{i}", None, mask)
            kv += [k, v]
        b.output(_head(b, x, cfg), *kv)
    return b.build()


def build_llm_decode_step(cfg: LlmConfig = LlmConfig(), past_len: int | None = None) -> ModuleOp:
    past = cfg.past_len if past_len is None else past_len
    if not 0 <= past < cfg.max_len:
        raise GeError(f"past_len {past} outside [0, {cfg.max_len})")
    b = GraphBuilder(cfg.dtype)
    with b.module("llm_decode_step"):
        x, cos, sin = _embed(b, cfg, 1)
        shape = (cfg.batch, cfg.kv_heads, cfg.max_len, cfg.head_dim)
        caches = [
            b.input(f"{kind}_cache_{i}", shape) for i in range(cfg.layers) for kind in ("k", "v")
        ]
        kv: list[Tensor] = []
        for i in range(cfg.layers):
            cached = None
            if past:
                stop = (cfg.batch, cfg.kv_heads, past, cfg.head_dim)
                cached = (
                    b.slice(caches[2 * i], (0, 0, 0, 0), stop),
                    b.slice(caches[2 * i + 1], (0, 0, 0, 0), stop),
                )
            x, k, v = decoder_layer(b, x, cos, sin, cfg, f"model.layer{i}", cached, None)
            kv += [k, v]
        b.output(_head(b, x, cfg), *kv)
    return b.build()
