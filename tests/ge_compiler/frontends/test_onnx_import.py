"""The ONNX importer: API shape, weights by name, dynamic dims, errors, ge-import, ge-run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import ge_compiler.frontends as ge  # noqa: E402
from ge_compiler.errors import GeError  # noqa: E402
from ge_compiler.interpreter import run_function  # noqa: E402
from ge_compiler.tools.ge_import import main as ge_import  # noqa: E402
from ge_compiler.tools.ge_run import main as ge_run  # noqa: E402

RNG = np.random.default_rng(0)


def _model(nodes, inputs, outputs, inits=(), opset=17):  # type: ignore[no-untyped-def]
    g = helper.make_graph(nodes, "net", inputs, outputs, list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def _mlp(batch: int | str = 2) -> onnx.ModelProto:
    w1 = RNG.standard_normal((8, 16)).astype(np.float32)
    b1 = RNG.standard_normal(16).astype(np.float32)
    w2 = RNG.standard_normal((16, 4)).astype(np.float32)
    return _model(
        [
            helper.make_node("MatMul", ["input:0", "w1"], ["h"], name="mm1"),
            helper.make_node("Add", ["h", "b1"], ["h2"]),
            helper.make_node("Relu", ["h2"], ["h3"]),
            helper.make_node("Gemm", ["h3", "w2"], ["logits"], alpha=0.5),
            helper.make_node("Softmax", ["logits"], ["probs"]),
        ],
        [helper.make_tensor_value_info("input:0", TensorProto.FLOAT, [batch, 8])],
        [
            helper.make_tensor_value_info("probs", TensorProto.FLOAT, [batch, 4]),
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, 4]),
        ],
        [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"))],
    )


def _mlp_ref(m: onnx.ModelProto, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    logits = 0.5 * (np.maximum(x @ w["w1"] + w["b1"], 0) @ w["w2"])
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True), logits


def test_import_names_weights_and_both_routes() -> None:
    m = _mlp()
    imp = ge.from_onnx(m)
    assert imp.input_names == ["input:0"] and imp.output_names == ["probs", "logits"]
    assert sorted(imp.weights) == ["b1", "w1", "w2"]
    text = str(imp.module)
    assert 'graph.weight "w1"' in text and "@net(%input" in text
    x = RNG.standard_normal((2, 8)).astype(np.float32)
    probs, logits = _mlp_ref(m, x)
    out = run_function(imp.module, [x], imp.weights)
    np.testing.assert_allclose(out[0], probs, rtol=1e-4, atol=1e-6)
    res = imp.compile(opt_level="O3").run({"input:0": x}, functional=True)
    np.testing.assert_allclose(res["probs"], probs, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(res["logits"], logits, rtol=1e-4, atol=1e-5)
    assert res.report["kernel_launches"] >= 1


def test_dynamic_batch_stays_symbolic(tmp_path: Path) -> None:
    m = _mlp("N")
    path = tmp_path / "mlp.onnx"
    onnx.save(m, path)
    imp = ge.from_onnx(str(path))
    assert "tensor<?x8xf32>" in str(imp.module)
    x = RNG.standard_normal((5, 8)).astype(np.float32)
    np.testing.assert_allclose(
        run_function(imp.module, [x], imp.weights)[0], _mlp_ref(m, x)[0], rtol=1e-4, atol=1e-6
    )


def test_shape_ops_fold_from_initializers() -> None:
    """Shape -> Gather -> Concat -> Reshape: read at import time, no runtime shape ops."""
    m = _model(
        [
            helper.make_node("Shape", ["x"], ["s"]),
            helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
            helper.make_node("Unsqueeze", ["n", "zero1"], ["n1"]),
            helper.make_node("Concat", ["n1", "minus1"], ["shape"], axis=0),
            helper.make_node("Reshape", ["x", "shape"], ["y"]),
        ],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 12])],
        [
            numpy_helper.from_array(np.array(0, np.int64), "zero"),
            numpy_helper.from_array(np.array([0], np.int64), "zero1"),
            numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
        ],
    )
    imp = ge.from_onnx(m)
    ops = [op.name for op in imp.module.walk()]
    assert ops.count("graph.reshape") == 1 and "graph.gather" not in ops
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    assert run_function(imp.module, [x])[0].shape == (2, 12)


def test_checker_failure_is_geerror() -> None:
    bad = _model(
        [helper.make_node("Relu", ["nope"], ["y"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    with pytest.raises(GeError, match="invalid ONNX model"):
        ge.from_onnx(bad)


def test_unsupported_op_names_node_op_and_opset() -> None:
    m = _model(
        [helper.make_node("Sin", ["x"], ["y"], name="the_sin")],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    with pytest.raises(GeError, match=r"node 'the_sin' \(Sin, opset 17\)"):
        ge.from_onnx(m)


def test_scan_is_unsupported_with_reason() -> None:
    """If and Loop import (test_onnx_control.py); Scan is refused with one clear error."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["s"], ["o"])], "b",
        [helper.make_tensor_value_info("s", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, [2])],
    )  # fmt: skip
    m = _model(
        [helper.make_node("Scan", ["x"], ["y"], body=body, num_scan_inputs=1)],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    with pytest.raises(GeError, match="Scan"):
        ge.from_onnx(m)


def test_old_opset_and_bad_dtype() -> None:
    relu = [helper.make_node("Relu", ["x"], ["y"])]
    io = (
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    with pytest.raises(GeError, match="opset 11 is not supported"):
        ge.from_onnx(_model(relu, *io, opset=11))
    io64 = (
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [2])],
    )
    with pytest.raises(GeError, match="DOUBLE is not supported"):
        ge.from_onnx(_model(relu, *io64))


