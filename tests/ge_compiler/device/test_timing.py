"""Task profiles: GEMM tiles fit L0, rooflines per dtype, padding and fill for tiny GEMMs,
memory-bound elementwise kernels, L2 re-reads, and profiles computed by hand."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ge_compiler.device.config import CONFIG_DIR, bundled_devices, config_from_dict, load_config
from ge_compiler.device.simulator import simulate
from ge_compiler.device.timing import ACC_BYTES, gemm_hbm_bytes, gemm_tiling, task_profile
from ge_compiler.errors import GeError
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

CFG = load_config("910B2")
CONFIGS = {name: load_config(name) for name in bundled_devices()}
DTYPE_BYTES = {"f16": 2, "bf16": 2, "f32": 4, "i8": 1}


def one_task(kernel: Kernel, sizes: list[int], n_inputs: int, block_dim: int | None = None):
    buffers = [BufferRef("act", 0, size, [size], "i8", 0, 0) for size in sizes]
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("act", "device", max(sizes, default=1), 1)],
        buffers=buffers,
        kernels={kernel.name: kernel},
        tasks=[
            Task(
                0,
                "launch",
                0,
                list(range(n_inputs)),
                list(range(n_inputs, len(sizes))),
                kernel=kernel.name,
                block_dim=block_dim,
            )
        ],
        num_events=0,
    )


def matmul(m: int, n: int, k: int, dtype: str = "f16", batch: int = 1, vector_flops: int = 0):
    b = DTYPE_BYTES[dtype]
    kernel = Kernel("mm", "cube", 2 * batch * m * n * k, vector_flops, "", [batch, m, n, k], dtype)
    return one_task(kernel, [batch * m * k * b, batch * k * n * b, batch * m * n * b], 2)


def elementwise(nbytes: int, flops: int | None = None) -> Schedule:
    """out = f(x): nbytes in, nbytes out."""
    kernel = Kernel("ew", "vector", 0, nbytes if flops is None else flops, "")
    return one_task(kernel, [nbytes, nbytes], 1)


def duration(s: Schedule, device: str = "910B2") -> float:
    """The task's simulated duration alone on the chip, without its fixed overhead."""
    cfg = CONFIGS[device]
    sim = simulate(s, cfg)
    return sim.end_us[0] - sim.start_us[0] - cfg.kernel_overhead_us


def profile(s: Schedule, device: str = "910B2"):
    return task_profile(s, s.tasks[0], CONFIGS[device])


# --------------------------------------------------------------------------- tiling

BLOCK_SIDES = (16, 32, 64, 128, 256, 512)


