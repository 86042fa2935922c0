"""The Stable Diffusion 3 VAE decoder (diffusers' AutoencoderKL decoder) at 1024x1024.

Sizes follow the diffusers config of stabilityai/stable-diffusion-3-medium-diffusers
(``vae/config.json``): latent_channels 16, block_out_channels (128, 256, 512, 512),
layers_per_block 2, norm_num_groups 32, scaling_factor 1.5305, shift_factor 0.0609,
use_quant_conv / use_post_quant_conv false. So it is SD's / SDXL's decoder with 16 latent
channels, no post_quant_conv, and the pipeline's un-scaling ``latent / 1.5305 + 0.0609`` (kept in
the graph). A 16x128x128 latent decodes to a 3x1024x1024 image. The blocks are those of
``vae.py`` (mid block with single-head attention, up blocks of 3 resnets, nearest x2 + conv).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder
from ge_compiler.models.layers import conv2d
from ge_compiler.models.vae import VaeDecoderConfig, decoder


@dataclass(frozen=True)
class Sd3VaeDecoderConfig(VaeDecoderConfig):
    """Defaults: SD3 medium's VAE decoder for a 128x128 latent (1024x1024 image), batch 1."""

    latent_channels: int = 16
    latent_size: int = 128
    scaling_factor: float = 1.5305
    shift_factor: float = 0.0609
    post_quant_conv: bool = False


TINY = Sd3VaeDecoderConfig(
    block_out_channels=(8, 16, 16), layers_per_block=1, latent_size=4, norm_groups=4, dtype="f32"
)


def build_sd3_vae_decoder(cfg: Sd3VaeDecoderConfig = Sd3VaeDecoderConfig()) -> ModuleOp:
    b = GraphBuilder(cfg.dtype)
    with b.module("vae_decoder"):
        size = cfg.latent_size
        z = b.input("latent", (cfg.batch, cfg.latent_channels, size, size))
        z = z * b.scalar(1.0 / cfg.scaling_factor, z) + b.scalar(cfg.shift_factor, z)
        if cfg.post_quant_conv:
            z = conv2d(b, z, cfg.latent_channels, 1, "vae.post_quant_conv")
        b.output(decoder(b, z, cfg))
    return b.build()
