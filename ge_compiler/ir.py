"""Reading and verifying IR with source locations, shared by every tool and the library.

xDSL's parser does not attach a source location to ops written without ``loc(...)``, so a
verifier error can only point at generic IR. ``LocatedParser`` records ``file:line:col`` on each
op it parses; ``verify_module`` turns the first failing op into a ``GeError`` that names it.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

from ge_compiler.dialects import get_all_dialects
from ge_compiler.errors import GeError


def make_context(allow_unregistered: bool = False) -> Context:
    """A context that knows every dialect ge-compiler IR may contain (loaded lazily)."""
    ctx = Context(allow_unregistered=allow_unregistered)
    for name, factory in get_all_dialects().items():
        ctx.register_dialect(name, factory)
    return ctx


class LocatedParser(Parser):
    """A Parser that stamps ``file:line:col`` on every op that has no explicit location.

    ``line_offset`` is the line at which ``input`` starts in its file (for split inputs).
    """

    def __init__(self, ctx: Context, input: str, name: str = "<unknown>", line_offset: int = 0):
        super().__init__(ctx, input, name)
        self.line_offset = line_offset
        # xDSL's Span.get_location counts newlines from the start of the file on every call,
        # which makes locating every op quadratic; ops are parsed in order, so count on from
        # the previous op instead.
        self._seen_pos = 0
        self._seen_line = 1

    def _line_col(self, pos: int, text: str) -> tuple[int, int]:
        if pos < self._seen_pos:  # not expected (ops are parsed in order), but stay correct
            self._seen_pos, self._seen_line = 0, 1
        self._seen_line += text.count("\n", self._seen_pos, pos)
        self._seen_pos = pos
        return self._seen_line, pos - (text.rfind("\n", 0, pos) + 1) + 1

    def parse_operation(self) -> Operation:
        span = self._current_token.span
        # Locate before parsing: nested ops (regions) come later in the text.
        line, col = self._line_col(span.start, span.input.content)
        try:
            op = super().parse_operation()
        except VerifyException as e:
            # Type constraints of a custom format are checked while parsing: locate them.
            message = " ".join(line.strip() for line in str(e).splitlines() if line.strip())
            raise ParseError(span, message) from None
        if not isinstance(op.location, FileLineColLoc):
            op.location = FileLineColLoc(
                StringAttr(span.input.name), IntAttr(line + self.line_offset), IntAttr(col)
            )
        return op


def location_of(op: Operation) -> str | None:
    loc = op.location
    if isinstance(loc, FileLineColLoc):
        return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
    return None


def parse_module(text: str, filename: str = "<input>", ctx: Context | None = None) -> ModuleOp:
    """Parse MLIR text; syntax errors become a GeError with ``file:line:col``."""
    ctx = ctx or make_context()
    try:
        return LocatedParser(ctx, text, filename).parse_module()
    except ParseError as e:
        raise GeError.from_parse_error(e) from None
    except VerifyException as e:  # attribute verifiers run while parsing
        raise GeError(str(e).strip()) from None


def read_module(path: str, ctx: Context | None = None) -> ModuleOp:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise GeError(f"cannot read '{path}': {e.strerror}") from None
    return parse_module(text, path, ctx)


def first_invalid_op(module: Operation) -> tuple[Operation, Exception] | None:
    """The innermost-first failing op, found by verifying op by op (only called on failure)."""
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except (DiagnosticException, VerifyException, ValueError) as e:
            return op, e
    return None


def verify_module(module: ModuleOp) -> None:
    """Verify, reporting the first invalid op with its source location."""
    try:
        module.verify()
    except (DiagnosticException, VerifyException) as e:
        raise GeError.from_verify_error(module, e) from None
