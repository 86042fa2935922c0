"""Exposes ge-compiler's dialects and passes to stock xdsl-opt through xDSL's plugin hook."""

from xdsl.universe import Universe

from ge_compiler.dialects import get_all_dialects
from ge_compiler.passes import get_all_passes

_UPSTREAM = {"builtin", "func", "arith", "canonicalize", "cse", "dce"}

GE_UNIVERSE = Universe(
    all_dialects={k: v for k, v in get_all_dialects().items() if k not in _UPSTREAM},
    all_passes={k: v for k, v in get_all_passes().items() if k not in _UPSTREAM},
)
