"""Fail on oversized modules: DESIGN.md §4 says small modules named by their noun.

Counts the lines of every ``.py`` file under ``src/headwater``. Over ``--max`` lines (500) is an
error; over ``--warn`` lines (400) is a warning, a prompt to split the module by noun.

    python tools/check_module_size.py [--max 500] [--warn 400] [PATH ...]

Exit status: 0 when nothing is over ``--max``, 1 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = (ROOT / "src" / "headwater",)


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def python_files(paths: list[Path]) -> list[Path]:
    files: set[Path] = set()
    for path in paths:
        if path.is_file() and path.suffix == ".py":
            files.add(path)
        elif path.is_dir():
            files.update(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories (default: src/headwater)")
    parser.add_argument("--max", type=int, default=500, help="error above this many lines (default: 500)")
    parser.add_argument("--warn", type=int, default=400, help="warn above this many lines (default: 400)")
    args = parser.parse_args(argv)

    paths: list[Path] = args.paths or list(DEFAULT_PATHS)
    missing = [p for p in paths if not p.exists()]
    if missing:
        parser.error("no such file or directory: " + ", ".join(map(str, missing)))

    files = python_files(paths)
    sizes = sorted(((count_lines(f), f) for f in files), key=lambda t: (-t[0], str(t[1])))
    too_big = [(n, f) for n, f in sizes if n > args.max]
    big = [(n, f) for n, f in sizes if args.warn < n <= args.max]

    for n, f in big:
        print(f"warning: {display(f)} has {n} lines (> {args.warn}): consider splitting it by noun")
    for n, f in too_big:
        print(f"error: {display(f)} has {n} lines (> {args.max})")

    largest = f"; largest: {display(sizes[0][1])} ({sizes[0][0]} lines)" if sizes else ""
    print(f"checked {len(files)} modules{largest}")
    if too_big:
        print(
            f"{len(too_big)} module(s) over {args.max} lines: split each into modules named by their "
            "noun (DESIGN.md §4)."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
