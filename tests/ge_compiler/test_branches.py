"""graph.if end to end: the reference interpreter takes the right branch, compiled schedules
compute what the interpreter computes for both condition values (random small graphs), and
the device model counts and times only the branch taken (launches, latency, lower bound).

The lit tests (lit_tests/dialects/graph/if*.mlir, lit_tests/passes/*/..._branches.mlir,
graph_to_stream_if.mlir) pin the IR of each pass; here the compiled graphs are *run*.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ge_compiler.compiler import compile_module
from ge_compiler.device.config import load_config
from ge_compiler.device.functional import check, execute
from ge_compiler.errors import GeError
from ge_compiler.interpreter import random_inputs, run_function
from ge_compiler.ir import parse_module
from ge_compiler.report import build_report
from ge_compiler.schedule import Schedule, Task
from ge_compiler.weights import WeightStore

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SELECT = """
func.func @f(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
    graph.yield %a : tensor<4xf32>
  } else {
    %b = graph.neg %x : tensor<4xf32>
    graph.yield %b : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
"""


# --------------------------------------------------------------------------- interpreter


@pytest.mark.parametrize("cond", [True, False, np.array([True]), np.array([False])])
def test_interpreter_takes_the_selected_branch(cond) -> None:
    """run_if runs the then branch on true, the else branch on false."""
    text = SELECT
    if isinstance(cond, np.ndarray):
        text = text.replace("%c: tensor<i1>", "%c: tensor<1xi1>").replace(
            ": tensor<i1> ->", ": tensor<1xi1> ->"
        )
    x = np.array([0.5, -1.0, 2.0, 0.0], np.float32)
    (got,) = run_function(parse_module(text), [np.asarray(cond), x])
    taken = bool(np.asarray(cond).reshape(-1)[0])
    np.testing.assert_allclose(got, np.exp(x) if taken else -x, rtol=1e-6)


def test_interpreter_runs_only_the_taken_branch() -> None:
    """The branch not taken is not evaluated: a shape-invalid runtime reshape there is harmless
    as long as it is not taken, and the nested graph.if follows its own condition."""
    text = """
    func.func @f(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
      %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
        %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
          %a = graph.relu %x : tensor<4xf32>
          graph.yield %a : tensor<4xf32>
        } else {
          %w = graph.weight "w" : tensor<4xf32>
          %b = graph.add %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
          graph.yield %b : tensor<4xf32>
        }
        graph.yield %i : tensor<4xf32>
      } else {
        graph.yield %x : tensor<4xf32>
      }
      func.return %r : tensor<4xf32>
    }
    """
    module = parse_module(text)
    x = np.array([1.0, -2.0, 3.0, -4.0], np.float32)
    ws = WeightStore({"w": np.full(4, 10.0, np.float32)})
    t, f = np.array(True), np.array(False)
    np.testing.assert_array_equal(run_function(module, [t, t, x], ws)[0], np.maximum(x, 0))
    np.testing.assert_array_equal(run_function(module, [t, f, x], ws)[0], x + 10)
    np.testing.assert_array_equal(run_function(module, [f, t, x], ws)[0], x)
    np.testing.assert_array_equal(run_function(module, [f, f, x], ws)[0], x)


# --------------------------------------------------------------------------- random graphs

UNARY = ("relu", "tanh", "sigmoid", "neg", "abs", "gelu")
BINARY = ("add", "sub", "mul", "maximum", "minimum")


class _Gen:
    """MLIR text of a random function with one graph.if on a runtime condition input."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows, self.cols = rng.choice([(4, 8), (2, 16), (8, 8)])
        self.t = f"tensor<{self.rows}x{self.cols}xf32>"
        self.n = 0
        self.weights = 0

    def fresh(self) -> str:
        self.n += 1
        return f"%v{self.n}"

    def op(self, pool: list[str], lines: list[str], indent: str) -> str:
        rng, t, out = self.rng, self.t, self.fresh()
        hint = f" {{stream_id = {rng.randint(0, 2)} : i64}}" if rng.random() < 0.2 else ""
        kind = rng.random()
        a = rng.choice(pool)
        if kind < 0.4:
            lines.append(f"{indent}{out} = graph.{rng.choice(UNARY)} {a}{hint} : {t}")
        elif kind < 0.75:
            b = rng.choice(pool)
            lines.append(
                f"{indent}{out} = graph.{rng.choice(BINARY)} {a}, {b}{hint} : {t}, {t} -> {t}"
            )
        elif kind < 0.9:
            self.weights += 1
            w, wt = self.fresh(), f"tensor<{self.cols}x{self.cols}xf32>"
            lines.append(f'{indent}{w} = graph.weight "w{self.weights}" : {wt}')
            lines.append(f"{indent}{out} = graph.matmul {a}, {w}{hint} : {t}, {wt} -> {t}")
        else:
            lines.append(f"{indent}{out} = graph.softmax {a} {{axis = 1 : i64}} : {t}")
        return out

    def function(self) -> str:
        rng, t = self.rng, self.t
        n_in = rng.randint(1, 3)
        cond_at = rng.randint(0, n_in)
        args = [f"%x{i}: {t}" for i in range(n_in)]
        args.insert(cond_at, "%c: tensor<i1>")
        outer = [f"%x{i}" for i in range(n_in)]
        body: list[str] = []
        for _ in range(rng.randint(0, 3)):
            outer.append(self.op(outer, body, "  "))
        n_res = rng.randint(1, 2)
        branches = []
        for _ in range(2):
            lines: list[str] = []
            pool = list(outer)
            for _ in range(rng.randint(0, 4)):
                pool.append(self.op(pool, lines, "    "))
            # yield mostly branch values, sometimes an outer one
            yielded = [
                pool[-1 - min(k, len(pool) - 1)] if rng.random() < 0.8 else rng.choice(outer)
                for k in range(n_res)
            ]
            lines.append(f"    graph.yield {', '.join(yielded)} : {', '.join([t] * n_res)}")
            branches.append(lines)
        res = [self.fresh() for _ in range(n_res)]
        body.append(
            f"  {', '.join(res)} = graph.if %c : tensor<i1> -> ({', '.join([t] * n_res)}) {{"
        )
        body += branches[0]
        body.append("  } else {")
        body += branches[1]
        body.append("  }")
        after = list(res)
        for _ in range(rng.randint(0, 2)):
            after.append(self.op([*after, *outer], body, "  "))
        outs = [after[-1]] + ([res[0]] if rng.random() < 0.3 and after[-1] != res[0] else [])
        body.append(f"  func.return {', '.join(outs)} : {', '.join([t] * len(outs))}")
        sig = f"func.func @f({', '.join(args)}) -> ({', '.join([t] * len(outs))}) {{"
        return "\n".join([sig, *body, "}"])


