"""The independent memory-plan checker: hand-made bad plans are rejected with messages naming
both buffers, and the sweep finds exactly the overlapping live pairs a brute force finds."""

from __future__ import annotations

import itertools
from collections import namedtuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ge_compiler.device.plan_check import Conflicts, Intervals, check_plan, raise_on_violation
from ge_compiler.errors import GeError

Live = namedtuple("Live", "start end")


def test_valid_plan():
    # b0 and b2 share bytes but never live together; b1 sits above both.
    sizes, offsets = [512, 1024, 512], [0, 512, 0]
    assert check_plan(sizes, offsets, 1536, [(0, 2), (1, 4), (3, 5)], 512) == []
    assert check_plan(sizes, offsets, 1536, [[1], [0, 2], [1]], 512) == []
    assert check_plan(sizes, offsets, 1536, [Live(0, 2), Live(1, 4), Live(3, 5)], 512) == []
    raise_on_violation(sizes, offsets, 1536, Intervals([(0, 2), (1, 4), (3, 5)]), 512)


def test_overlap_of_live_buffers_names_both():
    sizes, offsets = [512, 1024], [0, 256]
    errors = check_plan(sizes, offsets, 2048, [(0, 3), (2, 5)], 256, names=["x", "y"])
    assert errors == [
        "buffer 0 (x) [0, 512) overlaps buffer 1 (y) [256, 1280) while both are live (steps 2..3)"
    ]
    errors = check_plan(sizes, offsets, 2048, Conflicts([[1], []]), 256)
    assert errors == [
        "buffer 0 [0, 512) overlaps buffer 1 [256, 1280) and they may be live at the same time"
    ]


def test_touching_is_not_overlap():
    assert check_plan([512, 512], [0, 512], 1024, [(0, 1), (0, 1)], 512) == []
    assert check_plan([512, 512], [0, 0], 512, [(0, 1), (2, 3)], 512) == []
    # Inclusive steps: [0, 1] and [1, 2] are both live at step 1.
    assert len(check_plan([512, 512], [0, 0], 512, [(0, 1), (1, 2)], 512)) == 1


def test_misaligned_and_out_of_arena():
    errors = check_plan([100, 600], [64, 512], 1024, [[], []], 512, names=["a", "b"])
    assert errors == [
        "buffer 0 (a): offset 64 is not a multiple of the alignment 512",
        "buffer 1 (b): bytes [512, 1112) lie outside the arena [0, 1024)",
    ]
    errors = check_plan([8], [-8], 64, [(0, 0)], 8)
    assert errors == ["buffer 0: bytes [-8, 0) lie outside the arena [0, 64)"]


def test_malformed_inputs_are_violations():
    assert check_plan([8, 8], [0], 16, [[], []]) == ["1 offsets for 2 buffers"]
    assert check_plan([0], [0], 16, [[]]) == ["buffer 0: size 0 is not positive"]
    assert check_plan([8], [0], 16, [[4]]) == [
        "buffer 0: conflict list names buffer 4, but there are 1"
    ]
    assert check_plan([8], [0], 16, [(3, 1)]) == [
        "buffer 0: live range ends at step 1 before it starts at 3"
    ]


def test_ambiguous_liveness_is_refused():
    with pytest.raises(ValueError, match="not a mix"):
        check_plan([8, 8], [0, 8], 16, [(0, 1), [0]])


def test_all_overlaps_are_reported_even_after_the_first():
    # a covers b and c; b and c are disjoint. Once a-b overlap, the sweep may not stop early.
    sizes, offsets = [100, 10, 10], [0, 10, 50]
    errors = check_plan(sizes, offsets, 100, [(0, 9), (1, 9), (2, 9)], names=list("abc"))
    assert len(errors) == 2
    assert "buffer 0 (a) [0, 100) overlaps buffer 1 (b) [10, 20)" in errors[0]
    assert "buffer 0 (a) [0, 100) overlaps buffer 2 (c) [50, 60)" in errors[1]


def test_raise_on_violation():
    with pytest.raises(GeError, match=r"invalid arena act: buffer 0 \[0, 512\) overlaps buffer 1"):
        raise_on_violation([512, 512], [0, 0], 512, [(0, 1), (1, 2)], 512, what="arena act")
    many = [(0, 1)] * 8
    with pytest.raises(GeError, match=r"\(and 23 more\)"):
        raise_on_violation([8] * 8, [0] * 8, 8, many, 8)


plans = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 40), min_size=n, max_size=n),
        st.lists(st.integers(0, 60), min_size=n, max_size=n),
        st.lists(
            st.tuples(st.integers(0, 10), st.integers(0, 4)).map(lambda t: (t[0], t[0] + t[1])),
            min_size=n,
            max_size=n,
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(plans)
def test_sweep_finds_exactly_the_overlapping_live_pairs(plan):
    sizes, offsets, ranges = plan
    n = len(sizes)
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(n), 2)
        if max(ranges[i][0], ranges[j][0]) <= min(ranges[i][1], ranges[j][1])
        and offsets[i] < offsets[j] + sizes[j]
        and offsets[j] < offsets[i] + sizes[i]
    }
    errors = check_plan(sizes, offsets, 100, Intervals(ranges))
    found = {
        (int(e.split()[1]), int(e.split(" overlaps buffer ")[1].split()[0]))
        for e in errors
        if "overlaps" in e
    }
    assert found == expected
    assert len(errors) == len(expected)  # each pair once; nothing out of arena, aligned by 1
    adj = [[j for j in range(n) if j != i and (min(i, j), max(i, j)) in expected] for i in range(n)]
    assert len(check_plan(sizes, offsets, 100, Conflicts(adj))) == len(expected)
