"""A Qwen2-style decode step over a KV cache allocated once at its maximum size, for loops.

``build_llm_decode_cached(cfg, prompt_len)`` -> ``@llm_decode``: one autoregressive step that
``Pipeline.enable_autoregressive_mode`` (a ``graph.loop``) repeats. Every output has an input
of the same name, so the loop carries it to the next step:

    inputs  ``step`` tensor<i64> (the loop index), ``hidden`` [B, 1, C], ``logits`` [B, V],
            ``k_cache_0, v_cache_0, ...`` [B, Hkv, M, D]
    outputs ``hidden``, ``logits``, ``k_cache_0, v_cache_0, ...``

Step ``i`` decodes position ``P + i`` (P = ``prompt_len``, the rows a prefill wrote): its rotary
rows are gathered at that position, its K/V rows are written into the caches there with
``graph.update_slice`` (in place: the caches are never copied or re-allocated), and attention
reads the whole cache with positions after ``P + i`` masked (static shapes: the cost of a step
is that of attention at the cache's full length, which is what planning at the bound means).

The next step's input is this step's final hidden state (after the last norm) instead of the
embedding of a sampled token: the graph dialect has no argmax, and the cost of a step is the
same. Weights: those of ``ge_compiler.models.llm`` plus ``cache.positions`` (0..M-1).
"""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import linear, most_negative
from ge_compiler.models.llm import TINY as LLM_TINY
from ge_compiler.models.llm import LlmConfig, rms_norm, rotary

TINY = LLM_TINY


def _attention(
    b: GraphBuilder,
    h: Tensor,
    cos: Tensor,
    sin: Tensor,
    pos: Tensor,
    bias: Tensor,
    caches: tuple[Tensor, Tensor],
    cfg: LlmConfig,
    name: str,
) -> tuple[Tensor, Tensor, Tensor]:
    """Attention of one token over the cache; returns (output, new k cache, new v cache)."""
    batch, _, hidden = h.shape
    d, hkv = cfg.head_dim, cfg.kv_heads
    groups = cfg.heads // hkv

    def heads(t: Tensor, n: int) -> Tensor:  # [B, 1, n*D] -> [B, n, 1, D]
        return b.transpose(b.reshape(t, (batch, 1, n, d)), (0, 2, 1, 3))

    q = rotary(b, heads(linear(b, h, cfg.heads * d, f"{name}.attn.q_proj"), cfg.heads), cos, sin)
    k = rotary(b, heads(linear(b, h, hkv * d, f"{name}.attn.k_proj"), hkv), cos, sin)
    v = heads(linear(b, h, hkv * d, f"{name}.attn.v_proj"), hkv)
    k_cache = b.update_slice(caches[0], k, pos, axis=2)
    v_cache = b.update_slice(caches[1], v, pos, axis=2)
    m = cfg.max_len
    qg = b.reshape(q, (batch, hkv, groups, 1, d))
    kg = b.reshape(k_cache, (batch, hkv, 1, m, d))
    vg = b.reshape(v_cache, (batch, hkv, 1, m, d))
    scores = b.matmul(qg, kg, transpose_b=True) * b.scalar(d**-0.5, q) + bias
    ctx = b.matmul(b.softmax(scores, -1), vg)  # [B, Hkv, G, 1, D]
    ctx = b.reshape(ctx, (batch, 1, hidden))
    return linear(b, ctx, hidden, f"{name}.attn.o_proj", bias=False), k_cache, v_cache


DEFAULT = LlmConfig()


def build_llm_decode_cached(cfg: LlmConfig = DEFAULT, prompt_len: int | None = None) -> ModuleOp:
    """The decode step (see the module docstring)."""
    p = cfg.past_len if prompt_len is None else prompt_len
    b = GraphBuilder(cfg.dtype)
    with b.module("llm_decode"):
        step = b.input("step", (), "i64")
        x = b.input("hidden", (cfg.batch, 1, cfg.hidden))
        b.input("logits", (cfg.batch, cfg.vocab))  # carried: the last step's logits come out
        shape = (cfg.batch, cfg.kv_heads, cfg.max_len, cfg.head_dim)
        caches = [b.input(f"{kind}_cache_{i}", shape) for i in range(cfg.layers) for kind in "kv"]
        pos = step + b.constant(p, "i64")  # this step's position, tensor<i64>
        index = b.reshape(pos, (cfg.batch, 1))
        rope = (cfg.batch, 1, 1, cfg.head_dim)
        cos = b.reshape(b.gather(b.weight("rope.cos", (cfg.max_len, cfg.head_dim)), index), rope)
        sin = b.reshape(b.gather(b.weight("rope.sin", (cfg.max_len, cfg.head_dim)), index), rope)
        # additive mask: 0 for cache rows <= pos, most negative after (no comparison op: clamp
        # (row - pos) to [0, 1])
        rows = b.weight("cache.positions", (cfg.max_len,), "i64")
        after = b.minimum(b.maximum(rows - pos, b.constant(0, "i64")), b.constant(1, "i64"))
        bias = b.reshape(b.cast(after, cfg.dtype), (1, 1, 1, 1, cfg.max_len))
        bias = bias * b.scalar(most_negative(x), x)
        new_caches: list[Tensor] = []
        for i in range(cfg.layers):
            name = f"model.layer{i}"
            h = rms_norm(b, x, f"{name}.input_layernorm", cfg.eps)
            kv = (caches[2 * i], caches[2 * i + 1])
            attn, k_cache, v_cache = _attention(b, h, cos, sin, pos, bias, kv, cfg, name)
            x = x + attn
            h = rms_norm(b, x, f"{name}.post_attention_layernorm", cfg.eps)
            gate = b.silu(linear(b, h, cfg.intermediate, f"{name}.mlp.gate_proj", bias=False))
            up = linear(b, h, cfg.intermediate, f"{name}.mlp.up_proj", bias=False)
            x = x + linear(b, gate * up, cfg.hidden, f"{name}.mlp.down_proj", bias=False)
            new_caches += [k_cache, v_cache]
        x = rms_norm(b, x, "model.norm", cfg.eps)
        logits = linear(b, b.reshape(x, (cfg.batch, cfg.hidden)), cfg.vocab, "lm_head", bias=False)
        names = [f"{kind}_cache_{i}" for i in range(cfg.layers) for kind in "kv"]
        b.output(x, logits, *new_caches, names=["hidden", "logits", *names])
    return b.build()
