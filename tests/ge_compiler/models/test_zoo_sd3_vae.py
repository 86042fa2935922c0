"""The SD3 VAE decoder (16 latent channels) at 1024x1024: sizes and runs."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.compiler import compile_module
from ge_compiler.device.functional import check
from ge_compiler.dialects import graph
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import verify_module
from ge_compiler.models import MODELS, build_model
from ge_compiler.weights import WeightStore

# SD 2.1's decoder has 49,490,179 parameters (diffusers stabilityai/stable-diffusion-2-1 vae,
# see test_sd_models.py) plus post_quant_conv (20). SD3's (stable-diffusion-3-medium-diffusers
# vae/config.json: latent_channels 16, use_post_quant_conv false) has the same blocks, no
# post_quant_conv, and a conv_in reading 16 instead of 4 channels: 12 x 512 x 3 x 3 more.
SD3_VAE_DECODER = 49_490_179 + 12 * 512 * 3 * 3


def weights_of(module: ModuleOp) -> list[graph.WeightOp]:
    return [op for op in module.walk() if isinstance(op, graph.WeightOp)]


def param_count(module: ModuleOp, exclude: tuple[str, ...] = ()) -> int:
    return sum(
        int(np.prod(graph.shape_of(w.result)))
        for w in weights_of(module)
        if w.weight_name.data not in exclude
    )


def entry(module: ModuleOp) -> func.FuncOp:
    (fn,) = list(module.ops)
    assert isinstance(fn, func.FuncOp)
    return fn


def signature(module: ModuleOp) -> tuple[list[str], list[str]]:
    ft = entry(module).function_type
    return [str(t) for t in ft.inputs.data], [str(t) for t in ft.outputs.data]


def run_tiny(name: str) -> list[np.ndarray]:
    """The tiny variant in the reference interpreter: f32 weights, finite, varied outputs."""
    module = build_model(name)
    verify_module(module)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f32"}
    outs = run_function(module, random_inputs(entry(module), seed=0), WeightStore(seed=1))
    for out in outs:
        assert out.dtype == np.float32 and np.isfinite(out).all() and out.std() > 0
    return outs


def check_o3(name: str) -> None:
    """The tiny variant compiled at O3 matches the interpreter (device functional mode)."""
    original = build_model(name)
    outcome = check(original, compile_module(original.clone(), 3).schedule)
    assert outcome.passed, outcome.message


def check_real_size(module: ModuleOp) -> None:
    verify_module(module)
    names = [w.weight_name.data for w in weights_of(module)]
    assert len(set(names)) == len(names)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f16"}


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
