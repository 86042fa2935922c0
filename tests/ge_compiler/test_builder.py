"""GraphBuilder: every op method builds verifying IR with the right shapes; errors are GeErrors."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp

from ge_compiler.builder import STREAM_HINT, GraphBuilder, Tensor
from ge_compiler.dialects import graph
from ge_compiler.dialects.shapes import DYN
from ge_compiler.errors import GeError
from ge_compiler.ir import verify_module


def build_one(body, dtype: str = "f32") -> ModuleOp:
    """Build a one-function module whose body returns the tensor(s) ``body(b)`` gives."""
    b = GraphBuilder(dtype)
    with b.module("m"):
        out = body(b)
        b.output(*(out if isinstance(out, list | tuple) else [out]))
    return b.build()


def ops_of(module: ModuleOp) -> list:
    fn = next(iter(module.ops))
    assert isinstance(fn, func.FuncOp)
    return [op for op in fn.body.block.ops if not isinstance(op, func.ReturnOp)]


# --------------------------------------------------------------------------- every method


def _x(b: GraphBuilder) -> Tensor:
    return b.input("x", (2, 3, 8, 8))


UNARY = [
    "neg", "abs", "exp", "log", "sqrt", "rsqrt", "reciprocal", "relu", "sigmoid", "tanh", "erf",
    "silu", "gelu",
]  # fmt: skip
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "pow"]


@pytest.mark.parametrize("name", UNARY)
def test_unary_methods(name: str) -> None:
    module = build_one(lambda b: getattr(b, name)(_x(b)))
    (op,) = ops_of(module)
    assert op.name == f"graph.{name}"
    assert graph.shape_of(op.results[0]) == (2, 3, 8, 8)


def test_gelu_tanh_approximation() -> None:
    (op,) = ops_of(build_one(lambda b: b.gelu(_x(b), "tanh")))
    assert op.approximate.data == "tanh"


@pytest.mark.parametrize("name", BINARY)
def test_binary_methods_broadcast(name: str) -> None:
    def body(b: GraphBuilder) -> Tensor:
        return getattr(b, name)(b.input("a", (4, 1, 5)), b.input("c", (3, 1)))

    (op,) = ops_of(build_one(body))
    assert op.name == f"graph.{name}"
    assert graph.shape_of(op.results[0]) == (4, 3, 5)


# Each case: builder call -> (op name, expected result shape(s)).
CASES = {
    "matmul": (lambda b: b.matmul(b.input("a", (4, 8)), b.input("c", (8, 16))), (4, 16)),
    "matmul_ta": (
        lambda b: b.matmul(b.input("a", (8, 4)), b.input("c", (8, 16)), transpose_a=True),
        (4, 16),
    ),
    "matmul_tb_batch": (
        lambda b: b.matmul(b.input("a", (2, 1, 4, 8)), b.input("c", (3, 16, 8)), transpose_b=True),
        (2, 3, 4, 16),
    ),
    "batch_matmul": (
        lambda b: b.batch_matmul(b.input("a", (2, 4, 5)), b.input("c", (2, 5, 3))),
        (2, 4, 3),
    ),
    "conv2d": (
        lambda b: b.conv2d(
            _x(b), b.weight("w", (4, 3, 3, 3)), b.weight("bias", (4,)), stride=2, padding=1
        ),
        (2, 4, 4, 4),
    ),
    "conv2d_groups_dilation": (
        lambda b: b.conv2d(_x(b), b.weight("w", (6, 1, 3, 3)), dilation=2, groups=3),
        (2, 6, 4, 4),
    ),
    "max_pool2d": (lambda b: b.max_pool2d(_x(b), 2), (2, 3, 4, 4)),
    "avg_pool2d": (lambda b: b.avg_pool2d(_x(b), 3, stride=1, padding=1), (2, 3, 8, 8)),
    "resize_scale": (lambda b: b.resize(_x(b), scale=2), (2, 3, 16, 16)),
    "resize_size": (lambda b: b.resize(_x(b), size=(5, 7), mode="bilinear"), (2, 3, 5, 7)),
    "reduce_sum": (lambda b: b.reduce_sum(_x(b), [1], keepdims=True), (2, 1, 8, 8)),
    "reduce_mean": (lambda b: b.reduce_mean(_x(b), [2, 3]), (2, 3)),
    "reduce_max": (lambda b: b.reduce_max(_x(b), [-1]), (2, 3, 8)),
    "softmax": (lambda b: b.softmax(_x(b), 1), (2, 3, 8, 8)),
    "layer_norm": (
        lambda b: b.layer_norm(_x(b), b.weight("g", (8,)), b.weight("bb", (8,))),
        (2, 3, 8, 8),
    ),
    "group_norm": (
        lambda b: b.group_norm(_x(b), b.weight("g", (3,)), b.weight("bb", (3,)), 3),
        (2, 3, 8, 8),
    ),
    "rms_norm": (lambda b: b.rms_norm(_x(b), b.weight("g", (8,))), (2, 3, 8, 8)),
    "reshape": (lambda b: b.reshape(_x(b), (6, 64)), (6, 64)),
    "transpose": (lambda b: b.transpose(_x(b), (0, 2, 3, 1)), (2, 8, 8, 3)),
    "concat": (lambda b: b.concat([_x(b), b.input("y", (2, 1, 8, 8))], 1), (2, 4, 8, 8)),
    "slice": (lambda b: b.slice(_x(b), (0, 1, 0, 0), (2, 3, 8, 8), (1, 1, 2, 2)), (2, 2, 4, 4)),
    "split": (lambda b: b.split(_x(b), (1, 2), 1), [(2, 1, 8, 8), (2, 2, 8, 8)]),
    "gather": (lambda b: b.gather(_x(b), b.input("i", (5,), "i32"), 2), (2, 3, 5, 8)),
    "embedding": (
        lambda b: b.embedding(b.weight("table", (10, 4)), b.input("ids", (2, 5), "i64")),
        (2, 5, 4),
    ),
    "where": (
        lambda b: b.where(b.input("c", (8,), "i1"), _x(b), b.input("y", (3, 1, 1))),
        (2, 3, 8, 8),
    ),
    "cast": (lambda b: b.cast(_x(b), "f16"), (2, 3, 8, 8)),
    "weight": (lambda b: b.weight("w", (3, 4), "bf16"), (3, 4)),
    "constant": (lambda b: b.constant(np.arange(6.0).reshape(2, 3)), (2, 3)),
    "scalar": (lambda b: b.scalar(0.5, _x(b)), ()),
}
OP_NAMES = {
    "matmul_ta": "matmul", "matmul_tb_batch": "matmul", "conv2d_groups_dilation": "conv2d",
    "resize_scale": "resize", "resize_size": "resize", "embedding": "gather", "scalar": "constant",
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_method_builds_verifying_op_with_shape(case: str) -> None:
    make, expected = CASES[case]
    module = build_one(make)
    verify_module(module)
    op = ops_of(module)[-1]
    assert op.name == f"graph.{OP_NAMES.get(case, case)}"
    shapes = [graph.shape_of(r) for r in op.results]
    assert shapes == (expected if isinstance(expected, list) else [expected])


def test_tensor_properties_and_dtypes() -> None:
    b = GraphBuilder("f16")
    with b.module("m"):
        x = b.input("x", (2, None))
        i = b.input("i", (3,), "i32")
        assert x.shape == (2, DYN)
        assert str(x.dtype) == "f16"
        assert str(i.dtype) == "i32"
        assert str(b.cast(x, "f32").dtype) == "f32"
        assert str(b.scalar(2.0, x).dtype) == "f16"
        b.output(x)
    fn = next(iter(b.build().ops))
    assert fn.body.block.args[0].name_hint == "x"


def test_integer_constant_values() -> None:
    (op,) = ops_of(build_one(lambda b: b.constant(np.array([1, 2, 3]), "i32")))
    assert str(op.results[0].type) == "tensor<3xi32>"
    assert list(op.value.get_values()) == [1, 2, 3]


def test_operator_overloads() -> None:
    def body(b: GraphBuilder) -> list[Tensor]:
        a, c = b.input("a", (4, 4)), b.input("c", (4, 4))
        return [a + c, a - c, a * c, a / c, a @ c, -a]

    names = [op.name for op in ops_of(build_one(body))]
    assert names == [
        "graph.add",
        "graph.sub",
        "graph.mul",
        "graph.div",
        "graph.matmul",
        "graph.neg",
    ]


def test_results_are_returned_in_order() -> None:
    module = build_one(lambda b: [b.relu(_x(b)), b.input("y", (3,))])
    fn = next(iter(module.ops))
    assert [str(t) for t in fn.function_type.outputs.data] == [
        "tensor<2x3x8x8xf32>",
        "tensor<3xf32>",
    ]
    assert len(fn.function_type.inputs.data) == 2


# --------------------------------------------------------------------------- reshape -1


@pytest.mark.parametrize(
    ("src", "target", "expected"),
    [
        ((3, 4), (-1,), (12,)),
        ((3, 4), (2, -1, 2), (2, 3, 2)),
        ((2, 3, 4), (-1, 4), (6, 4)),
        ((2, 3, 4), (6, -1), (6, 4)),
        ((None, 4), (-1, 2), (DYN, 2)),
    ],
)
def test_reshape_infers_minus_one(src, target, expected) -> None:
    (op,) = ops_of(build_one(lambda b: b.reshape(b.input("x", src), target)))
    assert graph.shape_of(op.results[0]) == expected


def test_reshape_two_minus_ones_is_an_error() -> None:
    with pytest.raises(GeError, match="graph.reshape"):
        build_one(lambda b: b.reshape(b.input("x", (3, 4)), (-1, -1)))


# --------------------------------------------------------------------------- shape errors

SHAPE_ERRORS = {
    "graph.matmul": lambda b: b.matmul(b.input("a", (2, 3)), b.input("c", (4, 5))),
    "graph.batch_matmul": lambda b: b.batch_matmul(b.input("a", (3, 4)), b.input("c", (4, 3))),
    "graph.add": lambda b: b.input("a", (2, 3)) + b.input("c", (4, 5)),
    "graph.mul": lambda b: b.input("a", (3,)) * b.input("c", (3,), "f16"),
    "graph.conv2d": lambda b: b.conv2d(b.input("a", (1, 3, 4, 4)), b.weight("w", (2, 4, 3, 3))),
    "graph.max_pool2d": lambda b: b.max_pool2d(b.input("a", (3, 4)), 2),
    "graph.reshape": lambda b: b.reshape(b.input("a", (3, 4)), (5, 7)),
    "graph.transpose": lambda b: b.transpose(b.input("a", (3, 4)), (0, 0)),
    "graph.concat": lambda b: b.concat([b.input("a", (3, 4)), b.input("c", (3, 5))], 0),
    "graph.slice": lambda b: b.slice(b.input("a", (3, 4)), (0, 0), (4, 4)),
    "graph.split": lambda b: b.split(b.input("a", (3, 4)), (1, 1), 0)[0],
    "graph.softmax": lambda b: b.softmax(b.input("a", (3, 4)), 5),
    "graph.layer_norm": lambda b: b.layer_norm(
        b.input("a", (3, 4)), b.weight("w", (3,)), b.weight("bb", (4,))
    ),
    "graph.group_norm": lambda b: b.group_norm(
        b.input("a", (1, 3, 4)), b.weight("w", (3,)), b.weight("bb", (3,)), 2
    ),
    "graph.rms_norm": lambda b: b.rms_norm(b.input("a", (3, 4)), b.weight("w", (3,))),
    "graph.reduce_sum": lambda b: b.reduce_sum(b.input("a", (3, 4)), [2]),
    "graph.gather": lambda b: b.gather(b.input("a", (3, 4)), b.input("i", (2,), "i32"), 3),
    "graph.where": lambda b: b.where(
        b.input("c", (3,), "i1"), b.input("a", (4,)), b.input("d", (4,))
    ),
    "graph.resize": lambda b: b.resize(b.input("a", (1, 1, 3, 4)), scale=2, mode="cubic"),
    "graph.gelu": lambda b: b.gelu(b.input("a", (3,)), "fast"),
    "graph.constant": lambda b: b.constant(np.zeros(5000, np.float32)),
    "graph.weight": lambda b: b.weight("", (3,)),
}


@pytest.mark.parametrize("opname", list(SHAPE_ERRORS))
def test_shape_error_is_a_ge_error_naming_the_op(opname: str) -> None:
    """Raised by the builder call or, for ops whose result type is not inferred, by build()."""
    with pytest.raises(GeError, match=opname.replace(".", r"\.")):
        build_one(SHAPE_ERRORS[opname])


def test_inferred_shape_error_is_raised_at_the_call() -> None:
    b = GraphBuilder()
    with b.module("m"):
        a, c = b.input("a", (2, 3)), b.input("c", (4, 5))
        with pytest.raises(GeError, match=r"graph\.matmul: contraction dims differ"):
            b.matmul(a, c)
        b.output(a)
    b.build()  # the failed op was not added


def test_reshape_element_count_error_is_raised_at_the_call() -> None:
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("a", (3, 4))
        with pytest.raises(GeError, match=r"graph\.reshape"):
            b.reshape(x, (5, 7))
        b.output(x)


@pytest.mark.parametrize(
    "make",
    [
        lambda b, x: b.conv2d(x, b.weight("w", (2, 3, 3, 3)), stride=0),
        lambda b, x: b.max_pool2d(x, 2, stride=0),
        lambda b, x: b.avg_pool2d(x, 0),
    ],
    ids=["conv2d-stride0", "max_pool2d-stride0", "avg_pool2d-kernel0"],
)
def test_zero_window_attrs_raise_ge_error(make) -> None:
    with pytest.raises(GeError, match=r"graph\.(conv2d|max_pool2d|avg_pool2d)"):
        build_one(lambda b: make(b, b.input("x", (1, 3, 4, 4))))


def test_type_constraint_error_names_the_op_in_its_rendering() -> None:
    with pytest.raises(GeError) as info:
        build_one(lambda b: b.exp(b.input("a", (3,), "i32")))
    assert "graph.exp" in info.value.render("test")


def test_type_constraint_error_keeps_the_reason() -> None:
    with pytest.raises(GeError, match="i32"):
        build_one(lambda b: b.exp(b.input("a", (3,), "i32")))


# --------------------------------------------------------------------------- structure errors


def test_ops_outside_a_module_are_errors() -> None:
    b = GraphBuilder()
    with pytest.raises(GeError, match="inside"):
        b.input("x", (2,))
    with pytest.raises(GeError, match="inside"):
        b.weight("w", (2,))
    with pytest.raises(GeError, match="inside"):
        b.constant(1.0)


def test_duplicate_module_name() -> None:
    b = GraphBuilder()
    with b.module("m"):
        b.output(b.input("x", (2,)))
    with pytest.raises(GeError, match="'m' is defined twice"):
        with b.module("m"):
            pass


def test_nested_module() -> None:
    b = GraphBuilder()
    with pytest.raises(GeError, match="opened inside"):
        with b.module("outer"):
            with b.module("inner"):
                pass


def test_module_without_outputs() -> None:
    b = GraphBuilder()
    with pytest.raises(GeError, match="no outputs"):
        with b.module("m"):
            b.input("x", (2,))


def test_build_with_nothing_or_open_module() -> None:
    b = GraphBuilder()
    with pytest.raises(GeError, match="nothing was built"):
        b.build()
    with pytest.raises(GeError, match="still open"):
        with b.module("m"):
            b.output(b.input("x", (2,)))
            b.build()


@pytest.mark.parametrize(
    "make",
    [
        lambda: GraphBuilder("f99"),
        lambda: build_one(lambda b: b.input("x", (2,), "float")),
        lambda: build_one(lambda b: b.weight("w", (2,), "q4")),
        lambda: build_one(lambda b: b.cast(b.input("x", (2,)), "i3")),
    ],
)
def test_unknown_dtype(make) -> None:
    with pytest.raises(GeError, match="unknown dtype"):
        make()


def test_resize_needs_size_or_scale() -> None:
    with pytest.raises(GeError, match=r"graph\.resize: give size or scale"):
        build_one(lambda b: b.resize(_x(b)))


def test_builder_is_reusable_after_an_error() -> None:
    b = GraphBuilder()
    with pytest.raises(GeError):
        with b.module("bad"):
            b.matmul(b.input("a", (2, 3)), b.input("c", (4, 5)))
    with b.module("good"):
        b.output(b.relu(b.input("x", (2,))))
    module = b.build()
    assert [f.sym_name.data for f in module.ops] == ["good"]


def test_several_modules() -> None:
    b = GraphBuilder()
    for name in ("encoder", "decoder"):
        with b.module(name):
            b.output(b.relu(b.input("x", (2,))))
    module = b.build()
    assert [f.sym_name.data for f in module.ops] == ["encoder", "decoder"]


# --------------------------------------------------------------------------- stream hints


def test_stream_hint_sets_stream_id_attribute() -> None:
    b = GraphBuilder()
    with b.module("m"):
        x = b.input("x", (4,))
        a = b.relu(x)
        with b.stream(2):
            c = b.exp(a)
            with b.stream(5):
                d = b.neg(c)
            e = b.abs(d)
        f = b.tanh(e)
        b.output(f)
    ops = ops_of(b.build())
    hints = {
        op.name: (op.attributes[STREAM_HINT].value.data if STREAM_HINT in op.attributes else None)
        for op in ops
    }
    assert hints == {
        "graph.relu": None,
        "graph.exp": 2,
        "graph.neg": 5,
        "graph.abs": 2,
        "graph.tanh": None,
    }
    attr = ops[1].attributes[STREAM_HINT]
    assert isinstance(attr, IntegerAttr) and str(attr.type) == "i64"


def test_module_stream_id_sets_func_attribute() -> None:
    b = GraphBuilder()
    with b.module("a", stream_id=3):
        b.output(b.relu(b.input("x", (4,))))
    with b.module("b"):
        b.output(b.relu(b.input("x", (4,))))
    fa, fb = list(b.build().ops)
    assert fa.attributes[STREAM_HINT].value.data == 3
    assert STREAM_HINT not in fb.attributes
