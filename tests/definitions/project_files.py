"""Writing small packages and projects to disk for loader tests, each under a unique name."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


class Files:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = f"pkg_{uuid.uuid4().hex[:10]}"

    def write(self, relative: str, text: str = "") -> Path:
        path = self.root / relative.replace("PKG", self.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n").replace("PKG", self.name), encoding="utf-8")
        return path


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Files]:
    """Files under ``tmp_path`` (on sys.path); "PKG" in paths and texts is a fresh package name."""
    made = Files(tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        yield made
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == made.name or m.startswith(f"{made.name}.")]:
            del sys.modules[name]
