"""The inline-modules pass: pipeline modules (private functions called by @pipeline) are
inlined, calls inside graph.if branches included; the module's stream_id becomes the hint of
its ops unless an op has its own; private callees go, public ones stay; recursion is a clear
error. Differential: the reference interpreter gives the same results before and after.

lit_tests/passes/graph/inline_modules.mlir pins the printed IR.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp

from ge_compiler import GraphBuilder
from ge_compiler.dialects import graph
from ge_compiler.dialects.graph import STREAM_HINT
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function
from ge_compiler.ir import make_context, parse_module, verify_module
from ge_compiler.passes.graph.inline_modules import InlineModulesPass
from ge_compiler.weights import WeightStore


def inline(module: ModuleOp) -> ModuleOp:
    InlineModulesPass().apply(make_context(), module)
    verify_module(module)
    return module


def functions(module: ModuleOp) -> dict[str, func.FuncOp]:
    return {f.sym_name.data: f for f in module.ops if isinstance(f, func.FuncOp)}


def hint(op) -> int | None:
    attr = op.attributes.get(STREAM_HINT)
    return attr.value.data if isinstance(attr, IntegerAttr) else None


def encoder() -> ModuleOp:
    """exp (no hint) then neg pinned to stream 1 by the builder; output named ``emb``."""
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("x", (4, 8))
        e = b.exp(x)
        with b.stream(1):
            n = b.neg(e)
        b.output(b.matmul(n, b.weight("enc.w", (8, 8))), names=["emb"])
    return b.build()


def decoder() -> ModuleOp:
    b = GraphBuilder()
    with b.module("m"):
        emb = b.input("emb", (4, 8))
        res = b.input("res", (4, 8))
        b.output(b.tanh(b.add(emb, res)))
    return b.build()


def control() -> ModuleOp:
    b = GraphBuilder()
    with b.module("m"):
        b.output(b.sigmoid(b.input("emb", (4, 8))), names=["res"])
    return b.build()


def pipeline_module(branch: bool = False) -> ModuleOp:
    p = (
        GraphBuilder()
        .add_module("enc", encoder(), stream_id=2)
        .add_module("ctl", control(), stream_id=3)
        .add_module("dec", decoder())
        .compile()
    )
    if branch:
        p.set_conditional_branch("condition", ["ctl", "dec"], ["dec"])
    return p.module.clone()


def test_stream_hints_copied_and_own_hint_wins() -> None:
    """Inlined ops of a module with stream_id carry it; an op's own hint stays."""
    module = inline(pipeline_module())
    fns = functions(module)
    assert list(fns) == ["pipeline"]
    ops = [op for op in fns["pipeline"].walk() if isinstance(op, graph.GRAPH_OPS)]
    by_kind = {type(op): op for op in ops}
    assert hint(by_kind[graph.ExpOp]) == 2  # from enc's stream_id
    assert hint(by_kind[graph.MatmulOp]) == 2
    assert hint(by_kind[graph.NegOp]) == 1  # its own hint wins
    assert hint(by_kind[graph.SigmoidOp]) == 3  # ctl
    assert hint(by_kind[graph.TanhOp]) is None  # dec has no stream_id
    assert not any(isinstance(op, func.CallOp) for op in module.walk())


def test_inlining_keeps_results() -> None:
    """The reference interpreter gives the same outputs before and after (both branches)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 8)).astype(np.float32)
    ws = WeightStore(seed=3)
    before = pipeline_module(branch=True)
    after = inline(before.clone())
    assert not any(isinstance(op, func.CallOp) for op in after.walk())
    ifs = [op for op in after.walk() if isinstance(op, graph.IfOp)]
    assert len(ifs) == 1
    for region in ifs[0].regions:  # the calls inside both branches were inlined
        assert any(isinstance(op, graph.TanhOp) for op in region.block.ops)
    for cond in (True, False):
        want = run_function(before, [x, np.array(cond)], ws)
        got = run_function(after, [x, np.array(cond)], ws)
        for w, g in zip(want, got, strict=True):
            np.testing.assert_array_equal(g, w)


def test_private_callees_erased_public_kept() -> None:
    """Private functions that were called go; a called public function and an uncalled private
    one stay."""
    module = inline(
        parse_module(
            """
            func.func private @priv(%x: tensor<4xf32>) -> tensor<4xf32> {
              %a = graph.exp %x : tensor<4xf32>
              func.return %a : tensor<4xf32>
            }
            func.func @pub(%x: tensor<4xf32>) -> tensor<4xf32> {
              %a = graph.neg %x : tensor<4xf32>
              func.return %a : tensor<4xf32>
            }
            func.func private @idle(%x: tensor<4xf32>) -> tensor<4xf32> {
              func.return %x : tensor<4xf32>
            }
            func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
              %p = func.call @priv(%x) : (tensor<4xf32>) -> tensor<4xf32>
              %q = func.call @pub(%p) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %q : tensor<4xf32>
            }
            """
        )
    )
    assert list(functions(module)) == ["pub", "idle", "main"]
    x = np.array([0.0, 1.0, -1.0, 2.0], np.float32)
    np.testing.assert_allclose(run_function(module, [x], function="main")[0], -np.exp(x), rtol=1e-6)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            """
            func.func private @rec(%x: tensor<4xf32>) -> tensor<4xf32> {
              %a = func.call @rec(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %a : tensor<4xf32>
            }
            func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
              %r = func.call @rec(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %r : tensor<4xf32>
            }
            """,
            "@rec calls itself: cannot inline",
        ),
        (
            """
            func.func private @a(%x: tensor<4xf32>) -> tensor<4xf32> {
              %r = func.call @b(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %r : tensor<4xf32>
            }
            func.func private @b(%x: tensor<4xf32>) -> tensor<4xf32> {
              %r = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %r : tensor<4xf32>
            }
            func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
              %r = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %r : tensor<4xf32>
            }
            """,
            "calls itself: cannot inline",
        ),
        (
            """
            func.func private @decl(%x: tensor<4xf32>) -> tensor<4xf32>
            func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
              %r = func.call @decl(%x) : (tensor<4xf32>) -> tensor<4xf32>
              func.return %r : tensor<4xf32>
            }
            """,
            "call of @decl, which has no body here",
        ),
    ],
    ids=["self", "mutual", "declaration"],
)
def test_bad_calls_are_clear_errors(text: str, message: str) -> None:
    """Recursion (direct or mutual) and calls of declarations raise one GeError."""
    with pytest.raises(GeError, match=message):
        inline(parse_module(text))
