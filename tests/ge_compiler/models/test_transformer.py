"""The transformer model: sizes, weights, and a run through the reference interpreter."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from xdsl.dialects import func

from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.ir import verify_module
from ge_compiler.models import MODELS, build_model
from ge_compiler.models.transformer import TINY, TransformerConfig, build_transformer


def weights_of(module) -> list[graph.WeightOp]:
    return [op for op in module.walk() if isinstance(op, graph.WeightOp)]


def test_registry() -> None:
    assert {"transformer", "transformer-tiny"} <= set(MODELS)
    with pytest.raises(GeError, match="unknown model 'gpt'.*transformer-tiny"):
        build_model("gpt")


def test_default_config_is_bert_base() -> None:
    cfg = TransformerConfig()
    assert (cfg.layers, cfg.hidden, cfg.heads, cfg.ffn, cfg.seq, cfg.batch, cfg.dtype) == (
        12, 768, 12, 3072, 128, 1, "f16",
    )  # fmt: skip
    assert (TINY.layers, TINY.hidden, TINY.heads, TINY.ffn, TINY.seq, TINY.dtype) == (
        2, 32, 4, 64, 8, "f32",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "cfg"), [("transformer", TransformerConfig()), ("transformer-tiny", TINY)]
)
def test_model_verifies_with_expected_weights(name: str, cfg: TransformerConfig) -> None:
    module = build_model(name)
    verify_module(module)
    (fn,) = list(module.ops)
    assert isinstance(fn, func.FuncOp) and fn.sym_name.data == "transformer"
    shape = f"tensor<{cfg.batch}x{cfg.seq}x{cfg.hidden}x{cfg.dtype}>"
    assert [str(t) for t in fn.function_type.inputs.data] == [shape]
    assert [str(t) for t in fn.function_type.outputs.data] == [shape]

    weights = weights_of(module)
    # per layer: 2 layer norms x 2 + 4 attention linears x 2 + 2 FFN linears x 2 = 16; final norm 2
    assert len(weights) == 16 * cfg.layers + 2
    names = [w.weight_name.data for w in weights]
    assert len(set(names)) == len(names)
    shapes = {w.weight_name.data: graph.shape_of(w.result) for w in weights}
    h, f = cfg.hidden, cfg.ffn
    assert shapes["layer0.attn.q.weight"] == (h, h)
    assert shapes["layer0.attn.out.bias"] == (h,)
    assert shapes["layer0.ffn.fc1.weight"] == (h, f)
    assert shapes["layer0.ffn.fc2.weight"] == (f, h)
    assert shapes[f"layer{cfg.layers - 1}.ln2.weight"] == (h,)
    assert shapes["final_ln.bias"] == (h,)
    assert all(str(graph.dtype_of(w.result)) == cfg.dtype for w in weights)


def test_bert_base_parameter_count() -> None:
    module = build_model("transformer")
    params = sum(int(np.prod(graph.shape_of(w.result))) for w in weights_of(module))
    per_layer = 4 * (768 * 768 + 768) + (768 * 3072 + 3072) + (3072 * 768 + 768) + 4 * 768
    assert params == 12 * per_layer + 2 * 768  # ~85M: BERT-base without embeddings


def test_op_mix_per_layer() -> None:
    counts = Counter(op.name for op in build_transformer(TINY).walk())
    layers = TINY.layers
    assert counts["graph.layer_norm"] == 2 * layers + 1
    assert counts["graph.matmul"] == 8 * layers  # q, k, v, scores, context, out, fc1, fc2
    assert counts["graph.softmax"] == layers
    assert counts["graph.gelu"] == layers


def test_tiny_transformer_runs_in_the_interpreter() -> None:
    from ge_compiler.interpreter import random_inputs, run_function
    from ge_compiler.weights import WeightStore

    module = build_model("transformer-tiny")
    inputs = random_inputs(next(iter(module.ops)), seed=0)
    (out,) = run_function(module, inputs, WeightStore(seed=1))
    assert out.shape == (1, 8, 32)
    assert out.dtype == np.float32
    assert np.isfinite(out).all()
    # the final layer norm (weight ~ N(0, 1), not learned) still produces varied outputs
    assert out.std() > 0
    again = run_function(module, inputs, WeightStore(seed=1))[0]
    np.testing.assert_array_equal(out, again)
