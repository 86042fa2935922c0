"""graph.loop and graph.update_slice end to end: the reference interpreter iterates (equal to
the same computation unrolled in numpy), compiled loops compute what the interpreter computes at
ge-O0 and ge-O3, the Schedule's ``loops`` (one task range on one stream, run ``trips`` times),
KV-cache state buffers allocated once and updated in place, and the device model counting
``trips`` x body launches while its limits apply to the resident (non-expanded) schedule.

The lit tests (lit_tests/dialects/graph/loop*.mlir, update_slice.mlir,
lit_tests/passes/conversion/graph_to_stream_loop.mlir) pin the IR; here loops are *run*.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32

from ge_compiler.compiler import compile_module
from ge_compiler.device.config import load_config
from ge_compiler.device.functional import check, execute
from ge_compiler.device.simulator import simulate
from ge_compiler.device.timing import task_profile
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import parse_module
from ge_compiler.report import build_report
from ge_compiler.schedule import Schedule
from ge_compiler.weights import WeightStore

T = "tensor<4x8xf32>"

# a carried accumulator; a weight used inside the body
ACCUMULATE = f"""
func.func @f(%x: {T}) -> {T} {{
  %w = graph.weight "w" : tensor<8x8xf32>
  %r = graph.loop(%x) {{trip_count = TRIPS : i64}} : ({T}) -> ({T}) {{
  ^bb0(%i: tensor<i64>, %a: {T}):
    %m = graph.matmul %a, %w : {T}, tensor<8x8xf32> -> {T}
    %t = graph.tanh %m : {T}
    %s = graph.add %t, %a : {T}, {T} -> {T}
    graph.yield %s : {T}
  }}
  func.return %r : {T}
}}
"""

# a KV-cache-like loop: a row appended at the index, a reduction over the whole cache feeding
# the next step; a weight and a constant inside the body; the hidden value's next value is not
# computed from it (the identity-copy carry)
C, R = "tensor<16x4xf32>", "tensor<1x4xf32>"
KV = f"""
func.func @f(%cache: {C}, %x: {R}) -> ({C}, {R}) {{
  %w = graph.weight "w" : tensor<4x4xf32>
  %c, %h = graph.loop(%cache, %x) {{trip_count = TRIPS : i64}} : ({C}, {R}) -> ({C}, {R}) {{
  ^bb0(%i: tensor<i64>, %kv: {C}, %y: {R}):
    %k = graph.constant dense<0.5> : {R}
    %m = graph.matmul %y, %w : {R}, tensor<4x4xf32> -> {R}
    %n = graph.mul %m, %k : {R}, {R} -> {R}
    %kv2 = graph.update_slice %kv, %n, %i {{axis = 0 : i64}} : {C}, {R}, tensor<i64> -> {C}
    %s = graph.reduce_sum %kv2 {{axes = array<i64: 0>, keepdims}} : {C} -> {R}
    %t = graph.tanh %s : {R}
    graph.yield %kv2, %t : {C}, {R}
  }}
  func.return %c, %h : {C}, {R}
}}
"""

# a carried value whose next value is computed from another one only (identity copy), the
# index used as data (cast), and an outer input read by every iteration
COPY_CARRY = f"""
func.func @f(%x: {T}, %y: {T}) -> ({T}, {T}) {{
  %r, %s = graph.loop(%x, %y) {{trip_count = TRIPS : i64}} : ({T}, {T}) -> ({T}, {T}) {{
  ^bb0(%i: tensor<i64>, %a: {T}, %b: {T}):
    %f = graph.cast %i : tensor<i64> -> tensor<f32>
    %e = graph.mul %a, %f : {T}, tensor<f32> -> {T}
    %n = graph.add %e, %y : {T}, {T} -> {T}
    %t = graph.sigmoid %a : {T}
    graph.yield %n, %t : {T}, {T}
  }}
  func.return %r, %s : {T}, {T}
}}
"""

CASES = {"accumulate": ACCUMULATE, "kv": KV, "copy_carry": COPY_CARRY}


def _text(name: str, trips: int) -> str:
    return CASES[name].replace("TRIPS", str(trips))


def _compile(text: str, level: int) -> Schedule:
    return compile_module(parse_module(text), level).schedule


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


# --------------------------------------------------------------------------- interpreter


@pytest.mark.parametrize("trips", [1, 4])
def test_interpreter_loop_equals_numpy_unrolled(trips: int) -> None:
    """run_loop iterates trip_count times, feeding each yield to the next iteration, with the
    index counting from 0; the results are the last yielded values."""
    ws = WeightStore(seed=3)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 8)).astype(np.float32)
    (got,) = run_function(parse_module(_text("accumulate", trips)), [x], ws)
    w = ws.get("w", TensorType(f32, [8, 8])).astype(np.float64)
    a = x.astype(np.float64)
    for _ in range(trips):
        a = np.tanh(a @ w) + a
    np.testing.assert_allclose(got, a, rtol=1e-5, atol=1e-5)

    y = rng.standard_normal((4, 8)).astype(np.float32)
    r, s = run_function(parse_module(_text("copy_carry", trips)), [x, y])
    a, b = x.astype(np.float64), y.astype(np.float64)
    for i in range(trips):
        a, b = a * i + y, _sigmoid(a)
    np.testing.assert_allclose(r, a, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s, b, rtol=1e-5, atol=1e-5)


def test_interpreter_kv_loop_appends_rows_at_the_index() -> None:
    """The KV loop writes row i at iteration i; rows after the last iteration keep the input."""
    trips = 5
    ws = WeightStore(seed=1)
    cache = np.full((16, 4), 7.0, np.float32)
    x = np.linspace(-1, 1, 4, dtype=np.float32).reshape(1, 4)
    c, h = run_function(parse_module(_text("kv", trips)), [cache, x], ws)
    w = ws.get("w", TensorType(f32, [4, 4])).astype(np.float64)
    kv, y = cache.astype(np.float64), x.astype(np.float64)
    for i in range(trips):
        kv[i] = (y @ w * 0.5)[0]
        y = np.tanh(kv.sum(axis=0, keepdims=True))
    np.testing.assert_allclose(c, kv, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(h, y, rtol=1e-5, atol=1e-5)
    assert np.all(c[trips:] == 7.0)


D, U = "tensor<2x6x3xf32>", "tensor<2x2x3xf32>"
UPDATE = f"""
func.func @f(%d: {D}, %u: {U}, %i: tensor<1xi32>) -> {D} {{
  %r = graph.update_slice %d, %u, %i {{axis = 1 : i64}} : {D}, {U}, tensor<1xi32> -> {D}
  func.return %r : {D}
}}
"""


@pytest.mark.parametrize("index", [0, 3, 4])
def test_interpreter_update_slice_writes_at_the_index(index: int) -> None:
    """update_slice returns dest with update at [index, index + len) along axis, the rest
    unchanged, and leaves its dest argument unmodified (value semantics)."""
    d = np.arange(36, dtype=np.float32).reshape(2, 6, 3)
    u = -np.ones((2, 2, 3), np.float32)
    (got,) = run_function(parse_module(UPDATE), [d, u, np.array([index], np.int32)])
    want = d.copy()
    want[:, index : index + 2] = u
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(d, np.arange(36, dtype=np.float32).reshape(2, 6, 3))


@pytest.mark.parametrize("index", [5, 6, 100, -1])
def test_interpreter_update_slice_out_of_range_is_a_clear_error(index: int) -> None:
    """An index that puts the update (partly) outside dest is a located GeError naming the
    op, the index and the sizes: no silent clipping or wrap-around."""
    d = np.zeros((2, 6, 3), np.float32)
    u = np.ones((2, 2, 3), np.float32)
    with pytest.raises(GeError, match=rf"graph.update_slice: index {index} puts an update of 2 "
                       r"outside 6 along axis 1") as e:  # fmt: skip
        run_function(parse_module(UPDATE), [d, u, np.array([index], np.int32)])
    assert "<input>:3:" in str(e.value)


def test_interpreter_loop_index_out_of_range_inside_a_loop() -> None:
    """A loop that runs past its cache's rows fails at the first bad iteration, clearly."""
    with pytest.raises(GeError, match="index 16 puts an update of 1 outside 16 along axis 0"):
        run_function(
            parse_module(_text("kv", 17)), [np.zeros((16, 4), np.float32), np.ones((1, 4))]
        )