def pad16(x: int) -> int:
    return max(16, -(-x // 16) * 16)


def check_tiling(cfg, gemm: list[int], dtype: str) -> None:
    b = DTYPE_BYTES[dtype]
    t = gemm_tiling(cfg, gemm, dtype)
    batch, m, n, k = gemm
    assert t.bm in BLOCK_SIDES and t.bn in BLOCK_SIDES
    assert t.bm <= pad16(m) and t.bn <= pad16(n)  # never larger than the 16-padded problem
    assert t.bk >= 16 and t.bk % 16 == 0 and t.bk <= pad16(k)
    assert 2 * (t.bm + t.bn) * t.bk * b <= cfg.l1_bytes  # double-buffered A and B slabs in L1
    assert t.bm * t.bn * ACC_BYTES <= cfg.l0c_bytes  # the block's fp32 accumulators in L0C
    assert t.blocks == batch * math.ceil(m / t.bm) * math.ceil(n / t.bn)
    assert t.in_bytes == (t.bm + t.bn) * k * b and t.out_bytes == t.bm * t.bn * b
    cycles = (
        math.ceil(t.bm / 16)
        * math.ceil(t.bn / 16)
        * math.ceil(k / (cfg.macs_per_cycle(dtype) // 256))
    )
    assert t.block_us == pytest.approx(
        max(cycles / cfg.clock_mhz, (t.in_bytes + t.out_bytes) / cfg.core_gm_bytes_per_us)
    )


@settings(max_examples=60, deadline=None)
@given(
    device=st.sampled_from(sorted(CONFIGS)),
    dtype=st.sampled_from(sorted(DTYPE_BYTES)),
    gemm=st.tuples(
        st.integers(1, 8), st.integers(1, 1 << 14), st.integers(1, 1 << 14), st.integers(1, 1 << 14)
    ),
)
def test_gemm_tiling_fits_l1(device: str, dtype: str, gemm: tuple[int, int, int, int]) -> None:
    check_tiling(CONFIGS[device], list(gemm), dtype)


@pytest.mark.parametrize("device", sorted(CONFIGS))
def test_gemm_tiling_of_tiny_gemms(device: str) -> None:
    t = gemm_tiling(CONFIGS[device], [1, 1, 1, 1], "f16")
    assert (t.bm, t.bn, t.bk, t.blocks) == (16, 16, 16, 1)
    t = gemm_tiling(CONFIGS[device], [3, 100, 40, 20], "f16")
    assert t.bm <= 112 and t.bn <= 48 and t.bk == 32


@pytest.mark.parametrize("device", sorted(CONFIGS))
def test_gemm_block_accumulator_fits_l0c(device: str) -> None:
    cfg = CONFIGS[device]
    for dtype in ("f16", "f32", "i8"):
        for gemm in ([1, 4096, 4096, 4096], [8, 8192, 8192, 64], [1, 16, 65536, 512]):
            t = gemm_tiling(cfg, gemm, dtype)
            assert t.bm * t.bn * ACC_BYTES <= cfg.l0c_bytes, (gemm, dtype, t)


def test_l0c_limits_the_block_size() -> None:
    """With the smallest L0C a config may have (4 KiB: 1024 fp32 accumulators), no block is
    larger than 1024 outputs, although every L1 slab would fit larger ones."""
    small = dataclasses.replace(CFG, l0c_bytes=4096)
    big = gemm_tiling(CFG, [1, *BIG], "f16")
    assert big.bm * big.bn > 1024
    for gemm in ([1, *BIG], [1, 64, 64, 64], [4, 1000, 30, 7]):
        t = gemm_tiling(small, gemm, "f16")
        assert t.bm * t.bn <= 1024
        check_tiling(small, gemm, "f16")


# --------------------------------------------------------------------------- cube kernels


def test_cube_profile_by_hand() -> None:
    """2 x (300x1000 by 1000x200) f32 GEMMs on 910B2: the profile follows the chosen blocks."""
    s = matmul(300, 200, 1000, "f32", batch=2)
    p = profile(s)
    t = gemm_tiling(CFG, [2, 300, 200, 1000], "f32")
    assert p.engine == "aic"
    assert p.tiles == t.blocks == 2 * math.ceil(300 / t.bm) * math.ceil(200 / t.bn)
    unique = (2 * 300 * 1000 + 2 * 1000 * 200 + 2 * 300 * 200) * 4
    assert p.hbm_bytes == p.min_hbm_bytes == unique  # fits in L2
    assert gemm_hbm_bytes(CFG, [2, 300, 200, 1000], 4, t.bm, t.bn, unique) == unique
    # each core's share of L2 bandwidth moves its block's panels and output
    l2_us = (t.in_bytes + t.out_bytes) / (CFG.l2_bytes_per_us / CFG.ai_cores)
    assert p.tile_us == pytest.approx(max(t.block_us, l2_us))
    assert p.fill_us == pytest.approx((t.bm + t.bn) * t.bk * 4 / CFG.core_gm_bytes_per_us)
    assert p.cube_flops == 2 * 2 * 300 * 200 * 1000
    assert p.cube_peak_us == pytest.approx(p.cube_flops / (24 * 1024 * 2 * 1800))
    assert p.vector_flops == 0 and p.aiv_per_tile == 0 and p.link_bytes == 0
    assert p.time_on(1) == pytest.approx(p.fill_us + p.tiles * p.tile_us)
    assert p.time_on(p.tiles) == pytest.approx(p.fill_us + p.tile_us)
    # at full chip the unique bytes take longer than the cube work: memory-bound by roofline
    assert p.roofline_us(CFG) == pytest.approx(unique / CFG.hbm_bytes_per_us)
    assert p.roofline_us(CFG) > p.cube_peak_us
    assert p.bound_by(CFG) == "memory"
    assert duration(s) == pytest.approx(max(p.time_on(min(p.tiles, 24)), p.roofline_us(CFG)))


def test_vector_epilogue_pairs_vector_cores() -> None:
    p = profile(matmul(1024, 1024, 1024, vector_flops=1024 * 1024))
    assert p.aiv_per_tile == CFG.vector_cores // CFG.ai_cores == 2
    assert p.vector_peak_us == pytest.approx(1024 * 1024 / CFG.vector_flops_per_us)
    assert profile(matmul(1024, 1024, 1024)).aiv_per_tile == 0


BIG = (4096, 4096, 4096)


@pytest.mark.parametrize("device", sorted(CONFIGS))
def test_big_f16_matmul_is_compute_bound_near_cube_peak(device: str) -> None:
    cfg = CONFIGS[device]
    s = matmul(*BIG)
    p = profile(s, device)
    assert p.bound_by(cfg) == "compute"
    roofline = p.roofline_us(cfg)
    assert roofline == pytest.approx(2 * 4096**3 / cfg.cube_flops_per_us)
    assert simulate(s, cfg).cores == [cfg.ai_cores]
    assert roofline <= duration(s, device) <= 1.15 * roofline


def test_cube_peak_per_dtype() -> None:
    f16, f32, i8 = (profile(matmul(*BIG, dtype)).cube_peak_us for dtype in ("f16", "f32", "i8"))
    assert f32 == pytest.approx(4 * f16)  # fp32 MAC rate is a quarter of fp16
    assert i8 == pytest.approx(f16 / 2)  # int8 doubles it
    assert CFG.cube_flops_per_us_for("f32") * 4 == CFG.cube_flops_per_us_for("f16")
    assert CFG.cube_flops_per_us_for("bf16") == CFG.cube_flops_per_us
    assert CFG.cube_flops_per_us_for(None) == CFG.cube_flops_per_us
    assert CFG.macs_per_cycle("i8") == CFG.cube_macs_per_cycle_int8


def test_int8_matmul_is_twice_as_fast_as_f16() -> None:
    ratio = duration(matmul(*BIG, "i8")) / duration(matmul(*BIG))
    assert ratio == pytest.approx(0.5, rel=0.15)


def test_f32_matmul_is_four_times_slower_than_f16() -> None:
    ratio = duration(matmul(*BIG, "f32")) / duration(matmul(*BIG))
    assert ratio == pytest.approx(4.0, rel=0.15)


@pytest.mark.parametrize("device", sorted(CONFIGS))
@pytest.mark.parametrize("dtype", ["f16", "f32", "i8"])
def test_big_matmuls_run_near_their_roofline(device: str, dtype: str) -> None:
    s = matmul(*BIG, dtype)
    roofline = profile(s, device).roofline_us(CONFIGS[device])
    assert roofline <= duration(s, device) <= 1.5 * roofline


def test_tiling_search_counts_hbm_re_reads() -> None:
    """A 4096^3 f32 GEMM on 910B4 exceeds L2 (96 MiB): small blocks would re-read their panels
    from HBM many times over; the search picks blocks whose re-reads HBM can feed."""
    cfg = CONFIGS["910B4"]
    s = matmul(*BIG, "f32")
    p = profile(s, "910B4")
    assert p.min_hbm_bytes > cfg.l2_bytes
    t = gemm_tiling(cfg, [1, *BIG], "f32")
    assert p.hbm_bytes == gemm_hbm_bytes(cfg, [1, *BIG], 4, t.bm, t.bn, p.min_hbm_bytes)
    assert p.hbm_bytes / cfg.hbm_bytes_per_us <= 1.1 * p.roofline_us(cfg)
    assert duration(s, "910B4") <= 1.1 * p.roofline_us(cfg)
    # 64 x 64 blocks would need more HBM time than the whole GEMM takes, 16 x 16 ones 4x
    for side, factor in ((64, 1.0), (16, 4.0)):
        small = gemm_hbm_bytes(cfg, [1, *BIG], 4, side, side, p.min_hbm_bytes)
        assert small / cfg.hbm_bytes_per_us > factor * duration(s, "910B4")


def test_gemm_hbm_bytes_by_hand() -> None:
    """[1, 1024, 1024, 1024] f16 in 128 x 128 blocks on 24 cores: 8 x 8 blocks; a wave is a
    4 x 6 group of them (4 A panels, 6 B panels), and 2 x 2 such groups cover the output."""
    gemm, b, bm, bn = [1, 1024, 1024, 1024], 2, 128, 128
    mib = 1 << 20
    unique = 3 * 2 * mib
    panel = 128 * 1024 * b  # one A or B panel: 256 KiB
    wave_in = (4 + 6) * panel
    every_block = 64 * 2 * panel + 2 * mib
    assert CFG.ai_cores == 24

    def hbm(l2_bytes: int, unique: int = unique) -> int:
        return gemm_hbm_bytes(dataclasses.replace(CFG, l2_bytes=l2_bytes), gemm, b, bm, bn, unique)

    # the operands fit in L2: each byte crosses HBM once
    assert hbm(8 * mib) == hbm(unique) == unique
    # they do not, but one wave's panels do: every wave reads its panels from HBM
    assert hbm(unique - 1) == hbm(wave_in) == 2 * 2 * wave_in + 2 * mib
    # not even that: every block reads its own A and B panels from HBM
    assert hbm(wave_in - 1) == hbm(0) == every_block
    # never below the unique bytes
    assert hbm(0, unique=10 * every_block) == 10 * every_block
    # on 20 cores a wave is a 4 x 5 group: 2 x 2 groups again, of 9 panels
    b4 = dataclasses.replace(CFG, ai_cores=20, l2_bytes=4 * mib)
    assert gemm_hbm_bytes(b4, gemm, b, bm, bn, unique) == 2 * 2 * 9 * panel + 2 * mib
    # batches multiply the waves
    assert gemm_hbm_bytes(
        dataclasses.replace(CFG, l2_bytes=4 * mib), [3, *gemm[1:]], b, bm, bn, 3 * unique
    ) == 3 * (2 * 2 * wave_in + 2 * mib)


def tiling_cost(cfg, gemm: list[int], dtype: str, bm: int, bn: int) -> float | None:
    """The documented cost of one candidate block size (None if it does not fit)."""
    b = DTYPE_BYTES[dtype]
    batch, m, n, k = gemm
    if 2 * (bm + bn) * 16 * b > cfg.l1_bytes or bm * bn * ACC_BYTES > cfg.l0c_bytes:
        return None
    blocks = batch * math.ceil(m / bm) * math.ceil(n / bn)
    cycles = (
        math.ceil(bm / 16) * math.ceil(bn / 16) * math.ceil(k / (cfg.macs_per_cycle(dtype) // 256))
    )
    moved = (bm + bn) * k * b + bm * bn * b
    block_us = max(cycles / cfg.clock_mhz, moved / cfg.core_gm_bytes_per_us)
    unique = batch * (m * k + k * n + m * n) * b
    return max(
        math.ceil(blocks / cfg.ai_cores) * block_us,
        blocks * moved / cfg.l2_bytes_per_us,
        gemm_hbm_bytes(cfg, gemm, b, bm, bn, unique) / cfg.hbm_bytes_per_us,
    )


@settings(max_examples=60, deadline=None)
@given(
    device=st.sampled_from(sorted(CONFIGS)),
    dtype=st.sampled_from(sorted(DTYPE_BYTES)),
    gemm=st.tuples(
        st.integers(1, 8), st.integers(1, 1 << 14), st.integers(1, 1 << 14), st.integers(1, 1 << 14)
    ),
)
def test_tiling_search_picks_the_cheapest_block(
    device: str, dtype: str, gemm: tuple[int, int, int, int]
) -> None:
    cfg = CONFIGS[device]
    t = gemm_tiling(cfg, list(gemm), dtype)
    chosen = tiling_cost(cfg, list(gemm), dtype, t.bm, t.bn)
    assert chosen is not None
    for bm in (s for s in BLOCK_SIDES if s <= pad16(gemm[1])):
        for bn in (s for s in BLOCK_SIDES if s <= pad16(gemm[2])):
            cost = tiling_cost(cfg, list(gemm), dtype, bm, bn)
            if cost is not None:
                assert chosen <= cost * (1 + 1e-12), (bm, bn)
                if cost == chosen:  # larger blocks on ties
                    assert t.bm * t.bn >= bm * bn


def minimal_memories() -> object:
    """A config at every on-chip memory minimum config_from_dict allows (4 KiB each)."""
    data = json.loads((CONFIG_DIR / "910B2.json").read_text())
    for key in ("l0a_bytes", "l0b_bytes", "l0c_bytes", "l1_bytes", "ub_bytes"):
        data[key] = 4096
    return config_from_dict(data)


@pytest.mark.parametrize(
    "dtype",
    [
        "f16",
        "bf16",
        "f32",
        "i8",
        "i32",
        "f64",
        "i64",
    ],
)
def test_gemms_fit_the_smallest_memories_a_config_allows(dtype: str) -> None:
    cfg = minimal_memories()
    s = matmul(64, 64, 64, "f32")
    s.kernels["mm"] = dataclasses.replace(s.kernels["mm"], cube_dtype=dtype)
    try:
        sim = simulate(s, cfg)
    except GeError:
        return  # refusing the GEMM is fine; crashing is not
    t = gemm_tiling(cfg, [1, 64, 64, 64], dtype)
    assert t.bm * t.bn * ACC_BYTES <= cfg.l0c_bytes
    assert sim.latency_us >= sim.profiles[0].roofline_us(cfg)


@pytest.mark.parametrize("dims", [(16, 16, 16), (1, 1, 1), (16, 1, 4096), (17, 17, 17)])
def test_tiny_matmuls_pay_padding_and_fill(dims: tuple[int, int, int]) -> None:
    s = matmul(*dims)
    p = profile(s)
    assert duration(s) == pytest.approx(p.time_on(p.tiles))  # one wave
    assert duration(s) > 5 * p.roofline_us(CFG)
    # a 16x16x16 fractal is the smallest unit: a 1x1x1 GEMM computes as many cycles
    cycles = math.ceil(dims[0] / 16) * math.ceil(dims[1] / 16) * math.ceil(dims[2] / 16)
    assert p.tile_us >= cycles / CFG.clock_mhz


def test_gemm_without_dims_is_still_timed() -> None:
    """A cube kernel from a hand-written schedule without ``gemm`` runs as one GEMV-like tile."""
    kernel = Kernel("k", "cube", 2 * 10**6, 0, "")
    s = one_task(kernel, [1024, 1024], 1)
    p = profile(s)
    assert p.engine == "aic" and p.tiles == 1
    assert duration(s) >= p.roofline_us(CFG)


# --------------------------------------------------------------------------- vector kernels


def test_vector_profile_by_hand() -> None:
    chunk = CFG.ub_bytes // 2  # double-buffered UB: half of it per tile
    flops = 10 * 128 * 1800 * 4  # 4 us per tile: 128 lanes at 1800 MHz
    s = elementwise(5 * chunk, flops=flops)
    p = profile(s)
    assert (p.engine, p.tiles) == ("aiv", 10)
    assert p.tile_us == pytest.approx(max(4.0, chunk / CFG.core_gm_bytes_per_us))
    assert p.fill_us == pytest.approx(chunk / CFG.core_gm_bytes_per_us)
    assert p.hbm_bytes == p.min_hbm_bytes == 10 * chunk
    assert p.vector_peak_us == pytest.approx(flops / (48 * 128 * 1800))
    assert p.bound_by(CFG) == "compute"
    assert simulate(s, CFG).cores == [10]


@pytest.mark.parametrize("device", sorted(CONFIGS))
def test_large_elementwise_kernel_is_memory_bound(device: str) -> None:
    cfg = CONFIGS[device]
    nbytes = 256 << 20
    s = elementwise(nbytes)
    p = profile(s, device)
    assert p.bound_by(cfg) == "memory"
    hbm_us = 2 * nbytes / cfg.hbm_bytes_per_us
    assert p.roofline_us(cfg) == pytest.approx(hbm_us)
    assert hbm_us <= duration(s, device) <= 1.05 * hbm_us
    assert simulate(s, cfg).cores == [cfg.vector_cores]


def test_elementwise_kernel_on_few_cores_is_core_bandwidth_bound() -> None:
    nbytes = 64 << 20
    kernel = Kernel("ew", "vector", 0, nbytes, "")
    s = one_task(kernel, [nbytes, nbytes], 1, block_dim=2)
    # two cores move 2 x core_gm_gbps, far below HBM's 1.6 TB/s
    assert 2 * CFG.core_gm_bytes_per_us < CFG.hbm_bytes_per_us / 2
    assert duration(s) == pytest.approx(2 * nbytes / (2 * CFG.core_gm_bytes_per_us), rel=0.01)


# --------------------------------------------------------------------------- L2 and copies


def test_gemm_operands_fitting_l2_read_hbm_once() -> None:
    p = profile(matmul(*BIG))
    unique = 3 * 4096 * 4096 * 2
    assert unique <= CFG.l2_bytes
    assert p.hbm_bytes == p.min_hbm_bytes == unique


def test_gemm_operands_exceeding_l2_re_read_hbm() -> None:
    s = matmul(8192, 8192, 8192)
    p = profile(s)
    unique = 3 * 8192 * 8192 * 2
    assert unique > CFG.l2_bytes
    assert p.min_hbm_bytes == unique
    assert p.hbm_bytes > unique
    assert simulate(s, CFG).hbm_bytes == p.hbm_bytes
    # the same GEMM on a chip with a larger L2 moves only the unique bytes
    big_l2 = dataclasses.replace(CFG, l2_bytes=unique)
    assert task_profile(s, s.tasks[0], big_l2).hbm_bytes == unique


def test_copy_profiles() -> None:
    buffers = [BufferRef("act", 0, 1000, [1000], "i8", 0, 0)] * 2
    s = Schedule(
        "m",
        "f",
        [Arena("act", "device", 1000, 1)],
        buffers,
        {},
        [
            Task(0, "copy", 0, [0], [1], copy_kind="h2d"),
            Task(1, "copy", 0, [0], [1], copy_kind="d2h"),
            Task(2, "copy", 0, [0], [1], copy_kind="d2d"),
        ],
        0,
    )
    h2d, d2h, d2d = (task_profile(s, t, CFG) for t in s.tasks)
    assert (h2d.engine, h2d.link_bytes, h2d.hbm_bytes) == ("link", 1000, 0)
    assert (d2h.engine, d2h.link_bytes, d2h.hbm_bytes) == ("link", 1000, 0)
    assert (d2d.engine, d2d.link_bytes, d2d.hbm_bytes, d2d.min_hbm_bytes) == ("hbm", 0, 2000, 2000)
    assert h2d.roofline_us(CFG) == pytest.approx(1000 / CFG.host_link_bytes_per_us)
    assert d2d.roofline_us(CFG) == pytest.approx(2000 / CFG.hbm_bytes_per_us)
    assert h2d.bound_by(CFG) == d2d.bound_by(CFG) == "memory"
