"""Reusable layers built from GraphBuilder ops; each creates its own named weights."""

from __future__ import annotations

from ge_compiler.builder import GraphBuilder, Tensor


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


def self_attention(b: GraphBuilder, x: Tensor, heads: int, name: str) -> Tensor:
    """Multi-head self-attention over [batch, seq, hidden]."""
    batch, seq, hidden = x.shape
    head_dim = hidden // heads

    def split_heads(t: Tensor) -> Tensor:  # [B, S, H] -> [B, h, S, d]
        return b.transpose(b.reshape(t, (batch, seq, heads, head_dim)), (0, 2, 1, 3))

    q = split_heads(linear(b, x, hidden, f"{name}.q"))
    k = split_heads(linear(b, x, hidden, f"{name}.k"))
    v = split_heads(linear(b, x, hidden, f"{name}.v"))
    scores = b.matmul(q, k, transpose_b=True) * b.scalar(head_dim**-0.5, q)
    ctx = b.matmul(b.softmax(scores, -1), v)
    merged = b.reshape(b.transpose(ctx, (0, 2, 1, 3)), (batch, seq, hidden))
    return linear(b, merged, hidden, f"{name}.out")


def feed_forward(b: GraphBuilder, x: Tensor, ffn: int, name: str) -> Tensor:
    h = b.gelu(linear(b, x, ffn, f"{name}.fc1"))
    return linear(b, h, x.shape[-1], f"{name}.fc2")
