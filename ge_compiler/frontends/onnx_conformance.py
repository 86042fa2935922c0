"""ONNX backend node tests as a conformance suite for the importer, on two routes.

The wheel ships the generators of ONNX's node tests, not their data, so the cases are
generated once into a cache directory (``$GE_ONNX_CACHE`` or ``~/.cache/ge-compiler/
onnx-node-tests/<onnx version>``) in ONNX's own layout (``model.onnx`` +
``test_data_set_0/{input,output}_N.pb``) and read back from there. Route ``interp`` runs the
imported module on the reference interpreter; route ``o3`` compiles it at ge-O3 and executes
the schedule on the device model in functional mode.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ge_compiler.errors import GeError

ROUTES = ("interp", "o3")


def cache_dir() -> Path:
    import onnx

    root = os.environ.get("GE_ONNX_CACHE") or Path.home() / ".cache/ge-compiler/onnx-node-tests"
    return Path(root) / f"onnx-{onnx.__version__}"


def _write_case(case: Any, out: Path) -> bool:
    """Write one case in ONNX's layout; False for cases with non-tensor inputs/outputs."""
    from onnx import numpy_helper

    model = case.model
    ios = list(model.graph.input) + list(model.graph.output)
    if any(not vi.type.HasField("tensor_type") for vi in ios) or not case.data_sets:
        return False
    inputs, outputs = case.data_sets[0]
    out.mkdir(parents=True)
    (out / "model.onnx").write_bytes(model.SerializeToString())
    data = out / "test_data_set_0"
    data.mkdir()
    for kind, arrays in (("input", inputs), ("output", outputs)):
        for j, a in enumerate(arrays):
            tp = a if not isinstance(a, np.ndarray | np.generic) else numpy_helper.from_array(a)
            (data / f"{kind}_{j}.pb").write_bytes(tp.SerializeToString())
    (out / "tolerance.txt").write_text(f"{case.rtol} {case.atol}\n")
    return True


def ensure_cases(root: Path | None = None) -> Path:
    """Generate the node test cases into the cache (once per ONNX version); return its dir."""
    import warnings

    root = root or cache_dir()
    if (root / "COMPLETE").exists():
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root.parent))
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for case in collect_testcases():
            try:
                _write_case(case, tmp / case.name)
            except Exception:  # a case the writer cannot serialize: not part of the suite
                shutil.rmtree(tmp / case.name, ignore_errors=True)
    (tmp / "COMPLETE").write_text("ok\n")
    try:
        tmp.rename(root)
    except OSError:  # another process won the race
        shutil.rmtree(tmp, ignore_errors=True)
    return root


def case_names(root: Path | None = None) -> list[str]:
    root = ensure_cases(root)
    return sorted(p.name for p in root.iterdir() if (p / "model.onnx").exists())


@dataclass
class Case:
    name: str
    model: Any
    inputs: dict[str, np.ndarray]
    outputs: list[np.ndarray]
    rtol: float
    atol: float

    @property
    def op_types(self) -> set[str]:
        return {n.op_type for n in self.model.graph.node}


def load_case(name: str, root: Path | None = None) -> Case:
    import onnx
    from onnx import numpy_helper

    d = ensure_cases(root) / name
    model = onnx.load(str(d / "model.onnx"))
    data = d / "test_data_set_0"
    ins = [numpy_helper.to_array(_tensor(p)) for p in sorted(data.glob("input_*.pb"), key=_idx)]
    outs = [numpy_helper.to_array(_tensor(p)) for p in sorted(data.glob("output_*.pb"), key=_idx)]
    names = [vi.name for vi in model.graph.input]
    rtol, atol = (float(v) for v in (d / "tolerance.txt").read_text().split())
    return Case(name, model, dict(zip(names, ins, strict=True)), outs, rtol, atol)


def _idx(p: Path) -> int:
    return int(p.stem.split("_")[-1])


def _tensor(p: Path) -> Any:
    import onnx

    t = onnx.TensorProto()
    t.ParseFromString(p.read_bytes())
    return t


def import_case(case: Case) -> Any:
    """Import, binding graph inputs that must be constants (shapes, axes) to their test data."""
    from ge_compiler.frontends.onnx import from_onnx
    from ge_compiler.frontends.onnx_common import NotConstantError

    fixed: dict[str, np.ndarray] = {}
    while True:
        try:
            return from_onnx(case.model, fixed_inputs=fixed)
        except NotConstantError as e:
            if e.value_name not in case.inputs or e.value_name in fixed:
                raise
            fixed[e.value_name] = case.inputs[e.value_name]


def tolerance(dtype: np.dtype, case: Case) -> tuple[float, float]:
    if dtype == np.float16:
        return max(case.rtol, 1e-2), max(case.atol, 1e-2)
    return max(case.rtol, 1e-3), max(case.atol, 1e-5)


def compare(case: Case, got: list[np.ndarray]) -> None:
    """Raise AssertionError naming the first output that differs from ONNX's expectation."""
    if len(got) != len(case.outputs):
        raise AssertionError(f"{len(got)} outputs, expected {len(case.outputs)}")
    for i, (g, e) in enumerate(zip(got, case.outputs, strict=True)):
        g = np.asarray(g)
        if e.dtype.name == "bfloat16":  # numpy has no bf16: compare in f32 at bf16 precision
            e = e.astype(np.float32)
            rtol, atol = max(case.rtol, 1e-2), max(case.atol, 1e-2)
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, err_msg=f"output {i}")
            continue
        if g.shape != e.shape:
            raise AssertionError(f"output {i}: shape {g.shape}, expected {e.shape}")
        if np.issubdtype(e.dtype, np.floating):
            rtol, atol = tolerance(e.dtype, case)
            np.testing.assert_allclose(
                g.astype(np.float64), e.astype(np.float64), rtol=rtol, atol=atol,
                err_msg=f"output {i}",
            )  # fmt: skip
        else:
            np.testing.assert_array_equal(g, e, err_msg=f"output {i}")


def run_route(case: Case, route: str, imported: Any = None) -> list[np.ndarray]:
    """The outputs of ``case`` on ``route`` (``interp`` or ``o3``)."""
    from ge_compiler.interpreter import run_function

    imp = imported if imported is not None else import_case(case)
    inputs = [case.inputs[n] for n in imp.input_names]
    if route == "interp":
        return run_function(imp.module, inputs, imp.weights)
    result = imp.compile(opt_level="O3").run(inputs, functional=True)
    return [result[n] for n in imp.output_names]


def supported(case: Case) -> bool:
    """All the case's op types have a converter (the case is expected to import)."""
    from ge_compiler.frontends.onnx import supported_op_types

    ops = set(supported_op_types())
    return all(n.domain in ("", "ai.onnx") and n.op_type in ops for n in case.model.graph.node)


def classify(case: Case, route: str) -> tuple[str, str]:
    """(status, detail): pass, fail (wrong numbers/crash), rejected (clean GeError)."""
    try:
        imp = import_case(case)
    except GeError as e:
        return "rejected", str(e)
    except Exception as e:  # the importer crashed: a bug
        return "fail", f"import: {type(e).__name__}: {e}"
    try:
        compare(case, run_route(case, route, imp))
    except GeError as e:
        return "rejected", str(e)
    except AssertionError as e:
        return "fail", str(e).strip().splitlines()[0] if str(e).strip() else "mismatch"
    except Exception as e:  # a crash in compiler/interpreter: a bug, reported as a failure
        return "fail", f"{type(e).__name__}: {e}"
    return "pass", ""
