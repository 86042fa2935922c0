"""The CLIP text encoder of ``clip_text.py`` over a dynamic prompt length (shape buckets).

``build_text_encoder_dynamic(cfg, max_len)`` builds the same pre-norm transformer as
``build_clip_text`` with a ``?`` sequence dim bounded by ``max_len`` (``graph.dim_bounds`` on
each input), so ``ge_compiler.buckets.Gears`` compiles it once per gear and runs any prompt
length up to ``max_len``. Three inputs, as in Hugging Face's ``CLIPTextModel``, all
``[batch, ?]`` i64:

- ``input_ids``: the tokens;
- ``position_ids``: ``0 .. n-1``; the position embedding is a gather of its rows (the static
  model adds the whole ``[77, C]`` table, which a dynamic length cannot: a ``graph.slice``
  has static limits and there is no iota of a dynamic length);
- ``attention_mask``: 1 for a real token, 0 for padding.

The causal mask is built from the positions (key after query) OR'd with the padding mask (a
key whose ``attention_mask`` is 0). A zero-padded position is 0 and a zero-padded mask entry
is 0, so the zero padding that ``Gears`` adds is exactly "masked padding": a real token never
attends to a padded one, and its output equals the exact-length model's. Padded rows compute
garbage that ``Gears`` slices off.

The position table has ``max_len`` rows: the real CLIP table has 77; a longer ``max_len`` is a
long-prompt variant (its extra rows are generated weights).
"""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.buckets import set_bounds
from ge_compiler.builder import GraphBuilder
from ge_compiler.models.clip_text import TINY as CLIP_TINY
from ge_compiler.models.clip_text import ClipTextConfig
from ge_compiler.models.layers import attention, feed_forward, layer_norm

INPUTS = ("input_ids", "position_ids", "attention_mask")

REAL = ClipTextConfig()
TINY = CLIP_TINY
TINY_MAX_LEN = 32
"""The tiny variant's bound: gears 16 and 32 (with the default minimum gear of 16)."""


def build_text_encoder_dynamic(cfg: ClipTextConfig = REAL, max_len: int = 77) -> ModuleOp:
    """The CLIP text transformer with ``[batch, ?]`` inputs bounded by ``max_len``."""
    b = GraphBuilder(cfg.dtype)
    with b.module("text_encoder"):
        ids = b.input("input_ids", (cfg.batch, None), "i64")
        pos = b.input("position_ids", (cfg.batch, None), "i64")
        keep = b.input("attention_mask", (cfg.batch, None), "i64")
        table = b.weight("text.token_embedding.weight", (cfg.vocab, cfg.hidden))
        positions = b.weight("text.position_embedding.weight", (max_len, cfg.hidden))
        x = b.embedding(table, ids) + b.embedding(positions, pos)  # [B, ?, C]
        # masked(i, j) = pos_j > pos_i or keep_j == 0: relu(pos_j - pos_i) + (1 - keep_j) != 0
        p = b.cast(pos, "f32")  # [B, ?]
        rows = b.reshape(p, (cfg.batch, 1, -1, 1))  # query positions [B, 1, ?, 1]
        cols = b.reshape(p, (cfg.batch, 1, 1, -1))  # key positions [B, 1, 1, ?]
        pad = b.scalar(1.0, cols) - b.reshape(b.cast(keep, "f32"), (cfg.batch, 1, 1, -1))
        mask = b.cast(b.relu(cols - rows) + pad, "i1")  # [B, 1, ?, ?], True = masked
        for i in range(cfg.layers):
            name = f"text.layer{i}"
            h = layer_norm(b, x, f"{name}.ln1")
            x = x + attention(b, h, cfg.heads, f"{name}.attn", mask=mask)
            x = x + feed_forward(b, layer_norm(b, x, f"{name}.ln2"), cfg.mlp, f"{name}.mlp")
        b.output(layer_norm(b, x, "text.final_layer_norm"), names=["last_hidden_state"])
    module = b.build()
    set_bounds(module, {n: (cfg.batch, max_len) for n in INPUTS})
    return module
