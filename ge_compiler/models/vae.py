"""The Stable Diffusion 2.1 VAE decoder (diffusers' AutoencoderKL: post_quant_conv + Decoder).

Sizes follow the diffusers config of stabilityai/stable-diffusion-2-1 (``vae/config.json``):
block_out_channels (128, 256, 512, 512), layers_per_block 2 (the decoder's up blocks have 3
resnets), latent_channels 4, out_channels 3, norm_num_groups 32, scaling_factor 0.18215;
GroupNorm eps is 1e-6 throughout the VAE. A 4x64x64 latent decodes to a 3x512x512 image.

Built: ``latent / scaling_factor`` (the pipeline's scaling, kept in the graph), post_quant_conv
1x1, conv_in 3x3 to 512, mid block (resnet, single-head self-attention over the H*W = 4096
positions with GroupNorm, q/k/v/out linears with bias and a residual, resnet), up blocks with
the reversed channels (512, 512, 256, 128) of 3 resnets each and nearest x2 + conv 3x3 after
all but the last, then GroupNorm, SiLU, conv_out to 3 channels. Resnets have no time embedding.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import (
    attention,
    conv2d,
    from_tokens,
    group_norm,
    resnet_block,
    to_tokens,
    upsample,
)


@dataclass(frozen=True)
class VaeDecoderConfig:
    block_out_channels: tuple[int, ...] = (128, 256, 512, 512)
    layers_per_block: int = 2
    latent_channels: int = 4
    out_channels: int = 3
    latent_size: int = 64
    norm_groups: int = 32
    norm_eps: float = 1e-6
    scaling_factor: float = 0.18215
    batch: int = 1
    dtype: str = "f16"


TINY = VaeDecoderConfig(
    block_out_channels=(8, 16, 16), layers_per_block=1, latent_size=4, norm_groups=4, dtype="f32"
)


def mid_attention(b: GraphBuilder, x: Tensor, cfg: VaeDecoderConfig, name: str) -> Tensor:
    """diffusers' Attention in the VAE mid block: one head as wide as the channels."""
    _, _, height, width = x.shape
    h = to_tokens(b, group_norm(b, x, cfg.norm_groups, f"{name}.group_norm", cfg.norm_eps))
    return from_tokens(b, attention(b, h, 1, name), height, width) + x


def build_vae_decoder(cfg: VaeDecoderConfig = VaeDecoderConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    with b.module("vae_decoder"):
        size = cfg.latent_size
        z = b.input("latent", (cfg.batch, cfg.latent_channels, size, size))
        z = z * b.scalar(1.0 / cfg.scaling_factor, z)
        z = conv2d(b, z, cfg.latent_channels, 1, "vae.post_quant_conv")
        b.output(decoder(b, z, cfg))
    return b.build()


def decoder(b: GraphBuilder, z: Tensor, cfg: VaeDecoderConfig) -> Tensor:
    """conv_in, the mid block, the up blocks and conv_out: latent [B, C, h, w] -> RGB (shared
    by the SD 2.1 and SD3 decoders, which differ only before it)."""
    chans = cfg.block_out_channels[::-1]
    x = conv2d(b, z, chans[0], 3, "vae.decoder.conv_in")

    def resnet(x: Tensor, ch: int, name: str) -> Tensor:
        return resnet_block(b, x, ch, name, cfg.norm_groups, cfg.norm_eps)

    x = resnet(x, chans[0], "vae.decoder.mid.res0")
    x = mid_attention(b, x, cfg, "vae.decoder.mid.attn0")
    x = resnet(x, chans[0], "vae.decoder.mid.res1")
    for i, ch in enumerate(chans):
        for j in range(cfg.layers_per_block + 1):
            x = resnet(x, ch, f"vae.decoder.up{i}.res{j}")
        if i < len(chans) - 1:
            x = upsample(b, x, f"vae.decoder.up{i}.upsample")
    x = b.silu(group_norm(b, x, cfg.norm_groups, "vae.decoder.conv_norm_out", cfg.norm_eps))
    return conv2d(b, x, cfg.out_channels, 3, "vae.decoder.conv_out")