def random_if_function(seed: int) -> str:
    return _Gen(random.Random(seed)).function()


def cond_index(module) -> int:
    fn = next(iter(module.ops))
    return next(i for i, a in enumerate(fn.body.block.args) if a.name_hint == "c")


def _inputs_with(module, cond: bool, seed: int = 0) -> list[np.ndarray]:
    fn = next(iter(module.ops))
    inputs = random_inputs(fn, seed)
    inputs[cond_index(module)] = np.array(cond)
    return inputs


@SETTINGS
@given(seed=st.integers(0, 2**31 - 1), level=st.sampled_from([0, 1, 2, 3]))
def test_random_graphs_with_a_branch_compile_and_compute(seed: int, level: int) -> None:
    """For random graphs with a graph.if, the compiled schedule computes what the reference
    interpreter computes on the uncompiled graph, for the random condition of ``check`` and for
    both condition values explicitly (``execute`` skips the untaken branch's launches)."""
    text = random_if_function(seed)
    original = parse_module(text)
    schedule = compile_module(parse_module(text), level).schedule
    result = check(original, schedule)
    assert result.passed, (text, result.message)
    ws = WeightStore(seed=1)
    for cond in (True, False):
        inputs = _inputs_with(original, cond)
        expected = run_function(original, inputs, ws)
        got = execute(schedule, inputs, ws, order="program")
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5, err_msg=text)
        assert check(original, schedule, inputs=inputs, weights=ws).passed, (text, cond)


def test_random_generator_makes_branches_with_work() -> None:
    """The generator is not degenerate: over a few seeds some branches hold kernels."""
    marked = 0
    for seed in range(6):
        schedule = compile_module(parse_module(random_if_function(seed)), 3).schedule
        marked += sum(t.cond is not None for t in schedule.tasks)
    assert marked > 0


# --------------------------------------------------------------------------- handwritten

HEAVY_THEN = """
func.func @f(%x: tensor<256x1024xf32>, %c: tensor<i1>) -> tensor<256x1024xf32> {
  %w = graph.weight "w" : tensor<1024x1024xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<256x1024xf32>) {
    %a = graph.matmul %x, %w : tensor<256x1024xf32>, tensor<1024x1024xf32> -> tensor<256x1024xf32>
    %b = graph.matmul %a, %w : tensor<256x1024xf32>, tensor<1024x1024xf32> -> tensor<256x1024xf32>
    %d = graph.matmul %b, %w : tensor<256x1024xf32>, tensor<1024x1024xf32> -> tensor<256x1024xf32>
    graph.yield %d : tensor<256x1024xf32>
  } else {
    %n = graph.relu %x : tensor<256x1024xf32>
    graph.yield %n : tensor<256x1024xf32>
  }
  %o = graph.tanh %r : tensor<256x1024xf32>
  func.return %o : tensor<256x1024xf32>
}
"""


