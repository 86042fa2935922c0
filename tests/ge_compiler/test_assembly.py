"""The pipeline API (``GraphBuilder.add_module/enable_optimization/compile`` -> ``Pipeline``):
wiring modules by name, the errors of a wrong pipeline (each one GeError with a clear
message), the optimization switches, the conditional branch (graph.if with additive absent
inputs), functional runs against the reference interpreter, and the multimodal TINY pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from ge_compiler import GraphBuilder
from ge_compiler.assembly import Pipeline
from ge_compiler.builder import Tensor
from ge_compiler.device.config import load_config
from ge_compiler.dialects import graph
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function

SHAPE = (4, 8)


def mod(
    inputs: Sequence[str],
    outputs: Sequence[str] | None = None,
    fn: Callable[[GraphBuilder, Tensor], Tensor | tuple[Tensor, ...]] | None = None,
    shape: tuple[int, ...] = SHAPE,
    combine: str = "add",
) -> ModuleOp:
    """A one-function model: its inputs combined (add by default), then ``fn`` (relu; a
    tuple of results is several outputs)."""
    b = GraphBuilder()
    with b.module("m"):
        xs = [b.input(n, shape) for n in inputs]
        y = xs[0]
        for x in xs[1:]:
            y = getattr(b, combine)(y, x)
        ys = b.relu(y) if fn is None else fn(b, y)
        b.output(*(ys if isinstance(ys, tuple) else (ys,)), names=outputs)
    return b.build()


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def data(*names: str, shape: tuple[int, ...] = SHAPE, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {n: rng.standard_normal(shape).astype(np.float32) for n in names}


def reference(p: Pipeline, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The reference interpreter on the uncompiled pipeline module."""
    values = run_function(p.module, [inputs[n] for n in p.input_names], p.weights)
    return dict(zip(p.output_names, values, strict=True))


def pipeline_fn(p: Pipeline) -> func.FuncOp:
    return next(
        f for f in p.module.ops if isinstance(f, func.FuncOp) and f.sym_name.data == "pipeline"
    )


# --------------------------------------------------------------------------- wiring


def test_wiring_by_output_name() -> None:
    """An input named like another module's output (``output(names=)``) is fed by it; the
    rest of the inputs become pipeline inputs; unconsumed outputs are the pipeline's."""
    p = (
        GraphBuilder()
        .add_module("dec", mod(["emb", "x"]))
        .add_module("enc", mod(["x"], ["emb"]))
        .compile()
    )
    assert p.input_names == ["x"]
    assert p.output_names == ["dec.output0"]
    calls = [
        op.callee.string_value() for op in pipeline_fn(p).walk() if isinstance(op, func.CallOp)
    ]
    assert calls == ["enc", "dec"]  # dependency order, not insertion order
    x = data("x")["x"]
    out = p.run({"x": x}, functional=True)
    np.testing.assert_allclose(out["dec.output0"], relu(relu(x) + x), rtol=1e-6)


def test_wiring_by_explicit_inputs() -> None:
    """``inputs=`` maps an input to ``"module.output"`` or to a pipeline input name."""
    p = (
        GraphBuilder()
        .add_module("enc", mod(["x"], ["emb", "aux"], fn=lambda b, y: (b.relu(y), b.tanh(y))))
        .add_module("dec", mod(["h", "skip"]), inputs={"h": "enc.aux", "skip": "x"})
        .compile()
    )
    assert p.input_names == ["x"]
    assert p.output_names == ["enc.emb", "dec.output0"]
    x = data("x")["x"]
    out = p.run({"x": x}, functional=True)
    np.testing.assert_allclose(out["dec.output0"], relu(np.tanh(x) + x), rtol=1e-5)
    np.testing.assert_allclose(out["enc.emb"], relu(x), rtol=1e-6)


def test_shared_pipeline_inputs_by_name() -> None:
    """Modules with an input of the same name share one pipeline input."""
    p = (
        GraphBuilder()
        .add_module("a", mod(["x", "t"]))
        .add_module("b", mod(["t", "x"], combine="mul"))
        .compile()
    )
    assert p.input_names == ["x", "t"]
    assert len(pipeline_fn(p).body.block.args) == 2
    ins = data("x", "t")
    out = p.run(ins, functional=True)
    np.testing.assert_allclose(out["a.output0"], relu(ins["x"] + ins["t"]), rtol=1e-6)
    np.testing.assert_allclose(out["b.output0"], relu(ins["x"] * ins["t"]), rtol=1e-6)


def test_module_stream_id_places_its_kernels() -> None:
    """A module's stream_id becomes the hint of its ops: its launches run on that stream."""
    p = (
        GraphBuilder()
        .add_module("a", mod(["x"], ["y"]), stream_id=3)
        .add_module("b", mod(["y"]))
        .compile()
    )
    s = p.compiled.result.schedule
    a_kernels = [t for t in s.tasks if t.kind == "launch" and t.stream == 3]
    assert a_kernels and 3 in s.streams


