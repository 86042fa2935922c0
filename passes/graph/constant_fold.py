"""constant-fold: evaluate graph ops whose operands are all ``graph.constant`` at compile time.

A pure graph compute op (any of ``graph.GRAPH_OPS`` but ``graph.weight`` and
``graph.constant``) whose every operand is a ``graph.constant`` is run with the reference
interpreter's own implementation (``GraphFunctions``, through ``Interpreter.run_op``) and
replaced by one ``graph.constant`` per result. Folding chains in program order, so the causal
mask of the text encoder (iotas -> sub -> relu -> cast to i1) becomes one i1 literal. Constants
left without uses by a fold are erased; nothing else is.

An op is left alone when:

- a result has a dynamic shape or more than ``max-elements`` elements (default and upper
  bound: ``graph.MAX_CONSTANT_ELEMENTS``, the largest literal a ``graph.constant`` may hold),
  checked before anything is computed;
- the interpreter reports an error for it (integer division by zero, gather index out of
  range): the program keeps failing at run time, with its location;
- the literal would not hold exactly what the interpreter computed, in memory and after
  printing and parsing: a bf16 value that is not a bf16 number (the interpreter computes bf16
  in float32, a bf16 literal rounds); in literals of up to 100 elements (printed as lists), a
  NaN or infinity (xDSL 0.74 prints them as hex integers that its parser reads back as
  numbers) or a mix of 0.0 and -0.0 (printed as the splat 0.0).
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, ModuleOp, TensorType
from xdsl.interpreter import Interpreter
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern
from xdsl.utils.exceptions import ParseError

from ge_compiler.dialects import graph, shapes
from ge_compiler.errors import GeError
from ge_compiler.interpreter import GraphFunctions

FOLDABLE: tuple[type[Operation], ...] = tuple(
    op for op in graph.GRAPH_OPS if op not in (graph.WeightOp, graph.ConstantOp)
)


@functools.cache
def _interpreter() -> Interpreter:
    """An interpreter that only runs single ops (``run_op`` needs no module contents)."""
    interp = Interpreter(ModuleOp([]))
    interp.register_implementations(GraphFunctions())
    return interp


def constant_value(op: graph.ConstantOp) -> np.ndarray:
    """The literal exactly as the reference interpreter reads it (its dtype and shape)."""
    (value,) = _interpreter().run_op(op, ())
    return value


def evaluate(op: Operation, args: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...] | None:
    """Run ``op`` on ``args`` with the interpreter; None if the interpreter reports an error."""
    try:
        return tuple(_interpreter().run_op(op, args))
    except GeError:
        return None


def survives_text(attr: DenseIntOrFPElementsAttr) -> bool:
    """Whether the literal prints and parses back to the same bits (xDSL 0.74 prints NaN and
    infinities in short literals as hex integers that its parser reads as numbers, and prints
    a mix of 0.0 and -0.0 as one splat 0.0)."""
    try:
        return Parser(Context(), str(attr)).parse_attribute() == attr
    except ParseError:
        return False


def materialize(value: np.ndarray, result_type: TensorType) -> graph.ConstantOp | None:
    """A ``graph.constant`` of ``result_type`` holding exactly ``value``, in memory and as
    text, or None if no literal of that type does (see the module docstring)."""
    flat = value.reshape(-1)
    if value.dtype.kind == "f":
        data: list[float] | list[int] = [float(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    try:
        attr = DenseIntOrFPElementsAttr.from_list(result_type, data)  # pyright: ignore
    except (OverflowError, ValueError, struct.error):
        return None
    if not survives_text(attr):
        return None
    const = graph.ConstantOp(attr)
    back = constant_value(const)
    if back.dtype != value.dtype or back.shape != value.shape:
        return None
    if np.ascontiguousarray(back).tobytes() != np.ascontiguousarray(value).tobytes():
        return None
    return const


def _static_size(t: object) -> int | None:
    if not isinstance(t, TensorType):
        return None
    return shapes.numel(t.get_shape())


@dataclass(frozen=True)
class FoldConstantOp(RewritePattern):
    """Replace a foldable op whose operands are all constants by the constants of its
    results, then erase the operand constants nothing else uses."""

    max_elements: int

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, FOLDABLE) or not op.operands:
            return
        producers = [v.owner for v in op.operands]
        constants_in = [p for p in producers if isinstance(p, graph.ConstantOp)]
        if len(constants_in) != len(producers):
            return
        sizes = [_static_size(r.type) for r in op.results]
        if any(n is None or n > self.max_elements for n in sizes):
            return
        args = tuple(constant_value(p) for p in constants_in)
        values = evaluate(op, args)
        if values is None:
            return
        constants = []
        for result, value in zip(op.results, values, strict=True):
            assert isinstance(result.type, TensorType)
            const = materialize(value, result.type)
            if const is None:
                return
            const.location = op.location
            constants.append(const)
        rewriter.replace(op, constants, [c.result for c in constants])
        for p in dict.fromkeys(constants_in):
            if not p.results[0].uses:
                rewriter.erase(p)


@dataclass(frozen=True)
class ConstantFoldPass(ModulePass):
    """Replace graph ops computed from constants only by their values (see the module
    docstring)."""

    name = "constant-fold"
    max_elements: int = graph.MAX_CONSTANT_ELEMENTS

    def __post_init__(self) -> None:
        n = self.max_elements
        if (
            isinstance(n, bool)
            or not isinstance(n, int)
            or not 0 <= n <= graph.MAX_CONSTANT_ELEMENTS
        ):
            raise ValueError(
                f"constant-fold: max-elements must be between 0 and "
                f"{graph.MAX_CONSTANT_ELEMENTS} (the largest graph.constant), "
                f"got {n!r}"
            )

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            FoldConstantOp(self.max_elements), apply_recursively=False
        ).rewrite_module(op)
