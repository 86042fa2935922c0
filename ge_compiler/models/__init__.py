"""The model zoo: built-in models by name, each a function returning a graph-level module."""

import importlib
from collections.abc import Callable

from xdsl.dialects.builtin import ModuleOp

from ge_compiler.errors import GeError


def _transformer() -> ModuleOp:
    from ge_compiler.models.transformer import build_transformer

    return build_transformer()


def _transformer_tiny() -> ModuleOp:
    from ge_compiler.models.transformer import TINY, build_transformer

    return build_transformer(TINY)


def _sd21(module: str, builder: str, tiny: bool = False) -> Callable[[], ModuleOp]:
    """A Stable Diffusion 2.1 module at its real sizes, or with the module's TINY config."""

    def build() -> ModuleOp:
        mod = importlib.import_module(f"ge_compiler.models.{module}")
        fn = getattr(mod, builder)
        return fn(mod.TINY) if tiny else fn()

    return build


MODELS: dict[str, Callable[[], ModuleOp]] = {
    "transformer": _transformer,
    "transformer-tiny": _transformer_tiny,
    "sd21-text-encoder": _sd21("clip_text", "build_clip_text"),
    "sd21-text-encoder-tiny": _sd21("clip_text", "build_clip_text", tiny=True),
    "sd21-unet": _sd21("unet", "build_unet"),
    "sd21-unet-tiny": _sd21("unet", "build_unet", tiny=True),
    "sd21-vae-decoder": _sd21("vae", "build_vae_decoder"),
    "sd21-vae-decoder-tiny": _sd21("vae", "build_vae_decoder", tiny=True),
}


def build_model(name: str) -> ModuleOp:
    if name not in MODELS:
        raise GeError(f"unknown model '{name}' (built-in: {', '.join(MODELS)})")
    return MODELS[name]()
