"""The SDXL base UNet at 1024x1024: sizes, op mix, ControlNet residual inputs, runs."""

from __future__ import annotations

from collections import Counter
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
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.sdxl_unet import TINY, SdxlUNetConfig, build_sdxl_unet
from ge_compiler.weights import WeightStore

# stabilityai/stable-diffusion-xl-base-1.0 unet (diffusers UNet2DConditionModel): 2,567,463,684
# parameters (the figure diffusers' num_parameters() reports for the released checkpoint).
SDXL_UNET = 2_567_463_684


@pytest.fixture(scope="module")
def full() -> ModuleOp:
    return build_model("sdxl-unet")


def test_registered() -> None:
    assert {"sdxl-unet", "sdxl-unet-tiny"} <= set(MODELS)


def test_real_size_builds(full: ModuleOp) -> None:
    check_real_size(full)
    assert signature(full) == (
        [
            "tensor<2x4x128x128xf16>",
            "tensor<2x320xf16>",
            "tensor<2x77x2048xf16>",
            "tensor<2x1280xf16>",
            "tensor<2x1536xf16>",
        ],
        ["tensor<2x4x128x128xf16>"],
    )


def test_parameter_count(full: ModuleOp) -> None:
    assert param_count(full) == SDXL_UNET


def test_weight_shapes(full: ModuleOp) -> None:
    shapes = {w.weight_name.data: graph.shape_of(w.result) for w in weights_of(full)}
    expected = {
        "unet.add_embedding.linear_1.weight": (2816, 1280),
        "unet.down1.attn1.block1.attn2.k.weight": (2048, 640),
        "unet.down2.attn0.block9.ff.proj.weight": (1280, 10240),
        "unet.mid.attn0.block9.attn1.q.weight": (1280, 1280),
        "unet.up0.res0.conv1.weight": (1280, 2560, 3, 3),
        "unet.up2.res2.conv1.weight": (320, 640, 3, 3),
    }
    assert {k: shapes.get(k) for k in expected} == expected
    assert "unet.down0.attn0.norm.weight" not in shapes  # DownBlock2D: no attention
    assert "unet.up2.attn0.norm.weight" not in shapes  # UpBlock2D: no attention
    assert "unet.down2.downsample.conv.weight" not in shapes  # the last level keeps its size


def test_op_mix(full: ModuleOp) -> None:
    counts = Counter(op.name for op in full.walk())
    blocks = 2 * 2 + 2 * 10 + 10 + 3 * 10 + 3 * 2  # down1, down2, mid, up0, up1: 70
    assert counts["graph.softmax"] == 2 * blocks
    assert counts["graph.resize"] == 2
    assert counts["graph.concat"] == 9 + 1  # skips, and the added embedding's input


def test_controlnet_residual_inputs() -> None:
    module = build_sdxl_unet(SdxlUNetConfig(controlnet_residuals=True))
    inputs, _ = signature(module)
    assert len(inputs) == 5 + 9 + 1
    assert inputs[5:] == [
        "tensor<2x320x128x128xf16>", "tensor<2x320x128x128xf16>", "tensor<2x320x128x128xf16>",
        "tensor<2x320x64x64xf16>", "tensor<2x640x64x64xf16>", "tensor<2x640x64x64xf16>",
        "tensor<2x640x32x32xf16>", "tensor<2x1280x32x32xf16>", "tensor<2x1280x32x32xf16>",
        "tensor<2x1280x32x32xf16>",
    ]  # fmt: skip


def test_zero_residuals_change_nothing() -> None:
    plain = build_model("sdxl-unet-tiny")
    with_res = build_sdxl_unet(replace(TINY, controlnet_residuals=True))
    inputs = random_inputs(entry(plain), seed=0)
    zeros = [np.zeros(s.shape, np.float32) for s in random_inputs(entry(with_res))[len(inputs) :]]
    (a,) = run_function(plain, inputs, WeightStore(seed=1))
    (b,) = run_function(with_res, inputs + zeros, WeightStore(seed=1))
    np.testing.assert_array_equal(a, b)


def test_tiny_runs_in_the_interpreter() -> None:
    (out,) = run_tiny("sdxl-unet-tiny")
    assert out.shape == (2, 4, 8, 8)


def test_tiny_o3_matches_the_interpreter() -> None:
    check_o3("sdxl-unet-tiny")
