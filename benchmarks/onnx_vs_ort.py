"""Graph size after optimization: ONNX Runtime's optimized node count vs ge-compiler's kernels.

    python benchmarks/onnx_vs_ort.py [--json out.json]

Four models are built in code with onnx.helper (a transformer encoder stack, a small CNN, a
UNet-like conv net, a VAE-decoder-like net). For each: the ONNX node count, ONNX Runtime's node
count after ORT_ENABLE_EXTENDED (and after onnxruntime.transformers' BERT optimizer for the
transformer, when importable offline), and ge-compiler's kernel count at ge-O0 and ge-O3.
Fewer nodes/kernels = fewer launches; ORT's CPU fusions and ge's device kernels are not the
same unit, so read this as "how much each optimizer shrinks the graph", not as a race.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from typing import Any

import numpy as np

RNG = np.random.default_rng(0)


class _Net:
    """A tiny helper around onnx.helper: fresh names, initializers, nodes."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self.n = 0

    def name(self, base: str) -> str:
        self.n += 1
        return f"{base}_{self.n}"

    def init(self, base: str, arr: np.ndarray) -> str:
        from onnx import numpy_helper

        name = self.name(base)
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def w(self, base: str, *shape: int) -> str:
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        return self.init(base, (RNG.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32))

    def op(self, op_type: str, inputs: list[str], **attrs: Any) -> str:
        from onnx import helper

        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def ints(self, *values: int) -> str:
        return self.init("c", np.array(values, np.int64))

    def scalar(self, v: float) -> str:
        return self.init("s", np.array(v, np.float32))

    def model(
        self, x: str, shape: list[int], y: str, y_shape: list[int], name: str, opset: int = 17
    ) -> Any:
        from onnx import TensorProto, helper

        g = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(x, TensorProto.FLOAT, shape)],
            [helper.make_tensor_value_info(y, TensorProto.FLOAT, y_shape)], self.inits,
        )  # fmt: skip
        return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def transformer(layers: int = 2, seq: int = 128, hidden: int = 256, heads: int = 4) -> Any:
    """BERT-style encoder layers as exported by PyTorch (erf GELU, explicit attention)."""
    net, hd = _Net(), hidden // heads
    x = "x"
    for _ in range(layers):

        def proj(t: str, n_out: int = hidden) -> str:
            y = net.op("MatMul", [t, net.w("w", hidden if t != "h" else 4 * hidden, n_out)])
            return net.op("Add", [y, net.init("b", np.zeros(n_out, np.float32))])

        def heads_of(t: str) -> str:
            r = net.op("Reshape", [t, net.ints(1, seq, heads, hd)])
            return net.op("Transpose", [r], perm=[0, 2, 1, 3])

        q, k, v = (heads_of(proj(x)) for _ in range(3))
        kt = net.op("Transpose", [k], perm=[0, 1, 3, 2])
        s = net.op("Div", [net.op("MatMul", [q, kt]), net.scalar(float(np.sqrt(hd)))])
        a = net.op("MatMul", [net.op("Softmax", [s], axis=-1), v])
        a = net.op(
            "Reshape", [net.op("Transpose", [a], perm=[0, 2, 1, 3]), net.ints(1, seq, hidden)]
        )
        o = net.op("Add", [proj(a), x])
        ln_w = [
            net.init("g", np.ones(hidden, np.float32)),
            net.init("be", np.zeros(hidden, np.float32)),
        ]
        x1 = net.op("LayerNormalization", [o, *ln_w], axis=-1, epsilon=1e-12)
        h = proj(x1, 4 * hidden)
        erf = net.op("Erf", [net.op("Div", [h, net.scalar(float(np.sqrt(2.0)))])])
        gelu = net.op(
            "Mul", [net.op("Mul", [h, net.op("Add", [erf, net.scalar(1.0)])]), net.scalar(0.5)]
        )
        down = net.op("MatMul", [gelu, net.w("w2", 4 * hidden, hidden)])
        down = net.op("Add", [down, net.init("b2", np.zeros(hidden, np.float32))])
        f = net.op("Add", [down, x1])
        ln2 = [
            net.init("g", np.ones(hidden, np.float32)),
            net.init("be", np.zeros(hidden, np.float32)),
        ]
        x = net.op("LayerNormalization", [f, *ln2], axis=-1, epsilon=1e-12)
    return net.model("x", [1, seq, hidden], x, [1, seq, hidden], "transformer")


def _conv(net: _Net, x: str, cin: int, cout: int, stride: int = 1) -> str:
    w, b = net.w("cw", cout, cin, 3, 3), net.init("cb", np.zeros(cout, np.float32))
    return net.op("Conv", [x, w, b], pads=[1, 1, 1, 1], strides=[stride, stride])


def _silu(net: _Net, x: str) -> str:
    return net.op("Mul", [x, net.op("Sigmoid", [x])])


def _group_norm(net: _Net, x: str, c: int, hw: int, groups: int = 8) -> str:
    """GroupNorm as PyTorch exports it: Reshape -> InstanceNormalization -> Reshape -> Mul/Add."""
    r = net.op("Reshape", [x, net.ints(1, groups, -1)])
    ones, zeros = np.ones(groups, np.float32), np.zeros(groups, np.float32)
    n = net.op(
        "InstanceNormalization", [r, net.init("ig", ones), net.init("ib", zeros)], epsilon=1e-5
    )
    back = net.op("Reshape", [n, net.ints(1, c, hw, hw)])
    scaled = net.op("Mul", [back, net.init("gs", np.ones((c, 1, 1), np.float32))])
    return net.op("Add", [scaled, net.init("gb", np.zeros((c, 1, 1), np.float32))])


