"""The project's dialects: graph (tensor ops), stream (async execution), memory (buffers)."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Name -> lazy factory, for every dialect ge-compiler IR may contain."""

    def graph() -> Dialect:
        from ge_compiler.dialects.graph import Graph

        return Graph

    def stream() -> Dialect:
        from ge_compiler.dialects.stream import Stream

        return Stream

    def memory() -> Dialect:
        from ge_compiler.dialects.memory import Memory

        return Memory

    def builtin() -> Dialect:
        from xdsl.dialects.builtin import Builtin

        return Builtin

    def func() -> Dialect:
        from xdsl.dialects.func import Func

        return Func

    def arith() -> Dialect:
        from xdsl.dialects.arith import Arith

        return Arith

    return {
        "builtin": builtin,
        "func": func,
        "arith": arith,
        "graph": graph,
        "stream": stream,
        "memory": memory,
    }
