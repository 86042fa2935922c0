"""task-sink: mark the schedule for graph-sink execution.

In host launch mode the host issues every task (a few microseconds each); in graph-sink mode
(CANN's model execute) the whole task list is sunk to the device once and its task scheduler
dispatches each task for a fraction of that. The pass sets ``ge.launch_mode = "sink"`` on the
module; codegen copies it into the Schedule, whose launch mode the device model uses by default.
The device's stream, event and per-stream task limits are checked when the schedule runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

LAUNCH_MODE = "ge.launch_mode"


@dataclass(frozen=True)
class TaskSinkPass(ModulePass):
    name = "task-sink"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        op.attributes[LAUNCH_MODE] = StringAttr("sink")
