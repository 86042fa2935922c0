"""The T5 v1.1 XXL encoder (SD3's text_encoder_3): sizes, relative position buckets, runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from zoo_checks import (
    check_o3,
    check_real_size,
    param_count,
    run_tiny,
    signature,
)

from ge_compiler.builder import GraphBuilder
from ge_compiler.interpreter import run_function
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.t5 import T5Config, relative_position_buckets

# google/t5-v1_1-xxl encoder (T5EncoderModel, stable-diffusion-3-medium-diffusers
# text_encoder_3): 4,762,310,656 parameters = shared embedding 32128 x 4096 + 24 layers x
# (4 x 4096^2 attention + 2 x 4096 x 10240 + 10240 x 4096 gated-GELU + 2 x 4096 norms) +
# relative_attention_bias 32 x 64 + final norm 4096. The graph builds the bias exactly.
T5_XXL_ENCODER = 4_762_310_656


def hf_relative_position_bucket(rel: np.ndarray, num_buckets: int, max_distance: int) -> np.ndarray:
    """transformers' T5Attention._relative_position_bucket, bidirectional, in numpy."""
    num_buckets //= 2
    ret = (rel > 0).astype(np.int64) * num_buckets
    n = np.abs(rel)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    with np.errstate(divide="ignore", invalid="ignore"):
        large = max_exact + (
            np.log(n.astype(np.float32) / max_exact)
            / math.log(max_distance / max_exact)
            * (num_buckets - max_exact)
        ).astype(np.int64)
    large = np.minimum(large, num_buckets - 1)
    return ret + np.where(is_small, n, large)


@pytest.fixture(scope="module")
def full() -> ModuleOp:
    return build_model("t5-encoder")


def test_registered() -> None:
    assert {"t5-encoder", "t5-encoder-tiny"} <= set(MODELS)


def test_real_size_builds(full: ModuleOp) -> None:
    check_real_size(full)
    assert signature(full) == (["tensor<1x256xi64>"], ["tensor<1x256x4096xf16>"])


def test_parameter_count(full: ModuleOp) -> None:
    assert param_count(full) == T5_XXL_ENCODER


@pytest.mark.parametrize("seq", [12, 300])
def test_relative_position_buckets_match_hf(seq: int) -> None:
    cfg = T5Config(seq=seq, dtype="f16")
    b = GraphBuilder("f16")
    with b.module("buckets"):
        b.output(relative_position_buckets(b, cfg))
    (buckets,) = run_function(b.build(), [])
    pos = np.arange(seq)
    expected = hf_relative_position_bucket(pos[None, :] - pos[:, None], 32, 128)
    np.testing.assert_array_equal(buckets, expected)


def test_tiny_runs_in_the_interpreter() -> None:
    (out,) = run_tiny("t5-encoder-tiny")
    assert out.shape == (1, 12, 32)


def test_tiny_o3_matches_the_interpreter() -> None:
    check_o3("t5-encoder-tiny")
