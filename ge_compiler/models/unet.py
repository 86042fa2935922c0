"""The Stable Diffusion 2.1 denoising UNet (diffusers' UNet2DConditionModel), one step.

Sizes follow the diffusers config of stabilityai/stable-diffusion-2-1 (``unet/config.json``):
block_out_channels (320, 640, 1280, 1280), layers_per_block 2, attention_head_dim (5, 10, 20, 20)
(in diffusers this is the head *count*: every head is 64 wide), cross_attention_dim 1024,
down blocks 3 x CrossAttnDownBlock2D + DownBlock2D, up blocks UpBlock2D + 3 x CrossAttnUpBlock2D,
use_linear_projection true, norm_num_groups 32, norm_eps 1e-5, in/out channels 4. The config's
sample_size is 96 (768x768 images); 512x512 images have 64x64 latents, the default here. Batch 2
is one classifier-free-guidance step (unconditional and conditional halves).

Inputs: ``sample`` [B, 4, H, W], ``time_proj`` [B, 320] and ``encoder_hidden_states``
[B, 77, 1024]. ``time_proj`` is the sinusoidal Timesteps projection of the timestep
(flip_sin_to_cos, freq_shift 0), computed on the host: the graph dialect has no sin/cos, and it
is 2 x 320 numbers per step. The time MLP (linear_1, SiLU, linear_2) is in the graph; each
resnet adds ``time_emb_proj(silu(temb))`` (the SiLU is built once and shared, as CSE would).

Transformer2DModel (use_linear_projection): GroupNorm(32, eps 1e-6), proj_in linear, one
BasicTransformerBlock (LayerNorm, self-attention, LayerNorm, cross-attention over the text
states, LayerNorm, GEGLU feed-forward with inner 4C), proj_out linear, plus the residual.
Attention q/k/v have no bias, the output projection has one (as in diffusers).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import (
    attention,
    conv2d,
    downsample,
    from_tokens,
    geglu_feed_forward,
    group_norm,
    layer_norm,
    linear,
    resnet_block,
    to_tokens,
    upsample,
)


@dataclass(frozen=True)
class UNetConfig:
    """Defaults: SD 2.1 at 512x512 (64x64 latents), batch 2 for classifier-free guidance."""

    block_out_channels: tuple[int, ...] = (320, 640, 1280, 1280)
    attention_heads: tuple[int, ...] = (5, 10, 20, 20)
    layers_per_block: int = 2
    cross_attention_dim: int = 1024
    text_seq: int = 77
    in_channels: int = 4
    out_channels: int = 4
    sample_size: int = 64
    norm_groups: int = 32
    norm_eps: float = 1e-5
    batch: int = 2
    dtype: str = "f16"

    @property
    def time_embed_dim(self) -> int:
        return 4 * self.block_out_channels[0]


TINY = UNetConfig(
    block_out_channels=(16, 32, 32),
    attention_heads=(2, 2, 4),
    layers_per_block=1,
    cross_attention_dim=24,
    text_seq=5,
    sample_size=8,
    norm_groups=4,
    dtype="f32",
)


def transformer_2d(
    b: GraphBuilder, x: Tensor, context: Tensor, heads: int, cfg: UNetConfig, name: str
) -> Tensor:
    """Transformer2DModel with linear projections and one BasicTransformerBlock."""
    _, c, height, width = x.shape
    h = to_tokens(b, group_norm(b, x, cfg.norm_groups, f"{name}.norm", eps=1e-6))
    h = linear(b, h, c, f"{name}.proj_in")
    blk = f"{name}.block0"
    h = h + attention(b, layer_norm(b, h, f"{blk}.norm1"), heads, f"{blk}.attn1", qkv_bias=False)
    h = h + attention(
        b, layer_norm(b, h, f"{blk}.norm2"), heads, f"{blk}.attn2", context, qkv_bias=False
    )
    h = h + geglu_feed_forward(b, layer_norm(b, h, f"{blk}.norm3"), 4 * c, f"{blk}.ff")
    h = linear(b, h, c, f"{name}.proj_out")
    return from_tokens(b, h, height, width) + x


def build_unet(cfg: UNetConfig = UNetConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    chans, heads, n = cfg.block_out_channels, cfg.attention_heads, len(cfg.block_out_channels)
    groups, eps = cfg.norm_groups, cfg.norm_eps
    with b.module("unet"):
        size = cfg.sample_size
        x = b.input("sample", (cfg.batch, cfg.in_channels, size, size))
        t_proj = b.input("time_proj", (cfg.batch, chans[0]))
        text = b.input("encoder_hidden_states", (cfg.batch, cfg.text_seq, cfg.cross_attention_dim))

        temb = linear(b, t_proj, cfg.time_embed_dim, "unet.time_embedding.linear_1")
        temb = linear(b, b.silu(temb), cfg.time_embed_dim, "unet.time_embedding.linear_2")
        temb = b.silu(temb)  # every resnet's time_emb_proj reads silu(temb)

        def resnet(x: Tensor, ch: int, name: str) -> Tensor:
            return resnet_block(b, x, ch, name, groups, eps, temb)

        x = conv2d(b, x, chans[0], 3, "unet.conv_in")
        skips = [x]
        for i, ch in enumerate(chans):  # CrossAttnDownBlock2D x (n-1), then DownBlock2D
            for j in range(cfg.layers_per_block):
                x = resnet(x, ch, f"unet.down{i}.res{j}")
                if i < n - 1:
                    x = transformer_2d(b, x, text, heads[i], cfg, f"unet.down{i}.attn{j}")
                skips.append(x)
            if i < n - 1:
                x = downsample(b, x, f"unet.down{i}.downsample")
                skips.append(x)

        x = resnet(x, chans[-1], "unet.mid.res0")
        x = transformer_2d(b, x, text, heads[-1], cfg, "unet.mid.attn0")
        x = resnet(x, chans[-1], "unet.mid.res1")

        for i, (ch, nh) in enumerate(zip(chans[::-1], heads[::-1], strict=True)):
            for j in range(cfg.layers_per_block + 1):  # UpBlock2D, then CrossAttnUpBlock2D
                x = resnet(b.concat([x, skips.pop()], 1), ch, f"unet.up{i}.res{j}")
                if i > 0:
                    x = transformer_2d(b, x, text, nh, cfg, f"unet.up{i}.attn{j}")
            if i < n - 1:
                x = upsample(b, x, f"unet.up{i}.upsample")

        x = b.silu(group_norm(b, x, groups, "unet.conv_norm_out", eps))
        b.output(conv2d(b, x, cfg.out_channels, 3, "unet.conv_out"))
    return b.build()