def _launches(schedule: Schedule, pred) -> int:
    return sum(1 for t in schedule.tasks if t.kind == "launch" and pred(t))


@pytest.mark.parametrize("level", [0, 3])
def test_report_counts_and_times_only_the_branch_taken(level: int) -> None:
    """build_report(conditions={i: False}) counts the else branch's launches plus the
    unconditional ones; skipping the heavy then branch lowers latency and the latency bound;
    no conditions means the then branch."""
    s = compile_module(parse_module(HEAVY_THEN), level).schedule
    cfg = load_config("910B2")
    then = _launches(s, lambda t: t.cond == [1, 1])
    other = _launches(s, lambda t: t.cond == [1, 0])
    always = _launches(s, lambda t: t.cond is None)
    assert then >= 1 and other >= 1 and always >= 2  # where + tanh at least
    on = build_report(s, cfg, level, conditions={1: True})
    off = build_report(s, cfg, level, conditions={1: False})
    default = build_report(s, cfg, level)
    assert on["kernel_launches"] == then + always
    assert off["kernel_launches"] == other + always
    assert default["kernel_launches"] == on["kernel_launches"]
    assert default["latency_us"] == on["latency_us"]
    assert off["latency_us"] < on["latency_us"]
    assert off["lower_bounds"]["latency_us"] < on["lower_bounds"]["latency_us"]
    assert off["lower_bounds"]["cube_us"] == 0 < on["lower_bounds"]["cube_us"]
    assert off["hbm_bytes"] < on["hbm_bytes"]
    for r in (on, off):
        assert r["latency_us"] >= r["lower_bounds"]["latency_us"]
    names = {k["name"] for k in off["kernels"]}
    assert not any("matmul" in n for n in names)


def test_execute_skips_untaken_launches_on_other_streams() -> None:
    """Branch launches pinned to other streams are skipped without deadlock in every order,
    and the result is the taken branch's."""
    text = """
    func.func @f(%c: tensor<i1>, %x: tensor<8x16xf32>) -> tensor<8x16xf32> {
      %e = graph.exp %x : tensor<8x16xf32>
      %r = graph.if %c : tensor<i1> -> (tensor<8x16xf32>) {
        %a = graph.relu %e {stream_id = 1 : i64} : tensor<8x16xf32>
        %b = graph.tanh %a {stream_id = 2 : i64} : tensor<8x16xf32>
        graph.yield %b : tensor<8x16xf32>
      } else {
        %n = graph.neg %e {stream_id = 2 : i64} : tensor<8x16xf32>
        graph.yield %e : tensor<8x16xf32>
      }
      %o = graph.add %r, %e : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
      func.return %o : tensor<8x16xf32>
    }
    """
    original = parse_module(text)
    s = compile_module(parse_module(text), 3).schedule
    assert len(s.streams) >= 2
    x = np.linspace(-2, 2, 128, dtype=np.float32).reshape(8, 16)
    for cond in (True, False):
        inputs = [np.array(cond), x]
        assert check(original, s, inputs=inputs).passed
        (got,) = execute(s, inputs, order="program")
        e = np.exp(x)
        want = (np.tanh(np.maximum(e, 0)) if cond else e) + e
        np.testing.assert_allclose(got, want, rtol=1e-5)
    cfg = load_config("910B2")
    for cond in (True, False):
        r = build_report(s, cfg, 3, conditions={0: cond})
        assert r["latency_us"] > 0


def test_execute_does_not_run_the_untaken_branch(monkeypatch) -> None:
    """execute runs exactly the tasks of the branch taken (plus the unconditional ones): the
    untaken branch's launches never execute."""
    from ge_compiler.device import functional

    s = compile_module(parse_module(HEAVY_THEN.replace("256x1024", "4x1024")), 3).schedule
    ran: list[int] = []
    real = functional._run_task
    monkeypatch.setattr(
        functional, "_run_task", lambda sch, t, *a: (ran.append(t.id), real(sch, t, *a))
    )
    x = np.ones((4, 1024), np.float32)
    for cond in (True, False):
        ran.clear()
        execute(s, [x, np.array(cond)])
        want = {t.id for t in s.tasks if t.cond is None or t.cond == [1, int(cond)]}
        assert set(ran) == want


def test_schedule_runs_follows_cond() -> None:
    """Schedule.runs: no cond always runs; [i, v] runs when input i is v; unknown is true."""
    s = Schedule("m", "f", [], [], {}, [], 0)
    always = Task(0, "launch", 0, [], [], kernel="k")
    then = Task(1, "launch", 0, [], [], kernel="k", cond=[2, 1])
    other = Task(2, "launch", 0, [], [], kernel="k", cond=[2, 0])
    assert s.runs(always, {2: False}) and s.runs(always, None)
    assert s.runs(then, None) and not s.runs(other, None)
    assert s.runs(then, {2: True}) and not s.runs(then, {2: False})
    assert s.runs(other, {2: False}) and not s.runs(other, {2: True})
    assert s.runs(then, {0: False}) and not s.runs(other, {0: False})  # another input


