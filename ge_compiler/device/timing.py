"""How one task uses the chip: its tile-level profile and its roofline at full chip.

A kernel's work is split into tiles that run on ``c`` cores in ``ceil(tiles / c)`` waves.

- Cube kernels (GEMMs, convolutions as implicit GEMMs) are split into ``bm x bn`` output
  blocks, one per core at a time, whose A and B panels stream through L1 in double-buffered
  slabs; the block size is the one a tiling search would choose (``gemm_tiling``). A block
  computes ``ceil(bm/16) ceil(bn/16) ceil(K/k0)`` cube cycles (``k0`` = K consumed per cycle
  for the dtype) and reads ``(bm + bn) K`` operand elements; with double buffering the loads
  overlap compute, so a block takes the longer of the two, plus a pipeline fill (the first
  slab's load).
- Vector kernels stream their operands through the unified buffer (UB) in double-buffered
  chunks: a tile is half of UB.
- Operand panels re-read by many tiles hit in L2 while the kernel's unique bytes fit in L2;
  otherwise every re-read goes to HBM. HBM traffic is never below the unique bytes (each
  input read once, each output written once), which is what the lower bound uses.

Overheads (launch, dispatch, DMA set-up) belong to the simulator, never to the bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ge_compiler.device.config import DeviceConfig
from ge_compiler.schedule import Schedule, Task

ACC_BYTES = 4
"""Cube accumulators are fp32 in L0C."""

_DTYPE_BYTES = {"f16": 2, "bf16": 2, "f32": 4, "f64": 8, "i8": 1, "i32": 4, "i64": 8, "i1": 1}


@dataclass(frozen=True)
class TaskProfile:
    """Static description of a task, independent of what else runs."""

    engine: str
    """'aic' (cube cores), 'aiv' (vector cores), 'link' (host copy) or 'hbm' (d2d copy)."""
    tiles: int
    tile_us: float
    """One tile on one core with HBM unconstrained (compute and MTE overlapped)."""
    fill_us: float
    hbm_bytes: int
    """HBM traffic after L2 hits."""
    min_hbm_bytes: int
    """Unique bytes: the kernel's inputs and outputs once."""
    link_bytes: int
    cube_flops: int
    vector_flops: int
    cube_peak_us: float
    """Cube work at the whole chip's peak rate for this dtype."""
    vector_peak_us: float
    aiv_per_tile: int
    """Vector cores a cube kernel with a vector epilogue uses next to each cube core."""
    preloaded: bool = False
    """A weight copy done at model load (Schedule.weights_resident): no time, no traffic."""

    def time_on(self, cores: int) -> float:
        """Duration on ``cores`` cores when HBM is not the limit."""
        return self.fill_us + math.ceil(self.tiles / cores) * self.tile_us

    def roofline_us(self, cfg: DeviceConfig) -> float:
        """Time at full chip speed with minimal traffic: the critical-path bound per task."""
        return max(
            self.cube_peak_us,
            self.vector_peak_us,
            self.min_hbm_bytes / cfg.hbm_bytes_per_us,
            self.link_bytes / cfg.host_link_bytes_per_us,
        )

    def bound_by(self, cfg: DeviceConfig) -> str:
        compute = max(self.cube_peak_us, self.vector_peak_us)
        return "compute" if compute > 0 and compute >= self.roofline_us(cfg) else "memory"


_BLOCK_SIDES = (16, 32, 64, 128, 256, 512)


@dataclass(frozen=True)
class GemmTiling:
    """One core's unit of GEMM work: a ``bm x bn`` output block over the whole K, streamed
    through L1 in double-buffered ``bk``-deep slabs of A and B (the L0 tiles inside a block
    reuse those slabs, so a block reads its A and B panels from global memory once)."""

    bm: int
    bn: int
    bk: int
    blocks: int
    block_us: float
    in_bytes: int
    out_bytes: int


