"""Write the type stubs of Headwater's two lazy front doors, from the one table of public names.

``headwater`` and ``headwater.compat.dagster`` import their public names lazily (a module
``__getattr__`` reading ``headwater/_api_table.py``), which type checkers cannot follow: they would
see every name as ``Any``. Beside each module this writes a stub (``__init__.pyi``,
``dagster.pyi``), which mypy and pyright read instead of the module::

    from headwater.definitions.asset_decorators import asset as asset
    from headwater.events.run_status import RunStatus as DagsterRunStatus
    ...
    __all__ = [...]   # the same names, so renamed imports count as re-exports

The stub has no ``__getattr__``, so a misspelt name is an error for the type checker as it is at
run time. The output is put through ``ruff check --select I --fix`` and ``ruff format`` (the
project's settings), so it passes the lint stages as written.

    python tools/generate_api_stubs.py           # rewrite the stubs
    python tools/generate_api_stubs.py --check   # exit 1, naming the stale stubs (a test runs this)

Run it with the project's interpreter (``.venv/bin/python``): it needs ruff.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path("src/headwater/_api_table.py")
HEADER = (
    "# Generated from src/headwater/_api_table.py by tools/generate_api_stubs.py: edit the table and\n"
    "# rerun the tool, never this file. Type checkers read this stub instead of the lazy module beside it.\n"
)

Names = Mapping[str, tuple[str, str]]  # public name -> (module, attribute)


@dataclass(frozen=True)
class Stub:
    path: Path  # relative to the repository root
    docstring: str
    names: Callable[[], Names]
    extra: str = ""  # declarations of the module's own attributes, after the imports


def load_table(root: Path = ROOT) -> ModuleType:
    """``headwater/_api_table.py`` of ``root``, loaded by path (``headwater/__init__`` is not run)."""
    spec = importlib.util.spec_from_file_location("_headwater_api_table", root / TABLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stubs(table: Any) -> list[Stub]:
    return [
        Stub(
            Path("src/headwater/__init__.pyi"),
            "Headwater's public API (native names), as type checkers see it.",
            table.native_names,
            "__version__: str\n",
        ),
        Stub(
            Path("src/headwater/compat/dagster.pyi"),
            "Headwater's public API under Dagster's names, as type checkers see it.",
            table.dagster_names,
        ),
    ]


def render(stub: Stub, names: Names) -> str:
    """The stub's text before ruff sorts and formats it."""
    lines = [HEADER, f'"""{stub.docstring}"""', ""]
    lines += [f"from {names[public][0]} import {names[public][1]} as {public}" for public in sorted(names)]
    lines += ["", stub.extra, "__all__ = ["]
    lines += [f'    "{public}",' for public in sorted(names)]
    lines += ["]"]
    return "\n".join(lines) + "\n"


def ruff(args: list[str], source: str, filename: Path, root: Path) -> str:
    command = [sys.executable, "-m", "ruff", *args, "--stdin-filename", str(filename), "-"]
    done = subprocess.run(command, input=source, capture_output=True, text=True, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed on {filename}:\n{done.stderr}")
    return done.stdout


def expected_text(stub: Stub, names: Names, root: Path = ROOT) -> str:
    """The stub's text for ``names``, sorted and formatted as the lint stages want it."""
    text = ruff(["check", "--quiet", "--select", "I", "--fix"], render(stub, names), stub.path, root)
    return ruff(["format", "--quiet"], text, stub.path, root)


def stale_stubs(root: Path = ROOT, table: object = None) -> dict[Path, str]:
    """The stubs (relative paths) whose text differs from what the table gives, with their new text.

    ``table`` is ``root``'s ``_api_table`` unless given (anything with ``native_names()`` and
    ``dagster_names()``: the tests pass an edited one)."""
    table = load_table(root) if table is None else table
    stale: dict[Path, str] = {}
    for stub in stubs(table):
        path = root / stub.path
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        expected = expected_text(stub, stub.names(), root)
        if expected != current:
            stale[stub.path] = expected
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report stale stubs; exit 1 if any")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    stale = stale_stubs(args.root)
    for relative, text in stale.items():
        if args.check:
            print(f"{relative} is stale: run `.venv/bin/python tools/generate_api_stubs.py`", file=sys.stderr)
        else:
            (args.root / relative).write_text(text, encoding="utf-8")
            print(f"{relative}: written")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
