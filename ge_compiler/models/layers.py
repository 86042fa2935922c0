"""Reusable layers built from GraphBuilder ops; each creates its own named weights."""

from __future__ import annotations

import numpy as np

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.dtypes import numpy_dtype


def linear(b: GraphBuilder, x: Tensor, out_features: int, name: str, bias: bool = True) -> Tensor:
    """``x @ W + b`` over the last dim (W stored [in, out])."""
    y = b.matmul(x, b.weight(f"{name}.weight", (x.shape[-1], out_features)))
    if bias:
        y = y + b.weight(f"{name}.bias", (out_features,))
    return y


def layer_norm(b: GraphBuilder, x: Tensor, name: str, eps: float = 1e-5) -> Tensor:
    d = x.shape[-1]
    return b.layer_norm(
        x, b.weight(f"{name}.weight", (d,)), b.weight(f"{name}.bias", (d,)), -1, eps
    )


def attention(
    b: GraphBuilder,
    x: Tensor,
    heads: int,
    name: str,
    context: Tensor | None = None,
    qkv_bias: bool = True,
    mask: Tensor | None = None,
) -> Tensor:
    """Multi-head attention of ``x`` [B, S, C] over ``context`` [B, T, D] (``x`` if None).

    q/k/v/out are linears named ``{name}.q`` etc. (q, k, v project to C); ``mask`` is an i1
    tensor broadcastable to the scores [B, heads, S, T] that is True where a score is masked
    (replaced by the most negative value of the dtype before the softmax)."""
    batch, seq, hidden = x.shape
    kv = x if context is None else context
    head_dim = hidden // heads

    def split_heads(t: Tensor) -> Tensor:  # [B, S, C] -> [B, h, S, d]
        return b.transpose(b.reshape(t, (batch, t.shape[1], heads, head_dim)), (0, 2, 1, 3))

    q = split_heads(linear(b, x, hidden, f"{name}.q", qkv_bias))
    k = split_heads(linear(b, kv, hidden, f"{name}.k", qkv_bias))
    v = split_heads(linear(b, kv, hidden, f"{name}.v", qkv_bias))
    scores = b.matmul(q, k, transpose_b=True) * b.scalar(head_dim**-0.5, q)
    if mask is not None:
        scores = b.where(mask, b.scalar(most_negative(scores), scores), scores)
    ctx = b.matmul(b.softmax(scores, -1), v)
    merged = b.reshape(b.transpose(ctx, (0, 2, 1, 3)), (batch, seq, hidden))
    return linear(b, merged, hidden, f"{name}.out")


def self_attention(b: GraphBuilder, x: Tensor, heads: int, name: str) -> Tensor:
    """Multi-head self-attention over [batch, seq, hidden]."""
    return attention(b, x, heads, name)


def most_negative(x: Tensor) -> float:
    """The lowest finite value of ``x``'s float dtype (what a masked score is set to)."""
    return float(np.finfo(numpy_dtype(x.dtype)).min)


def causal_mask(b: GraphBuilder, seq: int) -> Tensor:
    """An i1 [seq, seq] tensor, True above the diagonal (key after query), from two iotas:
    ``cast(relu(col - row), i1)``; no [seq, seq] literal is stored."""
    rows = b.constant(np.arange(seq, dtype=np.float32).reshape(seq, 1))
    cols = b.constant(np.arange(seq, dtype=np.float32).reshape(1, seq))
    return b.cast(b.relu(cols - rows), "i1")


def feed_forward(b: GraphBuilder, x: Tensor, ffn: int, name: str) -> Tensor:
    h = b.gelu(linear(b, x, ffn, f"{name}.fc1"))
    return linear(b, h, x.shape[-1], f"{name}.fc2")


def geglu_feed_forward(b: GraphBuilder, x: Tensor, inner: int, name: str) -> Tensor:
    """diffusers' FeedForward with GEGLU: ``proj`` C -> 2*inner split into halves (a, g),
    ``a * gelu(g)``, then ``out`` inner -> C."""
    a, gate = b.split(linear(b, x, 2 * inner, f"{name}.proj"), [inner, inner], -1)
    return linear(b, a * b.gelu(gate), x.shape[-1], f"{name}.out")


# --------------------------------------------------------------------------- convolutional


def conv2d(
    b: GraphBuilder,
    x: Tensor,
    out_channels: int,
    kernel: int,
    name: str,
    stride: int = 1,
    padding: int | None = None,
) -> Tensor:
    """Conv with bias, OIHW weight ``{name}.weight``; 'same' padding (kernel // 2) by default."""
    w = b.weight(f"{name}.weight", (out_channels, x.shape[1], kernel, kernel))
    bias = b.weight(f"{name}.bias", (out_channels,))
    pad = kernel // 2 if padding is None else padding
    return b.conv2d(x, w, bias, stride=stride, padding=pad)


def group_norm(b: GraphBuilder, x: Tensor, groups: int, name: str, eps: float = 1e-5) -> Tensor:
    c = x.shape[1]
    return b.group_norm(
        x, b.weight(f"{name}.weight", (c,)), b.weight(f"{name}.bias", (c,)), groups, eps
    )


def resnet_block(
    b: GraphBuilder,
    x: Tensor,
    out_channels: int,
    name: str,
    groups: int,
    eps: float,
    temb: Tensor | None = None,
) -> Tensor:
    """diffusers' ResnetBlock2D: norm1, SiLU, conv1 3x3, (+ time_emb_proj of ``temb``, which is
    already SiLU-activated, [B, T]), norm2, SiLU, conv2 3x3, plus the input (through a 1x1
    ``conv_shortcut`` when the channel count changes)."""
    h = conv2d(b, b.silu(group_norm(b, x, groups, f"{name}.norm1", eps)), out_channels, 3,
               f"{name}.conv1")  # fmt: skip
    if temb is not None:
        t = linear(b, temb, out_channels, f"{name}.time_emb_proj")
        h = h + b.reshape(t, (t.shape[0], out_channels, 1, 1))
    h = conv2d(b, b.silu(group_norm(b, h, groups, f"{name}.norm2", eps)), out_channels, 3,
               f"{name}.conv2")  # fmt: skip
    if x.shape[1] != out_channels:
        x = conv2d(b, x, out_channels, 1, f"{name}.conv_shortcut")
    return x + h


def downsample(b: GraphBuilder, x: Tensor, name: str) -> Tensor:
    """Downsample2D: conv 3x3, stride 2, padding 1."""
    return conv2d(b, x, x.shape[1], 3, f"{name}.conv", stride=2, padding=1)


def upsample(b: GraphBuilder, x: Tensor, name: str) -> Tensor:
    """Upsample2D: nearest x2, then conv 3x3."""
    return conv2d(b, b.resize(x, scale=2, mode="nearest"), x.shape[1], 3, f"{name}.conv")


def to_tokens(b: GraphBuilder, x: Tensor) -> Tensor:
    """NCHW -> [N, H*W, C]."""
    n, c, h, w = x.shape
    return b.reshape(b.transpose(x, (0, 2, 3, 1)), (n, h * w, c))


def from_tokens(b: GraphBuilder, x: Tensor, height: int, width: int) -> Tensor:
    """[N, H*W, C] -> NCHW."""
    n, _, c = x.shape
    return b.transpose(b.reshape(x, (n, height, width, c)), (0, 3, 1, 2))
