"""ONNX node-test conformance of the ONNX frontend: pass rate per op and overall, both routes.

    python benchmarks/onnx_conformance.py [--route interp|o3|both] [--op Conv] [--failures]

Cases come from ONNX's own test generators (cached, see ge_compiler.frontends.onnx_conformance).
A case counts when every op in it has a converter; it passes when its outputs match ONNX's
expected outputs, is "rejected" when the importer refuses a feature with a clean GeError
(dtype, attribute, dynamic shape) and fails otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import defaultdict


def main(argv: list[str] | None = None) -> int:
    from ge_compiler.frontends.onnx_conformance import (
        ROUTES,
        case_names,
        classify,
        load_case,
        supported,
    )

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--route", choices=[*ROUTES, "both"], default="both")
    p.add_argument("--op", help="Only cases containing this op type.")
    p.add_argument("--failures", action="store_true", help="List failing cases with reasons.")
    p.add_argument("--json", help="Write the results here.")
    args = p.parse_args(argv)
    routes = ROUTES if args.route == "both" else (args.route,)
    warnings.simplefilter("ignore")
    t0 = time.time()
    per_op: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: {r: defaultdict(int) for r in routes}
    )
    details: dict[str, dict[str, tuple[str, str]]] = {}
    n_total = 0
    for name in case_names():
        case = load_case(name)
        n_total += 1
        if not supported(case) or (args.op and args.op not in case.op_types):
            continue
        details[name] = {}
        for route in routes:
            status, detail = classify(case, route)
            details[name][route] = (status, detail)
            for op in case.op_types:
                per_op[op][route][status] += 1
    print(f"{'op':26}" + "".join(f"{r + ' pass/fail/rej':>22}" for r in routes))
    for op in sorted(per_op):
        row = "".join(
            f"{per_op[op][r]['pass']:>12}/{per_op[op][r]['fail']}/{per_op[op][r]['rejected']:<6}"
            for r in routes
        )
        print(f"{op:26}{row}")
    print(f"\n{n_total} node-test cases, {len(details)} with only supported ops "
          f"({len(per_op)} op types); {time.time() - t0:.1f} s")  # fmt: skip
    for r in routes:
        st = [d[r][0] for d in details.values()]
        n = len(st) or 1
        print(
            f"route {r:6}: pass {st.count('pass')}/{len(st)} ({100 * st.count('pass') / n:.1f}%)"
            f", fail {st.count('fail')}, rejected {st.count('rejected')}"
        )
    if args.failures:
        for name, d in details.items():
            for r, (status, detail) in d.items():
                if status != "pass":
                    print(f"{status:8} {r:6} {name}: {detail[:160]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(details, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
