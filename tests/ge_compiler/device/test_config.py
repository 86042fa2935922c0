"""Device configs: bundled chips load with the peaks of ASCEND.md; bad configs are GeErrors."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("name", ["910B2", "910B4", "310P3"])
def test_bundled_configs_load(name: str) -> None:
    cfg = load_config(name)
    assert isinstance(cfg, DeviceConfig)
    assert cfg.name == name
    assert cfg.source
    for f in fields(DeviceConfig):
        value = getattr(cfg, f.name)
        if f.name not in ("name", "source"):
            assert value >= 0, f.name
    assert cfg.cube_flops_per_us > 0 and cfg.vector_flops_per_us > 0
    assert cfg.hbm_bytes_per_us > 0 and cfg.host_link_bytes_per_us > 0


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


def test_910b2_peaks() -> None:
    cfg = load_config("910B2")
    assert cfg.cube_flops_per_us == pytest.approx(3.539e8, rel=1e-3)
    assert cfg.vector_flops_per_us == pytest.approx(22.1e6, rel=1e-3)
    assert cfg.hbm_bytes_per_us == pytest.approx(1.6e6)  # 1.6 TB/s
    assert (cfg.ai_cores, cfg.vector_cores, cfg.clock_mhz) == (24, 48, 1800)
    assert cfg.memory_alignment == 512
    assert cfg.max_tasks_per_stream == 2013 and cfg.max_resident_tasks == 60000


def test_config_from_dict_round_trip() -> None:
    data = raw()
    assert config_from_dict(data) == load_config("910B2")


@pytest.mark.parametrize("key", ["ai_cores", "hbm_gbps", "name"])
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
