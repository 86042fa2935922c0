"""The Stable Diffusion 3 medium MMDiT denoiser (diffusers' SD3Transformer2DModel), one step.

Sizes follow the diffusers config of stabilityai/stable-diffusion-3-medium-diffusers
(``transformer/config.json``): num_layers 24, num_attention_heads 24, attention_head_dim 64
(hidden 1536), patch_size 2, in/out channels 16, sample_size 128 (1024x1024 images),
joint_attention_dim 4096, caption_projection_dim 1536, pooled_projection_dim 2048,
pos_embed_max_size 192. Batch 2 (classifier-free guidance); text sequence 333 = 77 CLIP tokens
+ 256 T5 tokens, the pipeline's default.

Built as diffusers does: patch embedding (conv 2x2 stride 2) plus the fixed 2-D sin-cos position
embedding cropped to the 64 x 64 patch grid (a [4096, 1536] weight ``mmdit.pos_embed``: a
buffer in diffusers, not a parameter); ``temb = timestep_embedder(time_proj) +
text_embedder(pooled)`` (linear, SiLU, linear each); ``context_embedder`` 4096 -> 1536. Each
JointTransformerBlock: AdaLayerNormZero on both streams (``linear(silu(temb))`` -> shift, scale,
gate for attention and for the MLP; LayerNorm eps 1e-6 without affine, so built as
``graph.layer_norm`` with constant ones and zeros), joint attention (image q/k/v and context
``add_q/k/v`` projections, heads over the concatenated image + text tokens, split back,
``to_out`` and ``to_add_out``), gated residuals, tanh-GELU MLPs (4x). The last block is
``context_pre_only``: its context stream is an AdaLayerNormContinuous (scale, shift) feeding
only keys and values, with no ``to_add_out`` or context MLP. Then AdaLayerNormContinuous
``norm_out``, ``proj_out`` to 2 x 2 x 16 and unpatchify.

Inputs: ``hidden_states`` [B, 16, 128, 128], ``time_proj`` [B, 256] (the sinusoidal timestep
projection, flip_sin_to_cos, on the host), ``encoder_hidden_states`` [B, 333, 4096],
``pooled_projections`` [B, 2048]; output the predicted velocity [B, 16, 128, 128].

``controlnet_residuals=True`` adds ``controlnet_block_{k}`` inputs [B, 4096, 1536] for
``k < controlnet_blocks``: as in diffusers, block ``i`` (all but the context_pre_only last)
adds residual ``int(i / (layers / controlnet_blocks))`` to its image stream output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import linear


@dataclass(frozen=True)
class MmditConfig:
    """Defaults: SD3 medium at 1024x1024 (128x128 latents), batch 2 (CFG)."""

    layers: int = 24
    heads: int = 24
    head_dim: int = 64
    patch: int = 2
    in_channels: int = 16
    sample_size: int = 128
    joint_attention_dim: int = 4096
    pooled_dim: int = 2048
    time_proj_dim: int = 256
    text_seq: int = 333
    batch: int = 2
    controlnet_residuals: bool = False
    controlnet_blocks: int = 6
    dtype: str = "f16"

    @property
    def hidden(self) -> int:
        return self.heads * self.head_dim

    @property
    def grid(self) -> int:
        return self.sample_size // self.patch

    @property
    def tokens(self) -> int:
        return self.grid**2


TINY = MmditConfig(
    layers=3, heads=2, head_dim=8, in_channels=4, sample_size=8, joint_attention_dim=12,
    pooled_dim=10, time_proj_dim=8, text_seq=5, controlnet_blocks=2, dtype="f32",
)  # fmt: skip


def plain_layer_norm(b: GraphBuilder, x: Tensor, eps: float = 1e-6) -> Tensor:
    """LayerNorm without affine parameters (elementwise_affine=False)."""
    d = x.shape[-1]
    ones = b.constant(np.ones(d, dtype=np.float32), str(x.dtype))
    zeros = b.constant(np.zeros(d, dtype=np.float32), str(x.dtype))
    return b.layer_norm(x, ones, zeros, -1, eps)


def modulate(b: GraphBuilder, x: Tensor, shift: Tensor, scale: Tensor) -> Tensor:
    """``x * (1 + scale) + shift`` with [B, D] modulation broadcast over the tokens."""
    n, d = scale.shape
    one = b.scalar(1.0, x)
    return x * b.reshape(scale + one, (n, 1, d)) + b.reshape(shift, (n, 1, d))


def gate(b: GraphBuilder, g: Tensor, x: Tensor) -> Tensor:
    n, d = g.shape
    return b.reshape(g, (n, 1, d)) * x


def ada_chunks(b: GraphBuilder, temb_act: Tensor, parts: int, name: str) -> list[Tensor]:
    """``linear(silu(temb))`` split into ``parts`` [B, D] chunks (``temb_act`` is silu(temb))."""
    d = temb_act.shape[-1]
    return b.split(linear(b, temb_act, parts * d, f"{name}.linear"), [d] * parts, 1)


def gelu_mlp(b: GraphBuilder, x: Tensor, name: str) -> Tensor:
    """FeedForward with gelu-approximate: ``net.0.proj`` D -> 4D, tanh GELU, ``net.2`` 4D -> D."""
    d = x.shape[-1]
    return linear(b, b.gelu(linear(b, x, 4 * d, f"{name}.net.0.proj"), "tanh"), d, f"{name}.net.2")


def joint_attention(
    b: GraphBuilder, x: Tensor, ctx: Tensor, heads: int, name: str, context_out: bool
) -> tuple[Tensor, Tensor | None]:
    """Attention over the image tokens followed by the text tokens; (image, text) outputs."""
    batch, n_img, d = x.shape
    n_txt = ctx.shape[1]
    hd = d // heads

    def split_heads(t: Tensor) -> Tensor:
        return b.transpose(b.reshape(t, (batch, t.shape[1], heads, hd)), (0, 2, 1, 3))

    def qkv(t: Tensor, names: tuple[str, str, str]) -> list[Tensor]:
        return [split_heads(linear(b, t, d, f"{name}.{p}")) for p in names]

    q, k, v = (
        b.concat([a, c], 2)
        for a, c in zip(
            qkv(x, ("to_q", "to_k", "to_v")),
            qkv(ctx, ("add_q_proj", "add_k_proj", "add_v_proj")),
            strict=True,
        )
    )
    scores = b.matmul(q, k, transpose_b=True) * b.scalar(hd**-0.5, q)
    out = b.matmul(b.softmax(scores, -1), v)  # [B, h, N + T, hd]
    out = b.reshape(b.transpose(out, (0, 2, 1, 3)), (batch, n_img + n_txt, d))
    img, txt = b.split(out, [n_img, n_txt], 1)
    img = linear(b, img, d, f"{name}.to_out.0")
    return img, (linear(b, txt, d, f"{name}.to_add_out") if context_out else None)


def joint_block(
    b: GraphBuilder, x: Tensor, ctx: Tensor, temb_act: Tensor, heads: int, name: str, last: bool
) -> tuple[Tensor, Tensor | None]:
    """A JointTransformerBlock; the ``last`` one is context_pre_only (returns no context)."""
    shift, scale, g_msa, shift_mlp, scale_mlp, g_mlp = ada_chunks(b, temb_act, 6, f"{name}.norm1")
    nx = modulate(b, plain_layer_norm(b, x), shift, scale)
    if last:
        c_scale, c_shift = ada_chunks(b, temb_act, 2, f"{name}.norm1_context")
        nc = modulate(b, plain_layer_norm(b, ctx), c_shift, c_scale)
    else:
        c_shift, c_scale, c_g_msa, c_shift_mlp, c_scale_mlp, c_g_mlp = ada_chunks(
            b, temb_act, 6, f"{name}.norm1_context"
        )
        nc = modulate(b, plain_layer_norm(b, ctx), c_shift, c_scale)
    img, txt = joint_attention(b, nx, nc, heads, f"{name}.attn", context_out=not last)
    x = x + gate(b, g_msa, img)
    h = modulate(b, plain_layer_norm(b, x), shift_mlp, scale_mlp)
    x = x + gate(b, g_mlp, gelu_mlp(b, h, f"{name}.ff"))
    if last or txt is None:
        return x, None
    ctx = ctx + gate(b, c_g_msa, txt)
    h = modulate(b, plain_layer_norm(b, ctx), c_shift_mlp, c_scale_mlp)
    return x, ctx + gate(b, c_g_mlp, gelu_mlp(b, h, f"{name}.ff_context"))


def patch_embed(b: GraphBuilder, latent: Tensor, cfg: MmditConfig, name: str) -> Tensor:
    """Conv patchify to tokens [B, (H/p)*(W/p), D] (no position embedding)."""
    d, p = cfg.hidden, cfg.patch
    w = b.weight(f"{name}.proj.weight", (d, latent.shape[1], p, p))
    h = b.conv2d(latent, w, b.weight(f"{name}.proj.bias", (d,)), stride=p)
    return b.transpose(b.reshape(h, (cfg.batch, d, cfg.tokens)), (0, 2, 1))


def mmdit_inputs(b: GraphBuilder, cfg: MmditConfig) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """The inputs hidden_states, time_proj, encoder_hidden_states, pooled_projections."""
    size = cfg.sample_size
    return (
        b.input("hidden_states", (cfg.batch, cfg.in_channels, size, size)),
        b.input("time_proj", (cfg.batch, cfg.time_proj_dim)),
        b.input("encoder_hidden_states", (cfg.batch, cfg.text_seq, cfg.joint_attention_dim)),
        b.input("pooled_projections", (cfg.batch, cfg.pooled_dim)),
    )


def mmdit_embed(
    b: GraphBuilder,
    cfg: MmditConfig,
    latent: Tensor,
    t_proj: Tensor,
    text: Tensor,
    pooled: Tensor,
    prefix: str,
) -> tuple[Tensor, Tensor, Tensor]:
    """(image tokens with positions, embedded context, silu(temb))."""
    d = cfg.hidden
    x = patch_embed(b, latent, cfg, f"{prefix}.pos_embed")
    x = x + b.weight(f"{prefix}.pos_embed", (cfg.tokens, d))
    te = f"{prefix}.time_text_embed"
    t = linear(b, b.silu(linear(b, t_proj, d, f"{te}.timestep_embedder.linear_1")), d,
               f"{te}.timestep_embedder.linear_2")  # fmt: skip
    p = linear(b, b.silu(linear(b, pooled, d, f"{te}.text_embedder.linear_1")), d,
               f"{te}.text_embedder.linear_2")  # fmt: skip
    ctx = linear(b, text, d, f"{prefix}.context_embedder")
    return x, ctx, b.silu(t + p)


def build_mmdit(cfg: MmditConfig = MmditConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    d, p, g, c = cfg.hidden, cfg.patch, cfg.grid, cfg.in_channels
    with b.module("mmdit"):
        latent, t_proj, text, pooled = mmdit_inputs(b, cfg)
        residuals = [
            b.input(f"controlnet_block_{k}", (cfg.batch, cfg.tokens, d))
            for k in range(cfg.controlnet_blocks if cfg.controlnet_residuals else 0)
        ]
        x, ctx, temb_act = mmdit_embed(b, cfg, latent, t_proj, text, pooled, "mmdit")
        for i in range(cfg.layers):
            last = i == cfg.layers - 1
            x, new_ctx = joint_block(b, x, ctx, temb_act, cfg.heads, f"mmdit.block{i}", last)
            if residuals and not last:
                x = x + residuals[int(i / (cfg.layers / len(residuals)))]
            if new_ctx is not None:
                ctx = new_ctx
        scale, shift = ada_chunks(b, temb_act, 2, "mmdit.norm_out")
        x = modulate(b, plain_layer_norm(b, x), shift, scale)
        x = linear(b, x, p * p * c, "mmdit.proj_out")  # [B, N, p*p*C]
        x = b.transpose(b.reshape(x, (cfg.batch, g, g, p, p, c)), (0, 5, 1, 3, 2, 4))
        b.output(b.reshape(x, (cfg.batch, c, g * p, g * p)))
    return b.build()
