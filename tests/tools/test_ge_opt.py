"""ge-opt as a user runs it: file errors are located diagnostics, pass errors one line, never a
traceback; valid input runs the lowering passes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ge_compiler.ir import parse_module

GOOD = """\
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.relu %0 : tensor<4x16xf32>
  func.return %1 : tensor<4x16xf32>
}
"""
FILE_ERRORS = {
    "malformed": (
        """\
func.func @main(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.relu %a : tensor<4x8xf32
  func.return %0 : tensor<4x8xf32>
}
""",
        r"3:3: error: Expected '>'",
    ),
    "unknown-op": (
        """\
func.func @main(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.frobnicate %a : tensor<4x8xf32>
  func.return %0 : tensor<4x8xf32>
}
""",
        r"2:\d+: error: Operation graph.frobnicate is not registered",
    ),
    "shape-mismatch": (
        """\
func.func @main(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  func.return %0 : tensor<4x16xf32>
}
""",
        r"2:3: error: graph\.matmul: contraction dims differ",
    ),
    "shape-mismatch-generic": (
        """\
func.func @main(%a: tensor<3x4xf32>) -> tensor<5x7xf32> {
  %0 = "graph.reshape"(%a) : (tensor<3x4xf32>) -> tensor<5x7xf32>
  func.return %0 : tensor<5x7xf32>
}
""",
        r"2:3: error: graph\.reshape: cannot reshape 3x4",
    ),
    "type-constraint-generic": (
        """\
