"""The video workload: three stages on three streams, pipelined, and correct."""

from __future__ import annotations

from ge_compiler.compiler import compile_module
from ge_compiler.device.functional import check
from ge_compiler.models.video import TINY, build_video


def test_stages_run_on_their_streams_and_compute_the_reference() -> None:
    schedule = compile_module(build_video(TINY), 3, "video").schedule
    assert set(schedule.streams) >= {0, 1, 2}
    assert check(build_video(TINY), schedule).passed


def test_pipelining_beats_one_stream() -> None:
    """The same ge-O3 graph with its stages on one stream is slower than pipelined."""
    from ge_compiler.tools.bench_video import video_reports

    r = video_reports(tiny=True, device="910B2")
    assert r["O3"]["latency_us"] < r["O3_one_stream"]["latency_us"] < r["O0"]["latency_us"]
    assert r["O3"]["streams_used"] >= 3 and r["O3_one_stream"]["streams_used"] == 1
