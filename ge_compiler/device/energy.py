"""Energy of a simulated run: dynamic energy per unit of work plus static power over time.

Per-operation energies are config values; the bundled ones are assumptions (named as such in
the configs' ``sources``), good for comparing schedules, not for absolute claims.
"""

from __future__ import annotations

from ge_compiler.device.config import DeviceConfig
from ge_compiler.device.simulator import Simulation


def energy_joules(sim: Simulation, cfg: DeviceConfig) -> dict[str, float]:
    pj = 1e-12
    macs = sum(r.profile.cube_flops for r in sim.runs) / 2
    vector = sum(r.profile.vector_flops for r in sim.runs)
    parts = {
        "cube_j": macs * cfg.energy_pj_per_mac * pj,
        "vector_j": vector * cfg.energy_pj_per_vector_flop * pj,
        "hbm_j": sim.hbm_bytes * cfg.energy_pj_per_hbm_byte * pj,
        "host_link_j": sim.link_bytes * cfg.energy_pj_per_link_byte * pj,
        "static_j": cfg.static_power_w * sim.latency_us * 1e-6,
    }
    parts["total_j"] = sum(parts.values())
    return parts
