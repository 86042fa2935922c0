"""The vision-language encoder (CLIP ViT-L/14 + LLaVA-style projector): sizes and runs."""

from __future__ import annotations

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
)

from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.vit import TINY, VitConfig, build_vit
from ge_compiler.weights import WeightStore

# openai/clip-vit-large-patch14: CLIPModel has 427,616,513 parameters = text 123,060,480 +
# vision 303,179,776 + visual_projection 1024 x 768 + text_projection 768 x 768 + logit_scale;
# CLIPVisionModelWithProjection is vision + visual_projection.
CLIP_L14_VISION_WITH_PROJECTION = 303_179_776 + 1024 * 768
# The mlp2x_gelu projector to Qwen2.5-7B's width (no public checkpoint at this size): derived.
PROJECTOR = 1024 * 3584 + 3584 + 3584 * 3584 + 3584


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
