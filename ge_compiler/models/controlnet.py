"""ControlNet branches for the SDXL UNet and the SD3 MMDiT, one step each.

**SDXL** (diffusers' ControlNetModel, e.g. diffusers/controlnet-canny-sdxl-1.0): the SDXL UNet's
conditioning (time + added text/time embedding), conv_in and encoder half (down blocks and mid
block, the same weights' shapes as ``sdxl_unet``), plus the hint encoder
ControlNetConditioningEmbedding with conditioning_embedding_out_channels (16, 32, 96, 256):
conv 3x3 3 -> 16, SiLU, then per step a conv 3x3 and a stride-2 conv 3x3 to the next width
(SiLU after each), 1024 -> 128 after three steps, and a zero-initialized conv 3x3 to 320 added
to conv_in's output. Every skip tensor of the down path goes through its zero 1x1 conv
(``controlnet_down_blocks``), the mid output through ``controlnet_mid_block``. Inputs: those of
``sdxl_unet`` then ``controlnet_cond`` [B, 3, 1024, 1024]; outputs ``down_residual_0..8``, shaped
like the UNet's skips, then ``mid_residual``, in the order the UNet with
``controlnet_residuals=True`` takes them. ``conditioning_scale`` is 1 (scale on the host).

**SD3** (diffusers' SD3ControlNetModel, e.g. InstantX/SD3-Controlnet-Canny: num_layers 6,
otherwise SD3 medium's sizes): the control image is encoded by the SD3 VAE *encoder* in the
pipeline (not part of this zoo), so the input ``controlnet_cond`` is a 16-channel latent like
``hidden_states``; it goes through ``pos_embed_input`` (a patch embedding without positions,
zero-initialized) and is added to the patch-embedded sample. Then ``controlnet_blocks`` full
(not context_pre_only) JointTransformerBlocks, each image output through a zero linear
(``controlnet_blocks.{i}``). Inputs: those of ``mmdit`` then ``controlnet_cond``; outputs
``controlnet_block_0..5`` [B, 4096, 1536], what ``mmdit`` with ``controlnet_residuals=True``
adds (block i of 24 adds residual i // 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models import mmdit, sdxl_unet
from ge_compiler.models.layers import conv2d, linear


@dataclass(frozen=True)
class SdxlControlNetConfig:
    """Defaults: an SDXL ControlNet at 1024x1024 (latent 128x128), batch 2 (CFG)."""

    unet: sdxl_unet.SdxlUNetConfig = field(default_factory=sdxl_unet.SdxlUNetConfig)
    hint_channels: tuple[int, ...] = (16, 32, 96, 256)
    hint_in_channels: int = 3

    @property
    def image_size(self) -> int:
        return self.unet.sample_size * 2 ** (len(self.hint_channels) - 1)


@dataclass(frozen=True)
class Sd3ControlNetConfig:
    """Defaults: an SD3-medium ControlNet of 6 joint blocks, batch 2 (CFG)."""

    mmdit: mmdit.MmditConfig = field(default_factory=lambda: mmdit.MmditConfig(layers=6))


TINY_SDXL = SdxlControlNetConfig(unet=sdxl_unet.TINY, hint_channels=(4, 8))
TINY_SD3 = Sd3ControlNetConfig(mmdit=replace(mmdit.TINY, layers=2))


def hint_encoder(b: GraphBuilder, cond: Tensor, cfg: SdxlControlNetConfig, name: str) -> Tensor:
    """ControlNetConditioningEmbedding: the conditioning image down to the latent grid."""
    chans = cfg.hint_channels
    h = b.silu(conv2d(b, cond, chans[0], 3, f"{name}.conv_in"))
    for i in range(len(chans) - 1):
        h = b.silu(conv2d(b, h, chans[i], 3, f"{name}.blocks.{2 * i}"))
        h = b.silu(conv2d(b, h, chans[i + 1], 3, f"{name}.blocks.{2 * i + 1}", stride=2))
    return conv2d(b, h, cfg.unet.block_out_channels[0], 3, f"{name}.conv_out")


def build_controlnet_sdxl(cfg: SdxlControlNetConfig = SdxlControlNetConfig()) -> ModuleOp:
    ucfg = cfg.unet
    b = GraphBuilder(ucfg.dtype)
    with b.module("controlnet_sdxl"):
        x, text, temb = sdxl_unet.sdxl_conditioning(b, ucfg, "controlnet")
        size = cfg.image_size
        cond = b.input("controlnet_cond", (ucfg.batch, cfg.hint_in_channels, size, size))
        x = conv2d(b, x, ucfg.block_out_channels[0], 3, "controlnet.conv_in")
        x = x + hint_encoder(b, cond, cfg, "controlnet.controlnet_cond_embedding")
        mid, skips = sdxl_unet.sdxl_encoder(b, x, text, temb, ucfg, "controlnet")
        outs = [
            conv2d(b, s, s.shape[1], 1, f"controlnet.controlnet_down_blocks.{i}")
            for i, s in enumerate(skips)
        ]
        outs.append(conv2d(b, mid, mid.shape[1], 1, "controlnet.controlnet_mid_block"))
        b.output(*outs)
    return b.build()


def build_controlnet_sd3(cfg: Sd3ControlNetConfig = Sd3ControlNetConfig()) -> ModuleOp:
    mcfg = cfg.mmdit
    b = GraphBuilder(mcfg.dtype)
    with b.module("controlnet_sd3"):
        latent, t_proj, text, pooled = mmdit.mmdit_inputs(b, mcfg)
        size = mcfg.sample_size
        cond = b.input("controlnet_cond", (mcfg.batch, mcfg.in_channels, size, size))
        x, ctx, temb_act = mmdit.mmdit_embed(b, mcfg, latent, t_proj, text, pooled, "controlnet")
        x = x + mmdit.patch_embed(b, cond, mcfg, "controlnet.pos_embed_input")
        outs = []
        for i in range(mcfg.layers):
            name = f"controlnet.block{i}"
            x, new_ctx = mmdit.joint_block(b, x, ctx, temb_act, mcfg.heads, name, last=False)
            assert new_ctx is not None
            ctx = new_ctx
            outs.append(linear(b, x, mcfg.hidden, f"controlnet.controlnet_blocks.{i}"))
        b.output(*outs)
    return b.build()
