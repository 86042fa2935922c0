"""compile(): graph-level module -> optimized, lowered module -> Schedule.

Runs the named pipeline of an optimization level through xDSL's PassPipeline, verifying the
module before the first pass and after the last (after every pass with ``verify_each``: like
``mlir-opt --verify-each``; verifying a 10k-op module costs about as much as the pass itself, so
doing it between every pass of a 7-pass pipeline more than doubled the pipeline's time), and
records each pass's time and op count (``PassRecord``; ``format_pass_table`` is the table that
``ge-opt --timing`` and ``ge-run --timing`` print).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline, PassPipelineCallbackType
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from ge_compiler.codegen import emit_schedule
from ge_compiler.errors import GeError
from ge_compiler.ir import make_context, verify_module
from ge_compiler.passes import get_all_passes
from ge_compiler.pipelines import pipeline_spec
from ge_compiler.schedule import Schedule


@dataclass(frozen=True)
class PassRecord:
    """One pass of a pipeline run: wall seconds of the pass and of verifying its result (not
    of counting ops), and the op count (nested ops included, the module itself not) before and
    after it."""

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
    """Every op nested in ``module`` (functions, their bodies, regions of regions)."""
    return sum(1 for _ in module.walk()) - 1


def format_pass_table(records: Sequence[PassRecord], title: str | None = None) -> str:
    """Per-pass timing as a text table: pass, seconds, ops before -> after, and a total line."""
    rows = [(r.name, f"{r.seconds:.4f}", f"{r.ops_before} -> {r.ops_after}") for r in records]
    total_ops = f"{records[0].ops_before} -> {records[-1].ops_after}" if records else "-"
    n = len(records)
    total = (f"total ({n} pass{'' if n == 1 else 'es'})", f"{sum(r.seconds for r in records):.4f}")
    rows.append((*total, total_ops))
    head = ("pass", "seconds", "ops before -> after")
    widths = [max(len(c[i]) for c in [head, *rows]) for i in range(3)]

    def line(c: tuple[str, str, str]) -> str:
        return f"{c[0]:<{widths[0]}}  {c[1]:>{widths[1]}}  {c[2]:>{widths[2]}}".rstrip()

    out = [title] if title else []
    out += [line(head), *(line(r) for r in rows[:-1]), "-" * len(line(head)), line(rows[-1])]
    return "\n".join(out)


def pipeline_callback(
    records: list[PassRecord] | None, verify_each: bool = False, verify: bool = True
) -> PassPipelineCallbackType:
    """The PassPipeline callback: verifies the module before the first pass and after the last
    (after every pass with ``verify_each``), raising a GeError that names the pass, and appends
    a PassRecord per pass to ``records`` (if given)."""
    clock = [time.perf_counter(), 0]

    def check(prev: ModulePass | None, m: ModuleOp, last: bool) -> None:
        try:
            m.verify()
        except (DiagnosticException, VerifyException) as e:
            err = GeError.from_verify_error(m, e)
            if prev is None:
                raise err from None
            where = (
                f"after pass {prev.name}"
                if verify_each or not last
                else (f"after the pipeline (last pass {prev.name}; --verify-each names the pass)")
            )
            raise GeError(f"{where}: {err.message}", err.location) from None

    def callback(prev: ModulePass | None, m: ModuleOp, nxt: ModulePass | None) -> None:
        if verify and (prev is None or nxt is None or verify_each):
            check(prev, m, nxt is None)
        if records is None:
            return
        if prev is None:
            clock[0], clock[1] = time.perf_counter(), count_ops(m)
            return
        now = time.perf_counter()  # before counting: a record times the pass and its verify
        ops = count_ops(m)
        records.append(PassRecord(prev.name, now - clock[0], int(clock[1]), ops))
        clock[0], clock[1] = time.perf_counter(), ops

    return callback


def compile_module(
    module: ModuleOp,
    opt_level: int = 3,
    model: str = "module",
    verify_each: bool = False,
    passes: str | None = None,
) -> CompileResult:
    """Optimize and lower ``module`` in place and emit its Schedule (``passes``: an explicit
    pass spec instead of the level's pipeline)."""
    verify_module(module)
    records: list[PassRecord] = []
    callback = pipeline_callback(records, verify_each)
    spec = passes if passes is not None else pipeline_spec(opt_level)
    pipeline = PassPipeline.parse_spec(get_all_passes(), spec, callback)
    pipeline.apply(make_context(), module)
    return CompileResult(module, emit_schedule(module, model), records)
