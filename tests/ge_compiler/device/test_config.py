"""Device configs: bundled chips load with the peaks of ASCEND.md; bad configs are GeErrors."""

from __future__ import annotations

import json
import math
from dataclasses import fields

import pytest

from ge_compiler.device.config import (
    CONFIG_DIR,
    DEFAULT_DEVICE,
    DeviceConfig,
    bundled_devices,
    config_from_dict,
    load_config,
)
from ge_compiler.errors import GeError


def raw(name: str = "910B2") -> dict:
    return json.loads((CONFIG_DIR / f"{name}.json").read_text())


def test_bundled_devices() -> None:
    assert bundled_devices() == ["310P3", "910B2", "910B4"]
    assert DEFAULT_DEVICE == "910B2"


PARAMETERS = [f.name for f in fields(DeviceConfig) if f.name not in ("name", "sources")]


@pytest.mark.parametrize("name", ["910B2", "910B4", "310P3"])
def test_bundled_configs_load(name: str) -> None:
    cfg = load_config(name)
    assert isinstance(cfg, DeviceConfig)
    assert cfg.name == name
    for key in PARAMETERS:
        value = getattr(cfg, key)
        assert isinstance(value, int | float) and not isinstance(value, bool), key
        assert value >= 0, key
    assert cfg.cube_flops_per_us > 0 and cfg.vector_flops_per_us > 0
    assert cfg.hbm_bytes_per_us > 0 and cfg.host_link_bytes_per_us > 0
    assert cfg.l2_bytes_per_us > cfg.hbm_bytes_per_us > 0 and cfg.core_gm_bytes_per_us > 0


@pytest.mark.parametrize("name", ["910B2", "910B4", "310P3"])
def test_bundled_configs_name_a_source_for_every_parameter(name: str) -> None:
    cfg = load_config(name)
    assert set(cfg.sources) == set(PARAMETERS)
    for key, source in cfg.sources.items():
        # either the shared hardware notes or an explicitly named assumption
        assert source.startswith(("ASCEND.md", "assumption")), (key, source)
    assert "assumption" in cfg.sources["static_power_w"]


def test_a_missing_source_is_rejected() -> None:
    data = raw()
    del data["sources"]["hbm_gbps"]
    with pytest.raises(GeError, match=r"^device config: no source named for \['hbm_gbps'\]$"):
        config_from_dict(data)
    data["sources"] = {}
    with pytest.raises(GeError, match="no source named for"):
        config_from_dict(data)


@pytest.mark.parametrize("sources", [None, "ASCEND.md", ["a"], {"ai_cores": 24}])
def test_sources_must_map_names_to_strings(sources) -> None:
    data = raw()
    data["sources"] = sources
    with pytest.raises(GeError, match="'sources' must map parameter names to strings"):
        config_from_dict(data)


def test_default_and_path_loading() -> None:
    assert load_config() == load_config("910B2")
    assert load_config(str(CONFIG_DIR / "910B4.json")) == load_config("910B4")


# ASCEND.md: cube fp16 = cores x 4096 MAC x 2 x clock; vector = vector cores x 128 x 2 x clock.
@pytest.mark.parametrize(
    ("name", "cube_tflops"), [("910B2", 353.9), ("910B4", 245.8), ("310P3", 69.5)]
)
def test_cube_peaks_match_ascend_md(name: str, cube_tflops: float) -> None:
    # 1 TFLOP/s = 1e12 flop/s = 1e6 flop/us
    assert load_config(name).cube_flops_per_us == pytest.approx(cube_tflops * 1e6, rel=1e-3)


@pytest.mark.parametrize("name", ["910B2", "910B4", "310P3"])
def test_vector_peak_counts_element_operations(name: str) -> None:
    cfg = load_config(name)
    # one element-operation per lane per cycle on every vector core (not x2 for FMA)
    assert cfg.vector_flops_per_us == cfg.vector_cores * cfg.vector_lanes * cfg.clock_mhz