# --------------------------------------------------------------------------- errors


def _compile_error(build: Callable[[GraphBuilder], object]) -> str:
    with pytest.raises(GeError) as info:
        build(GraphBuilder())
    return str(info.value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda g: (
                g.add_module("a", mod(["x"]))
                .add_module("b", mod(["y"]), inputs={"y": "zzz.out"})
                .compile()
            ),
            "module 'b' input 'y': unknown module 'zzz'",
        ),
        (
            lambda g: (
                g.add_module("a", mod(["x"]))
                .add_module("b", mod(["y"]), inputs={"y": "a.nope"})
                .compile()
            ),
            "module 'b' input 'y': module 'a' has no output 'nope' (outputs: output0)",
        ),
        (
            lambda g: g.add_module("a", mod(["x"])).add_module(
                "b", mod(["y"]), inputs={"nope": "a.output0"}
            ),
            "module 'b' has no input(s) nope (inputs: y)",
        ),
        (
            lambda g: g.add_module("a", mod(["x"])).add_module("a", mod(["y"])),
            "module 'a' is added twice",
        ),
        (
            lambda g: (
                g.add_module("a", mod(["x"], ["y"])).add_module("b", mod(["y"], ["x"])).compile()
            ),
            "the modules form a cycle: a, b",
        ),
        (
            lambda g: (
                g.add_module("a", mod(["x"], ["y"]))
                .add_module("b", mod(["x"], ["y"]))
                .add_module("c", mod(["y"]))
                .compile()
            ),
            "module 'c' input 'y' matches outputs of a, b",
        ),
        (
            lambda g: (
                g.add_module("a", mod(["x"]))
                .add_module("b", mod(["y"], shape=(2, 2)), inputs={"y": "a.output0"})
                .compile()
            ),
            "module 'b' input 'y' is tensor<2x2xf32>, its source gives tensor<4x8xf32>",
        ),
        (lambda g: g.compile(), "no modules were added"),
        (lambda g: g.add_module("a-b", mod(["x"])), "module name 'a-b' must be an identifier"),
        (lambda g: g.add_module("a", mod(["x"]), stream_id=-1), "stream_id must be >= 0"),
    ],
    ids=[
        "unknown-module",
        "unknown-output",
        "unknown-input",
        "added-twice",
        "cycle",
        "ambiguous-producer",
        "type-mismatch",
        "no-modules",
        "bad-name",
        "negative-stream",
    ],
)
def test_pipeline_errors(build, message: str) -> None:
    """Each wrong pipeline is one GeError naming the module, input or output at fault."""
    assert message in _compile_error(build)


def test_stream_id_beyond_the_device_limit() -> None:
    """A stream_id at or beyond the device's max_streams is rejected at compile(device=)."""
    limit = load_config("910B2").max_streams
    msg = _compile_error(
        lambda g: g.add_module("a", mod(["x"]), stream_id=limit).compile(device="910B2")
    )
    assert msg == f"module 'a': stream_id {limit} is beyond 910B2's {limit} streams"
    ok = GraphBuilder().add_module("a", mod(["x"]), stream_id=limit - 1).compile(device="910B2")
    assert ok.specs[0].stream_id == limit - 1


def test_run_input_errors() -> None:
    """Pipeline.run takes inputs by name: unknown and missing names are GeErrors."""
    p = GraphBuilder().add_module("a", mod(["x", "t"])).compile()
    x = data("x")["x"]
    with pytest.raises(GeError, match=r"unknown input\(s\) y \(inputs: x, t\)"):
        p.run({"x": x, "t": x, "y": x}, functional=True)
    with pytest.raises(GeError, match=r"missing input\(s\): t"):
        p.run({"x": x}, functional=True)


# --------------------------------------------------------------------------- branches


def branch_builder(den_combine: str = "add") -> GraphBuilder:
    """enc -> ctl -> den -> dec; ctl only on the true path (den's ``res`` is a residual)."""
    return (
        GraphBuilder()
        .add_module("enc", mod(["x"], ["ctx"]))
        .add_module("ctl", mod(["ctx"], ["res"], fn=lambda b, y: b.tanh(y)), stream_id=2)
        .add_module("den", mod(["ctx", "res"], ["lat"], combine=den_combine), stream_id=1)
        .add_module("dec", mod(["lat"], fn=lambda b, y: b.sigmoid(y)))
    )


