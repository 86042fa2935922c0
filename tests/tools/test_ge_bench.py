"""ge-bench compile-time and fusion on small inputs: the tables, the JSON, the checks they make.

Wall-clock figures are never asserted (benchmarks/README.md records them); only the structure
of the results and the compiler facts behind them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ge_compiler.compiler import count_ops
from ge_compiler.models import build_model
from ge_compiler.pipelines import pipeline_spec
from ge_compiler.tools.ge_bench import _transformer_graph, graph_compute_ops, main


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = 0
    try:
        main(args)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("target", [100, 1000, 3000])
def test_generated_graph_is_near_its_size(target: int) -> None:
    module, blocks = _transformer_graph(target)
    ops = count_ops(module)
    assert abs(ops - target) <= 46  # within one block
    assert blocks >= 1
    names = {op.name for op in module.walk()}
    assert {"graph.matmul", "graph.add", "graph.gelu", "graph.layer_norm"} <= names
    assert {"graph.reshape", "graph.transpose", "graph.softmax"} <= names
    # a DAG with fan-out: some value has several consumers
    assert any(sum(1 for _ in r.uses) > 1 for op in module.walk() for r in op.results)


def test_graph_compute_ops_skip_weights_and_constants() -> None:
    module = build_model("transformer-tiny")
    body = list(module.ops.first.body.ops)
    expected = sum(
        1
        for op in body
        if op.name.startswith("graph.") and op.name not in ("graph.weight", "graph.constant")
    )
    assert graph_compute_ops(module) == expected
    assert 0 < expected < len(body)


def test_compile_time_small(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ct.json"
    args = ["compile-time", "--sizes", "150,300", "--repeat", "1", "--no-full"]
    code, out, err = run([*args, "--workdir", str(tmp_path), "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    rows = data["rows"]
    assert [r["ops"] for r in rows] == sorted(r["ops"] for r in rows)
    for r in rows:
        assert r["a_parse_print_s"] > 0 and r["b_graph_O3_s"] > 0
        assert r["b/a"] == pytest.approx(r["b_graph_O3_s"] / r["a_parse_print_s"])
    assert rows[0]["b_growth/op"] == "-" and isinstance(rows[1]["b_growth/op"], float)
    assert data["pipeline_b"] == pipeline_spec(3, lower=False)
    passes = [p["name"] for p in data["detail"][0]["ge_opt_passes"]]
    assert passes == data["pipeline_b"].split(",")
    assert (tmp_path / "transformer-150.mlir").exists()  # --workdir keeps the inputs
    assert "b/a" in out and "ge-opt " + passes[0] in out


def test_compile_time_full_compile_and_profile(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ct.json"
    args = ["compile-time", "--sizes", "120", "--repeat", "1", "--profile", "5"]
    code, out, err = run([*args, "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    (row,) = data["rows"]
    assert row["c_full_O3_s"] > 0 and row["c_tasks"] > 0
    detail = data["detail"][0]["compile_module"]
    assert [p[0] for p in detail["passes"]][-1] == "plan-memory"
    assert len(data["profile"]) == 5
    assert "cProfile" in out


def test_compile_time_bad_sizes(capsys) -> None:
    code, _, err = run(["compile-time", "--sizes", "ten"], capsys)
    assert code == 2
    assert "--sizes" in err and "Traceback" not in err


def test_fusion_tiny(tmp_path: Path, capsys) -> None:
    path = tmp_path / "f.json"
    code, out, err = run(["fusion", "--models", "transformer-tiny", "--json", str(path)], capsys)
    assert code == 0, err
    (row,) = json.loads(path.read_text())["rows"]
    assert row["model"] == "transformer-tiny"
    assert row["graph_ops"] == graph_compute_ops(build_model("transformer-tiny"))
    assert 0 < row["launches_O3"] <= row["launches_O0"]
    assert row["ops/launch"] == pytest.approx(row["graph_ops"] / row["launches_O3"])
    for level in (0, 3):
        for tag in ("resident", "copied"):
            assert row[f"hbm_bytes_O{level}_{tag}"] > 0
            assert row[f"latency_us_O{level}_{tag}"] >= row[f"bound_us_O{level}_{tag}"] > 0
    # weights copied from the host each inference cost time; resident weights do not
    assert row["latency_us_O3_copied"] > row["latency_us_O3_resident"]
    assert row["host_link_bytes_O3_copied"] > row["host_link_bytes_O3_resident"]
    assert row["graph_pipeline_s_O0"] == 0 and row["graph_pipeline_s_O3"] > 0
    assert "ops/launch" in out and "transformer-tiny" in out


def test_fusion_unknown_model(capsys) -> None:
    code, _, err = run(["fusion", "--models", "nope"], capsys)
    assert code == 1
    assert err.startswith("ge-bench: error: unknown model")