def test_conv_bn_pool_resize_net() -> None:
    w = RNG.standard_normal((4, 3, 3, 3)).astype(np.float32)
    stats = [RNG.random(4).astype(np.float32) + 0.5 for _ in range(4)]
    m = _model(
        [
            helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2]),
            helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["bn"]),
            helper.make_node("Relu", ["bn"], ["r"]),
            helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("Resize", ["p", "", "scales"], ["y"], mode="nearest"),
        ],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])],
        [numpy_helper.from_array(w, "w")]
        + [numpy_helper.from_array(a, n) for a, n in zip(stats, "sbmv", strict=True)]
        + [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")],
    )
    from onnx.reference import ReferenceEvaluator

    x = RNG.standard_normal((1, 3, 16, 16)).astype(np.float32)
    expected = ReferenceEvaluator(m).run(None, {"x": x})[0]
    imp = ge.from_onnx(m)
    assert "graph.resize" in str(imp.module)
    got = imp.compile("O3").run({"x": x}, functional=True)["y"]
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_ge_import_writes_ir_and_npz_only_on_success(tmp_path: Path) -> None:
    src = tmp_path / "mlp.onnx"
    onnx.save(_mlp(), src)
    out = tmp_path / "mlp.mlir"
    ge_import([str(src), "-o", str(out)])
    assert "func.func @net" in out.read_text()
    assert sorted(np.load(tmp_path / "mlp.npz").files) == ["b1", "w1", "w2"]
    bad = tmp_path / "bad.onnx"
    onnx.save(
        _model(
            [helper.make_node("Sin", ["x"], ["y"])],
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        ),
        bad,
    )
    with pytest.raises(SystemExit) as e:
        ge_import([str(bad), "-o", str(tmp_path / "bad.mlir")])
    assert e.value.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.onnx",
        "mlp.mlir",
        "mlp.npz",
        "mlp.onnx",
    ]


def test_ge_run_accepts_onnx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "mlp.onnx"
    onnx.save(_mlp(), src)
    ge_run([str(src), "-O0", "-O3", "--check"])
    out = capsys.readouterr().out
    assert "check O3" in out and "mlp" in out
