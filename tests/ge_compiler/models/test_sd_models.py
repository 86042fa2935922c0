"""Stable Diffusion 2.1 modules: tiny variants run in the interpreter, full sizes build with the
public parameter counts."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from zoo_checks import entry, param_count, signature, weights_of

from ge_compiler.dialects import graph
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import verify_module
from ge_compiler.models import MODELS, build_model
from ge_compiler.weights import WeightStore

SD21 = ("sd21-text-encoder", "sd21-unet", "sd21-vae-decoder")

# Public counts: diffusers' stabilityai/stable-diffusion-2-1 checkpoints.
UNET_PARAMS = 865_910_724
VAE_DECODER_PARAMS = 49_490_199  # decoder 49,490,179 + post_quant_conv 20
# OpenCLIP ViT-H/14 text tower: 24 layers + embeddings + final LN + text projection = 354.0M.
# SD 2.1 keeps 23 layers (penultimate output) and no projection: one layer of
# 4 * (1024^2 + 1024) + (1024 * 4096 + 4096) + (4096 * 1024 + 1024) + 4 * 1024 = 12,596,224 and
# the 1024 x 1024 projection fewer, i.e. 340,387,840 (the diffusers text_encoder's count).
OPENCLIP_H_TEXT_PARAMS = 354_032_640
TEXT_LAYER_PARAMS = 12_596_224
TEXT_ENCODER_PARAMS = OPENCLIP_H_TEXT_PARAMS - TEXT_LAYER_PARAMS - 1024 * 1024


def test_registered() -> None:
    for name in SD21:
        assert name in MODELS and f"{name}-tiny" in MODELS


@pytest.fixture(scope="module")
def full() -> dict[str, ModuleOp]:
    return {name: build_model(name) for name in SD21}


@pytest.mark.parametrize(
    ("name", "inputs", "output"),
    [
        (
            "sd21-unet",
            ["tensor<2x4x64x64xf16>", "tensor<2x320xf16>", "tensor<2x77x1024xf16>"],
            "tensor<2x4x64x64xf16>",
        ),
        ("sd21-text-encoder", ["tensor<1x77xi64>"], "tensor<1x77x1024xf16>"),
        ("sd21-vae-decoder", ["tensor<1x4x64x64xf16>"], "tensor<1x3x512x512xf16>"),
    ],
)
def test_full_size_signature(
    full: dict[str, ModuleOp], name: str, inputs: list[str], output: str
) -> None:
    module = full[name]
    verify_module(module)
    assert signature(module) == (inputs, [output])
    names = [w.weight_name.data for w in weights_of(module)]
    assert len(set(names)) == len(names)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f16"}


@pytest.mark.parametrize(
    ("name", "public"),
    [
        ("sd21-unet", UNET_PARAMS),
        ("sd21-text-encoder", TEXT_ENCODER_PARAMS),
        ("sd21-vae-decoder", VAE_DECODER_PARAMS),
    ],
)
def test_full_size_parameter_count(full: dict[str, ModuleOp], name: str, public: int) -> None:
    params = param_count(full[name])
    print(f"{name}: {params:,} parameters (public {public:,})")
    assert params == pytest.approx(public, rel=0.01)


def test_full_size_weight_names_and_shapes(full: dict[str, ModuleOp]) -> None:
    shapes = {
        w.weight_name.data: graph.shape_of(w.result)
        for module in full.values()
        for w in weights_of(module)
    }
    expected = {
        "unet.conv_in.weight": (320, 4, 3, 3),
        "unet.time_embedding.linear_1.weight": (320, 1280),
        "unet.down0.res1.conv1.weight": (320, 320, 3, 3),
        "unet.down0.res1.time_emb_proj.weight": (1280, 320),
        "unet.down1.res0.conv_shortcut.weight": (640, 320, 1, 1),
        "unet.down2.attn1.block0.attn2.k.weight": (1024, 1280),
        "unet.down2.attn1.block0.ff.proj.weight": (1280, 10240),
        "unet.down2.attn1.block0.ff.out.weight": (5120, 1280),
        "unet.mid.attn0.proj_in.weight": (1280, 1280),
        "unet.up0.res0.conv1.weight": (1280, 2560, 3, 3),
        "unet.up3.res0.conv1.weight": (320, 960, 3, 3),  # 640 from up2 + a 320 skip
        "unet.up3.res2.conv_shortcut.weight": (320, 640, 1, 1),
        "unet.conv_out.weight": (4, 320, 3, 3),
        "text.token_embedding.weight": (49408, 1024),
        "text.position_embedding.weight": (77, 1024),
        "text.layer22.mlp.fc1.weight": (1024, 4096),
        "text.final_layer_norm.weight": (1024,),
        "vae.post_quant_conv.weight": (4, 4, 1, 1),
        "vae.decoder.mid.attn0.q.weight": (512, 512),
        "vae.decoder.up2.res0.conv_shortcut.weight": (256, 512, 1, 1),
        "vae.decoder.up3.res2.conv2.weight": (128, 128, 3, 3),
        "vae.decoder.conv_out.weight": (3, 128, 3, 3),
    }
    assert {k: shapes.get(k) for k in expected} == expected
    assert "text.layer23.ln1.weight" not in shapes  # penultimate layer: 23 of OpenCLIP's 24
    assert "unet.down0.attn0.block0.attn1.q.bias" not in shapes  # q/k/v have no bias
    assert "unet.down3.attn0.norm.weight" not in shapes  # the last down block has no attention
    assert "unet.up0.attn0.norm.weight" not in shapes  # nor the first up block


def test_unet_op_mix(full: dict[str, ModuleOp]) -> None:
    counts = Counter(op.name for op in full["sd21-unet"].walk())
    resnets = 4 * 2 + 2 + 4 * 3  # down, mid, up: 22
    transformers = 3 * 2 + 1 + 3 * 3  # 16, each with a self- and a cross-attention
    # 1x1 shortcuts: down1.res0 and down2.res0 change channels; every up resnet takes a concat
    shortcuts = 2 + 12
    assert counts["graph.softmax"] == 2 * transformers
    assert counts["graph.layer_norm"] == 3 * transformers
    assert counts["graph.group_norm"] == 2 * resnets + transformers + 1
    assert counts["graph.conv2d"] == 2 * resnets + shortcuts + 3 + 3 + 2  # downs, ups, in/out
    assert counts["graph.concat"] == 12  # one per up-block resnet (skip connections)
    assert counts["graph.resize"] == 3


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("sd21-unet-tiny", (2, 4, 8, 8)),
        ("sd21-text-encoder-tiny", (1, 8, 32)),
        ("sd21-vae-decoder-tiny", (1, 3, 16, 16)),
    ],
)
def test_tiny_runs_in_the_interpreter(name: str, shape: tuple[int, ...]) -> None:
    module = build_model(name)
    verify_module(module)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f32"}
    inputs = random_inputs(entry(module), seed=0)
    (out,) = run_function(module, inputs, WeightStore(seed=1))
    assert out.shape == shape and out.dtype == np.float32
    assert np.isfinite(out).all() and out.std() > 0


def test_text_encoder_is_causal() -> None:
    """Changing the last token changes only the last position's output."""
    module = build_model("sd21-text-encoder-tiny")
    (ids,) = random_inputs(entry(module), seed=0)
    other = ids.copy()
    other[0, -1] = (ids[0, -1] + 1) % 64
    weights = WeightStore(seed=1)
    (a,) = run_function(module, [ids], weights)
    (b,) = run_function(module, [other], weights)
    np.testing.assert_array_equal(a[:, :-1], b[:, :-1])
    assert not np.allclose(a[:, -1], b[:, -1])


def test_unet_batch_items_are_independent() -> None:
    """Classifier-free guidance: each batch item depends only on its own inputs."""
    module = build_model("sd21-unet-tiny")
    inputs = random_inputs(entry(module), seed=0)
    changed = [x.copy() for x in inputs]
    changed[2][1] += 1.0  # the second item's text states
    weights = WeightStore(seed=1)
    (a,) = run_function(module, inputs, weights)
    (b,) = run_function(module, changed, weights)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-5, atol=1e-5)
    assert not np.allclose(a[1], b[1])
