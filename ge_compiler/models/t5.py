"""The T5 v1.1 XXL encoder, SD3's third text encoder (HF T5EncoderModel).

Sizes follow the HF config of google/t5-v1_1-xxl (stabilityai/stable-diffusion-3-medium-diffusers
``text_encoder_3/config.json``): d_model 4096, 24 layers, 64 heads of d_kv 64, d_ff 10240,
feed_forward_proj gated-gelu (gelu_new, the tanh approximation), vocab_size 32128,
layer_norm_epsilon 1e-6, relative_attention_num_buckets 32, relative_attention_max_distance 128,
no biases anywhere. Sequence 256: the SD3 pipeline's default ``max_sequence_length``.

Built exactly as HF does, relative attention bias included: the bidirectional bucket of each
of the 2S - 1 relative positions (HF's formula, a constant of 511 integers) is gathered by
``key - query + S - 1`` (from two iotas), and the [S, S] buckets gather layer 0's
``relative_attention_bias`` [32, 64]; the resulting [1, 64, S, S] bias is shared by every layer
(as in T5). T5 attention does not scale the scores by 1/sqrt(d). Layers
are pre-norm with RMSNorm (T5LayerNorm): self-attention, residual, gated-GELU feed-forward
(``wo(gelu_tanh(wi_0 x) * wi_1 x)``), residual; then the final RMSNorm.

Input ``input_ids`` [B, 256] i64; output ``last_hidden_state`` [B, 256, 4096]. No padding mask
(SD3 pads to 256 and attends to the padding, as its pipeline does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import linear


@dataclass(frozen=True)
class T5Config:
    """Defaults: T5 v1.1 XXL encoder at sequence 256, batch 1."""

    layers: int = 24
    d_model: int = 4096
    heads: int = 64
    d_kv: int = 64
    d_ff: int = 10240
    vocab: int = 32128
    num_buckets: int = 32
    max_distance: int = 128
    eps: float = 1e-6
    seq: int = 256
    batch: int = 1
    dtype: str = "f16"


TINY = T5Config(layers=2, d_model=32, heads=4, d_kv=8, d_ff=48, vocab=64, seq=12, dtype="f32")


def rms_norm(b: GraphBuilder, x: Tensor, name: str, eps: float) -> Tensor:
    return b.rms_norm(x, b.weight(f"{name}.weight", (x.shape[-1],)), eps)


def bucket_of_relative_position(cfg: T5Config) -> np.ndarray:
    """HF's ``_relative_position_bucket`` (bidirectional) for relative positions -(S-1)..S-1."""
    half = cfg.num_buckets // 2
    exact = half // 2
    rel = np.arange(-(cfg.seq - 1), cfg.seq)
    n = np.abs(rel)
    ratio = np.log(np.maximum(n, 1).astype(np.float32) / exact) / math.log(cfg.max_distance / exact)
    large = np.minimum(exact + (ratio * (half - exact)).astype(np.int64), half - 1)
    return (rel > 0) * half + np.where(n < exact, n, large)


def relative_position_buckets(b: GraphBuilder, cfg: T5Config) -> Tensor:
    """The bucket of every (query, key) pair, [S, S] i64: ``key - query + S - 1`` from two
    iotas indexes a [2S - 1] constant of buckets (no [S, S] literal is stored)."""
    s = cfg.seq
    rows = b.constant(np.arange(s, dtype=np.float32).reshape(s, 1), "f32")
    cols = b.constant(np.arange(s, dtype=np.float32).reshape(1, s) + (s - 1), "f32")
    table = b.constant(bucket_of_relative_position(cfg), "i64")
    return b.gather(table, b.cast(cols - rows, "i64"))


def t5_attention(b: GraphBuilder, x: Tensor, bias: Tensor, cfg: T5Config, name: str) -> Tensor:
    batch, seq, _ = x.shape
    inner = cfg.heads * cfg.d_kv

    def heads(t: Tensor) -> Tensor:
        return b.transpose(b.reshape(t, (batch, seq, cfg.heads, cfg.d_kv)), (0, 2, 1, 3))

    q = heads(linear(b, x, inner, f"{name}.q", bias=False))
    k = heads(linear(b, x, inner, f"{name}.k", bias=False))
    v = heads(linear(b, x, inner, f"{name}.v", bias=False))
    scores = b.matmul(q, k, transpose_b=True) + bias  # no 1/sqrt(d) scaling in T5
    ctx = b.matmul(b.softmax(scores, -1), v)
    merged = b.reshape(b.transpose(ctx, (0, 2, 1, 3)), (batch, seq, inner))
    return linear(b, merged, cfg.d_model, f"{name}.o", bias=False)


def build_t5_encoder(cfg: T5Config = T5Config()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    with b.module("t5_encoder"):
        ids = b.input("input_ids", (cfg.batch, cfg.seq), "i64")
        x = b.embedding(b.weight("t5.shared.weight", (cfg.vocab, cfg.d_model)), ids)
        table = b.weight(
            "t5.layer0.attn.relative_attention_bias.weight", (cfg.num_buckets, cfg.heads)
        )
        bias = b.gather(table, relative_position_buckets(b, cfg))  # [S, S, H]
        bias = b.reshape(b.transpose(bias, (2, 0, 1)), (1, cfg.heads, cfg.seq, cfg.seq))
        for i in range(cfg.layers):
            name = f"t5.layer{i}"
            x = x + t5_attention(
                b, rms_norm(b, x, f"{name}.ln1", cfg.eps), bias, cfg, f"{name}.attn"
            )
            h = rms_norm(b, x, f"{name}.ln2", cfg.eps)
            gate = b.gelu(linear(b, h, cfg.d_ff, f"{name}.ff.wi_0", bias=False), "tanh")
            h = gate * linear(b, h, cfg.d_ff, f"{name}.ff.wi_1", bias=False)
            x = x + linear(b, h, cfg.d_model, f"{name}.ff.wo", bias=False)
        b.output(rms_norm(b, x, "t5.final_layer_norm", cfg.eps))
    return b.build()
