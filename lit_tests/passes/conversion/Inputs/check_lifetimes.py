"""Check the lifetimes convert-stream-to-memory writes on memory.buffer ops (lit helper).

Reads ge-opt's memory-level output (split chunks allowed) on stdin. Tasks (stream.launch and
stream.copy) are numbered in program order per function, as the lifetime attribute documents
("first and last task index, inclusive"). For every buffer it checks that

  * each task reading or writing it has an index inside [first, last];
  * an output-bound buffer (binding "output:j") lives until the function's last task.

Prints one `violation: ...` line per failure, then `checked N buffers, M tasks`.
"""

import re
import sys

BUFFER = re.compile(r"^\s*(%[\w.$-]+) = memory\.buffer @(\w+)\[(\d+)\] (\{[^}]*\})? ?:")
LIFETIME = re.compile(r"lifetime = array<i64: (\d+), (\d+)>")
BINDING = re.compile(r'binding = "([^"]*)"')
TASK = re.compile(r"^\s*(%[\w.$-]+) = stream\.(launch|copy) (.*)$")
VALUE = re.compile(r"%[\w.$-]+")


def check(text: str) -> tuple[list[str], int, int]:
    problems: list[str] = []
    n_buffers = n_tasks = 0
    for func in re.split(r"^\s*func\.func ", text, flags=re.M)[1:]:
        name = func.split("(", 1)[0]
        buffers: dict[str, tuple[int, int, str]] = {}
        tasks: list[list[str]] = []
        for line in func.splitlines():
            if m := BUFFER.match(line):
                attrs = m.group(4) or ""
                life = LIFETIME.search(attrs)
                bind = BINDING.search(attrs)
                if life:
                    first, last = int(life.group(1)), int(life.group(2))
                    buffers[m.group(1)] = (first, last, bind.group(1) if bind else "")
            elif m := TASK.match(line):
                body = m.group(3).split(" : ", 1)[0]
                tasks.append(VALUE.findall(body))
            elif line.strip().startswith("func.return"):
                break
        n_buffers += len(buffers)
        n_tasks += len(tasks)
        for i, operands in enumerate(tasks):
            for v in operands:
                if v in buffers:
                    first, last, _ = buffers[v]
                    if not first <= i <= last:
                        problems.append(
                            f"{name}: task {i} uses {v} outside its lifetime [{first}, {last}]"
                        )
        for v, (first, last, bind) in buffers.items():
            if bind.startswith("output:") and tasks and last < len(tasks) - 1:
                problems.append(
                    f"{name}: {v} ({bind}) ends at task {last}, before the last task "
                    f"{len(tasks) - 1}"
                )
    return problems, n_buffers, n_tasks


def main() -> None:
    problems, n_buffers, n_tasks = check(sys.stdin.read())
    for p in problems:
        print(f"violation: {p}")
    print(f"checked {n_buffers} buffers, {n_tasks} tasks")


if __name__ == "__main__":
    main()
