"""ControlNet branches for the SDXL UNet and the SD3 MMDiT: sizes, residuals fit the denoiser."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from zoo_checks import (
    check_o3,
    check_real_size,
    entry,
    param_count,
    run_tiny,
    signature,
    weights_of,
)

from ge_compiler.dialects import graph
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.models import MODELS, build_model, controlnet, mmdit, sdxl_unet
from ge_compiler.weights import WeightStore

# SDXL ControlNet (diffusers ControlNetModel as in diffusers/controlnet-canny-sdxl-1.0): the
# count is derived, not quoted: the UNet's conditioning, conv_in, down and mid weights (the same
# shapes as sdxl-unet's) + the hint encoder + 9 + 1 zero 1x1 convs. 1,251,014,160 parameters,
# 2.50 GB in f16, the size of that checkpoint's fp16 file.
HINT = (
    (16 * 3 * 9 + 16)
    + (16 * 16 * 9 + 16)
    + (32 * 16 * 9 + 32)
    + (32 * 32 * 9 + 32)
    + (96 * 32 * 9 + 96)
    + (96 * 96 * 9 + 96)
    + (256 * 96 * 9 + 256)
    + (320 * 256 * 9 + 320)
)
ZERO_CONVS = 4 * (320 * 320 + 320) + 3 * (640 * 640 + 640) + 3 * (1280 * 1280 + 1280)
# SD3 ControlNet (diffusers SD3ControlNetModel, num_layers 6 as InstantX/SD3-Controlnet-Canny):
# derived from the MMDiT's pieces: two patch embeddings (16 -> 1536, 2x2), the time/text
# embedding, the context embedder, 6 full joint blocks and 6 zero linears 1536 -> 1536.
PATCH = 1536 * 16 * 4 + 1536
LINEAR = 1536 * 1536 + 1536
TIME_TEXT = (256 * 1536 + 1536 + LINEAR) + (2048 * 1536 + 1536 + LINEAR)
JOINT_BLOCK = 2 * (1536 * 9216 + 9216) + 8 * LINEAR + 2 * (2 * 1536 * 6144 + 6144 + 1536)
SD3_CONTROLNET = 2 * PATCH + TIME_TEXT + (4096 * 1536 + 1536) + 6 * JOINT_BLOCK + 6 * LINEAR


@pytest.fixture(scope="module")
def full() -> dict[str, ModuleOp]:
    return {name: build_model(name) for name in ("controlnet-sdxl", "controlnet-sd3")}


def test_registered() -> None:
    for name in ("controlnet-sdxl", "controlnet-sd3"):
        assert name in MODELS and f"{name}-tiny" in MODELS


def test_real_size_builds(full: dict[str, ModuleOp]) -> None:
    for module in full.values():
        check_real_size(module)
    inputs, _ = signature(full["controlnet-sdxl"])
    assert inputs[-1] == "tensor<2x3x1024x1024xf16>"  # the sketch, 8x the latent size
    inputs, _ = signature(full["controlnet-sd3"])
    assert inputs[-1] == "tensor<2x16x128x128xf16>"  # the VAE-encoded control image


def test_sdxl_parameter_count(full: dict[str, ModuleOp]) -> None:
    unet = build_model("sdxl-unet")
    shared = ("time_embedding.", "add_embedding.", "conv_in.", "down", "mid.")
    encoder = sum(
        int(np.prod(graph.shape_of(w.result)))
        for w in weights_of(unet)
        if w.weight_name.data.removeprefix("unet.").startswith(shared)
    )
    assert param_count(full["controlnet-sdxl"]) == encoder + HINT + ZERO_CONVS == 1_251_014_160


def test_sd3_parameter_count(full: dict[str, ModuleOp]) -> None:
    assert param_count(full["controlnet-sd3"], ("controlnet.pos_embed",)) == SD3_CONTROLNET


def test_residuals_fit_the_denoisers(full: dict[str, ModuleOp]) -> None:
    unet = sdxl_unet.build_sdxl_unet(sdxl_unet.SdxlUNetConfig(controlnet_residuals=True))
    _, outs = signature(full["controlnet-sdxl"])
    assert signature(unet)[0][5:] == outs and len(outs) == 10
    dit = mmdit.build_mmdit(mmdit.MmditConfig(controlnet_residuals=True))
    _, outs = signature(full["controlnet-sd3"])
    assert signature(dit)[0][4:] == outs and len(outs) == 6


@pytest.mark.parametrize(
    ("name", "denoiser"),
    [
        ("controlnet-sdxl-tiny", lambda: sdxl_unet.build_sdxl_unet(
            replace(sdxl_unet.TINY, controlnet_residuals=True))),
        ("controlnet-sd3-tiny", lambda: mmdit.build_mmdit(
            replace(mmdit.TINY, controlnet_residuals=True))),
    ],
)  # fmt: skip
def test_tiny_feeds_the_tiny_denoiser(name: str, denoiser) -> None:
    """ControlNet outputs go straight into the denoiser's residual inputs (interpreter)."""
    residuals = run_tiny(name)
    module = denoiser()
    inputs = random_inputs(entry(module), seed=0)
    n = len(inputs) - len(residuals)
    (out,) = run_function(module, inputs[:n] + residuals, WeightStore(seed=1))
    assert np.isfinite(out).all()
    assert controlnet.TINY_SD3.mmdit.layers == 2


@pytest.mark.parametrize("name", ["controlnet-sdxl-tiny", "controlnet-sd3-tiny"])
def test_tiny_o3_matches_the_interpreter(name: str) -> None:
    check_o3(name)
