"""The multimodal generation pipeline of the headline benchmark, built with the pipeline API.

A vision-language encoder (CLIP ViT-L/14 at 336 px, its patch tokens projected to the 4096-wide
text context of SD3 and its pooled embedding to SD3's 2048-wide pooled projection) conditions
an SD3-medium MMDiT denoiser at 1024x1024 (latent 16 x 128 x 128); an SD3 ControlNet (6 joint
blocks) on the VAE-encoded sketch adds its residuals when the ``condition`` input is true; the
SD3 VAE decoder turns the latent into the image. Modules run on streams as the issue's example
places them: text encoder 0, denoiser and VAE 1, ControlNet 2.

One denoising step is compiled (the denoiser's output is decoded directly): the loop over
sampler steps is the job of ``graph.loop``, which does not exist yet, so latency figures are
per step plus encode and decode.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.assembly import Pipeline
from ge_compiler.builder import GraphBuilder
from ge_compiler.models import controlnet, mmdit, sd3_vae, vit


@dataclass(frozen=True)
class MultimodalConfig:
    denoiser: mmdit.MmditConfig = field(
        default_factory=lambda: mmdit.MmditConfig(batch=1, text_seq=576, controlnet_residuals=True)
    )
    vision: vit.VitConfig = field(default_factory=lambda: vit.VitConfig(image_size=336))
    control_layers: int = 6
    vae: sd3_vae.Sd3VaeDecoderConfig = field(default_factory=sd3_vae.Sd3VaeDecoderConfig)

    def vision_config(self) -> vit.VitConfig:
        """The encoder's outputs sized for the denoiser's text context and pooled inputs."""
        d = self.denoiser
        return replace(self.vision, llm_hidden=d.joint_attention_dim, projection_dim=d.pooled_dim)


TINY = MultimodalConfig(
    denoiser=replace(mmdit.TINY, batch=1, text_seq=16, controlnet_residuals=True),
    vision=vit.TINY,
    control_layers=2,
    vae=replace(sd3_vae.TINY, latent_channels=4, latent_size=8),
)


def pipeline_builder(
    cfg: MultimodalConfig = MultimodalConfig(), steps: int | None = None
) -> GraphBuilder:
    """A GraphBuilder with the four modules added and wired (see the module docstring); with
    ``steps``, also the sampler schedule and step (``build_denoising_pipeline``)."""
    d = cfg.denoiser
    vision = cfg.vision_config()
    if vision.patches != d.text_seq:
        raise ValueError(f"text_seq must be the encoder's {vision.patches} patch tokens")
    control = controlnet.Sd3ControlNetConfig(
        mmdit=replace(d, layers=cfg.control_layers, controlnet_residuals=False)
    )
    b = GraphBuilder()
    # the encoder returns (pooled embedding, patch tokens); the latent is the pipeline input
    # "hidden_states" (with steps: its initial value, carried by the sampler's output)
    text = {
        "encoder_hidden_states": "text_encoder.output1",
        "pooled_projections": "text_encoder.output0",
        "hidden_states": "hidden_states",
    }
    b.add_module("text_encoder", vit.build_vit(vision), stream_id=0)
    b.add_module("control_net", controlnet.build_controlnet_sd3(control), stream_id=2, inputs=text)
    residuals = {
        f"controlnet_block_{k}": f"control_net.output{k}" for k in range(d.controlnet_blocks)
    }
    b.add_module("unet", mmdit.build_mmdit(d), stream_id=1, inputs={**text, **residuals})
    latent = "unet.output0"
    if steps is not None:
        b.add_module("timesteps", build_timesteps(d, steps))
        b.add_module("sampler", build_sampler(d), inputs={"noise_pred": "unet.output0"})
        latent = "sampler.hidden_states"
    b.add_module(
        "vae_decoder", sd3_vae.build_sd3_vae_decoder(cfg.vae), stream_id=1,
        inputs={"latent": latent},
    )  # fmt: skip
    return b


def build_pipeline(cfg: MultimodalConfig = MultimodalConfig(), opt_level: int = 3) -> Pipeline:
    """The compiled-on-demand pipeline, with the ControlNet branch on the ``condition`` input."""
    pipeline = pipeline_builder(cfg).compile(opt_level)
    return pipeline.set_conditional_branch(
        condition="condition", true_path=["control_net", "unet"], false_path=["unet"]
    )


def build_multimodal(cfg: MultimodalConfig = MultimodalConfig()) -> ModuleOp:
    """The pipeline as one graph-level module (a @pipeline function calling the modules)."""
    return build_pipeline(cfg).module


def build_timesteps(d: mmdit.MmditConfig, steps: int) -> ModuleOp:
    """The sampler schedule of one step: the denoiser's timestep projection and the step's
    ``dt``, both looked up by the step index (tables: the host computes the sinusoids)."""
    b = GraphBuilder(d.dtype)
    with b.module("timesteps"):
        index = b.reshape(b.input("step", (), "i64"), (1,))
        proj = b.gather(b.weight("scheduler.time_proj", (steps, d.time_proj_dim)), index)
        dt = b.gather(b.weight("scheduler.dt", (steps, 1)), index)
        b.output(proj, b.reshape(dt, (1, 1, 1, 1)), names=["time_proj", "dt"])
    return b.build()


def build_sampler(d: mmdit.MmditConfig) -> ModuleOp:
    """An Euler step of the flow-matching sampler: ``x + dt * v``."""
    b = GraphBuilder(d.dtype)
    shape = (d.batch, d.in_channels, d.sample_size, d.sample_size)
    with b.module("sampler"):
        x = b.input("hidden_states", shape)
        v = b.input("noise_pred", shape)
        b.output(x + v * b.input("dt", (1, 1, 1, 1)), names=["hidden_states"])
    return b.build()


def build_denoising_pipeline(
    cfg: MultimodalConfig = MultimodalConfig(), steps: int = 28, opt_level: int = 3
) -> Pipeline:
    """The multimodal pipeline with ``steps`` denoising steps in one graph.loop: each step runs
    the schedule lookup, the ControlNet, the denoiser and the sampler (the ControlNet is
    always taken: a sketch is given). The latent is the loop-carried value."""
    pipeline = pipeline_builder(cfg, steps).compile(opt_level)
    group = ["timesteps", "control_net", "unet", "sampler"]
    return pipeline.enable_autoregressive_mode(max_steps=steps, cache_kv=False, module=group)
