"""ge-bench compile-time, fusion, memory and streams on small inputs: the tables, the JSON,
the checks they make.

Wall-clock figures are never asserted (benchmarks/README.md records them); only the structure
of the results and the compiler facts behind them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ge_compiler.compiler import compile_module, count_ops
from ge_compiler.device.ordering import check_ordering
from ge_compiler.models import build_model
from ge_compiler.pipelines import pipeline_spec
from ge_compiler.tools.ge_bench import (
    _transformer_graph,
    compile_with_and_without_reuse,
    graph_compute_ops,
    main,
    random_dag,
)


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
    assert row["graph_pipeline_s_O3"] > 0
    if not pipeline_spec(0, lower=False):  # ge-O0 may run no graph pass at all
        assert row["graph_pipeline_s_O0"] == 0
    assert "ops/launch" in out and "transformer-tiny" in out


def test_fusion_unknown_model(capsys) -> None:
    code, _, err = run(["fusion", "--models", "nope"], capsys)
    assert code == 1
    assert err.startswith("ge-bench: error: unknown model")


# ---------------------------------------------------------------------- memory, streams


def print_module(module) -> str:
    return str(module)


def test_random_dag_is_reproducible_and_branchy() -> None:
    for i in range(3):
        module = random_dag(7, i)
        assert print_module(module) == print_module(random_dag(7, i))
        ops = graph_compute_ops(module)
        assert 30 <= ops <= 200
        # several consumers of one value (branches) somewhere
        assert any(sum(1 for _ in r.uses) > 1 for op in module.walk() for r in op.results)
    assert print_module(random_dag(7, 0)) != print_module(random_dag(7, 1))
    hints = [op for i in range(5) for op in random_dag(3, i).walk() if "stream_id" in op.attributes]
    assert hints


def test_one_compile_with_and_without_reuse_is_compile_module() -> None:
    o3, no_reuse, _ = compile_with_and_without_reuse(build_model("transformer-tiny"), "t")
    assert o3.dumps() == compile_module(build_model("transformer-tiny"), 3, "t").schedule.dumps()
    act = {a.name: a.size for a in o3.arenas}["activations"]
    act_none = {a.name: a.size for a in no_reuse.arenas}["activations"]
    assert act < act_none
    # without plan-memory every activation buffer has bytes of its own
    bufs = [b for b in no_reuse.buffers if b.arena == "activations"]
    assert act_none >= sum(b.bytes for b in bufs)
    for s in (o3, no_reuse):
        check_ordering(s)


def test_memory_small(tmp_path: Path, capsys) -> None:
    path = tmp_path / "m.json"
    args = ["memory", "--models", "transformer-tiny", "--random", "3", "--seed", "1"]
    code, out, err = run([*args, "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    (row,) = data["rows"]
    assert row["model"] == "transformer-tiny"
    assert row["peak_bytes"] == sum(row["arena_bytes"].values())
    assert row["peak_bytes"] >= row["bound_bytes"] > 0  # the bound is a bound
    assert row["peak/bound"] == pytest.approx(row["peak_bytes"] / row["bound_bytes"])
    assert row["peak/bound"] == pytest.approx(row["peak/arenas_live"] * row["arenas_live/bound"])
    assert row["activations_live_aligned"] >= row["activations_live_bound"] > 0
    assert row["reuse_factor"] == pytest.approx(
        row["no_reuse_activations_bytes"] / row["activations_bytes"]
    )
    assert row["reuse_factor"] > 1
    rnd = data["random"]
    assert rnd["instances"] == 3 and len(rnd["rows"]) == 3
    assert [r["instance"] for r in rnd["rows"]] == [0, 1, 2]
    for r in rnd["rows"]:
        assert r["peak/bound"] >= 1 and 0 < r["activations/no_reuse"] <= 1
    assert rnd["summary"]["peak/bound"]["max"] >= rnd["summary"]["peak/bound"]["mean"]
    assert data["ordering_failures"] == []
    assert "peak/bound" in out and "check_ordering failures: 0" in out


def test_streams_small(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.json"
    code, out, err = run(["streams", "--models", "transformer-tiny", "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    o0, o3 = data["rows"]
    assert (o0["level"], o3["level"]) == ("O0", "O3")
    for r in (o0, o3):
        assert r["latency_us"] >= r["bound_us"] > 0
        assert r["latency/bound"] == pytest.approx(r["latency_us"] / r["bound_us"])
        assert r["host_latency_us"] >= r["host_bound_us"] >= r["host_link_bound_us"] > 0
        # weights copied from the host cost time that resident weights do not
        assert r["exposed_transfer_us"] > 0 and r["host_latency_us"] > r["latency_us"]
        assert r["streams"] >= 1 and r["launches"] >= 1
        assert 0 < r["util_overall"] <= 1
    assert o3["launches"] <= o0["launches"]
    assert data["ordering_failures"] == []
    assert "latency/bound" in out and "exposed_transfer_us" in out


def test_streams_unknown_model(capsys) -> None:
    code, _, err = run(["streams", "--models", "nope"], capsys)
    assert code == 1
    assert err.startswith("ge-bench: error: unknown model")


def test_multimodal_tiny_json(tmp_path: Path, capsys) -> None:
    """ge-bench multimodal --tiny --json: exit 0, both levels with the report keys, the
    comparison table and the verdicts printed (no wall-clock thresholds)."""
    path = tmp_path / "mm.json"
    code, out, err = run(["multimodal", "--tiny", "--requests", "2", "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    assert set(data) == {"baseline", "optimized"}
    keys = {
        "model", "opt_level", "device", "latency_us", "throughput_qps", "requests",
        "kernel_launches", "streams_used", "events", "hbm_bytes", "peak_memory_bytes",
        "energy_j", "utilization", "lower_bounds", "kernels", "compile_seconds",
    }  # fmt: skip
    for level, report in ((0, data["baseline"]), (3, data["optimized"])):
        assert keys <= set(report), keys - set(report)
        assert report["model"] == "multimodal-tiny" and report["opt_level"] == level
        assert report["requests"] == 2 and report["device"] == "910B2"
        assert report["latency_us"] >= report["lower_bounds"]["latency_us"] > 0
        assert report["kernel_launches"] == len(report["kernels"]) > 0
    assert data["baseline"]["streams_used"] == 1  # ge-O0 is one stream
    assert data["optimized"]["kernel_launches"] < data["baseline"]["kernel_launches"]
    assert "multimodal-tiny on 910B2, one step, ControlNet branch taken" in out
    assert "kernel launches" in out and "latency_us: O3/O0" in out


def test_llm_tiny_json(tmp_path: Path, capsys) -> None:
    """ge-bench llm --tiny --json: exit 0, the three reports (prefill, cached decode loop, one
    uncached window step) with their keys and consistent bounds, the table printed (no
    wall-clock thresholds)."""
    path = tmp_path / "llm.json"
    code, out, err = run(["llm", "--tiny", "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(path.read_text())
    assert set(data) == {
        "config", "kv_cache_bytes", "prefill", "decode_cached", "decode_uncached_step",
    }  # fmt: skip
    assert data["config"] == {"tiny": True, "prompt": 6, "steps": 4, "max_len": 16}
    assert data["kv_cache_bytes"] == 2 * 2 * 1 * 2 * 16 * 8 * 4  # k+v, layers, B, Hkv, M, D, f32
    keys = {
        "model", "opt_level", "latency_us", "kernel_launches", "hbm_bytes", "peak_memory_bytes",
        "lower_bounds", "arena_bytes",
    }  # fmt: skip
    for name in ("prefill", "decode_cached", "decode_uncached_step"):
        report = data[name]
        assert keys <= set(report), (name, keys - set(report))
        assert report["opt_level"] == 3
        assert report["latency_us"] >= report["lower_bounds"]["latency_us"] > 0
        assert "kernels" not in report
    dec = data["decode_cached"]
    assert dec["kernel_launches"] > 4 * 2 * 2  # 4 steps of at least the 2 layers' k/v updates
    assert "decode 4 steps, KV cache (ms)" in out and "cache speed-up" in out


def test_multimodal_steps_tiny(tmp_path) -> None:
    """`--steps N` runs the denoising loop: N times the step's launches, both levels."""
    from click.testing import CliRunner

    from ge_compiler.tools.ge_bench import cli

    out = tmp_path / "mm.json"
    result = CliRunner().invoke(cli, ["multimodal", "--tiny", "--steps", "2", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 denoising steps" in result.output
    data = json.loads(out.read_text())
    assert data["optimized"]["kernel_launches"] < data["baseline"]["kernel_launches"]


def test_video_tiny(tmp_path) -> None:
    from click.testing import CliRunner

    from ge_compiler.tools.ge_bench import cli

    out = tmp_path / "video.json"
    result = CliRunner().invoke(cli, ["video", "--tiny", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) >= {"O0", "O3_one_stream", "O3", "frames"}
    assert "pipelining the stages across streams" in result.output