def cnn() -> Any:
    """conv-bn-relu x3 with pooling, global average pool, classifier."""
    net, x, c = _Net(), "x", 3
    for cout in (32, 64, 128):
        y = _conv(net, x, c, cout)
        stats = [np.ones(cout, np.float32), np.zeros(cout, np.float32),
                 np.zeros(cout, np.float32), np.ones(cout, np.float32)]  # fmt: skip
        bn = net.op("BatchNormalization", [y, *(net.init("bn", s) for s in stats)])
        x = net.op("MaxPool", [net.op("Relu", [bn])], kernel_shape=[2, 2], strides=[2, 2])
        c = cout
    g = net.op("Flatten", [net.op("GlobalAveragePool", [x])])
    out = net.op(
        "Gemm", [g, net.w("fc", 10, c), net.init("fb", np.zeros(10, np.float32))], transB=1
    )
    return net.model("x", [1, 3, 64, 64], out, [1, 10], "cnn")


def unet() -> Any:
    """Two down and two up stages with skip concatenations, SiLU activations."""
    net = _Net()
    e1 = _silu(net, _conv(net, "x", 4, 32))
    e2 = _silu(net, _conv(net, e1, 32, 64, 2))
    m = _silu(net, _conv(net, e2, 64, 128, 2))
    scales = net.init("sc", np.array([1, 1, 2, 2], np.float32))
    u2 = net.op("Resize", [m, "", scales], mode="nearest")
    d2 = _silu(net, _conv(net, net.op("Concat", [u2, e2], axis=1), 192, 64))
    u1 = net.op("Resize", [d2, "", scales], mode="nearest")
    d1 = _silu(net, _conv(net, net.op("Concat", [u1, e1], axis=1), 96, 32))
    out = _conv(net, d1, 32, 4)
    return net.model("x", [1, 4, 64, 64], out, [1, 4, 64, 64], "unet")


def vae_decoder() -> Any:
    """Latent -> conv, ResNet blocks with GroupNorm + SiLU, nearest upsampling x2, twice."""
    net, size = _Net(), 32
    x = _conv(net, "x", 4, 64)
    for stage in range(3):
        h = _conv(net, _silu(net, _group_norm(net, x, 64, size)), 64, 64)
        h = _conv(net, _silu(net, _group_norm(net, h, 64, size)), 64, 64)
        x = net.op("Add", [x, h])
        if stage < 2:
            x = net.op(
                "Resize",
                [x, "", net.init("sc", np.array([1, 1, 2, 2], np.float32))],
                mode="nearest",
            )
            size *= 2
            x = _conv(net, x, 64, 64)
    out = _conv(net, _silu(net, _group_norm(net, x, 64, size)), 64, 3)
    return net.model("x", [1, 4, 32, 32], out, [1, 3, 128, 128], "vae-decoder")


def ort_nodes(model: Any, tmp: str) -> int:
    import onnx
    import onnxruntime as ort

    src, dst = os.path.join(tmp, "m.onnx"), os.path.join(tmp, "opt.onnx")
    onnx.save(model, src)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    so.optimized_model_filepath = dst
    ort.InferenceSession(src, so, providers=["CPUExecutionProvider"])
    return len(onnx.load(dst).graph.node)


def ort_bert_nodes(model: Any, heads: int, hidden: int) -> int | None:
    try:
        from onnxruntime.transformers.optimizer import optimize_model
    except Exception:
        return None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            import onnx

            path = os.path.join(tmp, "m.onnx")
            onnx.save(model, path)
            opt = optimize_model(  # opt_level 0: python fusions only (no torch needed)
                path, model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0
            )
            return len(opt.model.graph.node)
    except Exception:
        return None


def ge_kernels(model: Any, level: str) -> int:
    from ge_compiler.frontends import from_onnx

    return len(from_onnx(model).compile(opt_level=level).result.schedule.kernels)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", help="Write the rows as JSON here.")
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")
    rows = []
    for name, build in (("transformer-2L", transformer), ("cnn", cnn), ("unet-like", unet),
                        ("vae-decoder-like", vae_decoder)):  # fmt: skip
        model = build()
        with tempfile.TemporaryDirectory() as tmp:
            ort_ext = ort_nodes(model, tmp)
        rows.append({
            "model": name,
            "onnx_nodes": len(model.graph.node),
            "ort_extended_nodes": ort_ext,
            "ort_bert_optimizer_nodes": (
                ort_bert_nodes(model, 4, 256) if name.startswith("transformer") else None
            ),
            "ge_O0_kernels": ge_kernels(model, "O0"),
            "ge_O3_kernels": ge_kernels(model, "O3"),
        })  # fmt: skip
    cols = list(rows[0])
    print("  ".join(f"{c:>24}" if i else f"{c:18}" for i, c in enumerate(cols)))
    for r in rows:
        print("  ".join(f"{'-' if r[c] is None else r[c]!s:>24}" if i else f"{r[c]:18}"
                        for i, c in enumerate(cols)))  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
