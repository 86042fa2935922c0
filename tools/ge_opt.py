"""ge-opt: run any slice of the compiler's pass chain on a .mlir file (like mlir-opt).

Built on xDSL's opt main; what it adds is the project's dialects and passes, source locations on
parsed ops, and diagnostics instead of tracebacks: every user error prints
``file:line:col: error: ...`` on stderr and exits 1. ``--timing`` prints a per-pass table (wall
seconds, ops before -> after, total) on stderr after the run; stdout stays the IR.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from ge_compiler.compiler import PassRecord, format_pass_table, pipeline_callback
from ge_compiler.dialects import get_all_dialects
from ge_compiler.errors import GeError
from ge_compiler.ir import LocatedParser
from ge_compiler.passes import get_all_passes


class GeOptMain(xDSLOptMain):
    version_format = "ge-opt (ge-compiler on xdsl {xdsl_version})"

    def register_all_dialects(self) -> None:
        for name, factory in get_all_dialects().items():
            self.ctx.register_dialect(name, factory)

    def register_all_passes(self) -> None:
        for name, factory in get_all_passes().items():
            self.register_pass(name, factory)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--timing",
            action="store_true",
            help="After the run, print on stderr each pass's wall seconds (the pass and the "
            "verification of its result) and op count before -> after, with a total line",
        )
        arg_parser.add_argument(
            "--verify-each",
            action="store_true",
            help="Verify the module after every pass (default: before the first pass and "
            "after the last), so an invalid result names the pass that made it",
        )

    def setup_pipeline(self) -> None:
        """xDSL's pipeline with the compiler's callback: verification of the input and the
        result (of every pass with --verify-each), a PassRecord per pass, and
        --print-between-passes."""
        self.timings: list[list[PassRecord]] = []  # one list per pipeline run (input chunk)
        args = self.args

        def callback(prev: ModulePass | None, module: ModuleOp, nxt: ModulePass | None) -> None:
            if prev is None:
                self.timings.append([])
                inner = pipeline_callback(
                    self.timings[-1] if args.timing or args.time_passes else None,
                    args.verify_each,
                    verify=not args.disable_verify,
                )
                self._callback = inner
            self._callback(prev, module, nxt)
            if prev is not None and nxt is not None and args.print_between_passes:
                print(f"IR after {prev.name}:")
                Printer(stream=sys.stdout).print_op(module)
                print("\n\n\n")

        self.pipeline = PassPipeline.parse_spec(self.available_passes, args.passes, callback)

    def print_timings(self) -> None:
        for i, records in enumerate(self.timings):
            title = f"// chunk {i}" if len(self.timings) > 1 else None
            print(format_pass_table(records, title), file=sys.stderr)

    def parse_chunk(
        self, chunk: IO[bytes], file_extension: str, start_offset: int = 0
    ) -> ModuleOp | None:
        """Parse .mlir with source locations (file lines, also in split-input mode)."""
        if file_extension != "mlir":
            return super().parse_chunk(chunk, file_extension, start_offset)
        text = chunk.read().decode("utf-8")
        parser = LocatedParser(self.ctx, text, self.get_input_name(), start_offset)
        return parser.parse_module(not self.args.no_implicit_module)

    def apply_passes(self, prog: ModuleOp) -> None:
        try:
            super().apply_passes(prog)
        except DiagnosticException as e:
            raise GeError.from_verify_error(prog, e) from None

    def run(self) -> None:
        """As xDSL's run, but every chunk's failure is a GeError (printed or raised)."""
        chunks, ext = self.prepare_input()
        out = self.prepare_output()
        try:
            for i, (chunk, offset) in enumerate(chunks):
                if i > 0:
                    out.write("// -----\n")
                try:
                    module = self._parse(chunk, ext, offset)
                    if module is not None:
                        self.apply_passes(module)
                        out.write(self.output_resulting_program(module))
                    out.flush()
                except GeError as e:
                    if not (self.args.verify_diagnostics or self.args.parsing_diagnostics):
                        raise
                    print(e.render("ge-opt"))
                finally:
                    chunk.close()
        finally:
            if out is not sys.stdout:
                out.close()
        if self.args.timing or self.args.time_passes:  # xDSL's flag prints the same table
            self.print_timings()

    def _parse(self, chunk: IO[bytes], ext: str, offset: int) -> ModuleOp | None:
        try:
            return self.parse_chunk(chunk, ext, offset)
        except ParseError as e:
            e.span = dataclasses.replace(e.span, line_offset=offset)
            raise GeError.from_parse_error(e) from None


def main(args: Sequence[str] | None = None) -> None:
    try:
        GeOptMain(description="ge-compiler pass runner", args=args).run()
    except GeError as e:
        print(e.render("ge-opt"), file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
    except (ValueError, OSError, DiagnosticException, ArgSpecParseError) as e:
        # Unknown pass or option, bad -p syntax, unreadable file.
        print(f"ge-opt: error: {str(e).strip()}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