def test_branch_errors() -> None:
    """set_conditional_branch rejects bad paths with clear messages."""
    p = branch_builder().compile()
    cases = [
        (("condition", ["ctl", "ctl", "den"], ["den"]), "true_path names module(s) twice: ctl"),
        (("condition", ["ctl", "den"], ["den", "den"]), "false_path names module(s) twice: den"),
        (("condition", ["ctl", "zz", "den"], ["den"]), "true_path names unknown module(s): zz"),
        (("condition", ["den"], ["qq"]), "false_path names unknown module(s): qq"),
        (("cond", ["ctl", "den"], ["den"]), "the condition input is named 'condition'"),
        (
            ("condition", ["ctl", "den"], ["ctl"]),
            "module 'den' is on only one path, but modules after the branch use its output: "
            "both paths must produce it",
        ),
    ]
    for args, message in cases:
        with pytest.raises(GeError) as info:
            p.set_conditional_branch(*args)
        assert message in str(info.value), args


def test_absent_input_must_be_additive() -> None:
    """A module input with no producer on a path is dropped only if every use is an add of
    equal shapes; a multiplied one is a GeError naming the module and the input."""
    p = branch_builder(den_combine="mul").compile()
    with pytest.raises(GeError) as info:
        p.set_conditional_branch("condition", ["ctl", "den"], ["den"])
    assert str(info.value) == (
        "module 'den': input 'res' has no producer on this path and is not an additive "
        "residual (only a graph.add of equal shapes can take an absent input as zero)"
    )


def test_condition_name_clash() -> None:
    """A module input already named ``condition`` cannot coexist with the branch's input."""
    p = (
        GraphBuilder()
        .add_module("a", mod(["condition"], ["y"]))
        .add_module("b", mod(["y"]))
        .compile()
    )
    with pytest.raises(GeError, match="a module already has an input named 'condition'"):
        p.set_conditional_branch("condition", ["b"], [])


def test_branch_builds_graph_if_and_runs_both_ways() -> None:
    """The branch is a graph.if on a ``condition`` input; the false path calls den without
    its residual; run(functional=True) equals the reference interpreter on pipeline.module for
    both condition values, and equals the numpy formula (absent residual = zero)."""
    p = branch_builder().compile().set_conditional_branch("condition", ["ctl", "den"], ["den"])
    assert p.input_names == ["x", "condition"]
    ifs = [op for op in pipeline_fn(p).walk() if isinstance(op, graph.IfOp)]
    assert len(ifs) == 1
    x = data("x")["x"]
    ctx = relu(x)
    for cond, res in ((True, np.tanh(ctx)), (False, 0.0)):
        ins = {"x": x, "condition": np.array(cond)}
        out = p.run(ins, functional=True)
        ref = reference(p, ins)
        assert set(out) == set(ref) == {"dec.output0"}
        np.testing.assert_allclose(out["dec.output0"], ref["dec.output0"], rtol=1e-5, atol=1e-6)
        want = 1 / (1 + np.exp(-relu(ctx + res)))
        np.testing.assert_allclose(out["dec.output0"], want, rtol=1e-5, atol=1e-6)


def test_branch_report_follows_the_condition() -> None:
    """run() derives the conditions from the inputs: the false path (no ctl) has fewer kernel
    launches than the true one."""
    p = branch_builder().compile().set_conditional_branch("condition", ["ctl", "den"], ["den"])
    x = data("x")["x"]
    on = p.run({"x": x, "condition": np.array(True)}).report
    off = p.run({"x": x, "condition": np.array(False)}).report
    assert off["kernel_launches"] < on["kernel_launches"]


# --------------------------------------------------------------------------- options


def _mm_layers(n: int, kind: str) -> Callable[[GraphBuilder, Tensor], Tensor]:
    def fn(b: GraphBuilder, y: Tensor) -> Tensor:
        for i in range(n):
            if kind == "mm":
                y = b.gelu(b.matmul(y, b.weight(f"{kind}{i}", (256, 256))))
            else:
                y = b.softmax(b.exp(y), axis=-1)
        return y

    return fn


def _options_pipeline(**options: bool) -> Pipeline:
    """Two independent chains (cube and vector work) joined by a third module."""
    g = GraphBuilder()
    if options:
        g.enable_optimization(**options)
    shape = (64, 256)
    return (
        g.add_module("a", mod(["x"], ["p"], shape=shape, fn=_mm_layers(4, "mm")))
        .add_module("b", mod(["x"], ["q"], shape=shape, fn=_mm_layers(4, "sm")))
        .add_module("c", mod(["p", "q"], shape=shape, fn=_mm_layers(1, "sm")))
        .compile()
    )


