"""Frontends: bring models in from ONNX and PyTorch (optional extras, imported lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ge_compiler.frontends.onnx import ImportedModel


def from_onnx(model: Any, **options: Any) -> ImportedModel:
    """Import an ONNX model (path or ModelProto); needs the ``onnx`` extra."""
    from ge_compiler.frontends.onnx import from_onnx as _from_onnx

    return _from_onnx(model, **options)


def from_torch(model: Any, args: Any = (), **options: Any) -> ImportedModel:
    """Import a ``torch.nn.Module`` (exported with ``args``) or an ExportedProgram; needs the
    ``torch`` extra."""
    from ge_compiler.frontends.torch import from_torch as _from_torch

    return _from_torch(model, args, **options)
