"""A 16-frame video generation workload in three stages, one stream each, for pipelining.

Per frame: feature extraction (a strided conv encoder of the input frame, stream 0), frame
generation (a conv/attention block over the features and the previous generated latent, so
frames depend on each other in order, stream 1) and post-processing (an upsampling conv
decoder to RGB, stream 2). Extraction of later frames and post-processing of earlier ones can
overlap the generation of the current one: the three stages pipeline across streams. Weights
are shared by all frames (the same names). Sizes are a small video model's, not a published
one's: 256x256 frames, latents 32x32x64.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.models.layers import attention


@dataclass(frozen=True)
class VideoConfig:
    frames: int = 16
    size: int = 256
    channels: int = 64
    heads: int = 4
    groups: int = 8
    dtype: str = "f16"


TINY = VideoConfig(frames=4, size=16, channels=8, heads=2, groups=2, dtype="f32")


def _conv(b: GraphBuilder, x: Tensor, cout: int, name: str, stride: int = 1) -> Tensor:
    w = b.weight(f"{name}.weight", (cout, x.shape[1], 3, 3))
    return b.conv2d(x, w, b.weight(f"{name}.bias", (cout,)), stride=stride, padding=1)


def _norm_act(b: GraphBuilder, x: Tensor, cfg: VideoConfig, name: str) -> Tensor:
    c = x.shape[1]
    w, bias = b.weight(f"{name}.weight", (c,)), b.weight(f"{name}.bias", (c,))
    return b.silu(b.group_norm(x, w, bias, num_groups=cfg.groups))


def extract(b: GraphBuilder, frame: Tensor, cfg: VideoConfig) -> Tensor:
    """Three stride-2 convs: [1, 3, S, S] -> [1, C, S/8, S/8]."""
    x = frame
    for k, c in enumerate((cfg.channels // 4, cfg.channels // 2, cfg.channels)):
        x = b.silu(_conv(b, x, c, f"extract.conv{k}", stride=2))
    return x


def generate(b: GraphBuilder, feat: Tensor, prev: Tensor, cfg: VideoConfig) -> Tensor:
    """A residual conv block and spatial self-attention over features + previous latent."""
    x = _conv(b, b.concat([feat, prev], 1), cfg.channels, "gen.in")
    h = _conv(b, _norm_act(b, x, cfg, "gen.norm1"), cfg.channels, "gen.conv1")
    h = _conv(b, _norm_act(b, h, cfg, "gen.norm2"), cfg.channels, "gen.conv2")
    x = x + h
    _, c, hh, ww = x.shape
    tokens = b.transpose(b.reshape(x, (1, c, hh * ww)), (0, 2, 1))
    tokens = tokens + attention(b, tokens, cfg.heads, "gen.attn")
    return b.reshape(b.transpose(tokens, (0, 2, 1)), (1, c, hh, ww))


def postprocess(b: GraphBuilder, latent: Tensor, cfg: VideoConfig) -> Tensor:
    """Three 2x nearest upsamplings with convs, then RGB: [1, C, S/8, S/8] -> [1, 3, S, S]."""
    x = latent
    for k, c in enumerate((cfg.channels, cfg.channels // 2, cfg.channels // 4)):
        _, _, hh, ww = x.shape
        x = b.resize(x, (hh * 2, ww * 2), mode="nearest")
        x = _conv(b, _norm_act(b, x, cfg, f"post.norm{k}"), c, f"post.conv{k}")
    return b.tanh(_conv(b, x, 3, "post.out"))


def build_video(cfg: VideoConfig = VideoConfig()) -> ModuleOp:
    """One function: per frame extract (stream 0) -> generate (stream 1) -> postprocess
    (stream 2); inputs ``frames`` [F, 3, S, S] and the first latent; output [F, 3, S, S]."""
    b = GraphBuilder(cfg.dtype)
    s, c, lat = cfg.size, cfg.channels, cfg.size // 8
    with b.module("video"):
        frames = b.input("frames", (cfg.frames, 3, s, s))
        prev = b.input("latent0", (1, c, lat, lat))
        outs = []
        for i in range(cfg.frames):
            with b.stream(0):
                frame = b.slice(frames, (i, 0, 0, 0), (i + 1, 3, s, s))
                feat = extract(b, frame, cfg)
            with b.stream(1):
                prev = generate(b, feat, prev, cfg)
            with b.stream(2):
                outs.append(postprocess(b, prev, cfg))
        with b.stream(2):
            b.output(b.concat(outs, 0), names=["video"])
    return b.build()
