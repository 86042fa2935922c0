"""ge-compiler: an MLIR-style multi-level graph compiler for AIGC inference pipelines.

The public API: build graphs with GraphBuilder, run them with the reference interpreter,
compile them to a Schedule and simulate that on a device model.
"""

from ge_compiler.builder import GraphBuilder, Tensor
from ge_compiler.compiler import CompileResult, compile_module
from ge_compiler.errors import GeError
from ge_compiler.interpreter import run_function

__all__ = ["CompileResult", "GeError", "GraphBuilder", "Tensor", "compile_module", "run_function"]
