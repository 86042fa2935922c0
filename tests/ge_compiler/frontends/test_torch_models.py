"""PyTorch frontend on whole models built in code (no downloads): outputs vs eager PyTorch.

GPT-2 and BERT come from ``transformers`` configs, the SD-style UNet from ``diffusers`` (a
hand-written UNet block when it is missing), ConvNeXt from ``timm`` (``convnext_atto``) or a
hand-written ConvNeXt when timm does not import. Every parameter gets small noise first, so
zero-initialised layers (layer scales, output heads) do not make comparisons trivial. Also
``torch.compile(model, backend="ge")``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may touch the network

from torch import nn  # noqa: E402

import ge_compiler.frontends.torch as ge_torch  # noqa: E402
from ge_compiler.frontends import from_torch  # noqa: E402
from ge_compiler.interpreter import run_function  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::UserWarning")
TOL = 1e-4


class First(nn.Module):
    """Calls a model with fixed keyword arguments and returns its first output."""

    def __init__(self, model: nn.Module, **kwargs: Any):
        super().__init__()
        self.model = model
        self.kwargs = kwargs

    def forward(self, *args: Any) -> Any:
        return self.model(*args, **self.kwargs)[0]


def perturbed(model: nn.Module, scale: float = 0.02) -> nn.Module:
    torch.manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * scale)
    return model.eval()


def compare(model: nn.Module, args: Sequence[Any], o3: bool = False) -> float:
    """Import, run on the interpreter (and ge-O3 functionally); the max abs error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        imported = from_torch(model, tuple(args))
    with torch.no_grad():
        ref = model(*args).numpy()
    arrays = [a.numpy() for a in args]
    out = run_function(imported.module, arrays, imported.weights)[0]
    np.testing.assert_allclose(out, ref, rtol=TOL, atol=TOL)
    err = float(np.abs(out - ref).max())
    if o3:
        run = imported.compile("O3").run(arrays, functional=True)
        np.testing.assert_allclose(run["output0"], ref, rtol=TOL, atol=TOL)
        assert run.report["kernel_launches"] > 0
        err = max(err, float(np.abs(run["output0"] - ref).max()))
    return err


# ----------------------------------------------------------------------------- transformers


def _gpt2() -> nn.Module:
    tf = pytest.importorskip("transformers")
    torch.manual_seed(0)
    cfg = tf.GPT2Config(
        n_layer=2, n_embd=64, n_head=4, vocab_size=128, n_positions=32, bos_token_id=0,
        eos_token_id=0,
    )  # fmt: skip
    return perturbed(First(tf.GPT2Model(cfg).eval(), use_cache=False))


def test_gpt2() -> None:
    ids = torch.randint(0, 128, (2, 12), generator=torch.Generator().manual_seed(0))
    assert compare(_gpt2(), (ids,), o3=True) < TOL


def _bert() -> nn.Module:
    tf = pytest.importorskip("transformers")
    torch.manual_seed(0)
    cfg = tf.BertConfig(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
        vocab_size=128, max_position_embeddings=32,
    )  # fmt: skip
    return perturbed(First(tf.BertModel(cfg, add_pooling_layer=False).eval()))


def test_bert() -> None:
    model = _bert()
    ids = torch.randint(0, 128, (2, 10), generator=torch.Generator().manual_seed(0))
    assert compare(model, (ids,)) < TOL


# ----------------------------------------------------------------------------- UNet


class TinyUNet(nn.Module):
    """A hand-written SD-style UNet block: resnet (group norm, silu, time embedding), self-
    and cross-attention, down/up sampling with a skip connection."""

    def __init__(self, c: int = 32, ctx_dim: int = 24):
        super().__init__()
        self.conv_in = nn.Conv2d(4, c, 3, padding=1)
        self.temb = nn.Linear(c, c)
        self.norm1, self.conv1 = nn.GroupNorm(8, c), nn.Conv2d(c, c, 3, padding=1)
        self.norm2, self.conv2 = nn.GroupNorm(8, c), nn.Conv2d(c, c, 3, padding=1)
        self.down = nn.Conv2d(c, c, 3, stride=2, padding=1)
        self.ln = nn.LayerNorm(c)
        self.self_attn = nn.MultiheadAttention(c, 4, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(c, 4, kdim=ctx_dim, vdim=ctx_dim, batch_first=True)
        self.up = nn.Conv2d(c, c, 3, padding=1)
        self.conv_out = nn.Conv2d(2 * c, 4, 3, padding=1)

    def forward(self, x: Any, t: Any, context: Any) -> Any:
        h = self.conv_in(x)
        half = h.shape[1] // 2
        freqs = torch.exp(-torch.arange(half, dtype=torch.float32) * 0.3)
        emb = torch.cat([torch.sin(t[:, None] * freqs), torch.cos(t[:, None] * freqs)], -1)
        r = self.conv1(nn.functional.silu(self.norm1(h)))
        r = r + self.temb(nn.functional.silu(emb))[:, :, None, None]
        h = h + self.conv2(nn.functional.silu(self.norm2(r)))
        d = self.down(h)
        n, c, hh, ww = d.shape
        s = self.ln(d.flatten(2).transpose(1, 2))
        s = s + self.self_attn(s, s, s, need_weights=False)[0]
        s = s + self.cross_attn(s, context, context, need_weights=False)[0]
        d = s.transpose(1, 2).reshape(n, c, hh, ww)
        u = self.up(nn.functional.interpolate(d, scale_factor=2.0, mode="nearest"))
        return self.conv_out(torch.cat([u, h], 1))


class WithTimestep(nn.Module):
    """Binds the timestep at export time (sin/cos of a runtime timestep have no graph op)."""

    def __init__(self, unet: nn.Module, t: float, diffusers: bool):
        super().__init__()
        self.unet, self.diffusers = unet, diffusers
        self.register_buffer("t", torch.tensor([t]))

    def forward(self, x: Any, context: Any) -> Any:
        if self.diffusers:
            return self.unet(x, self.t, context, return_dict=False)[0]
        return self.unet(x, self.t, context)


def _unet() -> tuple[nn.Module, tuple[Any, ...]]:
    torch.manual_seed(0)
    try:
        from diffusers import UNet2DConditionModel
    except ImportError:
        model = WithTimestep(TinyUNet(), 10.0, diffusers=False)
        return perturbed(model), (torch.randn(1, 4, 8, 8), torch.randn(1, 5, 24))
    unet = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1,
        block_out_channels=(32, 64), down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"), cross_attention_dim=24,
        attention_head_dim=8, norm_num_groups=8,
    )  # fmt: skip
    model = WithTimestep(unet.eval(), 10.0, diffusers=True)
    return perturbed(model), (torch.randn(1, 4, 8, 8), torch.randn(1, 5, 24))