def test_910b2_peaks() -> None:
    cfg = load_config("910B2")
    assert cfg.cube_flops_per_us == pytest.approx(3.539e8, rel=1e-3)
    # element operations: 48 vector cores x 128 lanes x 1800 MHz (ASCEND.md's 22.1 TFLOP/s
    # counts a fused multiply-add as two)
    assert cfg.vector_flops_per_us == pytest.approx(22.1e6 / 2, rel=1e-3)
    assert cfg.hbm_bytes_per_us == pytest.approx(1.6e6)  # 1.6 TB/s
    assert (cfg.ai_cores, cfg.vector_cores, cfg.clock_mhz) == (24, 48, 1800)
    assert cfg.memory_alignment == 512
    assert cfg.max_tasks_per_stream == 2013 and cfg.max_resident_tasks == 60000
    assert cfg.cube_flops_per_us_for("i8") == pytest.approx(2 * cfg.cube_flops_per_us)
    assert cfg.cube_flops_per_us_for("f32") == pytest.approx(cfg.cube_flops_per_us / 4)
    assert cfg.cube_flops_per_us_for("f16") == cfg.cube_flops_per_us
    assert cfg.l2_bytes == 192 << 20 and cfg.l2_bytes_per_us == pytest.approx(4e6)


def test_config_from_dict_round_trip() -> None:
    data = raw()
    assert config_from_dict(data) == load_config("910B2")


@pytest.mark.parametrize("key", ["ai_cores", "hbm_gbps", "name", "sources", "static_power_w"])
def test_missing_key(key: str) -> None:
    data = raw()
    del data[key]
    with pytest.raises(GeError, match=rf"missing keys \['{key}'\]"):
        config_from_dict(data)


def test_unknown_key() -> None:
    data = raw()
    data["flux_capacitors"] = 3
    with pytest.raises(GeError, match=r"unknown keys \['flux_capacitors'\]"):
        config_from_dict(data, "my.json")
    with pytest.raises(GeError, match="^my.json: "):
        config_from_dict(data, "my.json")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hbm_gbps", -1.0),
        ("max_streams", -5),
        ("host_launch_us", "3"),
        ("l2_bytes", None),
        ("ai_cores", True),
        ("kernel_overhead_us", [1.0]),
        ("energy_pj_per_mac", {"v": 1}),
        ("l2_gbps", float("inf")),
        ("static_power_w", float("-inf")),
        ("hbm_gbps", float("nan")),
    ],
)
def test_bad_values(key: str, value) -> None:
    data = raw()
    data[key] = value
    with pytest.raises(GeError, match=f"'{key}' must be a non-negative number"):
        config_from_dict(data)


@pytest.mark.parametrize("key", ["ai_cores", "vector_cores", "clock_mhz", "hbm_gbps"])
def test_rates_must_be_positive(key: str) -> None:
    data = raw()
    data[key] = 0
    with pytest.raises(GeError, match=f"'{key}' must be positive"):
        config_from_dict(data)


def test_name_must_be_a_string() -> None:
    data = raw()
    data["name"] = 910
    with pytest.raises(GeError, match="'name' must be a string"):
        config_from_dict(data)


def test_bad_json_file(tmp_path) -> None:
    path = tmp_path / "chip.json"
    path.write_text('{\n  "name": "x",\n  oops\n}\n')
    with pytest.raises(GeError, match=r"chip\.json:3:3: device config is not valid JSON"):
        load_config(str(path))


def test_missing_file(tmp_path) -> None:
    with pytest.raises(GeError, match="cannot read device config"):
        load_config(str(tmp_path / "absent.json"))


def test_custom_config_file(tmp_path) -> None:
    data = raw()
    data["name"] = "mychip"
    data["ai_cores"] = 1
    path = tmp_path / "mychip.json"
    path.write_text(json.dumps(data))
    cfg = load_config(str(path))
    assert cfg.name == "mychip"
    assert cfg.cube_flops_per_us == pytest.approx(load_config().cube_flops_per_us / 24)


@pytest.mark.parametrize("name", ["910C", "nope", "910b2"])
def test_unknown_name(name: str) -> None:
    with pytest.raises(GeError, match=f"unknown device '{name}'.*910B2"):
        load_config(name)


@pytest.mark.parametrize("text", ["42", "null", '[{"a": 1}]'])
def test_non_object_json_file(tmp_path, text: str) -> None:
    path = tmp_path / "chip.json"
    path.write_text(text)
    with pytest.raises(GeError):
        load_config(str(path))