func.func @main(%a: tensor<3xi32>) -> tensor<3xi32> {
  %0 = "graph.exp"(%a) : (tensor<3xi32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}
""",
        r"2:3: error: graph\.exp: operand 'input' at position 0 does not verify: "
        r"Unexpected attribute i32",
    ),
}
LOCATED = re.compile(r"^\S+:\d+:\d+: error: ")


def ge_opt(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("ge-opt")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "ge_compiler.tools.ge_opt"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def assert_no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


@pytest.mark.parametrize("kind", list(FILE_ERRORS))
def test_file_errors_are_located(kind: str, tmp_path: Path) -> None:
    text, expected = FILE_ERRORS[kind]
    (tmp_path / "in.mlir").write_text(text)
    done = ge_opt("in.mlir", cwd=tmp_path)
    assert done.returncode != 0
    assert_no_traceback(done)
    first = done.stderr.splitlines()[0]
    assert LOCATED.match(first), done.stderr
    assert re.match(r"in\.mlir:" + expected, first), first
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("pipeline", "message"),
    [
        ("no-such-pass", "Unrecognized passes"),
        ("canonicalize{bogus=1}", "bogus"),
        ("cse{", "pass pipeline"),
    ],
    ids=["unknown-pass", "bad-option", "bad-spec"],
)
def test_pass_errors(pipeline: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(GOOD)
    done = ge_opt("in.mlir", "-p", pipeline, cwd=tmp_path)
    assert done.returncode != 0
    assert_no_traceback(done)
    first = done.stderr.splitlines()[0]
    assert first.startswith("ge-opt: error: "), done.stderr
    assert message in done.stderr


def test_missing_input_file(tmp_path: Path) -> None:
    done = ge_opt("absent.mlir", cwd=tmp_path)
    assert done.returncode != 0
    assert_no_traceback(done)
    assert done.stderr.startswith("ge-opt: error: ")


def test_valid_input_lowers_to_memory(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(GOOD)
    done = ge_opt(
        "in.mlir",
        "-p",
        "canonicalize,cse,convert-graph-to-stream,convert-stream-to-memory",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert "stream.kernel @main_k0_matmul" in out
    assert "memory.arena" in out and "memory.buffer" in out
    parse_module(out)  # the output reads back


def test_round_trip_without_passes(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(GOOD)
    done = ge_opt("in.mlir", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(parse_module(done.stdout)) == str(parse_module(GOOD))


def test_split_input_file_continues_after_an_error(tmp_path: Path) -> None:
    """With --verify-diagnostics a failing chunk prints its diagnostic and the run goes on."""
    bad = FILE_ERRORS["shape-mismatch"][0]
    (tmp_path / "in.mlir").write_text(GOOD + "\n// -----\n\n" + bad)
    done = ge_opt("in.mlir", "--split-input-file", "--verify-diagnostics", cwd=tmp_path)
    assert_no_traceback(done)
    assert "graph.matmul: contraction dims differ" in done.stdout
    assert "// -----" in done.stdout


def test_type_constraint_error_in_custom_form_is_located(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(
        "func.func @main(%a: tensor<3xi32>) -> tensor<3xi32> {\n"
        "  %0 = graph.exp %a : tensor<3xi32>\n"
        "  func.return %0 : tensor<3xi32>\n"
        "}\n"
    )
    done = ge_opt("in.mlir", cwd=tmp_path)
    assert done.returncode != 0
    assert_no_traceback(done)
    assert re.match(r"in\.mlir:2:\d+: error: ", done.stderr.splitlines()[0]), done.stderr


def test_type_constraint_error_keeps_the_reason(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(FILE_ERRORS["type-constraint-generic"][0])
    done = ge_opt("in.mlir", cwd=tmp_path)
    assert "Unexpected attribute i32" in done.stderr


# ------------------------------------------------------------------ --timing

TIMING_ROW = re.compile(r"^(\S+)\s+(\d+\.\d+)\s+(\d+) -> (\d+)$")
TIMING_TOTAL = re.compile(r"^total \((\d+) pass(?:es)?\)\s+(\d+\.\d+)\s+(?:(\d+) -> (\d+)|-)$")


def parse_timing(text: str) -> list[tuple[list[tuple[str, float, int, int]], tuple]]:
    """The --timing tables in ``text``: per table, its pass rows and its total line's groups."""
    tables: list[tuple[list[tuple[str, float, int, int]], tuple]] = []
    rows: list[tuple[str, float, int, int]] = []
    for line in text.splitlines():
        if line.split() == ["pass", "seconds", "ops", "before", "->", "after"]:
            rows = []
        elif m := TIMING_TOTAL.match(line):
            tables.append((rows, m.groups()))
        elif m := TIMING_ROW.match(line):
            rows.append((m[1], float(m[2]), int(m[3]), int(m[4])))
    return tables


def _pipelines() -> list[str]:
    from ge_compiler.pipelines import OPT_LEVELS, pipeline_spec

    specs = {"", "canonicalize", "dce,dce", "cse,convert-graph-to-stream"}
    for level in OPT_LEVELS:
        specs |= {pipeline_spec(level), pipeline_spec(level, lower=False)}
    return sorted(specs)


@pytest.mark.parametrize("pipeline", _pipelines())
def test_timing_table_on_stderr_for_every_pipeline(pipeline: str, tmp_path: Path) -> None:
    from ge_compiler.compiler import count_ops

    (tmp_path / "in.mlir").write_text(GOOD)
    args = ("in.mlir", "-p", pipeline) if pipeline else ("in.mlir",)
    plain = ge_opt(*args, cwd=tmp_path)
    timed = ge_opt(*args, "--timing", cwd=tmp_path)
    assert plain.returncode == timed.returncode == 0, timed.stderr
    assert timed.stdout == plain.stdout  # the IR is unchanged
    assert plain.stderr == ""
    ((rows, total),) = parse_timing(timed.stderr)
    names = [r[0] for r in rows]
    assert names == ([p.split("{")[0] for p in pipeline.split(",")] if pipeline else [])
    assert int(total[0]) == len(rows)
    assert float(total[1]) == pytest.approx(sum(r[1] for r in rows), abs=1e-3)
    if rows:
        assert rows[0][2] == count_ops(parse_module(GOOD))
        assert rows[-1][3] == count_ops(parse_module(timed.stdout))
        for prev, nxt in zip(rows, rows[1:], strict=False):
            assert prev[3] == nxt[2]
        assert (int(total[2]), int(total[3])) == (rows[0][2], rows[-1][3])
    else:
        assert total[2] is None


def test_timing_counts_nested_ops(tmp_path: Path) -> None:
    """Lowering adds kernels with bodies; their nested ops are counted."""
    (tmp_path / "in.mlir").write_text(GOOD)
    done = ge_opt("in.mlir", "-p", "convert-graph-to-stream", "--timing", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ((rows, _),) = parse_timing(done.stderr)
    module = parse_module(done.stdout)
    assert rows[0][3] == sum(1 for _ in module.walk()) - 1
    assert rows[0][3] > len(list(module.ops))  # more than the top-level ops


def test_timing_with_split_input_one_table_per_chunk(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(GOOD + "\n// -----\n\n" + GOOD)
    done = ge_opt("in.mlir", "--split-input-file", "-p", "cse,dce", "--timing", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "// chunk 0" in done.stderr and "// chunk 1" in done.stderr
    tables = parse_timing(done.stderr)
    assert [[r[0] for r in rows] for rows, _ in tables] == [["cse", "dce"]] * 2
    assert "seconds" not in done.stdout


def test_timing_with_a_failing_pipeline_is_still_one_error(tmp_path: Path) -> None:
    (tmp_path / "in.mlir").write_text(GOOD)
    done = ge_opt("in.mlir", "-p", "no-such-pass", "--timing", cwd=tmp_path)
    assert done.returncode == 1
    assert_no_traceback(done)
    assert done.stderr.startswith("ge-opt: error: ")
