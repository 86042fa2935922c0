"""PyTorch frontend, op by op: ``from_torch`` -> reference interpreter vs eager PyTorch.

Each case is a tiny module using one aten op family; the imported graph must give eager
PyTorch's numbers (f32, rtol/atol 1e-4). A few cases also run ge-O3 on the device model in
functional mode, and unsupported ops must end in one GeError naming node, op and target.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402, N812

from ge_compiler.errors import GeError  # noqa: E402
from ge_compiler.frontends import from_torch  # noqa: E402
from ge_compiler.interpreter import run_function  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")


class Fn(torch.nn.Module):
    """A module around a function (optionally with parameters)."""

    def __init__(self, fn: Callable[..., Any], **params: Any):
        super().__init__()
        self.fn = fn
        for name, p in params.items():
            if isinstance(p, torch.nn.Module):
                self.add_module(name, p)
            else:
                self.register_parameter(name, torch.nn.Parameter(p))

    def forward(self, *xs: Any) -> Any:
        return self.fn(self, *xs)


def check(
    model: torch.nn.Module, *args: Any, o3: bool = False, tol: float = 1e-4,
    names: Sequence[str] | None = None,
) -> Any:  # fmt: skip
    """Import ``model``; interpreter (and optionally ge-O3) outputs must match eager."""
    model = model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        imported = from_torch(model, args)
    with torch.no_grad():
        ref = model(*args)
    refs = [r.numpy() for r in (ref if isinstance(ref, tuple | list) else [ref])]
    labels = list(names) if names is not None else [f"output {i}" for i in range(len(refs))]
    arrays = [a.numpy() for a in args]
    outs = run_function(imported.module, arrays, imported.weights)
    assert len(outs) == len(refs)
    for o, r, label in zip(outs, refs, labels, strict=True):
        assert o.shape == r.shape, label
        np.testing.assert_allclose(o, r, rtol=tol, atol=tol, err_msg=label)
    if o3:
        run = imported.compile("O3").run(arrays, functional=True)
        for name, r, label in zip(imported.output_names, refs, labels, strict=True):
            np.testing.assert_allclose(run[name], r, rtol=tol, atol=tol, err_msg=f"O3 {label}")
    return imported


def check_cases(cases: dict[str, Callable[..., Any]], *args: Any, o3: bool = False) -> None:
    """Several one-op functions of the same inputs in one module (one export, one import)."""
    fns = list(cases.values())
    check(Fn(lambda _, *xs: tuple(f(*xs) for f in fns)), *args, names=list(cases), o3=o3)


def rnd(*shape: int) -> Any:
    return torch.randn(*shape)


@pytest.fixture(autouse=True)
def _seed() -> None:
    torch.manual_seed(0)


# ----------------------------------------------------------------------------- elementwise

UNARY: dict[str, Callable[[Any], Any]] = {
    "relu": torch.relu, "gelu": F.gelu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "erf": torch.erf,
    "exp": torch.exp, "log": lambda x: torch.log(x.abs() + 0.1),
    "sqrt": lambda x: torch.sqrt(x.abs()), "rsqrt": lambda x: torch.rsqrt(x.abs() + 0.5),
    "pow_scalar": lambda x: torch.pow(x, 3), "pow_tensor": lambda x: torch.pow(x.abs(), x),
    "neg_abs": lambda x: -x.abs(), "reciprocal": lambda x: 1.0 / (x.abs() + 1),
    "clamp": lambda x: x.clamp(-0.5, 0.7), "hardtanh": F.hardtanh,
    "softmax": lambda x: torch.softmax(x, -1), "softmax0": lambda x: F.softmax(x, 0),
    "log_softmax": lambda x: F.log_softmax(x, 1),
}  # fmt: skip


def test_unary() -> None:
    check_cases(UNARY, rnd(3, 5))


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
    "add_alpha": lambda a, b: torch.add(a, b, alpha=2.5),
    "sub_alpha": lambda a, b: a.sub(b, alpha=3),
    "add_scalar": lambda a, b: a + 2.0 + b, "mul_scalar": lambda a, b: a * 3 - b / 2,
    "rsub": lambda a, b: 1.0 - a * b, "div_scalar": lambda a, b: a / 4.0 + b,
    "maximum": torch.maximum, "minimum": torch.minimum, "broadcast": lambda a, b: a * b[0],
    "where": lambda a, b: torch.where(torch.ones(4, 5, dtype=torch.bool).tril(), a, b),
    "where_scalar": lambda a, b: torch.where(torch.eye(4, 5, dtype=torch.bool), a, 0.5) + b,
}  # fmt: skip


def test_binary() -> None:
    check_cases(BINARY, rnd(4, 5), rnd(4, 5))


def test_int_inputs_and_casts() -> None:
    check(Fn(lambda _, x, i: x * i.to(torch.float32) + i.float().sum()), rnd(2, 3),
          torch.arange(6).reshape(2, 3))  # fmt: skip


# ----------------------------------------------------------------------------- contractions


def test_linear_and_matmul_family() -> None:
    lin = torch.nn.Linear(6, 4)
    check(Fn(lambda m, x: m.lin(x), lin=lin), rnd(2, 3, 6), o3=True)
    check(Fn(lambda m, x: F.linear(x, m.w), w=rnd(4, 6)), rnd(3, 6))
    check(Fn(lambda _, a, b: torch.mm(a, b)), rnd(3, 4), rnd(4, 5))
    check(Fn(lambda _, a, b: torch.bmm(a, b)), rnd(2, 3, 4), rnd(2, 4, 5))
    check(Fn(lambda _, a, b: torch.matmul(a, b)), rnd(2, 2, 3, 4), rnd(4, 5))
    check(Fn(lambda _, a, b: a @ b), rnd(4), rnd(2, 4, 3))
    check(Fn(lambda _, a, b: torch.addmm(b[0], a, b, beta=0.5, alpha=2.0)), rnd(4, 4), rnd(4, 4))


CONV2D: list[dict[str, Any]] = [
    {},
    {"stride": 2, "padding": 1},
    {"padding": (2, 1), "dilation": 2},
    {"groups": 2, "padding": 1},
    {"groups": 4, "stride": (1, 2), "bias": False},
]


def test_conv2d() -> None:
    convs = torch.nn.ModuleList(torch.nn.Conv2d(4, 8, 3, **kw) for kw in CONV2D)
    check(Fn(lambda m, x: tuple(c(x) for c in m.convs), convs=convs), rnd(2, 4, 9, 10),
          names=[str(kw) for kw in CONV2D])  # fmt: skip


def test_conv1d() -> None:
    conv = torch.nn.Conv1d(3, 6, 3, padding=1, stride=2)
    check(Fn(lambda m, x: m.conv(x), conv=conv), rnd(2, 3, 11))


def test_embedding() -> None:
    emb = torch.nn.Embedding(10, 6)
    check(Fn(lambda m, i: m.emb(i) * 2, emb=emb), torch.tensor([[1, 3, 9], [0, 0, 4]]))


def test_sdpa() -> None:
    bool_mask, float_mask = torch.ones(5, 5, dtype=torch.bool).tril(1), torch.randn(5, 5)
    sdpa = F.scaled_dot_product_attention
    check_cases(
        {
            "plain": lambda q, k, v: sdpa(q, k, v),
            "causal": lambda q, k, v: sdpa(q, k, v, is_causal=True),
            "bool mask": lambda q, k, v: sdpa(q, k, v, bool_mask),
            "float mask": lambda q, k, v: sdpa(q, k, v, float_mask),
        },
        rnd(2, 3, 5, 8), rnd(2, 3, 5, 8), rnd(2, 3, 5, 4), o3=True,
    )  # fmt: skip


def test_sdpa_scale_and_runtime_mask() -> None:
    def fn(_: Any, q: Any, k: Any, v: Any, m: Any) -> Any:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.3)

    check(Fn(fn), rnd(1, 2, 4, 8), rnd(1, 2, 6, 8), rnd(1, 2, 6, 8), rnd(4, 6))


# ----------------------------------------------------------------------------- normalization


def test_norms() -> None:
    check(Fn(lambda m, x: m.ln(x), ln=torch.nn.LayerNorm(6)), rnd(2, 3, 6), o3=True)
    check(Fn(lambda _, x: F.layer_norm(x, (3, 6), eps=1e-3)), rnd(2, 3, 6))
    gn = torch.nn.GroupNorm(2, 6)
    with torch.no_grad():
        gn.weight.normal_()
        gn.bias.normal_()
    check(Fn(lambda m, x: m.gn(x), gn=gn), rnd(2, 6, 4, 4))
    check(Fn(lambda _, x: F.group_norm(x, 3)), rnd(2, 6, 5))


def test_batch_norm_inference() -> None:
    bn = torch.nn.BatchNorm2d(5)
    with torch.no_grad():
        bn.running_mean.normal_()
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.normal_()
        bn.bias.normal_()
    check(Fn(lambda m, x: m.bn(x), bn=bn), rnd(2, 5, 3, 3), o3=True)


def test_reductions() -> None:
    check(Fn(lambda _, x: (x.mean(-1), x.sum((0, 2), keepdim=True), x.amax(1), x.sum())),
          rnd(2, 3, 4))  # fmt: skip
    check(Fn(lambda _, x: (x.mean(), torch.var(x, 1, keepdim=True), x.std(-1))), rnd(3, 5))


# ----------------------------------------------------------------------------- pooling / resize


def _kw_cases(fn: Callable[..., Any], kws: list[dict[str, Any]]) -> dict[str, Any]:
    return {str(kw): (lambda x, kw=kw: fn(x, **kw)) for kw in kws}


def test_max_pool() -> None:
    kws = [
        {"kernel_size": 2},
        {"kernel_size": 3, "stride": 2, "padding": 1},
        {"kernel_size": 3, "stride": 2, "ceil_mode": True},
        {"kernel_size": 2, "stride": 2, "padding": 1, "ceil_mode": True},
    ]
    check_cases(_kw_cases(F.max_pool2d, kws), rnd(2, 3, 9, 8))


def test_avg_pool() -> None:
    kws = [
        {"kernel_size": 2},
        {"kernel_size": 3, "stride": 2, "padding": 1},
        {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
        {"kernel_size": 3, "stride": 2, "ceil_mode": True},
        {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
        {"kernel_size": 2, "divisor_override": 3},
    ]
    check_cases(_kw_cases(F.avg_pool2d, kws), rnd(2, 3, 9, 8))


def test_adaptive_avg_pool() -> None:
    check(Fn(lambda _, x: F.adaptive_avg_pool2d(x, 1)), rnd(2, 3, 5, 7), o3=True)
    check(Fn(lambda _, x: F.adaptive_avg_pool2d(x, (2, 4))), rnd(2, 3, 6, 8))


def test_upsample() -> None:
    kws = [
        {"scale_factor": 2, "mode": "nearest"},
        {"size": (7, 5), "mode": "nearest"},
        {"scale_factor": 2, "mode": "bilinear"},
        {"size": (5, 9), "mode": "bilinear"},
        {"scale_factor": 2, "mode": "bilinear", "align_corners": True},
        {"scale_factor": 1.5, "mode": "bilinear"},
        {"scale_factor": 1.5, "mode": "nearest"},
    ]
    check_cases(_kw_cases(F.interpolate, kws), rnd(1, 2, 4, 6))


# ----------------------------------------------------------------------------- data movement


def test_views_and_permutes() -> None:
    check(Fn(lambda _, x: (x.view(6, 4), x.reshape(2, -1), x.permute(2, 0, 1), x.transpose(0, 2),
                           x.unsqueeze(1).squeeze(1), x.flatten(1), x[0].t())),
          rnd(2, 3, 4))  # fmt: skip


def test_expand_slice_select() -> None:
    check(Fn(lambda _, x: (x[:, :1].expand(2, 5, 4), x[None, :, 1:4:2], x[:, -1], x[1, :, 2:],
                           x.select(2, -2), x.narrow(1, 1, 3))),
          rnd(2, 5, 4), o3=True)  # fmt: skip


def test_cat_split_chunk() -> None:
    check(Fn(lambda _, a, b: (torch.cat([a, b, a], 1), *torch.split(a, [1, 3], 1),
                              *a.chunk(2, -1), *b.unbind(0))),
          rnd(2, 4, 6), rnd(2, 1, 6))  # fmt: skip


def test_noops_and_constants() -> None:
    def fn(_: Any, x: Any) -> Any:
        y = x.clone().contiguous().detach().to(torch.float32)
        pos = torch.arange(5, dtype=torch.float32) + torch.ones(5) * 2 + torch.zeros(3, 5)
        return y + pos + torch.full((3, 1), 0.5) + torch.zeros_like(y), torch.ones_like(x)

    imported = check(Fn(fn), rnd(3, 5))
    assert imported.folded  # arange/ones/full were folded at import time


def test_dropout_eval_is_identity() -> None:
    check(Fn(lambda m, x: m.drop(x) * 2, drop=torch.nn.Dropout(0.5)), rnd(3, 4))


# ----------------------------------------------------------------------------- API and errors


def test_imported_model_fields() -> None:
    lin = torch.nn.Linear(3, 2)
    imported = check(Fn(lambda m, x: m.lin(x), lin=lin), rnd(4, 3))
    assert imported.input_names == ["xs_0"]  # forward(self, *xs): torch.export's name
    assert imported.output_names == ["output0"]
    assert sorted(imported.weights) == ["lin.bias", "lin.weight"]
    compiled = imported.compile("O3")
    out = compiled.run([np.ones((4, 3), np.float32)], functional=True)
    ref = lin(torch.ones(4, 3)).detach().numpy()
    np.testing.assert_allclose(out["output0"], ref, rtol=1e-5, atol=1e-5)


def test_exported_program_input() -> None:
    model = Fn(lambda _, x: torch.relu(x) + 1).eval()
    ep = torch.export.export(model, (rnd(2, 2),))
    imported = from_torch(ep, name="relu1")
    out = run_function(imported.module, [np.array([[-1.0, 2.0], [3.0, -4.0]], np.float32)])
    np.testing.assert_allclose(out[0], [[1.0, 3.0], [4.0, 1.0]])


def test_unsupported_op_names_node_op_and_target() -> None:
    with pytest.raises(GeError) as e:
        from_torch(Fn(lambda _, x: torch.sin(x) + 1), (rnd(2, 2),))
    msg = str(e.value)
    assert "fx node 'sin'" in msg and "aten::sin" in msg and "aten.sin.default" in msg
    assert msg.count("\n") == 0


def test_unsupported_cases_are_geerrors() -> None:
    cases: Sequence[tuple[Callable[..., Any], Any]] = [
        (lambda _, x: x.cumsum(0), rnd(3)),
        (lambda _, x: x > 0, rnd(3)),
        (lambda _, x: torch.div(x, 2, rounding_mode="floor"), rnd(3)),
        (lambda _, x: F.max_pool2d(x, 2, dilation=2), rnd(1, 1, 6, 6)),
        (lambda _, x: x.double(), rnd(3)),
    ]
    for fn, x in cases:
        with pytest.raises(GeError, match="fx node"):
            from_torch(Fn(fn), (x,))


def test_training_batch_norm_is_refused() -> None:
    bn = torch.nn.BatchNorm2d(2).train()
    with pytest.raises(GeError, match="mutates|training"):
        from_torch(Fn(lambda m, x: m.bn(x), bn=bn).train(), (rnd(2, 2, 3, 3),))
