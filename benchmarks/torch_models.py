"""PyTorch frontend on whole models: import time, graph size, errors vs eager, ge-O0/O3.

    HF_HUB_OFFLINE=1 python benchmarks/torch_models.py [--json out.json]

The models are the ones of tests/ge_compiler/frontends/test_torch_models.py (built in code
from configs, parameters perturbed, no downloads): GPT-2 and BERT (transformers), an SD-style
UNet (diffusers), a hand-written ConvNeXt. For each: graph ops after import, weights, import
seconds, max |error| of the reference interpreter and of the ge-O3 schedule run functionally
on the device model (both vs eager PyTorch), kernels and simulated latency at ge-O0 and ge-O3.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/ge_compiler/frontends"))


def _models() -> dict[str, Any]:
    """name -> (model, args); models whose package is missing are left out."""
    import pytest
    import test_torch_models as tm
    import torch

    g = torch.Generator().manual_seed(0)
    makers = {
        "gpt2": lambda: (tm._gpt2(), (torch.randint(0, 128, (2, 12), generator=g),)),
        "bert": lambda: (tm._bert(), (torch.randint(0, 128, (2, 10), generator=g),)),
        "unet": tm._unet,
        "convnext": lambda: (tm.perturbed(tm.ConvNeXt()), (torch.randn(2, 3, 32, 32),)),
    }
    out = {}
    for name, make in makers.items():
        try:
            out[name] = make()
        except pytest.skip.Exception as e:
            print(f"{name}: skipped ({e})", file=sys.stderr)
    return out


def measure(name: str, model: Any, args: tuple[Any, ...]) -> dict[str, Any]:
    import torch

    from ge_compiler.frontends import from_torch
    from ge_compiler.interpreter import run_function

    t0 = time.perf_counter()
    imported = from_torch(model, args)
    t_import = time.perf_counter() - t0
    with torch.no_grad():
        ref = model(*args).numpy()
    arrays = [a.numpy() for a in args]
    out = run_function(imported.module, arrays, imported.weights)[0]
    row: dict[str, Any] = {
        "model": name,
        "graph_ops": sum(1 for _ in imported.module.walk()) - 2,
        "weights": len(imported.weights),
        "import_s": round(t_import, 2),
        "err_interp": float(np.abs(out - ref).max()),
    }
    for level in ("O0", "O3"):
        run = imported.compile(level).run(arrays, functional=level == "O3")
        row[f"kernels_{level}"] = run.report["kernel_launches"]
        row[f"latency_us_{level}"] = round(run.report["latency_us"], 1)
        if level == "O3":
            row["err_O3"] = float(np.abs(run["output0"] - ref).max())
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="write the rows to this file")
    opts = ap.parse_args()
    warnings.simplefilter("ignore")
    rows = [measure(name, m, a) for name, (m, a) in _models().items()]
    cols = list(rows[0]) if rows else []
    print("  ".join(f"{c:>13}" for c in cols))
    for r in rows:
        cells = [f"{v:.2e}" if isinstance(v, float) and c.startswith("err") else str(v)
                 for c, v in r.items()]  # fmt: skip
        print("  ".join(f"{c:>13}" for c in cells))
    if opts.json:
        Path(opts.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