def test_lowering_rejects_a_condition_that_is_not_an_input() -> None:
    """compile_module: a computed condition is a located GeError, not a crash."""
    text = """
    func.func @f(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
      %c = graph.cast %s : tensor<f32> -> tensor<i1>
      %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
        %a = graph.exp %x : tensor<4xf32>
        graph.yield %a : tensor<4xf32>
      } else {
        graph.yield %x : tensor<4xf32>
      }
      func.return %r : tensor<4xf32>
    }
    """
    with pytest.raises(GeError, match="the condition must be an input of the function"):
        compile_module(parse_module(text), 3)


def test_constant_condition_is_pruned_before_lowering() -> None:
    """At ge-O1 and above, prune inlines a constant-condition branch, so it compiles (and no
    task is conditional); at ge-O0 (no prune) it is the lowering error."""
    text = SELECT.replace("%c: tensor<i1>, ", "").replace(
        "  %r = graph.if", "  %c = graph.constant dense<false> : tensor<i1>\n  %r = graph.if"
    )
    original = parse_module(text)
    s = compile_module(parse_module(text), 1).schedule
    assert all(t.cond is None for t in s.tasks)
    x = np.array([1.0, -2.0, 3.0, 0.5], np.float32)
    (got,) = execute(s, [x])
    np.testing.assert_array_equal(got, -x)
    assert check(original, s).passed
    with pytest.raises(GeError, match="condition must be an input"):
        compile_module(parse_module(text), 0)


def test_nested_if_is_a_lowering_error() -> None:
    """A nested graph.if compiles to a clear GeError (not lowered yet)."""
    text = """
    func.func @f(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
      %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
        %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
          %a = graph.exp %x : tensor<4xf32>
          graph.yield %a : tensor<4xf32>
        } else {
          graph.yield %x : tensor<4xf32>
        }
        graph.yield %i : tensor<4xf32>
      } else {
        graph.yield %x : tensor<4xf32>
      }
      func.return %r : tensor<4xf32>
    }
    """
    with pytest.raises(GeError, match="nested graph.if is not lowered yet"):
        compile_module(parse_module(text), 3)


# --------------------------------------------------------------------------- known bugs

SIBLINGS_AROUND_IF = """
func.func @f(%c: tensor<i1>, %x: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>) {
  %w1 = graph.weight "w1" : tensor<256x256xf32>
  %w2 = graph.weight "w2" : tensor<256x256xf32>
  %a = graph.matmul %x, %w1 : tensor<64x256xf32>, tensor<256x256xf32> -> tensor<64x256xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<64x256xf32>) {
    %u = graph.relu %a : tensor<64x256xf32>
    graph.yield %u : tensor<64x256xf32>
  } else {
    graph.yield %x : tensor<64x256xf32>
  }
  %b = graph.matmul %x, %w2 : tensor<64x256xf32>, tensor<256x256xf32> -> tensor<64x256xf32>
  func.return %r, %b : tensor<64x256xf32>, tensor<64x256xf32>
}
"""


def defined_before_use(module) -> bool:
    """Every operand of every op is a block argument or the result of an op that comes
    earlier in the same block or in an enclosing one (dominance in single-block regions)."""
    seen = set()

    def walk_block(block) -> bool:
        seen.update(block.args)
        for op in block.ops:
            if any(v not in seen for v in op.operands):
                return False
            for region in op.regions:
                for inner in region.blocks:
                    if not walk_block(inner):
                        return False
            seen.update(op.results)
        return True

    return all(walk_block(b) for f in module.ops for r in f.regions for b in r.blocks)


def test_horizontal_fusion_keeps_values_used_in_a_branch_defined_first() -> None:
    """Sibling matmuls around a graph.if whose branch reads the first one's result: fusion
    keeps the IR valid (the value defined before the branch), and the compiled schedule
    computes what the interpreter computes for both conditions."""
    from xdsl.passes import PassPipeline

    from ge_compiler.ir import make_context
    from ge_compiler.passes import get_all_passes

    fused = parse_module(SIBLINGS_AROUND_IF)
    PassPipeline.parse_spec(get_all_passes(), "fuse").apply(make_context(), fused)
    assert defined_before_use(fused)
    original = parse_module(SIBLINGS_AROUND_IF)
    schedule = compile_module(parse_module(SIBLINGS_AROUND_IF), 3).schedule
    for cond in (True, False):
        assert check(original, schedule, inputs=_inputs_with(original, cond)).passed
