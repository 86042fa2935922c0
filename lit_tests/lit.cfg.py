# lit configuration for ge-compiler's FileCheck tests.
#
# Run from the repository root with the venv's lit, e.g. `venv/bin/lit lit_tests -v`, or with
# the venv's bin on PATH: `PATH=venv/bin:$PATH lit lit_tests`. No lit.site.cfg is needed.
# ruff: noqa: F821  (`config` is injected by lit)

import os
import sys

import lit.formats

config.name = "ge-compiler"
config.test_format = lit.formats.ShTest()  # lit's internal shell: `not`, pipes, 2>&1 all work
config.suffixes = [".mlir"]
config.excludes = ["lit.cfg.py", "Inputs"]  # "Inputs": helper files of tests, in any folder
config.test_source_root = os.path.dirname(os.path.abspath(__file__))

# lit scrubs the environment: put the bin folder of the Python running lit (the venv's) first
# so that its ge-opt and filecheck are found, then the caller's PATH.
venv_bin = os.path.dirname(sys.executable)
config.environment["PATH"] = os.pathsep.join([venv_bin, config.environment.get("PATH", "")])

config.substitutions.append(("%python", sys.executable))
# custom -> generic -> custom: the reprinted custom form must match the file's CHECK lines.
config.substitutions.append(
    (
        "GE_ROUNDTRIP",
        "ge-opt %s --print-op-generic --split-input-file"
        " | ge-opt --split-input-file | filecheck %s",
    )
)
# the generic form itself, checked with the CHECK-GENERIC prefix.
config.substitutions.append(
    (
        "GE_GENERIC_ROUNDTRIP",
        "ge-opt %s --print-op-generic --split-input-file"
        " | filecheck %s --check-prefix=CHECK-GENERIC",
    )
)
# one diagnostic per `// -----` chunk on stdout, matched against the file's CHECK lines.
config.substitutions.append(
    (
        "GE_VERIFY_DIAG",
        "ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s",
    )
)
