"""A transformer encoder block stack (pre-norm, BERT-base sized by default)."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder
from ge_compiler.models.layers import feed_forward, layer_norm, self_attention


@dataclass(frozen=True)
class TransformerConfig:
    """Defaults follow BERT-base (12 layers, hidden 768, 12 heads, FFN 3072) at sequence 128."""

    layers: int = 12
    hidden: int = 768
    heads: int = 12
    ffn: int = 3072
    seq: int = 128
    batch: int = 1
    dtype: str = "f16"


TINY = TransformerConfig(layers=2, hidden=32, heads=4, ffn=64, seq=8, dtype="f32")


def build_transformer(cfg: TransformerConfig = TransformerConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    with b.module("transformer"):
        x = b.input("hidden_states", (cfg.batch, cfg.seq, cfg.hidden))
        for i in range(cfg.layers):
            x = x + self_attention(
                b, layer_norm(b, x, f"layer{i}.ln1"), cfg.heads, f"layer{i}.attn"
            )
            x = x + feed_forward(b, layer_norm(b, x, f"layer{i}.ln2"), cfg.ffn, f"layer{i}.ffn")
        b.output(layer_norm(b, x, "final_ln"))
    return b.build()