# --------------------------------------------------------------------------- compile and run


def _loop_tasks(s: Schedule) -> list:
    ((first, last, _),) = s.loops
    return s.tasks[first : last + 1]


@pytest.mark.parametrize("level", [0, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_loop_computes_what_the_interpreter_computes(name: str, level: int) -> None:
    """compile_module then execute equals run_function on the uncompiled loop, and
    functional.check passes in every order; Schedule.loops is one [first, last, trips] whose
    tasks are contiguous launches on one stream."""
    trips = 5
    text = _text(name, trips)
    original = parse_module(text)
    s = _compile(text, level)
    result = check(original, s)
    assert result.passed, result.message
    inputs = random_inputs(original.body.ops.first, seed=4)
    ws = WeightStore(seed=2)
    expected = run_function(original, inputs, ws)
    got = execute(s, inputs, ws, order="program")
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5)
    assert len(s.loops) == 1
    first, last, n = s.loops[0]
    assert n == trips and 0 < first <= last < len(s.tasks)
    body = _loop_tasks(s)
    assert all(t.kind == "launch" for t in body)
    assert len({t.stream for t in body}) == 1


@pytest.mark.parametrize("level", [0, 3])
def test_identity_copy_carry_is_in_the_body(level: int) -> None:
    """In COPY_CARRY the second carried value's next value (sigmoid of the first) is computed
    beside the state: the body ends with an identity copy (a reshape kernel) over the state
    buffer (the one the state's init copy before the loop wrote)."""
    s = _compile(_text("copy_carry", 3), level)
    first = s.loops[0][0]
    body = _loop_tasks(s)
    copies = [t for t in body if t.kernel and "reshape" in t.kernel]
    assert len(copies) == 2, [t.kernel for t in body]  # neither next value is in place
    states = {b for t in s.tasks[:first] for b in t.outputs}
    assert all(t.outputs[0] in states for t in copies)
    assert body[-len(copies) :] == copies


@pytest.mark.parametrize("level", [0, 3])
def test_report_counts_trips_times_body_launches(level: int) -> None:
    """build_report's kernel_launches is the launches outside the loop plus trips x the
    body's; latency grows with the trip count; latency stays >= its lower bound."""
    cfg = load_config("910B2")
    reports = {}
    for trips in (2, 6):
        s = _compile(_text("kv", trips), level)
        body = sum(t.kind == "launch" for t in _loop_tasks(s))
        outside = sum(t.kind == "launch" for t in s.tasks) - body
        r = build_report(s, cfg, level)
        assert r["kernel_launches"] == outside + trips * body
        assert r["latency_us"] >= r["lower_bounds"]["latency_us"] > 0
        reports[trips] = r
    assert reports[6]["latency_us"] > reports[2]["latency_us"]
    assert reports[6]["lower_bounds"]["latency_us"] > reports[2]["lower_bounds"]["latency_us"]


@pytest.mark.parametrize("level", [0, 3])
def test_kv_cache_is_one_state_buffer_updated_in_place(level: int) -> None:
    """The KV cache is allocated once for all iterations: the update_slice launch writes the
    buffer it reads as dest (in place), that buffer is the cache output's, and the device
    arenas (outputs, activations) are the same size for 2 and 8 iterations."""
    sizes = {}
    for trips in (2, 8):
        s = _compile(_text("kv", trips), level)
        (upd,) = [t for t in s.tasks if t.kernel and "update_slice" in t.kernel]
        first, last, _ = s.loops[0]
        assert first <= upd.id <= last
        assert upd.outputs[0] == upd.inputs[0]
        assert s.buffers[upd.outputs[0]].binding == "output:0"
        sizes[trips] = {a.name: a.size for a in s.arenas}
    assert sizes[2] == sizes[8]


@pytest.mark.parametrize("level", [0, 3])
def test_update_slice_moves_only_the_update(level: int) -> None:
    """The in-place update_slice kernel's HBM bytes (task_profile) are the update's read and
    write plus the index, not the 16-row cache's."""
    s = _compile(_text("kv", 3), level)
    cfg = load_config("910B2")
    (upd,) = [t for t in s.tasks if t.kernel and "update_slice" in t.kernel]
    cache_bytes = s.buffers[upd.inputs[0]].bytes
    update_bytes = 1 * 4 * 4
    profile = task_profile(s, upd, cfg)
    assert s.kernels[upd.kernel].bytes == 2 * update_bytes + 8
    assert profile.min_hbm_bytes == 2 * update_bytes + 8
    assert profile.hbm_bytes <= profile.min_hbm_bytes < cache_bytes


def test_expanded_and_json_keep_loops() -> None:
    """Schedule.expanded() unrolls each loop (trips copies of its tasks in a row, ids dense,
    no loops left); a JSON round trip keeps ``loops``; expanded() of a loop-free schedule is
    itself."""
    trips = 4
    s = _compile(_text("kv", trips), 3)
    first, last, _ = s.loops[0]
    size = last - first + 1
    e = s.expanded()
    assert e.loops == []
    assert len(e.tasks) == len(s.tasks) + (trips - 1) * size
    assert [t.id for t in e.tasks] == list(range(len(e.tasks)))
    for k in range(trips):
        chunk = e.tasks[first + k * size : first + (k + 1) * size]
        assert [t.kernel for t in chunk] == [t.kernel for t in s.tasks[first : last + 1]]
    after = e.tasks[first + trips * size :]
    assert [t.kernel for t in after] == [t.kernel for t in s.tasks[last + 1 :]]
    e.validate()
    back = Schedule.loads(s.dumps())
    assert back.loops == s.loops == [[first, last, trips]]
    assert json.loads(s.dumps())["loops"] == [[first, last, trips]]
    assert back.expanded().to_json() == e.to_json()
    assert _compile(_text("kv", 1), 3).loops[0][2] == 1  # a 1-trip loop is still a loop
    no_loop = replace(s, loops=[])
    assert no_loop.expanded() is no_loop


@pytest.mark.parametrize(
    "loops",
    [
        [[5, 3, 2]],  # first > last
        [[0, 10_000, 2]],  # beyond the tasks
        [[-1, 2, 2]],  # negative
        [[1, 2, 0]],  # trips 0
        [[1, 2]],  # not a triple
        [[1, 3, 2], [3, 4, 2]],  # overlapping
        [[4, 5, 2], [1, 2, 2]],  # out of order
    ],
)
def test_validate_refuses_malformed_loops(loops: list[list[int]]) -> None:
    """validate() (and so Schedule.loads) refuses a ``loops`` entry that is not an in-order,
    non-overlapping [first, last, trips >= 1] range of existing tasks."""
    s = _compile(_text("kv", 2), 0)
    bad = replace(s, loops=loops)
    with pytest.raises(GeError, match=r"malformed schedule: loop"):
        bad.validate()
    data = json.loads(s.dumps())
    data["loops"] = loops
    with pytest.raises(GeError, match=r"malformed schedule: loop"):
        Schedule.from_json(data)


def _long_loop() -> tuple[Schedule, int]:
    """The accumulator at ge-O0 (one stream) with 600 iterations: 4 body launches each, so
    2400+ launches run on stream 0, beyond the 910B2's 2013 tasks per stream."""
    trips = 600
    s = _compile(_text("accumulate", trips), 0)
    resident = sum(t.kind == "launch" for t in s.tasks)
    body = sum(t.kind == "launch" for t in _loop_tasks(s))
    return s, resident + (trips - 1) * body


def test_device_limits_apply_to_the_resident_schedule() -> None:
    """max_tasks_per_stream counts a loop's tasks once (they are resident once, however often
    they run): a loop of trips x body launches beyond the limit still simulates and reports
    (resident weights), while a limit below the resident count is refused."""
    s, ran = _long_loop()
    cfg = load_config("910B2")
    assert len(s.streams) == 1 and ran > cfg.max_tasks_per_stream
    assert simulate(s, cfg).latency_us > 0
    s.weights_resident = True
    assert build_report(s, cfg, 0)["kernel_launches"] == ran
    resident = sum(t.kind == "launch" for t in s.tasks)
    with pytest.raises(GeError, match="per stream"):
        simulate(s, replace(cfg, max_tasks_per_stream=resident - 1))


def test_report_with_weights_copied_applies_limits_to_the_resident_schedule() -> None:
    """With weights copied per inference (not resident), build_report of the long loop works
    too: the exposed-transfer re-simulation must not count the unrolled tasks."""
    s, ran = _long_loop()
    s.weights_resident = False
    r = build_report(s, load_config("910B2"), 0)
    assert r["kernel_launches"] == ran and r["exposed_transfer_us"] >= 0


def test_two_loops_in_one_function() -> None:
    """Two loops in a row (the second reading the first's result in its body) give two
    ordered, disjoint ranges with their own trips, and compute what the interpreter does."""
    text = f"""
    func.func @f(%x: {T}) -> {T} {{
      %r = graph.loop(%x) {{trip_count = 2 : i64}} : ({T}) -> ({T}) {{
      ^bb0(%i: tensor<i64>, %a: {T}):
        %n = graph.tanh %a : {T}
        graph.yield %n : {T}
      }}
      %s = graph.loop(%r) {{trip_count = 3 : i64}} : ({T}) -> ({T}) {{
      ^bb0(%i: tensor<i64>, %a: {T}):
        %n = graph.sigmoid %a : {T}
        %m = graph.add %n, %r : {T}, {T} -> {T}
        graph.yield %m : {T}
      }}
      func.return %s : {T}
    }}
    """
    for level in (0, 3):
        s = _compile(text, level)
        assert [x[2] for x in s.loops] == [2, 3]
        assert s.loops[0][1] < s.loops[1][0]
        assert check(parse_module(text), s).passed


# --------------------------------------------------------------------------- known bugs

PASS_THROUGH = f"""
func.func @f(%x: {T}, %y: {T}) -> ({T}, {T}) {{
  %r, %s = graph.loop(%x, %y) {{trip_count = 4 : i64}} : ({T}, {T}) -> ({T}, {T}) {{
  ^bb0(%i: tensor<i64>, %a: {T}, %b: {T}):
    %n = graph.add %a, %b : {T}, {T} -> {T}
    graph.yield %b, %n : {T}, {T}
  }}
  func.return %r, %s : {T}, {T}
}}
"""


@pytest.mark.parametrize("level", [0, 3])
def test_yielding_a_carried_argument_compiles(level: int) -> None:
    """A body that yields a carried block argument (a Fibonacci-style shift: next a = b)
    compiles and computes what the interpreter computes."""
    s = _compile(PASS_THROUGH, level)
    assert check(parse_module(PASS_THROUGH), s).passed
