"""The model zoo: built-in models by name, each a function returning a graph-level module."""

from collections.abc import Callable

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.errors import GeError


def _transformer() -> ModuleOp:
    from ge_compiler.models.transformer import build_transformer

    return build_transformer()


def _transformer_tiny() -> ModuleOp:
    from ge_compiler.models.transformer import TINY, build_transformer

    return build_transformer(TINY)


MODELS: dict[str, Callable[[], ModuleOp]] = {
    "transformer": _transformer,
    "transformer-tiny": _transformer_tiny,
}


def build_model(name: str) -> ModuleOp:
    if name not in MODELS:
        raise GeError(f"unknown model '{name}' (built-in: {', '.join(MODELS)})")
    return MODELS[name]()
