"""The SD3 medium MMDiT at 1024x1024: sizes, ControlNet residual inputs, runs."""

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
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.mmdit import TINY, MmditConfig, build_mmdit
from ge_compiler.weights import WeightStore

# stabilityai/stable-diffusion-3-medium-diffusers transformer (SD3Transformer2DModel):
# 2,028,328,000 parameters. The fixed sin-cos position embedding is a buffer there; here it is
# the weight "mmdit.pos_embed" (cropped to the 64 x 64 patch grid) and not counted.
SD3_MEDIUM_TRANSFORMER = 2_028_328_000


@pytest.fixture(scope="module")
def full() -> ModuleOp:
    return build_model("sd3-mmdit")


def test_registered() -> None:
    assert {"sd3-mmdit", "sd3-mmdit-tiny"} <= set(MODELS)


def test_real_size_builds(full: ModuleOp) -> None:
    check_real_size(full)
    assert signature(full) == (
        [
            "tensor<2x16x128x128xf16>",
            "tensor<2x256xf16>",
            "tensor<2x333x4096xf16>",
            "tensor<2x2048xf16>",
        ],
        ["tensor<2x16x128x128xf16>"],
    )


def test_parameter_count(full: ModuleOp) -> None:
    assert param_count(full, ("mmdit.pos_embed",)) == SD3_MEDIUM_TRANSFORMER
    shapes = {w.weight_name.data: graph.shape_of(w.result) for w in weights_of(full)}
    assert shapes["mmdit.pos_embed"] == (4096, 1536)
    assert shapes["mmdit.block0.norm1.linear.weight"] == (1536, 6 * 1536)
    assert shapes["mmdit.block23.norm1_context.linear.weight"] == (1536, 2 * 1536)
    assert "mmdit.block23.attn.to_add_out.weight" not in shapes  # context_pre_only
    assert "mmdit.block23.ff_context.net.2.weight" not in shapes


def test_controlnet_residual_inputs() -> None:
    module = build_mmdit(MmditConfig(controlnet_residuals=True))
    inputs, _ = signature(module)
    assert inputs[4:] == ["tensor<2x4096x1536xf16>"] * 6


def test_zero_residuals_change_nothing_and_others_do() -> None:
    plain = build_model("sd3-mmdit-tiny")
    with_res = build_mmdit(replace(TINY, controlnet_residuals=True))
    inputs = random_inputs(entry(plain), seed=0)
    extra = random_inputs(entry(with_res))[len(inputs) :]
    zeros = [np.zeros_like(r) for r in extra]
    (a,) = run_function(plain, inputs, WeightStore(seed=1))
    (b,) = run_function(with_res, inputs + zeros, WeightStore(seed=1))
    (c,) = run_function(with_res, inputs + extra, WeightStore(seed=1))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_tiny_runs_in_the_interpreter() -> None:
    (out,) = run_tiny("sd3-mmdit-tiny")
    assert out.shape == (2, 4, 8, 8)


def test_tiny_o3_matches_the_interpreter() -> None:
    check_o3("sd3-mmdit-tiny")
