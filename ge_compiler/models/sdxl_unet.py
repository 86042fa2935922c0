"""The Stable Diffusion XL base denoising UNet (diffusers' UNet2DConditionModel), one step.

Sizes follow the diffusers config of stabilityai/stable-diffusion-xl-base-1.0
(``unet/config.json``): block_out_channels (320, 640, 1280), layers_per_block 2, down blocks
DownBlock2D + 2 x CrossAttnDownBlock2D, up blocks 2 x CrossAttnUpBlock2D + UpBlock2D,
transformer_layers_per_block (1, 2, 10) (the first block has no attention, so depth 0 here; the
mid block and the up blocks use 10, 10, 2 transformer blocks per attention), attention_head_dim
(5, 10, 20) (head counts, every head 64 wide), cross_attention_dim 2048, use_linear_projection,
addition_embed_type "text_time" with addition_time_embed_dim 256 and
projection_class_embeddings_input_dim 2816 (= 1280 pooled text + 6 x 256), norm_num_groups 32,
in/out channels 4, sample_size 128 (1024x1024 images). Batch 2: one classifier-free-guidance
step.

Inputs: ``sample`` [B, 4, 128, 128], ``time_proj`` [B, 320] (the sinusoidal projection of the
timestep, on the host as in ``unet.py``), ``encoder_hidden_states`` [B, 77, 2048] (CLIP-L and
OpenCLIP-bigG penultimate states, concatenated), ``text_embeds`` [B, 1280] (bigG's pooled,
projected output) and ``time_ids_proj`` [B, 1536] (the six micro-conditioning numbers
original size, crop offsets and target size, each through the 256-wide sinusoidal projection on
the host, flattened). The added embedding ``add_embedding(concat(text_embeds, time_ids_proj))``
(linear 2816 -> 1280, SiLU, linear) is summed into the time embedding.

Transformer2DModel: GroupNorm(32, eps 1e-6), proj_in linear, ``depth`` BasicTransformerBlocks
(LayerNorm, self-attention, LayerNorm, cross-attention, LayerNorm, GEGLU feed-forward 4C),
proj_out linear, residual; q/k/v without bias, as in ``unet.py``.

``controlnet_residuals=True`` adds the ControlNet inputs, in order after the above:
``down_residual_{i}`` for each of the 9 skip tensors of the down path (conv_in output, every
down resnet/attention output and every downsample output, diffusers'
``down_block_additional_residuals``) and ``mid_residual`` (the mid block's output, added before
the up path). ``ge_compiler.models.controlnet`` emits them in this order and shapes.
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
class SdxlUNetConfig:
    """Defaults: SDXL base 1.0 at 1024x1024 (128x128 latents), batch 2 (CFG)."""

    block_out_channels: tuple[int, ...] = (320, 640, 1280)
    transformer_depth: tuple[int, ...] = (0, 2, 10)
    attention_heads: tuple[int, ...] = (5, 10, 20)
    layers_per_block: int = 2
    cross_attention_dim: int = 2048
    text_seq: int = 77
    pooled_dim: int = 1280
    time_ids: int = 6
    addition_time_embed_dim: int = 256
    in_channels: int = 4
    out_channels: int = 4
    sample_size: int = 128
    norm_groups: int = 32
    norm_eps: float = 1e-5
    batch: int = 2
    controlnet_residuals: bool = False
    dtype: str = "f16"

    @property
    def time_embed_dim(self) -> int:
        return 4 * self.block_out_channels[0]

    @property
    def time_ids_dim(self) -> int:
        return self.time_ids * self.addition_time_embed_dim


TINY = SdxlUNetConfig(
    block_out_channels=(16, 32, 32),
    transformer_depth=(0, 1, 2),
    attention_heads=(2, 2, 4),
    layers_per_block=1,
    cross_attention_dim=24,
    text_seq=5,
    pooled_dim=12,
    addition_time_embed_dim=4,
    sample_size=8,
    norm_groups=4,
    dtype="f32",
)


def transformer_2d(
    b: GraphBuilder, x: Tensor, context: Tensor, heads: int, depth: int, groups: int, name: str
) -> Tensor:
    """Transformer2DModel with linear projections and ``depth`` BasicTransformerBlocks."""
    _, c, height, width = x.shape
    h = to_tokens(b, group_norm(b, x, groups, f"{name}.norm", eps=1e-6))
    h = linear(b, h, c, f"{name}.proj_in")
    for d in range(depth):
        blk = f"{name}.block{d}"
        h = h + attention(
            b, layer_norm(b, h, f"{blk}.norm1"), heads, f"{blk}.attn1", qkv_bias=False
        )
        h = h + attention(
            b, layer_norm(b, h, f"{blk}.norm2"), heads, f"{blk}.attn2", context, qkv_bias=False
        )
        h = h + geglu_feed_forward(b, layer_norm(b, h, f"{blk}.norm3"), 4 * c, f"{blk}.ff")
    h = linear(b, h, c, f"{name}.proj_out")
    return from_tokens(b, h, height, width) + x


def sdxl_conditioning(
    b: GraphBuilder, cfg: SdxlUNetConfig, prefix: str
) -> tuple[Tensor, Tensor, Tensor]:
    """The inputs sample .. time_ids_proj: (sample, text states, silu(time + added embedding))."""
    size = cfg.sample_size
    x = b.input("sample", (cfg.batch, cfg.in_channels, size, size))
    t_proj = b.input("time_proj", (cfg.batch, cfg.block_out_channels[0]))
    text = b.input("encoder_hidden_states", (cfg.batch, cfg.text_seq, cfg.cross_attention_dim))
    pooled = b.input("text_embeds", (cfg.batch, cfg.pooled_dim))
    ids = b.input("time_ids_proj", (cfg.batch, cfg.time_ids_dim))
    dim = cfg.time_embed_dim
    temb = linear(b, t_proj, dim, f"{prefix}.time_embedding.linear_1")
    temb = linear(b, b.silu(temb), dim, f"{prefix}.time_embedding.linear_2")
    aemb = linear(b, b.concat([pooled, ids], 1), dim, f"{prefix}.add_embedding.linear_1")
    aemb = linear(b, b.silu(aemb), dim, f"{prefix}.add_embedding.linear_2")
    return x, text, b.silu(temb + aemb)


def sdxl_encoder(
    b: GraphBuilder, x: Tensor, text: Tensor, temb: Tensor, cfg: SdxlUNetConfig, prefix: str
) -> tuple[Tensor, list[Tensor]]:
    """Down path and mid block from the conv_in output ``x``: (mid output, the skip tensors)."""
    chans, heads, depth = cfg.block_out_channels, cfg.attention_heads, cfg.transformer_depth
    n, groups = len(chans), cfg.norm_groups
    skips = [x]
    for i, ch in enumerate(chans):
        for j in range(cfg.layers_per_block):
            x = resnet_block(b, x, ch, f"{prefix}.down{i}.res{j}", groups, cfg.norm_eps, temb)
            if depth[i]:
                x = transformer_2d(
                    b, x, text, heads[i], depth[i], groups, f"{prefix}.down{i}.attn{j}"
                )
            skips.append(x)
        if i < n - 1:
            x = downsample(b, x, f"{prefix}.down{i}.downsample")
            skips.append(x)
    x = resnet_block(b, x, chans[-1], f"{prefix}.mid.res0", groups, cfg.norm_eps, temb)
    x = transformer_2d(b, x, text, heads[-1], depth[-1], groups, f"{prefix}.mid.attn0")
    x = resnet_block(b, x, chans[-1], f"{prefix}.mid.res1", groups, cfg.norm_eps, temb)
    return x, skips


def build_sdxl_unet(cfg: SdxlUNetConfig = SdxlUNetConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    chans, heads, depth = cfg.block_out_channels, cfg.attention_heads, cfg.transformer_depth
    n, groups = len(chans), cfg.norm_groups
    with b.module("sdxl_unet"):
        x, text, temb = sdxl_conditioning(b, cfg, "unet")
        x = conv2d(b, x, chans[0], 3, "unet.conv_in")
        x, skips = sdxl_encoder(b, x, text, temb, cfg, "unet")
        if cfg.controlnet_residuals:
            skips = [s + b.input(f"down_residual_{i}", s.shape) for i, s in enumerate(skips)]
            x = x + b.input("mid_residual", x.shape)

        for i, (ch, nh, dp) in enumerate(zip(chans[::-1], heads[::-1], depth[::-1], strict=True)):
            for j in range(cfg.layers_per_block + 1):
                name = f"unet.up{i}"
                x = b.concat([x, skips.pop()], 1)
                x = resnet_block(b, x, ch, f"{name}.res{j}", groups, cfg.norm_eps, temb)
                if dp:
                    x = transformer_2d(b, x, text, nh, dp, groups, f"{name}.attn{j}")
            if i < n - 1:
                x = upsample(b, x, f"unet.up{i}.upsample")

        x = b.silu(group_norm(b, x, groups, "unet.conv_norm_out", cfg.norm_eps))
        b.output(conv2d(b, x, cfg.out_channels, 3, "unet.conv_out"))
    return b.build()
