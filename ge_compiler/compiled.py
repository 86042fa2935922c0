"""CompiledGraph: what a frontend or GraphBuilder hands the user after ``compile()``.

It holds the compiled Schedule next to the weights and the user-facing input/output names, so
``run`` can take inputs by name, simulate on a device model and, with ``functional=True``,
execute the schedule on real data and return the outputs by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.assembly import input_names
from ge_compiler.compiler import CompileResult, compile_module
from ge_compiler.errors import GeError
from ge_compiler.weights import WeightStore


@dataclass
class RunResult(Mapping[str, np.ndarray]):
    """Outputs by name (empty unless run functionally) plus the device-model report."""

    outputs: dict[str, np.ndarray]
    report: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.outputs:
            known = ", ".join(self.outputs) or "none: run with functional=True"
            raise KeyError(f"no output '{name}' (outputs: {known})")
        return self.outputs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)


def _entry(module: ModuleOp) -> func.FuncOp:
    for op in module.ops:
        if isinstance(op, func.FuncOp) and (
            op.sym_visibility is None or op.sym_visibility.data == "public"
        ):
            return op
    raise GeError("the module has no public func.func")


@dataclass
class CompiledGraph:
    """A compiled module ready to run on a device model."""

    result: CompileResult
    weights: WeightStore
    input_names: list[str]
    output_names: list[str]
    opt_level: int

    @classmethod
    def compile(
        cls,
        module: ModuleOp,
        weights: WeightStore | None = None,
        opt_level: int | str = 3,
        model: str = "module",
        output_names: Sequence[str] | None = None,
        passes: str | None = None,
    ) -> CompiledGraph:
        """Compile ``module`` in place; input names come from the entry's argument names."""
        level = int(str(opt_level).upper().removeprefix("GE-").removeprefix("O"))
        entry = _entry(module)
        inputs = input_names(entry)
        n_out = len(entry.function_type.outputs.data)
        outputs = (
            list(output_names) if output_names is not None else [f"output{j}" for j in range(n_out)]
        )
        if len(outputs) != n_out:
            raise GeError(f"{len(outputs)} output names for {n_out} outputs")
        result = compile_module(module, level, model, passes=passes)
        return cls(result, weights or WeightStore(), inputs, outputs, level)

    def _ordered(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray]) -> list:
        if not isinstance(inputs, Mapping):
            return list(inputs)
        unknown = set(inputs) - set(self.input_names)
        if unknown:
            raise GeError(
                f"unknown input(s) {', '.join(sorted(unknown))} "
                f"(inputs: {', '.join(self.input_names)})"
            )
        missing = [n for n in self.input_names if n not in inputs]
        if missing:
            raise GeError(f"missing input(s): {', '.join(missing)}")
        return [inputs[n] for n in self.input_names]

    def run(
        self,
        inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray] = (),
        device: str = "910B2",
        functional: bool = False,
        requests: int = 1,
        launch_mode: str | None = None,
        resident_weights: bool = True,
    ) -> RunResult:
        """Simulate on ``device`` (report); with ``functional`` also compute the outputs."""
        from ge_compiler.device.config import load_config
        from ge_compiler.report import build_report

        schedule = self.result.schedule
        schedule.weights_resident = resident_weights
        by_name = (
            dict(inputs)
            if isinstance(inputs, Mapping)
            else dict(zip(self.input_names, inputs, strict=False))
        )
        conditions = {  # branch conditions the inputs decide (the rest count as true)
            t.cond[0]: bool(np.asarray(by_name[self.input_names[t.cond[0]]]).reshape(-1)[0])
            for t in schedule.tasks
            if t.cond is not None and self.input_names[t.cond[0]] in by_name
        }
        cfg = load_config(device)
        report = build_report(schedule, cfg, self.opt_level, launch_mode, requests, conditions)
        outputs: dict[str, np.ndarray] = {}
        if functional:
            from ge_compiler.device.functional import execute

            values = execute(schedule, self._ordered(inputs), self.weights, order="program")
            outputs = dict(zip(self.output_names, values, strict=True))
        return RunResult(outputs, report)
