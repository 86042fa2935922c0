"""Named parameter data for ``graph.weight`` ops.

IR never carries weight data inline (a ``graph.weight`` is only a name and a type), so something
has to supply the numbers when a model is executed. A ``WeightStore`` holds named numpy arrays,
loaded from an ``.npz`` file or given in memory; a weight it does not hold is generated
deterministically from ``(seed, name)``. That way every model in the zoo runs, and every
differential test is reproducible, without downloading a checkpoint: the same seed and name give
the same array in every process and on every machine (the name is hashed with ``zlib.crc32``,
never with Python's salted ``hash()``).

Generated floats are ``normal / sqrt(fan_in)`` with ``fan_in = prod(shape[1:])`` (Kaiming-like
for the ``[out, in]`` / OIHW layouts), which keeps activations of deep random models in a sane
range instead of overflowing f16. Integer weights are small non-negative ints (in ``[0, 8)``)
and i1 weights random booleans. Arrays handed out are read-only: the interpreter may return
views of them, and a caller writing into one must not change the model.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from os import PathLike

import numpy as np
from xdsl.dialects.builtin import TensorType

from ge_compiler.dialects.shapes import DYN, fmt
from ge_compiler.dtypes import numpy_dtype
from ge_compiler.errors import GeError

GENERATED_INT_BOUND = 8
"""Generated integer weights lie in ``[0, GENERATED_INT_BOUND)``: valid as small indices."""


class WeightStore:
    """Named arrays for ``graph.weight``; missing names are generated from ``(seed, name)``."""

    def __init__(self, arrays: Mapping[str, np.ndarray] | None = None, seed: int = 0):
        if not isinstance(seed, int) or seed < 0:
            raise GeError(f"weight seed must be a non-negative integer, got {seed!r}")
        self.seed = seed
        self._arrays: dict[str, np.ndarray] = {}
        for name, array in (arrays or {}).items():
            self._arrays[name] = _frozen(np.array(array, copy=True))

    @classmethod
    def from_npz(cls, path: str | PathLike[str], seed: int = 0) -> WeightStore:
        """Load every array of an ``.npz`` file (as written by ``save_npz`` or ``np.savez``)."""
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {name: _frozen(npz[name]) for name in npz.files}
        except (OSError, ValueError, zipfile.BadZipFile) as e:
            raise GeError(f"cannot read weights from '{path}': {e}") from None
        store = cls(seed=seed)
        store._arrays = arrays
        return store

    def save_npz(self, path: str | PathLike[str]) -> None:
        """Write every array, generated ones included, so a run can be reproduced elsewhere.

        The archive is written entry by entry rather than with ``np.savez(path, **arrays)``,
        which would swallow weights named ``file`` or ``allow_pickle`` and append ``.npz``.
        """
        try:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
                for name, array in self._arrays.items():
                    buffer = io.BytesIO()
                    np.lib.format.write_array(buffer, array, allow_pickle=False)
                    archive.writestr(f"{name}.npy", buffer.getvalue())
        except OSError as e:
            raise GeError(f"cannot write weights to '{path}': {e.strerror}") from None

    def get(self, name: str, type: TensorType) -> np.ndarray:
        """The (read-only) array for ``name``, which must match ``type`` exactly."""
        shape, dtype = type.get_shape(), numpy_dtype(type.get_element_type())
        if DYN in shape:
            raise GeError(f"weight '{name}' has dynamic type {type}; weights must be static")
        array = self._arrays.get(name)
        if array is None:
            array = self._arrays[name] = _frozen(self._generate(name, shape, dtype))
        elif array.shape != shape or array.dtype != dtype:
            raise GeError(
                f"weight '{name}': expected shape {fmt(shape)} ({dtype}) for {type}, "
                f"got shape {fmt(array.shape)} ({array.dtype})"
            )
        return array

    def _generate(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
        if dtype == np.bool_:
            return rng.integers(0, 2, size=shape).astype(np.bool_)
        if np.issubdtype(dtype, np.integer):
            return rng.integers(0, GENERATED_INT_BOUND, size=shape).astype(dtype)
        fan_in = math.prod(shape[1:]) or 1
        return (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(dtype)

    def __contains__(self, name: object) -> bool:
        return name in self._arrays

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)  # numpy hands back scalars for rank-0 shapes
    array.flags.writeable = False
    return array
