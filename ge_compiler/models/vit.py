"""A vision-language encoder: the CLIP ViT-L/14 vision tower at 224x224 with a LLaVA-style
projector to the LLM width, as one module.

Sizes follow the HF config of openai/clip-vit-large-patch14 (``vision_config``): hidden_size
1024, 24 layers, 16 heads, intermediate_size 4096, patch_size 14, image_size 224 (16 x 16 = 256
patches + the class token = 257 positions), hidden_act quick_gelu, layer_norm_eps 1e-5,
projection_dim 768. Built as HF's CLIPVisionModelWithProjection: patch embedding (conv 14x14,
stride 14, no bias), the class embedding (a [1024] parameter, broadcast over the batch by a
gather of row 0 of its [1, 1024] view), the position embedding [257, 1024] added whole,
``pre_layrnorm``, 24 pre-norm layers (LayerNorm, self-attention with q/k/v/out biases, residual,
LayerNorm, fc1, quick_gelu ``x * sigmoid(1.702 x)``, fc2, residual); the class token of the last
layer goes through ``post_layernorm`` and ``visual_projection`` (1024 -> 768, no bias).

The patch tokens of the last layer (class token dropped) go through a LLaVA-style
``mlp2x_gelu`` projector (linear 1024 -> W, GELU, linear W -> W, with biases) to the LLM width W,
3584 by default (Qwen2.5-7B's hidden size, ``ge_compiler.models.llm``). The projector is the
only part without a public checkpoint at these sizes.

Inputs: ``pixel_values`` [B, 3, 224, 224] (already normalized). Outputs: ``image_embeds``
[B, 768] (CLIP's image embedding) and ``image_tokens`` [B, 256, W] (LLM input embeddings).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import attention, layer_norm, linear


@dataclass(frozen=True)
class VitConfig:
    """Defaults: CLIP ViT-L/14 at 224x224, projected to Qwen2.5-7B's width; batch 1."""

    layers: int = 24
    hidden: int = 1024
    heads: int = 16
    mlp: int = 4096
    patch: int = 14
    image_size: int = 224
    channels: int = 3
    projection_dim: int = 768
    llm_hidden: int = 3584
    eps: float = 1e-5
    batch: int = 1
    dtype: str = "f16"

    @property
    def patches(self) -> int:
        return (self.image_size // self.patch) ** 2


TINY = VitConfig(
    layers=2, hidden=32, heads=4, mlp=64, patch=4, image_size=16, projection_dim=16,
    llm_hidden=24, dtype="f32",
)  # fmt: skip


def quick_gelu(b: GraphBuilder, x: Tensor) -> Tensor:
    """CLIP's ``x * sigmoid(1.702 x)``."""
    return x * b.sigmoid(x * b.scalar(1.702, x))


def build_vit(cfg: VitConfig = VitConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    d, n = cfg.hidden, cfg.patches
    with b.module("vl_encoder"):
        size = cfg.image_size
        pixels = b.input("pixel_values", (cfg.batch, cfg.channels, size, size))
        w = b.weight(
            "vision.embeddings.patch_embedding.weight", (d, cfg.channels, cfg.patch, cfg.patch)
        )
        patches = b.conv2d(pixels, w, stride=cfg.patch)  # [B, D, H/p, W/p]
        patches = b.transpose(b.reshape(patches, (cfg.batch, d, n)), (0, 2, 1))
        cls = b.reshape(b.weight("vision.embeddings.class_embedding", (d,)), (1, d))
        cls = b.gather(cls, b.constant(np.zeros((cfg.batch, 1)), "i64"))  # [B, 1, D]
        x = b.concat([cls, patches], 1)
        x = x + b.weight("vision.embeddings.position_embedding.weight", (n + 1, d))
        x = layer_norm(b, x, "vision.pre_layrnorm", cfg.eps)
        for i in range(cfg.layers):
            name = f"vision.layer{i}"
            x = x + attention(
                b, layer_norm(b, x, f"{name}.ln1", cfg.eps), cfg.heads, f"{name}.attn"
            )
            h = linear(b, layer_norm(b, x, f"{name}.ln2", cfg.eps), cfg.mlp, f"{name}.mlp.fc1")
            x = x + linear(b, quick_gelu(b, h), d, f"{name}.mlp.fc2")
        cls_out, tokens = b.split(x, [1, n], 1)
        pooled = layer_norm(b, b.reshape(cls_out, (cfg.batch, d)), "vision.post_layernorm", cfg.eps)
        embeds = linear(b, pooled, cfg.projection_dim, "visual_projection", bias=False)
        h = b.gelu(linear(b, tokens, cfg.llm_hidden, "projector.linear_1"))
        b.output(embeds, linear(b, h, cfg.llm_hidden, "projector.linear_2"))
    return b.build()
