"""ONNX If / Loop import into graph.if / graph.loop, checked against ONNX's reference evaluator
on the interpreter and on the ge-O3 functional route."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from onnx import TensorProto as TP  # noqa: E402
from onnx import helper, numpy_helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402

import ge_compiler.frontends as ge  # noqa: E402
from ge_compiler.dialects import graph  # noqa: E402
from ge_compiler.errors import GeError  # noqa: E402
from ge_compiler.interpreter import run_function  # noqa: E402

RNG = np.random.default_rng(0)


def vi(name: str, t: int, shape: list[int]) -> object:
    return helper.make_tensor_value_info(name, t, shape)


def model(nodes, inputs, outputs, inits=()) -> object:
    g = helper.make_graph(nodes, "m", inputs, outputs, list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def const(name: str, value) -> object:
    return numpy_helper.from_array(np.asarray(value), name)


def ops(imported) -> list[type]:
    fn = next(iter(imported.module.ops))
    return [type(op) for op in fn.body.block.ops][:-1]


def check(m, feeds: dict[str, np.ndarray], o3: bool = True) -> None:
    """Import ``m``; interpreter and (optionally) ge-O3 match the reference evaluator."""
    expected = ReferenceEvaluator(m).run(None, feeds)
    imp = ge.from_onnx(m)
    got = run_function(imp.module, [feeds[n] for n in imp.input_names], imp.weights)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)
    if o3:
        out = imp.compile("O3").run(feeds, functional=True)
        for name, e in zip(imp.output_names, expected, strict=True):
            np.testing.assert_allclose(out[name], e, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- If


def _if_model(then_nodes, else_nodes, cond_shape=(), inits=(), extra=()) -> object:
    then_g = helper.make_graph(then_nodes, "then", [], [vi("to", TP.FLOAT, [2, 2])])
    else_g = helper.make_graph(else_nodes, "else", [], [vi("eo", TP.FLOAT, [2, 2])])
    node = helper.make_node(
        "If", ["c"], ["y"], then_branch=then_g, else_branch=else_g, name="the_if"
    )
    return model(
        [*extra, node],
        [vi("c", TP.BOOL, list(cond_shape)), vi("x", TP.FLOAT, [2, 2])],
        [vi("y", TP.FLOAT, [2, 2])],
        inits,
    )


W = const("w", (np.arange(4, dtype=np.float32).reshape(2, 2) + 1) / 4)
THEN = [helper.make_node("MatMul", ["x", "w"], ["t"]), helper.make_node("Relu", ["t"], ["to"])]
ELSE = [helper.make_node("Neg", ["x"], ["eo"])]


@pytest.mark.parametrize("cond_shape", [(), (1,)])
@pytest.mark.parametrize("cond", [True, False])
def test_if_runtime_condition_both_routes(cond: bool, cond_shape: tuple[int, ...]) -> None:
    m = _if_model(THEN, ELSE, cond_shape, [W])
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    check(m, {"c": np.full(cond_shape, cond), "x": x})
    imp = ge.from_onnx(m)
    assert ops(imp) == [graph.IfOp]  # the weight and the branch ops live in the regions


def test_if_branch_names_do_not_leak_and_outer_names_are_visible() -> None:
    # the then branch defines 't', which the outer graph also defines after the If
    m = model(
        [
            helper.make_node(
                "If", ["c"], ["y"], name="the_if",
                then_branch=helper.make_graph(
                    [helper.make_node("Add", ["x", "x"], ["t"]),
                     helper.make_node("Mul", ["t", "k"], ["to"])],
                    "then", [], [vi("to", TP.FLOAT, [2, 2])]),
                else_branch=helper.make_graph(  # yields an outer value
                    [helper.make_node("Identity", ["x"], ["eo"])],
                    "else", [], [vi("eo", TP.FLOAT, [2, 2])]),
            ),
            helper.make_node("Sub", ["y", "k"], ["t"]),
            helper.make_node("Mul", ["t", "k"], ["z"]),
        ],
        [vi("c", TP.BOOL, []), vi("x", TP.FLOAT, [2, 2])],
        [vi("z", TP.FLOAT, [2, 2])],
        [const("k", np.float32(3.0))],
    )  # fmt: skip
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    for c in (True, False):
        check(m, {"c": np.array(c), "x": x})


def test_if_constant_condition_imports_only_the_taken_branch() -> None:
    c = helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(np.array(False)))
    m = model(
        [c, helper.make_node("If", ["c"], ["y"], name="the_if",
                             then_branch=helper.make_graph(THEN, "then", [],
                                                           [vi("to", TP.FLOAT, [2, 2])]),
                             else_branch=helper.make_graph(ELSE, "else", [],
                                                           [vi("eo", TP.FLOAT, [2, 2])]))],
        [vi("x", TP.FLOAT, [2, 2])],
        [vi("y", TP.FLOAT, [2, 2])],
        [W],
    )  # fmt: skip
    imp = ge.from_onnx(m)
    assert ops(imp) == [graph.NegOp]
    assert list(imp.weights) == []  # the then branch's weight was never materialized
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    check(m, {"x": x})


def test_if_computed_condition_runs_on_interpreter_refused_at_lowering() -> None:
    extra = [
        helper.make_node("Relu", ["x"], ["r"]),
        helper.make_node("ReduceSum", ["r"], ["s"], keepdims=0),
        helper.make_node("Cast", ["s"], ["c2"], to=TP.BOOL),  # any positive element
    ]
    then_g = helper.make_graph(THEN, "then", [], [vi("to", TP.FLOAT, [2, 2])])
    else_g = helper.make_graph(ELSE, "else", [], [vi("eo", TP.FLOAT, [2, 2])])
    m = model(
        [*extra, helper.make_node("If", ["c2"], ["y"], then_branch=then_g, else_branch=else_g)],
        [vi("x", TP.FLOAT, [2, 2])],
        [vi("y", TP.FLOAT, [2, 2])],
        [W],
    )
    for sign in (1, -1):
        x = sign * np.abs(RNG.standard_normal((2, 2))).astype(np.float32)
        check(m, {"x": x}, o3=False)
    with pytest.raises(GeError, match="condition must be an input of the function"):
        ge.from_onnx(m).compile("O3").run({"x": np.ones((2, 2), np.float32)}, functional=True)


def test_if_condition_must_be_one_element_bool() -> None:
    m = _if_model(THEN, ELSE, (2,), [W])
    with pytest.raises(GeError, match=r"node 'the_if' \(If, opset 17\).*one-element bool"):
        ge.from_onnx(m)


def test_if_branch_shapes_must_agree() -> None:
    then_g = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["to"])], "then", [], [vi("to", TP.FLOAT, [2, 2])]
    )
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["v"], ["eo"])], "else", [], [vi("eo", TP.FLOAT, [3])]
    )
    m = model(
        [helper.make_node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g,
                          name="the_if")],
        [vi("c", TP.BOOL, []), vi("x", TP.FLOAT, [2, 2]), vi("v", TP.FLOAT, [3])],
        [vi("y", TP.FLOAT, [3])],
    )  # fmt: skip
    with pytest.raises(GeError, match=r"node 'the_if'.*else branch yields"):
        ge.from_onnx(m)


def test_onnx_backend_if_case_opset13_both_routes() -> None:
    from onnx import version_converter

    from ge_compiler.frontends import onnx_conformance as conf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case = conf.load_case("test_if")
    case.model = version_converter.convert_version(case.model, 13)
    for route in conf.ROUTES:
        assert conf.classify(case, route) == ("pass", ""), route


# --------------------------------------------------------------------------- Loop


def _loop_model(body_nodes, body_outputs, loop_inputs, inits, extra_body_inputs=()) -> object:
    body = helper.make_graph(
        body_nodes,
        "body",
        [vi("i", TP.INT64, []), vi("cin", TP.BOOL, []), vi("v", TP.FLOAT, [2, 2]),
         *extra_body_inputs],
        body_outputs,
    )  # fmt: skip
    outs = [vi(f"y{k}", TP.FLOAT, [2, 2]) for k in range(len(body_outputs) - 1)]
    node = helper.make_node("Loop", loop_inputs, [o.name for o in outs], body=body, name="the_loop")
    return model([node], [vi("x", TP.FLOAT, [2, 2])], outs, inits)


STEP = [
    helper.make_node("Cast", ["i"], ["fi"], to=TP.FLOAT),
    helper.make_node("Add", ["v", "fi"], ["v1"]),
    helper.make_node("Mul", ["v1", "x"], ["vo"]),
]
CARRIED = [vi("cout", TP.BOOL, []), vi("vo", TP.FLOAT, [2, 2])]


@pytest.mark.parametrize("m_value", [1, 3])
def test_loop_static_form_both_routes(m_value: int) -> None:
    m = _loop_model(
        [*STEP, helper.make_node("Identity", ["cin"], ["cout"])],
        CARRIED,
        ["M", "T", "x"],
        [const("M", np.int64(m_value)), const("T", np.array(True))],
    )
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    check(m, {"x": x})
    imp = ge.from_onnx(m)
    assert ops(imp) == [graph.LoopOp]
    loop = next(iter(next(iter(imp.module.ops)).body.block.ops))
    assert loop.trip_count.value.data == m_value


def test_loop_constant_true_cond_out_and_absent_cond() -> None:
    # the reference evaluator runs no iteration when cond is absent (an ONNX bug): compare to
    # numpy instead
    cout = helper.make_node("Constant", [], ["cout"], value=numpy_helper.from_array(np.array(True)))
    m = _loop_model([*STEP, cout], CARRIED, ["M", "", "x"], [const("M", np.int64(3))])
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    v = x.copy()
    for i in range(3):
        v = (v + i) * x
    imp = ge.from_onnx(m)
    np.testing.assert_allclose(run_function(imp.module, [x], imp.weights)[0], v, rtol=1e-5)
    out = imp.compile("O3").run({"x": x}, functional=True)
    np.testing.assert_allclose(out["y0"], v, rtol=1e-5)


def test_loop_with_zero_trips_returns_the_inits() -> None:
    m = _loop_model(
        [*STEP, helper.make_node("Identity", ["cin"], ["cout"])],
        CARRIED,
        ["M", "T", "x"],
        [const("M", np.int64(0)), const("T", np.array(True))],
    )
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    imp = ge.from_onnx(m)
    assert graph.LoopOp not in ops(imp)
    np.testing.assert_array_equal(run_function(imp.module, [x], imp.weights)[0], x)


def test_loop_scan_outputs_are_one_clear_error() -> None:
    m = _loop_model(
        [*STEP, helper.make_node("Identity", ["cin"], ["cout"]),
         helper.make_node("Identity", ["vo"], ["scan"])],
        [*CARRIED, vi("scan", TP.FLOAT, [2, 2])],
        ["M", "T", "x"],
        [const("M", np.int64(2)), const("T", np.array(True))],
    )  # fmt: skip
    with pytest.raises(GeError) as info:
        ge.from_onnx(m)
    msg = str(info.value)
    assert "node 'the_loop' (Loop, opset 17)" in msg
    assert "unsupported: Loop with a data-dependent condition/scan outputs" in msg


def test_loop_data_dependent_condition_is_one_clear_error() -> None:
    m = _loop_model(
        [*STEP, helper.make_node("Cast", ["i"], ["cout"], to=TP.BOOL)],
        CARRIED,
        ["M", "T", "x"],
        [const("M", np.int64(5)), const("T", np.array(True))],
    )
    with pytest.raises(GeError) as info:
        ge.from_onnx(m)
    msg = str(info.value)
    assert "node 'the_loop' (Loop, opset 17)" in msg
    assert "unsupported: Loop with a data-dependent condition/scan outputs" in msg


def test_loop_runtime_trip_count_or_condition_is_refused() -> None:
    body = [*STEP, helper.make_node("Identity", ["cin"], ["cout"])]
    body_g = helper.make_graph(
        body, "body", [vi("i", TP.INT64, []), vi("cin", TP.BOOL, []), vi("v", TP.FLOAT, [2, 2])],
        CARRIED,
    )  # fmt: skip
    for ins, extra in ((["n", "", "x"], vi("n", TP.INT64, [])),
                       (["M", "c", "x"], vi("c", TP.BOOL, []))):  # fmt: skip
        m = model(
            [helper.make_node("Loop", ins, ["y"], body=body_g, name="the_loop")],
            [vi("x", TP.FLOAT, [2, 2]), extra],
            [vi("y", TP.FLOAT, [2, 2])],
            [const("M", np.int64(2))],
        )
        with pytest.raises(GeError, match=r"node 'the_loop' \(Loop.*must be a constant"):
            ge.from_onnx(m)
    # bound at import (as the conformance harness does), the loop imports
    m2 = ge.from_onnx(m, fixed_inputs={"c": np.array(True)})
    assert graph.LoopOp in ops(m2)


def test_loop_without_trip_count_is_refused() -> None:
    m = _loop_model(
        [*STEP, helper.make_node("Identity", ["cin"], ["cout"])],
        CARRIED,
        ["", "T", "x"],
        [const("T", np.array(True))],
    )
    with pytest.raises(GeError, match="data-dependent condition/scan outputs"):
        ge.from_onnx(m)


def test_loop_body_using_index_as_gather_index_and_two_carried() -> None:
    table = const("tab", RNG.standard_normal((4, 2, 2)).astype(np.float32))
    body = helper.make_graph(
        [
            helper.make_node("Gather", ["tab", "i"], ["row"], axis=0),
            helper.make_node("Add", ["v", "row"], ["vo"]),
            helper.make_node("Mul", ["u", "row"], ["uo"]),
            helper.make_node("Identity", ["cin"], ["cout"]),
        ],
        "body",
        [vi("i", TP.INT64, []), vi("cin", TP.BOOL, []), vi("v", TP.FLOAT, [2, 2]),
         vi("u", TP.FLOAT, [2, 2])],
        [vi("cout", TP.BOOL, []), vi("vo", TP.FLOAT, [2, 2]), vi("uo", TP.FLOAT, [2, 2])],
    )  # fmt: skip
    m = model(
        [helper.make_node("Loop", ["M", "T", "x", "one"], ["a", "b"], body=body)],
        [vi("x", TP.FLOAT, [2, 2])],
        [vi("a", TP.FLOAT, [2, 2]), vi("b", TP.FLOAT, [2, 2])],
        [const("M", np.int64(4)), const("T", np.array(True)), table,
         const("one", np.ones((2, 2), np.float32))],
    )  # fmt: skip
    check(m, {"x": RNG.standard_normal((2, 2)).astype(np.float32)})


def test_if_inside_loop_body_on_the_interpreter() -> None:
    then_g = helper.make_graph(
        [helper.make_node("Add", ["v", "x"], ["to"])], "then", [], [vi("to", TP.FLOAT, [2, 2])]
    )
    else_g = helper.make_graph(
        [helper.make_node("Sub", ["v", "x"], ["eo"])], "else", [], [vi("eo", TP.FLOAT, [2, 2])]
    )
    m = _loop_model(
        [helper.make_node("If", ["c"], ["vo"], then_branch=then_g, else_branch=else_g),
         helper.make_node("Identity", ["cin"], ["cout"])],
        CARRIED,
        ["M", "T", "x"],
        [const("M", np.int64(3)), const("T", np.array(True))],
    )  # fmt: skip
    m.graph.input.append(vi("c", TP.BOOL, []))
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    for c in (True, False):
        check(m, {"x": x, "c": np.array(c)}, o3=False)
