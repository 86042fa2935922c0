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


def _zoo(
    module: str, builder: str, tiny: str | None = None, **kwargs: object
) -> Callable[[], ModuleOp]:
    """``module.builder(cfg, **kwargs)``: the default config, or the module attribute ``tiny``."""

    def build() -> ModuleOp:
        mod = importlib.import_module(f"ge_compiler.models.{module}")
        fn = getattr(mod, builder)
        return fn(getattr(mod, tiny), **kwargs) if tiny else fn(**kwargs)

    return build


_ZOO: dict[str, tuple[str, str, str]] = {  # name: (module, builder, tiny config attribute)
    "vl-encoder": ("vit", "build_vit", "TINY"),
    "t5-encoder": ("t5", "build_t5_encoder", "TINY"),
    "sdxl-unet": ("sdxl_unet", "build_sdxl_unet", "TINY"),
    "controlnet-sdxl": ("controlnet", "build_controlnet_sdxl", "TINY_SDXL"),
    "controlnet-sd3": ("controlnet", "build_controlnet_sd3", "TINY_SD3"),
    "sd3-mmdit": ("mmdit", "build_mmdit", "TINY"),
    "sd3-vae-decoder": ("sd3_vae", "build_sd3_vae_decoder", "TINY"),
    "llm-decoder-prefill": ("llm", "build_llm_prefill", "TINY"),
    "llm-decoder-step": ("llm", "build_llm_decode_step", "TINY"),
    "multimodal": ("multimodal", "build_multimodal", "TINY"),
    "video": ("video", "build_video", "TINY"),
}


MODELS: dict[str, Callable[[], ModuleOp]] = {
    "transformer": _transformer,
    "transformer-tiny": _transformer_tiny,
    "sd21-text-encoder": _sd21("clip_text", "build_clip_text"),
    "sd21-text-encoder-tiny": _sd21("clip_text", "build_clip_text", tiny=True),
    "sd21-unet": _sd21("unet", "build_unet"),
    "sd21-unet-tiny": _sd21("unet", "build_unet", tiny=True),
    "sd21-vae-decoder": _sd21("vae", "build_vae_decoder"),
    "sd21-vae-decoder-tiny": _sd21("vae", "build_vae_decoder", tiny=True),
    # dynamic prompt length (compile with ge_compiler.buckets.Gears); "-tiny" stays the suffix
    # of static models, which tests compile as is
    "text-encoder-dynamic": _zoo("dynamic_text", "build_text_encoder_dynamic"),
    "text-encoder-tiny-dynamic": _zoo(
        "dynamic_text", "build_text_encoder_dynamic", "TINY", max_len=32
    ),
}
for _name, (_module, _builder, _tiny) in _ZOO.items():
    MODELS[_name] = _zoo(_module, _builder)
    MODELS[f"{_name}-tiny"] = _zoo(_module, _builder, _tiny)


def build_model(name: str) -> ModuleOp:
    if name not in MODELS:
        raise GeError(f"unknown model '{name}' (built-in: {', '.join(MODELS)})")
    return MODELS[name]()