def test_enable_optimization_switches() -> None:
    """fuse_kernels=False: more launches; reuse_memory=False: more activation memory;
    overlap_compute=False: one stream (no stream_id given), where the default uses more."""
    x = {"x": np.ones((64, 256), np.float32)}
    default = _options_pipeline().run(x).report
    no_fuse = _options_pipeline(fuse_kernels=False).run(x).report
    no_reuse = _options_pipeline(reuse_memory=False).run(x).report
    no_overlap = _options_pipeline(overlap_compute=False).run(x).report
    assert no_fuse["kernel_launches"] > default["kernel_launches"]
    act = "activations"
    assert no_reuse["arena_bytes"][act] > default["arena_bytes"][act]
    assert no_reuse["peak_memory_bytes"] > default["peak_memory_bytes"]
    assert default["streams_used"] > 1
    assert no_overlap["streams_used"] == 1
    assert _options_pipeline(fuse_kernels=False).pass_spec().count("fuse") == 0


def test_options_keep_results() -> None:
    """Every switch combination computes the same outputs as the reference."""
    x = {"x": np.random.default_rng(0).standard_normal((64, 256)).astype(np.float32) * 0.1}
    for options in ({}, {"fuse_kernels": False, "reuse_memory": False, "overlap_compute": False}):
        p = _options_pipeline(**options)
        out = p.run(x, functional=True)
        for name, want in reference(p, x).items():
            np.testing.assert_allclose(out[name], want, rtol=1e-4, atol=1e-5)


# --------------------------------------------------------------------------- multimodal


def test_multimodal_tiny_both_branches() -> None:
    """The multimodal TINY pipeline: both condition values compute what the reference
    interpreter computes on pipeline.module, and the else branch (no ControlNet) executes
    fewer kernel launches."""
    from ge_compiler.models import multimodal

    p = multimodal.build_pipeline(multimodal.TINY, opt_level=3)
    assert p.input_names[-1] == "condition"
    rng = np.random.default_rng(0)
    types = pipeline_fn(p).function_type.inputs.data
    ins = {
        n: rng.standard_normal(t.get_shape()).astype(np.float32)
        for n, t in zip(p.input_names, types, strict=True)
        if n != "condition"
    }
    launches = {}
    outputs = {}
    for cond in (True, False):
        ins["condition"] = np.array(cond)
        result = p.run(ins, functional=True)
        for name, want in reference(p, ins).items():
            np.testing.assert_allclose(result[name], want, rtol=1e-4, atol=1e-4, err_msg=name)
        launches[cond] = result.report["kernel_launches"]
        outputs[cond] = result[p.output_names[0]]
    assert launches[False] < launches[True]
    assert not np.allclose(outputs[True], outputs[False])  # the ControlNet changes the image


# --------------------------------------------------------------------------- known bugs


def test_module_between_branch_modules_is_rejected_or_correct() -> None:
    """mid reads ctl (inside the branch) and feeds den (inside the branch): either a GeError
    naming mid, or the true path computes mid with ctl's output."""
    p = (
        GraphBuilder()
        .add_module("enc", mod(["x"], ["ctx"]))
        .add_module("ctl", mod(["ctx"], ["res"], fn=lambda b, y: b.tanh(y)))
        .add_module("mid", mod(["res", "ctx"], ["m"]))
        .add_module("den", mod(["ctx", "m"], ["lat"]))
        .compile()
    )
    try:
        p.set_conditional_branch("condition", ["ctl", "den"], ["ctl", "den"])
    except GeError as e:
        assert "mid" in str(e)
        return
    x = data("x")["x"]
    ctx = relu(x)
    want = relu(ctx + relu(np.tanh(ctx) + ctx))
    got = reference(p, {"x": x, "condition": np.array(True)})["den.lat"]
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_absent_input_added_to_itself() -> None:
    """den = ctx + (res + res) with res absent on the false path: a GeError or a correct
    pipeline (the absent residual is zero), never a raw exception."""
    b = GraphBuilder()
    with b.module("m"):
        ctx, res = b.input("ctx", SHAPE), b.input("res", SHAPE)
        b.output(b.add(ctx, b.add(res, res)), names=["lat"])
    den = b.build()
    p = (
        GraphBuilder()
        .add_module("enc", mod(["x"], ["ctx"]))
        .add_module("ctl", mod(["ctx"], ["res"]))
        .add_module("den", den)
        .compile()
    )
    try:
        p.set_conditional_branch("condition", ["ctl", "den"], ["den"])
    except GeError:
        return
    x = data("x")["x"]
    got = reference(p, {"x": x, "condition": np.array(False)})["den.lat"]
    np.testing.assert_allclose(got, relu(x), rtol=1e-6)


def test_rejected_branch_leaves_the_pipeline_unchanged() -> None:
    """After set_conditional_branch raises, the pipeline has no branch and the same module."""
    p = branch_builder().compile()
    before = str(p.module)
    with pytest.raises(GeError):
        p.set_conditional_branch("condition", ["ctl", "den"], ["ctl"])
    assert str(p.module) == before
    assert p.branch is None
