"""Device configuration: every hardware number of the device model, loaded from one JSON file.

Bundled chips live in ``configs/<NAME>.json`` with their sources; ``load_config`` accepts a
bundled name or a path, so users can describe another chip without touching code.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path

from ge_compiler.errors import GeError

CONFIG_DIR = Path(__file__).parent / "configs"
DEFAULT_DEVICE = "910B2"


@dataclass(frozen=True)
class DeviceConfig:
    """One chip. ``sources`` names where each number comes from (or that it is an assumption)."""

    name: str
    sources: dict[str, str]
    ai_cores: int
    vector_cores: int
    clock_mhz: float
    cube_macs_per_cycle: int
    cube_macs_per_cycle_int8: int
    cube_macs_per_cycle_fp32: int
    vector_lanes: int
    l0a_bytes: int
    l0b_bytes: int
    l0c_bytes: int
    l1_bytes: int
    ub_bytes: int
    l2_bytes: int
    l2_gbps: float
    core_gm_gbps: float
    hbm_bytes: int
    hbm_gbps: float
    host_link_gbps: float
    host_launch_us: float
    sink_launch_us: float
    sink_dispatch_us: float
    kernel_overhead_us: float
    dma_latency_us: float
    max_streams: int
    max_events: int
    max_tasks_per_stream: int
    max_resident_tasks: int
    memory_alignment: int
    energy_pj_per_mac: float
    energy_pj_per_vector_flop: float
    energy_pj_per_hbm_byte: float
    energy_pj_per_link_byte: float
    static_power_w: float

    def macs_per_cycle(self, dtype: str | None) -> int:
        """Cube MACs per cycle per core for GEMM operands of ``dtype``."""
        if dtype in ("i8", "si8", "ui8"):
            return self.cube_macs_per_cycle_int8
        if dtype in ("f32", "f64", "i32", "i64"):
            return self.cube_macs_per_cycle_fp32
        return self.cube_macs_per_cycle

    def cube_flops_per_us_for(self, dtype: str | None) -> float:
        """Peak cube throughput of the whole chip for ``dtype`` operands."""
        return self.ai_cores * self.macs_per_cycle(dtype) * 2 * self.clock_mhz

    @property
    def core_gm_bytes_per_us(self) -> float:
        return self.core_gm_gbps * 1e3

    @property
    def l2_bytes_per_us(self) -> float:
        return self.l2_gbps * 1e3

    @property
    def cube_flops_per_us(self) -> float:
        """Peak fp16 cube throughput: cores x MACs/cycle x 2 flops x clock."""
        return self.ai_cores * self.cube_macs_per_cycle * 2 * self.clock_mhz

    @property
    def vector_flops_per_us(self) -> float:
        """Vector element-operations per us: one per lane per cycle on every vector core.

        Kernels count vector work in element-operations (an add is one, a GELU about 14), so
        the peak is lanes x clock, not the 2 x lanes x clock of ASCEND.md's 22.1 TFLOP/s
        figure, which counts a fused multiply-add as two flops.
        """
        return self.vector_cores * self.vector_lanes * self.clock_mhz

    @property
    def hbm_bytes_per_us(self) -> float:
        return self.hbm_gbps * 1e3

    @property
    def host_link_bytes_per_us(self) -> float:
        return self.host_link_gbps * 1e3


def bundled_devices() -> list[str]:
    return sorted(p.stem for p in CONFIG_DIR.glob("*.json"))


def load_config(name_or_path: str = DEFAULT_DEVICE) -> DeviceConfig:
    path = Path(name_or_path)
    if not path.suffix:
        path = CONFIG_DIR / f"{name_or_path}.json"
        if not path.exists():
            raise GeError(
                f"unknown device '{name_or_path}' (bundled: {', '.join(bundled_devices())}; "
                "or give a path to a JSON config)"
            )
    try:
        data = json.loads(path.read_text())
    except OSError as e:
        raise GeError(f"cannot read device config '{path}': {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise GeError(f"{path}:{e.lineno}:{e.colno}: device config is not valid JSON") from None
    return config_from_dict(data, str(path))


def config_from_dict(data: object, where: str = "device config") -> DeviceConfig:
    if not isinstance(data, dict):
        raise GeError(f"{where}: expected a JSON object of parameters")
    known = {f.name: f.type for f in fields(DeviceConfig)}
    missing = sorted(set(known) - set(data))
    unknown = sorted(set(data) - set(known))
    if missing or unknown:
        raise GeError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    for key, value in data.items():
        if key == "name":
            if not isinstance(value, str):
                raise GeError(f"{where}: 'name' must be a string")
        elif key == "sources":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise GeError(f"{where}: 'sources' must map parameter names to strings")
            unsourced = sorted(set(known) - {"name", "sources"} - set(value))
            if unsourced:
                raise GeError(f"{where}: no source named for {unsourced}")
        elif (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
            or value < 0
        ):
            raise GeError(f"{where}: '{key}' must be a non-negative number, got {value!r}")
        elif known[key] == "int" and not isinstance(value, int):
            raise GeError(f"{where}: '{key}' must be a whole number, got {value!r}")
    positive = (
        "ai_cores", "vector_cores", "clock_mhz", "hbm_gbps", "host_link_gbps", "core_gm_gbps",
        "l2_gbps", "vector_lanes", "memory_alignment",
    )  # fmt: skip
    for key in positive:
        if data[key] <= 0:
            raise GeError(f"{where}: '{key}' must be positive")
    for key in ("l0a_bytes", "l0b_bytes", "l0c_bytes", "l1_bytes", "ub_bytes"):
        if data[key] < 4096:
            raise GeError(f"{where}: '{key}' must be at least 4096 bytes (a 16x16 tile)")
    for key in ("cube_macs_per_cycle", "cube_macs_per_cycle_int8", "cube_macs_per_cycle_fp32"):
        if data[key] < 256 or data[key] % 256:
            raise GeError(f"{where}: '{key}' must be a positive multiple of 256 (16x16 outputs)")
    return DeviceConfig(**data)
