"""compile(): graph-level module -> optimized, lowered module -> Schedule.

Runs the named pipeline of an optimization level through xDSL's PassPipeline, verifying the
module before the first pass and after every pass, and records each pass's time and op count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from ge_compiler.codegen import emit_schedule
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context, verify_module
from ge_compiler.passes import get_all_passes
from ge_compiler.pipelines import pipeline_spec
from ge_compiler.schedule import Schedule


@dataclass(frozen=True)
class PassRecord:
    name: str
    seconds: float
    ops_before: int
    ops_after: int


@dataclass
class CompileResult:
    module: ModuleOp
    schedule: Schedule
    passes: list[PassRecord] = field(default_factory=list)

    @property
    def compile_seconds(self) -> float:
        return sum(p.seconds for p in self.passes)


def count_ops(module: ModuleOp) -> int:
    return sum(1 for _ in module.walk()) - 1


def compile_module(module: ModuleOp, opt_level: int = 3, model: str = "module") -> CompileResult:
    """Optimize and lower ``module`` in place and emit its Schedule."""
    verify_module(module)
    records: list[PassRecord] = []
    clock = [time.perf_counter(), count_ops(module)]

    def after_pass(prev: ModulePass | None, m: ModuleOp, _next: ModulePass | None) -> None:
        if prev is None:
            return
        try:
            m.verify()
        except (DiagnosticException, VerifyException) as e:
            err = GeError.from_verify_error(m, e)
            raise GeError(f"after pass {prev.name}: {err.message}", err.location) from None
        ops = count_ops(m)
        now = time.perf_counter()
        records.append(PassRecord(prev.name, now - clock[0], int(clock[1]), ops))
        clock[0], clock[1] = time.perf_counter(), ops

    pipeline = PassPipeline.parse_spec(get_all_passes(), pipeline_spec(opt_level), after_pass)
    pipeline.apply(make_context(), module)
    return CompileResult(module, emit_schedule(module, model), records)
