"""The Stable Diffusion 2.1 text encoder: OpenCLIP ViT-H/14's text transformer, as diffusers'
CLIPTextModel.

Sizes follow the diffusers config of stabilityai/stable-diffusion-2-1 (``text_encoder/
config.json``): hidden_size 1024, 16 heads, intermediate_size 4096, hidden_act gelu,
max_position_embeddings 77, vocab_size 49408, num_hidden_layers 23. OpenCLIP ViT-H has 24 text
layers; SD 2.x conditions on the penultimate layer, so the released text encoder keeps 23 of
them and applies the final LayerNorm to that output (``last_hidden_state`` [B, 77, 1024]). The
text projection (1024 x 1024) is unused by SD and not built.

Input ``input_ids`` [B, 77] i64: token embedding is a gather, the position embedding [77, 1024]
is added whole (position ids are 0..76). Pre-norm layers: LayerNorm, causal self-attention
(q/k/v/out with bias; masked scores set to the dtype's lowest value by a ``graph.where`` on an
i1 mask computed from two 77-element iotas), residual, LayerNorm, fc1, GELU, fc2, residual.
Batch 1 by default (one prompt); batch 2 (prompt + negative prompt for classifier-free
guidance) is ``ClipTextConfig(batch=2)``, or two calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder
from ge_compiler.models.layers import attention, causal_mask, feed_forward, layer_norm


@dataclass(frozen=True)
class ClipTextConfig:
    layers: int = 23
    hidden: int = 1024
    heads: int = 16
    mlp: int = 4096
    seq: int = 77
    vocab: int = 49408
    batch: int = 1
    dtype: str = "f16"


TINY = ClipTextConfig(layers=2, hidden=32, heads=4, mlp=128, seq=8, vocab=64, dtype="f32")


def build_clip_text(cfg: ClipTextConfig = ClipTextConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    with b.module("text_encoder"):
        ids = b.input("input_ids", (cfg.batch, cfg.seq), "i64")
        table = b.weight("text.token_embedding.weight", (cfg.vocab, cfg.hidden))
        x = b.embedding(table, ids) + b.weight(
            "text.position_embedding.weight", (cfg.seq, cfg.hidden)
        )
        mask = causal_mask(b, cfg.seq)
        for i in range(cfg.layers):
            name = f"text.layer{i}"
            h = layer_norm(b, x, f"{name}.ln1")
            x = x + attention(b, h, cfg.heads, f"{name}.attn", mask=mask)
            x = x + feed_forward(b, layer_norm(b, x, f"{name}.ln2"), cfg.mlp, f"{name}.mlp")
        b.output(layer_norm(b, x, "text.final_layer_norm"))
    return b.build()
