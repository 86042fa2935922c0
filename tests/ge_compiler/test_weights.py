"""WeightStore: deterministic generated weights, npz round trips, type checking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    BFloat16Type,
    IntegerType,
    TensorType,
    f16,
    f32,
    i32,
)

from ge_compiler.errors import GeError
from ge_compiler.weights import WeightStore

names = st.text(min_size=1, max_size=20)
shapes = st.lists(st.integers(1, 5), max_size=3).map(tuple)


@settings(max_examples=30, deadline=None)
@given(name=names, other=names, shape=shapes, seed=st.integers(0, 2**32))
def test_generated_weights_are_deterministic(
    name: str, other: str, shape: tuple[int, ...], seed: int
) -> None:
    t = TensorType(f32, shape)
    a = WeightStore(seed=seed).get(name, t)
    assert np.array_equal(a, WeightStore(seed=seed).get(name, t))
    assert a.shape == shape and a.dtype == np.float32
    if other != name and a.size > 1:
        assert not np.array_equal(a, WeightStore(seed=seed).get(other, t))
    if a.size > 1:
        assert not np.array_equal(a, WeightStore(seed=seed + 1).get(name, t))


def test_generated_weights_do_not_depend_on_python_hash_seed() -> None:
    code = (
        "from xdsl.dialects.builtin import TensorType, f32\n"
        "from ge_compiler.weights import WeightStore\n"
        "print(WeightStore(seed=7).get('blocks.0.attn.q', TensorType(f32, (4, 4))).tobytes().hex())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    here = WeightStore(seed=7).get("blocks.0.attn.q", TensorType(f32, (4, 4)))
    assert out.stdout.strip() == here.tobytes().hex()


def test_gets_are_cached_and_read_only() -> None:
    store = WeightStore()
    t = TensorType(f32, (3, 2))
    a = store.get("w", t)
    assert store.get("w", t) is a
    assert "w" in store and list(store) == ["w"] and len(store) == 1
    with pytest.raises(ValueError):
        a[0, 0] = 1.0


def test_generated_values_keep_activations_tame() -> None:
    store = WeightStore(seed=1)
    conv = store.get("conv.w", TensorType(f32, (64, 16, 3, 3)))
    assert abs(conv.std() * np.sqrt(16 * 9) - 1) < 0.1
    assert abs(conv.mean()) < 0.01
    bias = store.get("conv.b", TensorType(f32, (256,)))
    assert 0.8 < bias.std() < 1.2  # fan_in of a vector is 1
    half = store.get("proj", TensorType(f16, (8, 8)))
    assert half.dtype == np.float16 and np.isfinite(half).all()


def test_generated_dtypes() -> None:
    store = WeightStore()
    bf16 = store.get("a", TensorType(BFloat16Type(), (4,)))
    ints = store.get("b", TensorType(i32, (100,)))
    flags = store.get("c", TensorType(IntegerType(1), (100,)))
    assert bf16.dtype == np.float32  # numpy has no bf16: computed in f32
    assert ints.dtype == np.int32 and 0 <= ints.min() and ints.max() < 8
    assert flags.dtype == np.bool_ and 0 < flags.sum() < 100


def test_given_arrays_are_copied_and_checked() -> None:
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    store = WeightStore({"enc.w": w})
    w[0, 0] = 100  # the store took a copy
    got = store.get("enc.w", TensorType(f32, (2, 3)))
    assert got[0, 0] == 0
    with pytest.raises(GeError, match=r"weight 'enc\.w'.*expected shape 3x2.*got shape 2x3"):
        store.get("enc.w", TensorType(f32, (3, 2)))
    with pytest.raises(GeError, match=r"weight 'enc\.w'.*float16.*float32"):
        store.get("enc.w", TensorType(f16, (2, 3)))
    with pytest.raises(GeError, match="static"):
        store.get("dyn", TensorType(f32, (DYNAMIC_INDEX, 3)))
    with pytest.raises(GeError, match="seed"):
        WeightStore(seed=-1)


def test_npz_round_trip(tmp_path: Path) -> None:
    arrays = {
        "encoder.layers.0/w": np.arange(6, dtype=np.float16).reshape(3, 2),
        "file": np.array([1, 2, 3], dtype=np.int64),  # would clash with np.savez's parameters
        "allow_pickle": np.array([True, False]),
    }
    store = WeightStore(arrays, seed=5)
    generated = store.get("head.w", TensorType(f32, (2, 2)))
    path = tmp_path / "weights.bin"  # no .npz suffix: saved exactly where asked
    store.save_npz(path)
    assert path.exists()
    loaded = WeightStore.from_npz(path)
    assert sorted(loaded) == sorted([*arrays, "head.w"])
    for name, array in arrays.items():
        got = loaded.get(name, TensorType(_ir_type(array), array.shape))
        assert got.dtype == array.dtype and np.array_equal(got, array)
    assert np.array_equal(loaded.get("head.w", TensorType(f32, (2, 2))), generated)
    # np.savez files written by other tools load too
    np.savez(tmp_path / "plain.npz", w=np.ones((2,), dtype=np.float32))
    plain = WeightStore.from_npz(tmp_path / "plain.npz")
    assert plain.get("w", TensorType(f32, (2,))).tolist() == [1.0, 1.0]


def test_npz_errors(tmp_path: Path) -> None:
    with pytest.raises(GeError, match="cannot read weights"):
        WeightStore.from_npz(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    bad.write_text("not a zip")
    with pytest.raises(GeError, match="cannot read weights"):
        WeightStore.from_npz(bad)
    with pytest.raises(GeError, match="cannot write weights"):
        WeightStore().save_npz(tmp_path / "no" / "such" / "dir.npz")


def _ir_type(array: np.ndarray) -> object:
    return {np.float16: f16, np.int64: IntegerType(64), np.bool_: IntegerType(1)}[array.dtype.type]
