"""The vision-language encoder (CLIP ViT-L/14 + LLaVA-style projector): sizes and runs."""

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
from ge_compiler.models.vit import TINY, VitConfig, build_vit
from ge_compiler.weights import WeightStore

# openai/clip-vit-large-patch14: CLIPModel has 427,616,513 parameters = text 123,060,480 +
# vision 303,179,776 + visual_projection 1024 x 768 + text_projection 768 x 768 + logit_scale;
# CLIPVisionModelWithProjection is vision + visual_projection.
CLIP_L14_VISION_WITH_PROJECTION = 303_179_776 + 1024 * 768
# The mlp2x_gelu projector to Qwen2.5-7B's width (no public checkpoint at this size): derived.
PROJECTOR = 1024 * 3584 + 3584 + 3584 * 3584 + 3584


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
    return build_model("vl-encoder")


def test_registered() -> None:
    assert {"vl-encoder", "vl-encoder-tiny"} <= set(MODELS)


def test_real_size_builds(full: ModuleOp) -> None:
    check_real_size(full)
    assert signature(full) == (
        ["tensor<1x3x224x224xf16>"],
        ["tensor<1x768xf16>", "tensor<1x256x3584xf16>"],
    )


def test_parameter_count(full: ModuleOp) -> None:
    assert param_count(full) == CLIP_L14_VISION_WITH_PROJECTION + PROJECTOR
    assert param_count(full, ("projector.linear_1.weight", "projector.linear_1.bias",
                              "projector.linear_2.weight", "projector.linear_2.bias")
                       ) == 303_966_208  # fmt: skip


def test_tiny_runs_in_the_interpreter() -> None:
    embeds, tokens = run_tiny("vl-encoder-tiny")
    assert embeds.shape == (1, TINY.projection_dim)
    assert tokens.shape == (1, TINY.patches, TINY.llm_hidden)


def test_tiny_o3_matches_the_interpreter() -> None:
    check_o3("vl-encoder-tiny")


def test_class_token_is_broadcast_over_the_batch() -> None:
    """Two identical images in a batch of 2 give identical outputs (the class embedding is
    gathered once per batch item)."""
    from dataclasses import replace

    module = build_vit(replace(TINY, batch=2))
    (pixels,) = random_inputs(entry(module), seed=0)
    pixels[1] = pixels[0]
    embeds, tokens = run_function(module, [pixels], WeightStore(seed=1))
    np.testing.assert_array_equal(embeds[0], embeds[1])
    np.testing.assert_array_equal(tokens[0], tokens[1])
    assert VitConfig().patches == 256
