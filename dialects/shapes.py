"""Shape rules of the graph dialect, shared by the op verifiers and the GraphBuilder.

One function per op family computes the result shape from operand shapes and attributes, so
the verifier (which checks a declared result type) and the builder (which infers it) can never
disagree. Dynamic dimensions are xDSL's ``DYNAMIC_INDEX``; a rule that meets one keeps it
dynamic instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DYNAMIC_INDEX

DYN = DYNAMIC_INDEX

Shape = tuple[int, ...]


class ShapeError(ValueError):
    """An operand shape or attribute that no valid op could have."""


def fmt(shape: Sequence[int]) -> str:
    """Render a shape the way MLIR writes it: ``2x?x4`` (``scalar`` for rank 0)."""
    if not shape:
        return "scalar"
    return "x".join("?" if d == DYN else str(d) for d in shape)


def dims_compatible(a: int, b: int) -> bool:
    return a == b or a == DYN or b == DYN


def shapes_compatible(a: Sequence[int], b: Sequence[int]) -> bool:
    return len(a) == len(b) and all(dims_compatible(x, y) for x, y in zip(a, b, strict=True))


def numel(shape: Sequence[int]) -> int | None:
    """Element count, or None when a dimension is dynamic."""
    n = 1
    for d in shape:
        if d == DYN:
            return None
        n *= d
    return n


def normalize_axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"{what} {axis} is out of range for rank {rank}")
    return axis % rank


def broadcast(a: Sequence[int], b: Sequence[int]) -> Shape:
    """Numpy broadcasting; a dynamic dim against 1 stays dynamic, against n becomes n."""
    rank = max(len(a), len(b))
    pa = (1,) * (rank - len(a)) + tuple(a)
    pb = (1,) * (rank - len(b)) + tuple(b)
    out = []
    for x, y in zip(pa, pb, strict=True):
        if x == y:
            out.append(x)
        elif x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x == DYN:
            out.append(y)
        elif y == DYN:
            out.append(x)
        else:
            raise ShapeError(f"shapes {fmt(a)} and {fmt(b)} do not broadcast")
    return tuple(out)


def matmul(
    a: Sequence[int], b: Sequence[int], transpose_a: bool, transpose_b: bool, batched: bool
) -> Shape:
    """``[..., M, K] @ [..., K, N]``; batch dims broadcast unless ``batched`` demands equality."""
    if len(a) < 2 or len(b) < 2:
        raise ShapeError(f"operands must have rank >= 2, got {fmt(a)} and {fmt(b)}")
    if batched and (len(a) < 3 or len(a) != len(b)):
        raise ShapeError(f"operands must have the same rank >= 3, got {fmt(a)} and {fmt(b)}")
    m, k = (a[-1], a[-2]) if transpose_a else (a[-2], a[-1])
    k2, n = (b[-1], b[-2]) if transpose_b else (b[-2], b[-1])
    if not dims_compatible(k, k2):
        raise ShapeError(f"contraction dims differ: {fmt(a)} and {fmt(b)} ({k} vs {k2})")
    if batched:
        if not shapes_compatible(a[:-2], b[:-2]):
            raise ShapeError(f"batch dims differ: {fmt(a)} and {fmt(b)}")
        batch = tuple(x if x != DYN else y for x, y in zip(a[:-2], b[:-2], strict=True))
    else:
        batch = broadcast(a[:-2], b[:-2])
    return (*batch, m, n)


def check_window_attrs(**attrs: Sequence[int]) -> None:
    """Window attributes: 2 entries (4 for padding); strides/dilations/kernels >= 1, pads >= 0."""
    for name, values in attrs.items():
        want = 4 if name == "padding" else 2
        if len(values) != want:
            raise ShapeError(f"{name} must have {want} entries, got {len(values)}")
        low = 0 if name == "padding" else 1
        if any(v < low for v in values):
            raise ShapeError(f"{name} entries must be >= {low}, got {list(values)}")


def window_out(size: int, kernel: int, stride: int, pad_lo: int, pad_hi: int, dilation: int) -> int:
    if DYN in (size, kernel):
        return DYN
    span = dilation * (kernel - 1) + 1
    out = (size + pad_lo + pad_hi - span) // stride + 1
    if out < 1:
        dilated = f" (dilation {dilation})" if dilation != 1 else ""
        raise ShapeError(
            f"window of {kernel}{dilated} does not fit input size {size} "
            f"with padding {pad_lo}+{pad_hi}"
        )
    return out


def conv2d(
    x: Sequence[int],
    w: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    groups: int,
) -> Shape:
    """NCHW input, OIHW filter (I = C / groups), padding as (top, left, bottom, right)."""
    check_window_attrs(stride=stride, padding=padding, dilation=dilation)
    if len(x) != 4 or len(w) != 4:
        raise ShapeError(f"input and filter must be rank 4 (NCHW, OIHW), got {fmt(x)} and {fmt(w)}")
    n, c, h, wd = x
    o, i, kh, kw = w
    if groups < 1:
        raise ShapeError(f"groups must be >= 1, got {groups}")
    if c != DYN and c % groups:
        raise ShapeError(f"input channels {c} are not divisible by groups {groups}")
    if o != DYN and o % groups:
        raise ShapeError(f"output channels {o} are not divisible by groups {groups}")
    if DYN not in (c, i) and c // groups != i:
        raise ShapeError(f"filter expects {i} channels per group, input gives {c // groups}")
    oh = window_out(h, kh, stride[0], padding[0], padding[2], dilation[0])
    ow = window_out(wd, kw, stride[1], padding[1], padding[3], dilation[1])
    return (n, o, oh, ow)


def pool2d(
    x: Sequence[int], kernel: Sequence[int], stride: Sequence[int], padding: Sequence[int]
) -> Shape:
    check_window_attrs(kernel=kernel, stride=stride, padding=padding)
    if len(x) != 4:
        raise ShapeError(f"input must be rank 4 (NCHW), got {fmt(x)}")
    n, c, h, w = x
    oh = window_out(h, kernel[0], stride[0], padding[0], padding[2], 1)
    ow = window_out(w, kernel[1], stride[1], padding[1], padding[3], 1)
    return (n, c, oh, ow)


def reduce(x: Sequence[int], axes: Sequence[int], keepdims: bool) -> Shape:
    rank = len(x)
    norm = sorted({normalize_axis(a, rank) for a in axes})
    if len(norm) != len(axes):
        raise ShapeError(f"axes {list(axes)} name a dimension twice")
    if keepdims:
        return tuple(1 if i in norm else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in norm)


def transpose(x: Sequence[int], perm: Sequence[int]) -> Shape:
    if sorted(perm) != list(range(len(x))):
        raise ShapeError(f"permutation {list(perm)} is not a permutation of rank {len(x)}")
    return tuple(x[p] for p in perm)


def concat(shapes: Sequence[Sequence[int]], axis: int) -> Shape:
    if not shapes:
        raise ShapeError("needs at least one input")
    rank = len(shapes[0])
    ax = normalize_axis(axis, rank)
    total = 0
    for s in shapes:
        if len(s) != rank:
            raise ShapeError(f"inputs have different ranks: {fmt(shapes[0])} and {fmt(s)}")
        for i, (d0, d) in enumerate(zip(shapes[0], s, strict=True)):
            if i != ax and not dims_compatible(d0, d):
                raise ShapeError(f"inputs differ outside axis {ax}: {fmt(shapes[0])} and {fmt(s)}")
        total = DYN if DYN in (total, s[ax]) else total + s[ax]
    out = list(shapes[0])
    out[ax] = total
    return tuple(out)


def slice_(
    x: Sequence[int], start: Sequence[int], limit: Sequence[int], step: Sequence[int]
) -> Shape:
    """Static strided slice, one (start, limit, step) per dim; limits are clamped like numpy."""
    if not len(start) == len(limit) == len(step) == len(x):
        raise ShapeError(f"start/limit/step must each have {len(x)} entries (the input rank)")
    out = []
    for d, s, e, k in zip(x, start, limit, step, strict=True):
        if k < 1:
            raise ShapeError(f"step must be >= 1, got {k}")
        if s < 0 or e < s:
            raise ShapeError(f"slice [{s}, {e}) is not a valid range")
        if d == DYN:
            out.append(DYN)
            continue
        if e > d:
            raise ShapeError(f"slice [{s}, {e}) exceeds dimension of size {d}")
        out.append(max(0, -(-(e - s) // k)))
    return tuple(out)


def gather(data: Sequence[int], indices: Sequence[int], axis: int) -> Shape:
    ax = normalize_axis(axis, len(data))
    return (*data[:ax], *indices, *data[ax + 1 :])


def reshape_ok(x: Sequence[int], y: Sequence[int]) -> bool:
    nx, ny = numel(x), numel(y)
    return nx is None or ny is None or nx == ny
