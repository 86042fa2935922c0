"""The one way a click-based tool (ge-run, ge-bench) turns user errors into diagnostics."""

from __future__ import annotations

import sys

import click

from ge_compiler.errors import GeError


def run_cli(cli: click.Command, prog: str, args: list[str] | None) -> None:
    """Run ``cli``; a GeError, a usage error or an OS error ends in one message and exit 1
    (click's usage errors keep their own exit status), never a traceback."""
    try:
        cli.main(args=args, prog_name=prog, standalone_mode=False)
    except GeError as e:
        print(e.render(prog), file=sys.stderr)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except OSError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        sys.exit(1)