@pytest.mark.parametrize("key", ["clock_mhz", "host_launch_us"])
def test_nan_is_rejected(key: str) -> None:
    data = raw()
    data[key] = float("nan")
    with pytest.raises(GeError, match=key):
        config_from_dict(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ai_cores", 24.5),
        ("max_events", 1024.0),
        ("l2_bytes", 1e8),
        ("cube_macs_per_cycle", 4096.5),
    ],
)
def test_integer_fields_must_be_whole_numbers(key: str, value: float) -> None:
    data = raw()
    data[key] = value
    with pytest.raises(GeError, match=f"'{key}' must be a whole number, got {value!r}"):
        config_from_dict(data)


def test_float_fields_accept_integers() -> None:
    data = raw()
    data["clock_mhz"] = 1800
    data["static_power_w"] = 0
    assert config_from_dict(data).clock_mhz == 1800


@pytest.mark.parametrize("text", ["Infinity", "NaN", "-Infinity"])
def test_non_finite_json_values(tmp_path, text: str) -> None:
    data = raw()
    data["hbm_gbps"] = 0  # replaced by the literal below
    path = tmp_path / "chip.json"
    path.write_text(json.dumps(data).replace('"hbm_gbps": 0', f'"hbm_gbps": {text}'))
    with pytest.raises(GeError, match="'hbm_gbps' must be"):
        load_config(str(path))


def test_errors_name_the_file(tmp_path) -> None:
    data = raw()
    data["ai_cores"] = 2.5
    path = tmp_path / "chip.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GeError, match=r"^.*chip\.json: 'ai_cores' must be a whole number"):
        load_config(str(path))


def gemm_and_vector_schedules():
    from ge_compiler.schedule import Arena, BufferRef, Kernel, Schedule, Task

    def one(kernel: Kernel) -> Schedule:
        return Schedule(
            "m",
            "f",
            [Arena("act", "device", 1 << 20, 1)],
            [BufferRef("act", 0, 1 << 20, [1], "f32", 0, 0)] * 2,
            {"k": kernel},
            [Task(0, "launch", 0, [0], [1], kernel="k")],
            0,
        )

    return [
        one(Kernel("k", "cube", 2 * 512**3, 10**4, "", [1, 512, 512, 512], "f32")),
        one(Kernel("k", "vector", 0, 10**6, "")),
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("core_gm_gbps", 0, "must be positive"),
        ("l2_gbps", 0, "must be positive"),
        ("l2_gbps", 0.0, "must be positive"),
        ("vector_lanes", 0, "must be positive"),
        ("memory_alignment", 0, "must be positive"),
        ("ub_bytes", 1, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("ub_bytes", 4095, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("l0a_bytes", 0, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("l0b_bytes", 2048, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("l0c_bytes", 1024, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("l1_bytes", 4000, r"must be at least 4096 bytes \(a 16x16 tile\)"),
        ("cube_macs_per_cycle", 0, r"must be a positive multiple of 256 \(16x16 outputs\)"),
        ("cube_macs_per_cycle", 4000, r"must be a positive multiple of 256 \(16x16 outputs\)"),
        ("cube_macs_per_cycle_int8", 128, r"must be a positive multiple of 256"),
        ("cube_macs_per_cycle_fp32", 128, r"must be a positive multiple of 256"),
        ("cube_macs_per_cycle_fp32", 257, r"must be a positive multiple of 256"),
    ],
)
def test_configs_the_model_cannot_use_are_rejected(key: str, value: int, message: str) -> None:
    """Values the timing model divides by, or floors to zero, are refused up front."""
    data = raw()
    data[key] = value
    with pytest.raises(GeError, match=f"^device config: '{key}' {message}"):
        config_from_dict(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("core_gm_gbps", 1e-3),
        ("l2_gbps", 0.5),
        ("vector_lanes", 1),
        ("memory_alignment", 1),
        ("ub_bytes", 4096),
        ("l0a_bytes", 4096),
        ("l0b_bytes", 4096),
        ("l0c_bytes", 4096),
        ("l1_bytes", 4096),
        ("cube_macs_per_cycle", 256),
        ("cube_macs_per_cycle_int8", 512),
        ("cube_macs_per_cycle_fp32", 256),
    ],
)
def test_configs_at_the_minimums_are_accepted_and_simulate(key: str, value: float) -> None:
    from ge_compiler.device.simulator import simulate

    data = raw()
    data[key] = value
    cfg = config_from_dict(data)
    assert getattr(cfg, key) == value
    for s in gemm_and_vector_schedules():
        sim = simulate(s, cfg)
        assert sim.latency_us > 0 and math.isfinite(sim.latency_us)