def _round16(x: int) -> int:
    return max(16, -(-x // 16) * 16)


def gemm_hbm_bytes(
    cfg: DeviceConfig, gemm: list[int], b: int, bm: int, bn: int, unique: int
) -> int:
    """HBM traffic of a tiled GEMM. Panel re-reads hit L2 while what they touch fits in it:
    the whole operands, or else the panels of one wave of blocks (the cores working on a
    near-square group of neighbouring blocks, as a swizzled launch order arranges)."""
    if unique <= cfg.l2_bytes:
        return unique
    batch, m, n, k = gemm
    rows, cols = math.ceil(m / bm), math.ceil(n / bn)
    gm = max(1, min(rows, math.isqrt(cfg.ai_cores)))
    gn = max(1, min(cols, cfg.ai_cores // gm))
    out = batch * m * n * b
    wave_in = (gm * bm + gn * bn) * k * b
    if wave_in <= cfg.l2_bytes:
        waves = batch * math.ceil(rows / gm) * math.ceil(cols / gn)
        return max(unique, waves * wave_in + out)
    return max(unique, batch * rows * cols * (bm + bn) * k * b + out)


def gemm_tiling(
    cfg: DeviceConfig, gemm: list[int], dtype: str | None, unique: int = 0
) -> GemmTiling:
    """The block size a tiling search would pick: least time on all cube cores, counting the
    last, partial wave, the L2 traffic of panel re-reads and the HBM traffic of what misses
    L2 (``gemm_hbm_bytes``); larger blocks on ties. A block's fp32 accumulators must fit in
    L0C and its double-buffered slabs in L1."""
    b = _DTYPE_BYTES.get(dtype or "f16", 2)
    batch, m, n, k = gemm
    k_per_cycle = cfg.macs_per_cycle(dtype) // 256  # the cube makes 16 x 16 outputs a cycle
    unique = unique or batch * (m * k + k * n + m * n) * b
    best: tuple[float, int, GemmTiling] | None = None
    for bm in (side for side in _BLOCK_SIDES if side <= _round16(m)):
        for bn in (side for side in _BLOCK_SIDES if side <= _round16(n)):
            bk = cfg.l1_bytes // (2 * (bm + bn) * b) // 16 * 16
            if bm * bn * ACC_BYTES > cfg.l0c_bytes or (bk < 16 and (bm, bn) != (16, 16)):
                continue
            bk = max(bk, 16)  # the smallest block streams even when L1 cannot double-buffer
            blocks = batch * math.ceil(m / bm) * math.ceil(n / bn)
            cycles = math.ceil(bm / 16) * math.ceil(bn / 16) * math.ceil(k / k_per_cycle)
            in_bytes, out_bytes = (bm + bn) * k * b, bm * bn * b
            block_us = max(
                cycles / cfg.clock_mhz, (in_bytes + out_bytes) / cfg.core_gm_bytes_per_us
            )
            total = max(
                math.ceil(blocks / cfg.ai_cores) * block_us,
                blocks * (in_bytes + out_bytes) / cfg.l2_bytes_per_us,
                gemm_hbm_bytes(cfg, gemm, b, bm, bn, unique) / cfg.hbm_bytes_per_us,
            )
            t = GemmTiling(bm, bn, min(bk, _round16(k)), blocks, block_us, in_bytes, out_bytes)
            key = (total, -bm * bn)
            if best is None or key < best[:2]:
                best = (total, -bm * bn, t)
    assert best is not None  # the 16 x 16 block is always a candidate
    return best[2]


def _cube_profile(cfg: DeviceConfig, s: Schedule, task: Task, unique: int) -> TaskProfile:
    k = s.kernels[task.kernel]  # type: ignore[index]
    gemm = k.gemm or [1, 1, 1, max(1, k.cube_flops // 2)]
    b = _DTYPE_BYTES.get(k.cube_dtype or "f16", 2)
    t = gemm_tiling(cfg, gemm, k.cube_dtype, unique)
    aiv_per_aic = max(1, cfg.vector_cores // cfg.ai_cores)
    vec_us = k.vector_flops / t.blocks / (cfg.vector_lanes * aiv_per_aic) / cfg.clock_mhz
    # Every block's panel reads pass through L2: each core gets its share of L2 bandwidth.
    l2_us = (t.in_bytes + t.out_bytes) / (cfg.l2_bytes_per_us / cfg.ai_cores)
    return TaskProfile(
        engine="aic",
        tiles=t.blocks,
        tile_us=max(t.block_us, vec_us, l2_us),
        fill_us=(t.bm + t.bn) * t.bk * b / cfg.core_gm_bytes_per_us,
        hbm_bytes=gemm_hbm_bytes(cfg, gemm, b, t.bm, t.bn, unique),
        min_hbm_bytes=unique,
        link_bytes=0,
        cube_flops=k.cube_flops,
        vector_flops=k.vector_flops,
        cube_peak_us=k.cube_flops / cfg.cube_flops_per_us_for(k.cube_dtype),
        vector_peak_us=k.vector_flops / cfg.vector_flops_per_us,
        aiv_per_tile=aiv_per_aic if k.vector_flops else 0,
    )


def _vector_profile(cfg: DeviceConfig, s: Schedule, task: Task, unique: int) -> TaskProfile:
    k = s.kernels[task.kernel]  # type: ignore[index]
    chunk = cfg.ub_bytes // 2
    tiles = max(1, math.ceil(unique / chunk))
    tile_bytes = unique / tiles
    cycles = k.vector_flops / tiles / cfg.vector_lanes
    tile_us = max(cycles / cfg.clock_mhz, tile_bytes / cfg.core_gm_bytes_per_us)
    return TaskProfile(
        engine="aiv",
        tiles=tiles,
        tile_us=tile_us,
        fill_us=min(tile_bytes, chunk) / cfg.core_gm_bytes_per_us,
        hbm_bytes=unique,
        min_hbm_bytes=unique,
        link_bytes=0,
        cube_flops=0,
        vector_flops=k.vector_flops,
        cube_peak_us=0.0,
        vector_peak_us=k.vector_flops / cfg.vector_flops_per_us,
        aiv_per_tile=0,
    )


def task_profile(s: Schedule, task: Task, cfg: DeviceConfig) -> TaskProfile:
    unique = sum(s.buffers[i].bytes for i in (*task.inputs, *task.outputs))
    if task.kind == "launch":
        k = s.kernels[task.kernel]  # type: ignore[index]
        if k.bytes is not None:  # it touches part of its buffers (an in-place update)
            unique = k.bytes
        if k.cube_flops:
            return _cube_profile(cfg, s, task, unique)
        return _vector_profile(cfg, s, task, unique)
    size = 0 if s.is_preloaded(task) else s.buffers[task.inputs[0]].bytes
    on_hbm = task.copy_kind == "d2d"
    return TaskProfile(
        engine="hbm" if on_hbm else "link",
        tiles=1,
        tile_us=0.0,
        fill_us=0.0,
        hbm_bytes=2 * size if on_hbm else 0,
        min_hbm_bytes=2 * size if on_hbm else 0,
        link_bytes=0 if on_hbm else size,
        cube_flops=0,
        vector_flops=0,
        cube_peak_us=0.0,
        vector_peak_us=0.0,
        aiv_per_tile=0,
        preloaded=s.is_preloaded(task),
    )
