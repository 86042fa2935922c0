"""The one exception type users see, and its rendering as a compiler diagnostic.

Every stage raises ``GeError`` for bad input (IR, options, configs, models); the tools print it
as ``file:line:col: error: message`` (plus the source line and a caret where there is one) and
exit non-zero, never with a traceback.
"""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.utils.exceptions import ParseError


class GeError(Exception):
    """A user-facing error: bad IR, shape, option, config or model."""

    def __init__(self, message: str, location: str | None = None, context: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location
        self.context = context

    def render(self, tool: str) -> str:
        where = f"{self.location}: " if self.location else f"{tool}: "
        text = f"{where}error: {self.message}"
        return text + ("\n" + self.context if self.context else "")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    @classmethod
    def from_parse_error(cls, e: ParseError) -> GeError:
        loc = e.span.get_location()
        lines = e.span.print_with_context(e.msg).splitlines()
        # print_with_context gives: location line, source line, carets, message; keep the middle.
        context = "\n".join(lines[1:3])
        return cls(e.msg, str(loc), context)

    @classmethod
    def from_verify_error(cls, module: Operation, e: Exception) -> GeError:
        from ge_compiler.ir import first_invalid_op, location_of

        found = first_invalid_op(module)
        if found is None:
            return cls(_first_line(e))
        op, err = found
        message = _first_line(err).removeprefix("Operation does not verify: ")
        if not message.startswith(op.name):
            message = f"{op.name}: {message}"
        # Show the offending op (ops with regions would print their whole body: name only).
        shown = op.name if op.regions else str(op).strip()
        return cls(message, location_of(op), f"  {shown}")


def _first_line(e: Exception) -> str:
    """The message on one line (xDSL puts a constraint's reason on the following lines)."""
    text = " ".join(line.strip() for line in str(e).strip().splitlines() if line.strip())
    return text or type(e).__name__
