"""ONNX backend node tests through the importer on both routes (interpreter, ge-O3 functional).

Cases are generated from the installed onnx package into a cache dir (never committed). Every
case whose ops all have converters must either match ONNX's expected outputs or be refused
with a clean GeError (an unsupported dtype/attribute); a wrong number is always a failure.
"""

from __future__ import annotations

import warnings

import pytest

onnx = pytest.importorskip("onnx")

from ge_compiler.errors import GeError  # noqa: E402
from ge_compiler.frontends import onnx_conformance as conf  # noqa: E402


def _supported_cases() -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [n for n in conf.case_names() if conf.supported(conf.load_case(n))]


SUPPORTED = _supported_cases()

# Cases that must pass (not just be refused cleanly): the common forms of every op family.
MUST_PASS = [
    "test_add_bcast", "test_matmul_4d", "test_matmul_2d", "test_gemm_all_attributes",
    "test_gemm_transposeA", "test_conv_with_strides_and_asymmetric_padding",
    "test_conv_with_autopad_same", "test_convtranspose", "test_convtranspose_pads",
    "test_maxpool_2d_pads", "test_averagepool_2d_same_upper", "test_globalaveragepool",
    "test_resize_upsample_scales_nearest", "test_resize_upsample_scales_linear",
    "test_reduce_sum_keepdims_example", "test_reduce_mean_default_axes_keepdims_example",
    "test_softmax_axis_0", "test_layer_normalization_4d_axis1",
    "test_group_normalization_example", "test_instancenorm_example",
    "test_batchnorm_example", "test_gelu_tanh_1", "test_reshape_negative_dim",
    "test_reshape_reordered_all_dims", "test_transpose_default", "test_concat_2d_axis_1",
    "test_slice_neg_steps", "test_split_equal_parts_1d_opset18", "test_gather_1",
    "test_unsqueeze_two_axes", "test_squeeze", "test_expand_dim_changed", "test_shape",
    "test_range_float_type_positive_delta", "test_einsum_batch_matmul_bfloat16",
    "test_where_example",
    "test_cast_FLOAT_to_FLOAT16", "test_erf", "test_pow_bcast_array",
]  # fmt: skip


@pytest.mark.parametrize("route", conf.ROUTES)
@pytest.mark.parametrize("name", SUPPORTED)
def test_node_case(name: str, route: str) -> None:
    status, detail = conf.classify(conf.load_case(name), route)
    assert status != "fail", detail


@pytest.mark.parametrize("name", MUST_PASS)
def test_common_case_passes(name: str) -> None:
    for route in conf.ROUTES:
        status, detail = conf.classify(conf.load_case(name), route)
        assert status == "pass", f"{route}: {detail}"


def test_enough_cases_supported() -> None:
    assert len(SUPPORTED) >= 800


@pytest.mark.parametrize(
    ("name", "op"),
    [("test_equal", "Equal"), ("test_lstm_defaults", "LSTM"), ("test_argmax_default_axis_example",
      "ArgMax"), ("test_sin", "Sin"), ("test_nonzero_example", "NonZero")],
)  # fmt: skip
def test_unsupported_op_is_one_clear_error(name: str, op: str) -> None:
    case = conf.load_case(name)
    assert not conf.supported(case)
    with pytest.raises(GeError) as info:
        conf.import_case(case)
    msg = str(info.value)
    assert f"({op}, opset " in msg and "unsupported ONNX node" in msg
