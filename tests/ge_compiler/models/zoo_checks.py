"""Checks every zoo model's tests share: parameter counts, signatures, the tiny variant in the
interpreter and compiled at ge-O3, the real-size build. Imported by the test_zoo_* files (pytest
puts this directory on sys.path)."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from ge_compiler.compiler import compile_module
from ge_compiler.device.functional import check
from ge_compiler.dialects import graph
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import verify_module
from ge_compiler.models import build_model
from ge_compiler.weights import WeightStore


def weights_of(module: ModuleOp) -> list[graph.WeightOp]:
    return [op for op in module.walk() if isinstance(op, graph.WeightOp)]


def param_count(module: ModuleOp, exclude: tuple[str, ...] = ()) -> int:
    return sum(
        int(np.prod(graph.shape_of(w.result)))
        for w in weights_of(module)
        if w.weight_name.data not in exclude
    )


def entry(module: ModuleOp) -> func.FuncOp:
    (fn,) = list(module.ops)
    assert isinstance(fn, func.FuncOp)
    return fn


def signature(module: ModuleOp) -> tuple[list[str], list[str]]:
    ft = entry(module).function_type
    return [str(t) for t in ft.inputs.data], [str(t) for t in ft.outputs.data]


def run_tiny(name: str) -> list[np.ndarray]:
    """The tiny variant in the reference interpreter: f32 weights, finite, varied outputs."""
    module = build_model(name)
    verify_module(module)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f32"}
    outs = run_function(module, random_inputs(entry(module), seed=0), WeightStore(seed=1))
    for out in outs:
        assert out.dtype == np.float32 and np.isfinite(out).all() and out.std() > 0
    return outs


def check_o3(name: str) -> None:
    """The tiny variant compiled at O3 matches the interpreter (device functional mode)."""
    original = build_model(name)
    outcome = check(original, compile_module(original.clone(), 3).schedule)
    assert outcome.passed, outcome.message


def check_real_size(module: ModuleOp) -> None:
    verify_module(module)
    names = [w.weight_name.data for w in weights_of(module)]
    assert len(set(names)) == len(names)
    assert {str(graph.dtype_of(w.result)) for w in weights_of(module)} == {"f16"}
