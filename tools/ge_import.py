"""ge-import: turn an ONNX model into graph-dialect IR (.mlir) plus its weights (.npz).

The IR and the weights are written only when the whole import succeeds (each to a temporary
file first, then renamed), so a failed import never leaves a half-written pair behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ge_compiler.errors import GeError
from ge_compiler.tools.cli import run_cli


def _atomic_write(path: Path, write: object) -> Path:
    """Write via ``write(tmp_path)`` into a temp file next to ``path``; return the temp path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(fd)
    write(Path(tmp))  # type: ignore[operator]
    return Path(tmp)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="IR file (default stdout).")
@click.option(
    "--weights",
    "weights_path",
    type=click.Path(dir_okay=False),
    help="Weights .npz (default: next to -o with the suffix .npz).",
)
@click.option("--name", help="Function name (default: the ONNX graph name).")
def cli(model: str, output: str | None, weights_path: str | None, name: str | None) -> None:
    """Import MODEL (.onnx) into the graph dialect; print or write the IR and the weights."""
    from ge_compiler.frontends.onnx import from_onnx

    if not Path(model).exists():
        raise GeError(f"no such file: '{model}'")
    imported = from_onnx(model, name=name)
    text = str(imported.module) + "\n"
    if output is None:
        click.echo(text, nl=False)
        if weights_path:
            tmp = _atomic_write(Path(weights_path), imported.weights.save_npz)
            tmp.replace(weights_path)
        return
    out = Path(output)
    npz = Path(weights_path) if weights_path else out.with_suffix(".npz")
    tmp_ir = _atomic_write(out, lambda p: p.write_text(text))
    try:
        tmp_npz = _atomic_write(npz, imported.weights.save_npz)
    except BaseException:
        tmp_ir.unlink(missing_ok=True)
        raise
    tmp_npz.replace(npz)
    tmp_ir.replace(out)


def main(args: list[str] | None = None) -> None:
    run_cli(cli, "ge-import", args)


if __name__ == "__main__":
    main()
