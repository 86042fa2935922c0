"""The SD3 VAE decoder (16 latent channels) at 1024x1024: sizes and runs."""

from __future__ import annotations

import pytest
from xdsl.dialects.builtin import ModuleOp
from zoo_checks import (
    check_o3,
    check_real_size,
    param_count,
    run_tiny,
    signature,
    weights_of,
)

from ge_compiler.models import MODELS, build_model

# SD 2.1's decoder has 49,490,179 parameters (diffusers stabilityai/stable-diffusion-2-1 vae,
# see test_sd_models.py) plus post_quant_conv (20). SD3's (stable-diffusion-3-medium-diffusers
# vae/config.json: latent_channels 16, use_post_quant_conv false) has the same blocks, no
# post_quant_conv, and a conv_in reading 16 instead of 4 channels: 12 x 512 x 3 x 3 more.
SD3_VAE_DECODER = 49_490_179 + 12 * 512 * 3 * 3


@pytest.fixture(scope="module")
def full() -> ModuleOp:
    return build_model("sd3-vae-decoder")


def test_registered() -> None:
    assert {"sd3-vae-decoder", "sd3-vae-decoder-tiny"} <= set(MODELS)


def test_real_size_builds(full: ModuleOp) -> None:
    check_real_size(full)
    assert signature(full) == (["tensor<1x16x128x128xf16>"], ["tensor<1x3x1024x1024xf16>"])
    names = {w.weight_name.data for w in weights_of(full)}
    assert "vae.post_quant_conv.weight" not in names


def test_parameter_count(full: ModuleOp) -> None:
    assert param_count(full) == SD3_VAE_DECODER == 49_545_475


def test_tiny_runs_in_the_interpreter() -> None:
    (out,) = run_tiny("sd3-vae-decoder-tiny")
    assert out.shape == (1, 3, 16, 16)


def test_tiny_o3_matches_the_interpreter() -> None:
    check_o3("sd3-vae-decoder-tiny")
