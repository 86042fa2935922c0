"""Energy of a simulated run: per-operation dynamic energy plus static power over the latency."""

from __future__ import annotations

import dataclasses

import pytest

from ge_compiler.compiler import compile_module
from ge_compiler.device.config import load_config
from ge_compiler.device.energy import energy_joules
from ge_compiler.device.simulator import LAUNCH_MODES, simulate
from ge_compiler.models import build_model
from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

CFG = load_config("910B2")
PARTS = ("cube_j", "vector_j", "hbm_j", "host_link_j", "static_j")
DYNAMIC = ("cube_j", "vector_j", "hbm_j", "host_link_j")


def dynamic(parts: dict[str, float]) -> float:
    return sum(parts[k] for k in DYNAMIC)


@pytest.fixture(scope="module")
def compiled() -> Schedule:
    return compile_module(build_model("transformer-tiny"), 3).schedule


def small() -> Schedule:
    """h2d copy of 1 MB, a 256x256x256 f16 GEMM with a 1e6-flop epilogue, a vector kernel."""
    mb = 1 << 20
    return Schedule(
        model="m",
        function="f",
        arenas=[Arena("h", "host", mb, 1), Arena("act", "device", 4 * mb, 1)],
        buffers=[
            BufferRef("h", 0, mb, [mb], "i8", 0, 0, "weight:w"),
            BufferRef("act", 0, mb, [mb], "i8", 0, 1),
            BufferRef("act", mb, mb, [mb], "i8", 1, 2),
            BufferRef("act", 2 * mb, mb, [mb], "i8", 2, 2),
        ],
        kernels={
            "mm": Kernel("mm", "cube", 2 * 256**3, 10**6, "", [1, 256, 256, 256], "f16"),
            "v": Kernel("v", "vector", 0, 3 * 10**6, ""),
        },
        tasks=[
            Task(0, "copy", 0, [0], [1], records=[0], copy_kind="h2d"),
            Task(1, "launch", 0, [1], [2], waits=[0], kernel="mm"),
            Task(2, "launch", 0, [2], [3], kernel="v"),
        ],
        num_events=1,
    )


def test_energy_by_hand() -> None:
    s = small()
    sim = simulate(s, CFG)
    e = energy_joules(sim, CFG)
    assert set(e) == {*PARTS, "total_j"}
    pj = 1e-12
    assert e["cube_j"] == pytest.approx(256**3 * CFG.energy_pj_per_mac * pj)
    assert e["vector_j"] == pytest.approx(4 * 10**6 * CFG.energy_pj_per_vector_flop * pj)
    assert e["hbm_j"] == pytest.approx(sim.hbm_bytes * CFG.energy_pj_per_hbm_byte * pj)
    assert sim.hbm_bytes == 4 * (1 << 20)  # the two kernels' inputs and outputs, once
    assert e["host_link_j"] == pytest.approx((1 << 20) * CFG.energy_pj_per_link_byte * pj)
    assert e["static_j"] == pytest.approx(CFG.static_power_w * sim.latency_us * 1e-6)
    assert e["total_j"] == pytest.approx(sum(e[k] for k in PARTS))


@pytest.mark.parametrize("mode", LAUNCH_MODES)
@pytest.mark.parametrize("device", ["910B2", "310P3"])
def test_compiled_model_energy(compiled: Schedule, mode: str, device: str) -> None:
    cfg = load_config(device)
    sim = simulate(compiled, cfg, mode)
    e = energy_joules(sim, cfg)
    for k in PARTS:
        assert e[k] >= 0, k
    assert e["cube_j"] > 0 and e["hbm_j"] > 0 and e["static_j"] > 0
    assert e["total_j"] == pytest.approx(sum(e[k] for k in PARTS), rel=1e-12)
    assert e["static_j"] == pytest.approx(cfg.static_power_w * sim.latency_us * 1e-6)


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_more_requests_more_dynamic_energy(compiled: Schedule, mode: str) -> None:
    one = energy_joules(simulate(compiled, CFG, mode), CFG)
    for n in (2, 4):
        many = energy_joules(simulate(compiled, CFG, mode, n), CFG)
        assert dynamic(many) > dynamic(one)
        assert dynamic(many) == pytest.approx(n * dynamic(one))  # the same work n times
        assert many["static_j"] >= one["static_j"]
        assert many["total_j"] > one["total_j"]


def test_sink_mode_saves_static_energy_only(compiled: Schedule) -> None:
    host = energy_joules(simulate(compiled, CFG, "host"), CFG)
    sink = energy_joules(simulate(compiled, CFG, "sink"), CFG)
    assert dynamic(sink) == pytest.approx(dynamic(host))
    assert sink["static_j"] < host["static_j"]


def test_energy_scales_with_config_values() -> None:
    s = small()
    sim = simulate(s, CFG)
    base = energy_joules(sim, CFG)
    double = dataclasses.replace(
        CFG,
        energy_pj_per_mac=2 * CFG.energy_pj_per_mac,
        energy_pj_per_hbm_byte=2 * CFG.energy_pj_per_hbm_byte,
        static_power_w=0.0,
    )
    e = energy_joules(sim, double)
    assert e["cube_j"] == pytest.approx(2 * base["cube_j"])
    assert e["hbm_j"] == pytest.approx(2 * base["hbm_j"])
    assert e["vector_j"] == pytest.approx(base["vector_j"])
    assert e["static_j"] == 0.0


def test_resident_weights_use_no_link_energy() -> None:
    s = small()
    s.weights_resident = True
    e = energy_joules(simulate(s, CFG), CFG)
    assert e["host_link_j"] == 0.0


def test_empty_run_uses_no_energy() -> None:
    s = Schedule("m", "f", [], [], {}, [], 0)
    e = energy_joules(simulate(s, CFG), CFG)
    assert all(v == 0.0 for v in e.values())