def test_unet() -> None:
    model, args = _unet()
    assert compare(model, args, o3=True) < TOL


def test_hand_written_unet_block() -> None:
    torch.manual_seed(0)
    model = perturbed(WithTimestep(TinyUNet(), 10.0, diffusers=False))
    assert compare(model, (torch.randn(1, 4, 8, 8), torch.randn(1, 5, 24))) < TOL


# ----------------------------------------------------------------------------- ConvNeXt


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over channels of an NCHW tensor (as in ConvNeXt)."""

    def forward(self, x: Any) -> Any:
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, d: int):
        super().__init__()
        self.dw = nn.Conv2d(d, d, 7, padding=3, groups=d)
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.pw1, self.pw2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.gamma = nn.Parameter(torch.full((d,), 1e-6))  # layer scale: near zero at init

    def forward(self, x: Any) -> Any:
        y = self.norm(self.dw(x).permute(0, 2, 3, 1))
        y = self.gamma * self.pw2(nn.functional.gelu(self.pw1(y)))
        return x + y.permute(0, 3, 1, 2)


class ConvNeXt(nn.Module):
    """A small ConvNeXt (atto-like layout: patchify stem, stages, downsampling, head)."""

    def __init__(self, dims: Sequence[int] = (16, 32, 64), classes: int = 10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 4, stride=4), LayerNorm2d(dims[0]))
        layers: list[nn.Module] = []
        for i, d in enumerate(dims):
            if i:
                layers += [LayerNorm2d(dims[i - 1]), nn.Conv2d(dims[i - 1], d, 2, stride=2)]
            layers += [ConvNeXtBlock(d), ConvNeXtBlock(d)]
        self.stages = nn.Sequential(*layers)
        self.norm, self.head = nn.LayerNorm(dims[-1]), nn.Linear(dims[-1], classes)

    def forward(self, x: Any) -> Any:
        return self.head(self.norm(self.stages(self.stem(x)).mean((-2, -1))))


def test_convnext_hand_written() -> None:
    torch.manual_seed(0)
    assert compare(perturbed(ConvNeXt()), (torch.randn(2, 3, 32, 32),), o3=True) < TOL


@pytest.mark.slow
def test_convnext_atto_timm() -> None:
    try:
        import timm
    except ImportError as e:  # timm needs torchvision, which breaks beside the CPU torch
        pytest.skip(f"timm does not import: {e}")
    torch.manual_seed(0)
    model = perturbed(timm.create_model("convnext_atto", pretrained=False, num_classes=10))
    assert compare(model, (torch.randn(1, 3, 64, 64),)) < TOL


# ----------------------------------------------------------------------------- torch.compile


class ConvHead(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 5)

    def forward(self, x: Any) -> tuple[Any, Any]:
        y = nn.functional.silu(self.bn(self.conv(x)))
        y = nn.functional.adaptive_avg_pool2d(y, 1).flatten(1)
        return torch.softmax(self.fc(y), -1), y.sum()


def test_torch_compile_backend() -> None:
    torch._dynamo.reset()
    torch.manual_seed(0)
    model = ConvHead().eval()
    with torch.no_grad():
        model.bn.running_mean.normal_()
        model.bn.running_var.uniform_(0.5, 2.0)
    compiled = torch.compile(model, backend="ge")
    x = torch.randn(2, 3, 8, 8)
    got, want = compiled(x), model(x)
    for g, w in zip(got, want, strict=True):
        assert isinstance(g, torch.Tensor) and g.dtype == w.dtype
        torch.testing.assert_close(g, w.detach(), rtol=TOL, atol=TOL)
    fn = ge_torch.last_compiled
    assert fn is not None and fn.calls == 1 and fn.compiled.opt_level == 3
    assert fn.result.passes  # the ge-O3 CompileResult (per-pass records, schedule)
    assert fn.report()["kernel_launches"] > 0
    assert set(fn.imported.weights) >= {"self.conv.weight", "self.fc.bias"}


def test_torch_compile_functional_gpt2() -> None:
    torch._dynamo.reset()
    model = _gpt2()
    ids = torch.randint(0, 128, (1, 8), generator=torch.Generator().manual_seed(2))
    compiled = torch.compile(model, backend="ge", options={"functional": True})
    with torch.no_grad():
        got, want = compiled(ids), model(ids)
    torch.testing.assert_close(got, want, rtol=TOL, atol=TOL)
    fn = ge_torch.last_compiled
    assert fn is not None and fn.functional and fn.last_report["latency_us"] > 0


def test_backend_is_exposed() -> None:
    assert "ge" in torch._dynamo.list_backends(exclude_tags=())
    assert callable(ge_torch.ge_backend)
