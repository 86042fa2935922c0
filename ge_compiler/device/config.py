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
    name: str
    source: str
    ai_cores: int
    vector_cores: int
    clock_mhz: float
    cube_macs_per_cycle: int
    cube_macs_per_cycle_int8: int
    vector_lanes: int
    l0a_bytes: int
    l0b_bytes: int
    l0c_bytes: int
    l1_bytes: int
    ub_bytes: int
    l2_bytes: int
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

    @property
    def cube_flops_per_us(self) -> float:
        """Peak fp16 cube throughput: cores x MACs/cycle x 2 flops x clock."""
        return self.ai_cores * self.cube_macs_per_cycle * 2 * self.clock_mhz

    @property
    def vector_flops_per_us(self) -> float:
        """Peak fp16 vector throughput: vector cores x lanes x 2 x clock."""
        return self.vector_cores * self.vector_lanes * 2 * self.clock_mhz

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
        if key in ("name", "source"):
            if not isinstance(value, str):
                raise GeError(f"{where}: '{key}' must be a string")
        elif (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
            or value < 0
        ):
            raise GeError(f"{where}: '{key}' must be a non-negative number, got {value!r}")
        elif known[key] == "int" and not isinstance(value, int):
            raise GeError(f"{where}: '{key}' must be a whole number, got {value!r}")
    for key in ("ai_cores", "vector_cores", "clock_mhz", "hbm_gbps", "host_link_gbps"):
        if data[key] <= 0:
            raise GeError(f"{where}: '{key}' must be positive")
    return DeviceConfig(**data)
