"""Per-task time on the device: the roofline shared by the simulator and the lower bounds.

A kernel takes the longest of its cube work, vector work and HBM traffic at peak rates (every
operand and result of a kernel lives in global memory); a copy moves its bytes over the host
link (h2d/d2h) or reads and writes HBM (d2d). Overheads (launch, dispatch, DMA set-up) are
added by the simulator, never by the bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ge_compiler.device.config import DeviceConfig
from ge_compiler.schedule import Schedule, Task


@dataclass(frozen=True)
class TaskWork:
    cube_us: float
    vector_us: float
    hbm_bytes: int
    link_bytes: int
    cube_flops: int
    vector_flops: int

    def roofline_us(self, cfg: DeviceConfig) -> float:
        return max(
            self.cube_us,
            self.vector_us,
            self.hbm_bytes / cfg.hbm_bytes_per_us,
            self.link_bytes / cfg.host_link_bytes_per_us,
        )

    def bound_by(self, cfg: DeviceConfig) -> str:
        compute = max(self.cube_us, self.vector_us)
        return "compute" if compute > 0 and compute >= self.roofline_us(cfg) else "memory"


def task_work(s: Schedule, task: Task, cfg: DeviceConfig) -> TaskWork:
    moved = sum(s.buffers[i].bytes for i in (*task.inputs, *task.outputs))
    if task.kind == "launch":
        assert task.kernel is not None
        k = s.kernels[task.kernel]
        return TaskWork(
            cube_us=k.cube_flops / cfg.cube_flops_per_us,
            vector_us=k.vector_flops / cfg.vector_flops_per_us,
            hbm_bytes=moved,
            link_bytes=0,
            cube_flops=k.cube_flops,
            vector_flops=k.vector_flops,
        )
    size = s.buffers[task.inputs[0]].bytes
    if task.copy_kind == "d2d":
        return TaskWork(0.0, 0.0, 2 * size, 0, 0, 0)
    return TaskWork(0.0, 0.0, 0, size, 0, 0)
