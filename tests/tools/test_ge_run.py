"""ge-run: reports with their bounds, JSON keys, .mlir input, diagnostics without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ge_compiler.device.config import load_config
from ge_compiler.schedule import Schedule
from ge_compiler.tools.ge_run import main

GOOD = """\
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.relu %0 : tensor<4x16xf32>
  func.return %1 : tensor<4x16xf32>
}
"""
SHAPE_ERROR = """\
func.func @main(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  func.return %0 : tensor<4x16xf32>
}
"""
SYNTAX_ERROR = """\
func.func @main(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.relu %a : tensor<4x8xf32
  func.return %0 : tensor<4x8xf32>
}
"""
REPORT_KEYS = {
    "model", "opt_level", "device", "latency_us", "kernel_launches", "streams_used", "hbm_bytes",
    "peak_memory_bytes", "utilization", "lower_bounds", "throughput_qps", "requests", "energy_j",
    "energy_breakdown_j", "stream_busy_us", "kernels",
}  # fmt: skip


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """ge-run in-process: exit code, stdout, stderr."""
    code = 0
    try:
        main(args)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def check_report(r: dict) -> None:
    assert REPORT_KEYS <= set(r)
    assert set(r["utilization"]) >= {"cube", "vector", "hbm", "overall"}
    assert set(r["lower_bounds"]) >= {"latency_us", "memory_bytes"}
    for v in r["utilization"].values():
        assert 0.0 <= v <= 1.0
    assert r["latency_us"] > 0
    assert r["latency_us"] >= r["lower_bounds"]["latency_us"]
    assert r["peak_memory_bytes"] >= r["lower_bounds"]["memory_bytes"] > 0
    assert r["kernel_launches"] > 0 and r["streams_used"] >= 1 and r["hbm_bytes"] > 0
    assert r["requests"] >= 1
    # QPS of pipelined requests is at least that of one request after another
    assert r["throughput_qps"] * (1 + 1e-9) >= 1e6 / r["latency_us"]
    # in host mode, the first task starts only once its launch call has returned
    if r["launch_mode"] == "host":
        first = min(k["start_us"] for k in r["kernels"])
        assert first >= load_config(r["device"]).host_launch_us
    assert r["energy_j"] > 0
    parts = r["energy_breakdown_j"]
    assert all(v >= 0 for v in parts.values())
    assert (
        r["energy_j"]
        == parts["total_j"]
        == pytest.approx(sum(v for k, v in parts.items() if k != "total_j"))
    )
    assert len(r["kernels"]) == r["kernel_launches"]
    for k in r["kernels"]:
        assert k["cores"] >= 1 and k["bound"] in ("compute", "memory")
        assert 0 <= k["start_us"] <= k["end_us"] <= r["latency_us"]


def test_model_json_report(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.json"
    code, out, err = run(["--model", "transformer-tiny", "--json", str(path)], capsys)
    assert code == 0, err
    r = json.loads(path.read_text())
    check_report(r)
    assert r["model"] == "transformer-tiny"
    assert r["opt_level"] == 3
    assert r["device"] == "910B2"
    assert r["requests"] == 8  # the default
    assert "latency" in out and "lower bound" in out
    assert "throughput (8 req)" in out and "energy" in out


def test_requests_give_throughput(tmp_path: Path, capsys) -> None:
    one, four = tmp_path / "1.json", tmp_path / "4.json"
    args = ["-m", "transformer-tiny", "--launch-mode", "sink"]
    assert run([*args, "--requests", "1", "--json", str(one)], capsys)[0] == 0
    code, out, err = run([*args, "--requests", "4", "--json", str(four)], capsys)
    assert code == 0, err
    r1, r4 = json.loads(one.read_text()), json.loads(four.read_text())
    check_report(r4)
    assert (r1["requests"], r4["requests"]) == (1, 4)
    assert r1["throughput_qps"] == pytest.approx(1e6 / r1["latency_us"])
    assert r4["latency_us"] == r1["latency_us"]  # latency is one request's
    assert r4["throughput_qps"] >= r1["throughput_qps"]
    assert "throughput (4 req)" in out


def test_requests_must_be_positive(capsys) -> None:
    code, _, err = run(["-m", "transformer-tiny", "--requests", "0"], capsys)
    assert code == 2 and "Traceback" not in err and "--requests" in err


def test_trace_output(tmp_path: Path, capsys) -> None:
    tpath, spath = tmp_path / "t.json", tmp_path / "s.json"
    code, _, err = run(
        ["-m", "transformer-tiny", "--trace", str(tpath), "--schedule", str(spath)], capsys
    )
    assert code == 0, err
    s = Schedule.loads(spath.read_text())
    events = json.loads(tpath.read_text())["traceEvents"]
    complete = [e for e in events if e["ph"] == "X"]
    assert len(complete) == len(s.tasks)
    tracks = [e for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
    assert len(tracks) == len(s.streams) + len(s.dma_queues)


def test_check_passes_on_transformer_tiny(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.json"
    code, out, err = run(["-m", "transformer-tiny", "--check", "--json", str(path)], capsys)
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith("check O3:")]
    assert len(lines) == 1 and "match" in lines[0]
    r = json.loads(path.read_text())
    check_report(r)
    assert r["check"]["passed"] is True
    assert r["check"]["max_abs_err"] <= 1e-3


def test_no_check_line_without_check(capsys) -> None:
    code, out, _ = run(["-m", "transformer-tiny", "--requests", "1"], capsys)
    assert code == 0 and "check O" not in out


def test_resident_weights_drop_weight_copies(tmp_path: Path, capsys) -> None:
    full, resident = tmp_path / "f.json", tmp_path / "r.json"
    args = ["-m", "transformer-tiny", "--requests", "1"]
    assert run([*args, "--host-weights", "--json", str(full)], capsys)[0] == 0
    assert run([*args, "--json", str(resident)], capsys)[0] == 0  # resident is the default
    f, r = json.loads(full.read_text()), json.loads(resident.read_text())
    check_report(r)
    assert r["host_link_bytes"] < f["host_link_bytes"]
    assert r["latency_us"] < f["latency_us"]
    assert r["lower_bounds"]["host_link_us"] <= f["lower_bounds"]["host_link_us"]


def test_several_levels(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.json"
    code, out, err = run(
        ["-m", "transformer-tiny", "-O0", "-O3", "--json", str(path), "-d", "910B4"], capsys
    )
    assert code == 0, err
    data = json.loads(path.read_text())
    assert set(data) == {"reports"}
    assert [r["opt_level"] for r in data["reports"]] == [0, 3]
    for r in data["reports"]:
        check_report(r)
        assert r["device"] == "910B4"
    assert "O0" in out and "O3" in out


def test_sink_mode_and_schedule_output(tmp_path: Path, capsys) -> None:
    rpath, spath = tmp_path / "r.json", tmp_path / "s.json"
    args = ["-m", "transformer-tiny", "--launch-mode", "sink", "--json", str(rpath)]
    code, _, err = run([*args, "--schedule", str(spath)], capsys)
    assert code == 0, err
    r = json.loads(rpath.read_text())
    check_report(r)
    assert r["launch_mode"] == "sink"
    s = Schedule.loads(spath.read_text())
    assert sum(1 for t in s.tasks if t.kind == "launch") == r["kernel_launches"]


def test_mlir_file_input(tmp_path: Path, capsys) -> None:
    src = tmp_path / "net.mlir"
    src.write_text(GOOD)
    path = tmp_path / "r.json"
    code, _, err = run([str(src), "--json", str(path), "-O0"], capsys)
    assert code == 0, err
    r = json.loads(path.read_text())
    check_report(r)
    assert r["model"] == "net"
    assert r["kernel_launches"] == 2


def test_list_models(capsys) -> None:
    code, out, _ = run(["--list-models"], capsys)
    assert code == 0
    from ge_compiler.models import MODELS

    assert out.split() == list(MODELS)
    assert {"transformer", "transformer-tiny"} <= set(MODELS)


def single_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "error:" in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SHAPE_ERROR, r"^bad\.mlir:2:3: error: graph\.matmul: contraction dims differ"),
        (SYNTAX_ERROR, r"^bad\.mlir:3:3: error: "),
    ],
    ids=["shape", "syntax"],
)
def test_bad_mlir_reports_location(tmp_path: Path, capsys, monkeypatch, text, expected) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.mlir").write_text(text)
    code, _, err = run(["bad.mlir"], capsys)
    assert code == 1
    assert err.splitlines()[0] == single_error_line(err)
    assert re.match(expected, err.splitlines()[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nope"], "ge-run: error: unknown model 'nope'"),
        (["-m", "transformer-tiny", "-d", "nodev"], "ge-run: error: unknown device 'nodev'"),
        ([], "ge-run: error: give exactly one of --model NAME or a .mlir FILE"),
        (["x.mlir", "-m", "transformer-tiny"], "ge-run: error: give exactly one of"),
        (["missing.mlir"], "ge-run: error: cannot read 'missing.mlir'"),
    ],
    ids=["unknown-model", "unknown-device", "nothing", "both", "missing-file"],
)
def test_errors_exit_1_with_one_line(args, message, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(args, capsys)
    assert code == 1
    assert single_error_line(err).startswith(message)


def test_bad_device_config_file(tmp_path: Path, capsys) -> None:
    cfg = tmp_path / "chip.json"
    cfg.write_text('{"name": "chip"}')
    code, _, err = run(["-m", "transformer-tiny", "-d", str(cfg)], capsys)
    assert code == 1
    assert "missing keys" in single_error_line(err)


def test_bad_option_is_a_usage_error(capsys) -> None:
    code, _, err = run(["-m", "transformer-tiny", "-O7"], capsys)
    assert code == 2
    assert "Traceback" not in err and "-O" in err


def ge_run_command() -> list[str]:
    script = Path(sys.executable).with_name("ge-run")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ge_compiler.tools.ge_run"]


def test_console_script(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    done = subprocess.run(
        [*ge_run_command(), "--model", "transformer-tiny", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    check_report(json.loads(path.read_text()))
    bad = subprocess.run(
        [*ge_run_command(), "--model", "nope"], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("ge-run: error: unknown model")
    assert "Traceback" not in bad.stderr


def test_timing_table_per_level_and_passes_in_json(tmp_path: Path, capsys) -> None:
    from ge_compiler.pipelines import pipeline_spec

    path = tmp_path / "r.json"
    args = ["-m", "transformer-tiny", "-O0", "-O3", "--json", str(path)]
    code, out, err = run([*args, "--timing"], capsys)
    assert code == 0, err
    code, plain_out, plain_err = run(args, capsys)
    assert code == 0 and plain_err == ""
    assert out == plain_out  # the report table is unchanged; the timing goes to stderr
    reports = json.loads(path.read_text())["reports"]
    tables = err.split("// transformer-tiny ")[1:]
    assert [t.splitlines()[0] for t in tables] == ["O0", "O3"]
    for r, table in zip(reports, tables, strict=True):
        names = [p["name"] for p in r["passes"]]
        assert names == [p.split("{")[0] for p in pipeline_spec(r["opt_level"]).split(",")]
        assert set(r["passes"][0]) == {"name", "seconds", "ops_before", "ops_after"}
        for prev, nxt in zip(r["passes"], r["passes"][1:], strict=False):
            assert prev["ops_after"] == nxt["ops_before"]
        assert all(p["seconds"] >= 0 for p in r["passes"])
        assert r["compile_seconds"] == pytest.approx(
            sum(p["seconds"] for p in r["passes"]), abs=1e-3
        )
        lines = table.splitlines()
        rows = [ln.split() for ln in lines[2:] if ln and not ln.startswith(("-", "total"))]
        assert [row[0] for row in rows] == names
        assert [int(row[2]) for row in rows] == [p["ops_before"] for p in r["passes"]]
        assert [int(row[4]) for row in rows] == [p["ops_after"] for p in r["passes"]]
        total = next(ln for ln in lines if ln.startswith("total"))
        first, last = r["passes"][0]["ops_before"], r["passes"][-1]["ops_after"]
        assert total.endswith(f"{first} -> {last}")
